/**
 * @module
 * One entry for every output format.
 */
import type { Report } from '../analyze/report.js';
import { printableReport } from './printable.js';
import { renderCsv } from './csv.js';
import { documentMarkdown, documentText } from './document.js';
import { explainReport } from './explain.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTerminal, type TerminalOptions } from './terminal.js';

/** The output formats. */
export const FORMATS = ['table', 'json', 'csv', 'md'] as const;
export type RenderFormat = (typeof FORMATS)[number];

/** Options shared by the renderers; each uses what applies to it. */
export interface RenderOptions extends TerminalOptions {
  readonly explain?: boolean;
  /** The report before --depth collapsed it: the explanation is derived from its layers, not from module rows. */
  readonly full?: Report;
}

/**
 * Renders a report. With `explain`, table and Markdown add the formula column and the full explanation.
 * @example render(report, 'md', { explain: true })
 */
export function render(report: Report, format: RenderFormat = 'table', options: RenderOptions = {}): string {
  // JSON escapes control characters itself; the text formats print names as they are, so make them safe first.
  if (format !== 'json') report = printableReport(report);
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report);
    case 'md':
      return renderMarkdown(report, options) + (options.explain ? documentMarkdown(explainReport(options.full ?? report)) : '');
    case 'table':
      return renderTerminal(report, options) + (options.explain ? documentText(explainReport(options.full ?? report), options.width, options.ascii) : '');
  }
}
