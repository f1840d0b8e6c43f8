/**
 * @module
 * JSON: the report itself (schema in docs/json-schema.md), raw integers, null for unknown. An integer past
 * 2^53 − 1 is written as its exact decimal string, since a JSON number that large would be rounded by most readers.
 */
import type { Report } from '../analyze/report.js';
import { jsonReplacer } from '../int.js';

/** The report as indented JSON. */
export const renderJson = (report: Report): string => `${JSON.stringify(report, jsonReplacer, 2)}\n`;
