/**
 * @module
 * The terminal table: Keras-style rules, torchinfo-style columns, numbers right-aligned with thousands
 * separators, fitted to the terminal width, colour only when asked (the CLI honours NO_COLOR).
 */
import type { Report } from '../analyze/report.js';
import { maxOf } from '../arrays.js';
import { layoutShape } from './format.js';
import { ascii } from './ascii.js';
import { summaryLines } from './summary.js';
import { cells, defaultColumns, type Column } from './table.js';
import { GAP, layoutTable, wrapWords } from './layout.js';

/** How to draw the table. */
export interface TerminalOptions {
  /** Maximum line width; flexible columns are truncated with '…' to fit. Default: no limit. */
  readonly width?: number;
  readonly color?: boolean;
  /** ASCII rules instead of box-drawing characters. */
  readonly ascii?: boolean;
  /** Add the formula column. */
  readonly explain?: boolean;
  /** Add the receptive-field column. */
  readonly rf?: boolean;
  readonly columns?: readonly Column[];
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** The header and cells, in ASCII when asked. */
function texts(report: Report, cols: readonly Column[], plain: boolean): { header: string[]; rows: string[][] } {
  const t = cells(report, cols);
  return plain ? { header: t.header.map(ascii), rows: t.rows.map((r) => r.map(ascii)) } : t;
}

function naturalWidth(report: Report, cols: readonly Column[], plain: boolean): number {
  const { header, rows } = texts(report, cols, plain);
  return cols.reduce((s, _, i) => s + Math.max(header[i]!.length, maxOf(rows.map((r) => r[i]!.length))), GAP * (cols.length - 1));
}

/** The report as a terminal table with a summary footer. */
export function renderTerminal(report: Report, options: TerminalOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? Infinity;
  let cols = options.columns ?? defaultColumns(options.explain ?? false, options.rf ?? false);
  // The formula column is the first to go on a narrow terminal: the explanation below repeats it.
  const plain = options.ascii ?? false;
  const tx = plain ? ascii : (s: string) => s;
  if (cols.some((c) => c.id === 'formula') && naturalWidth(report, cols, plain) > width) cols = cols.filter((c) => c.id !== 'formula');
  const { header, rows } = texts(report, cols, plain);
  const { lines, widths } = layoutTable([header, ...rows], cols.map((c) => c.align), cols.map((c) => c.flexible), width);
  const total = widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1);
  const [thin, thick] = options.ascii ? ['-', '='] : ['─', '═'];

  const m = report.model;
  const out: string[] = [];
  out.push(paint(color, '1', tx(m.name)) + (m.source ? tx(` — ${m.source}`) : ''));
  out.push(tx(`Input ${layoutShape(m.input, m.layout)} · output ${layoutShape(m.output, m.layout)} · ${m.convention === 'keras' ? 'Keras' : 'PyTorch'} convention${m.layout ? ' · shapes channels last' : ''}`));
  out.push('');
  out.push(...lines[0]!.map((l) => paint(color, '1', l)));
  out.push(thin.repeat(total));
  report.layers.forEach((l, k) => out.push(...lines[k + 1]!.map((t) => (l.implicit ? paint(color, '2', t) : t))));
  out.push(thick.repeat(total));
  const summary = summaryLines(report).map((line) => line.map(tx) as [string, string, string]);
  const labelWidth = Math.max(...summary.map(([a]) => a.length)) + 1;
  const valueWidth = Math.max(...summary.map(([, b]) => b.length));
  for (const [label, value, note] of summary) {
    const head = `${`${label}:`.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`;
    // Notes are prose: they wrap between words, never inside a number or a formula.
    const [first = '', ...more] = note ? wrapWords(note, Math.max(20, width - head.length - 2)) : [];
    const text = first ? `${head}  ${first}` : head;
    out.push(label.startsWith('Total') ? paint(color, '1', text) : text, ...more.map((m) => `${' '.repeat(head.length + 2)}${m}`));
  }
  return out.join('\n') + '\n';
}
