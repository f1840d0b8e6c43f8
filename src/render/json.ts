/**
 * @module
 * JSON: the report itself (schema in docs/json-schema.md), raw integers, null for unknown.
 */
import type { Report } from '../analyze/report.js';

/** The report as indented JSON. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;
