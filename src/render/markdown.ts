/**
 * @module
 * Markdown: a pipe table with right-aligned numeric columns, then the summary as a list.
 */
import type { Report } from '../analyze/report.js';
import { layoutShape } from './format.js';
import { summaryLines } from './summary.js';
import { cells, defaultColumns } from './table.js';

/** Escapes the characters that would break a table cell. */
export const mdCell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

/** A Markdown table from a header, alignments and rows. */
export function mdTable(header: readonly string[], align: readonly ('left' | 'right')[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.map(mdCell).join(' | ')} |`,
    `|${align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ];
}

/** The report as Markdown. */
export function renderMarkdown(report: Report, options: { explain?: boolean; rf?: boolean } = {}): string {
  const cols = defaultColumns(options.explain ?? false, options.rf ?? false);
  const { header, rows } = cells(report, cols);
  const m = report.model;
  const out = [
    `## ${mdCell(m.name)}`,
    '',
    ...(m.source ? [`Source: ${m.source}`, ''] : []),
    `Input ${layoutShape(m.input, m.layout)} · output ${layoutShape(m.output, m.layout)} · ${m.convention === 'keras' ? 'Keras' : 'PyTorch'} convention${m.layout ? ' · shapes channels last' : ''}`,
    '',
    ...mdTable(header, cols.map((c) => c.align), rows),
    '',
    ...summaryLines(report).map(([label, value, note]) => `- **${label}:** ${value}${note ? ` (${note})` : ''}`),
  ];
  return out.join('\n') + '\n';
}
