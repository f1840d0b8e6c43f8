/**
 * @module
 * The terminal table: Keras-style rules, torchinfo-style columns, numbers right-aligned with thousands
 * separators, fitted to the terminal width, colour only when asked (the CLI honours NO_COLOR).
 */
import type { Report } from '../analyze/report.js';
import { shapeText } from './format.js';
import { summaryLines } from './summary.js';
import { cells, defaultColumns, type Column } from './table.js';

/** How to draw the table. */
export interface TerminalOptions {
  /** Maximum line width; flexible columns are truncated with '…' to fit. Default: no limit. */
  readonly width?: number;
  readonly color?: boolean;
  /** ASCII rules instead of box-drawing characters. */
  readonly ascii?: boolean;
  /** Add the formula column. */
  readonly explain?: boolean;
  readonly columns?: readonly Column[];
}

const GAP = 2;
const MIN = { flexible: 10 };

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Truncates to n characters with an ellipsis. */
const clip = (s: string, n: number): string => (s.length <= n ? s : n <= 1 ? s.slice(0, n) : `${s.slice(0, n - 1)}…`);

/** Column widths: natural widths, then the flexible columns shrink (widest first) until the line fits. */
export function fitWidths(natural: readonly number[], flexible: readonly boolean[], width: number): number[] {
  const widths = [...natural];
  const line = () => widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1);
  while (line() > width) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (flexible[i] && w > MIN.flexible && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = Math.max(MIN.flexible, widths[widest]! - (line() - width));
  }
  return widths;
}

/** The report as a terminal table with a summary footer. */
export function renderTerminal(report: Report, options: TerminalOptions = {}): string {
  const color = options.color ?? false;
  const cols = options.columns ?? defaultColumns(options.explain ?? false);
  const { header, rows } = cells(report, cols);
  const natural = cols.map((_, i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const widths = fitWidths(natural, cols.map((c) => c.flexible), options.width ?? Infinity);
  const pad = (s: string, i: number) => {
    const t = clip(s, widths[i]!);
    return cols[i]!.align === 'right' ? t.padStart(widths[i]!) : t.padEnd(widths[i]!);
  };
  const line = (r: readonly string[]) => r.map(pad).join(' '.repeat(GAP)).trimEnd();
  const total = widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1);
  const [thin, thick] = options.ascii ? ['-', '='] : ['─', '═'];

  const m = report.model;
  const out: string[] = [];
  out.push(paint(color, '1', m.name) + (m.source ? ` — ${m.source}` : ''));
  out.push(`Input ${shapeText(m.input)} · output ${shapeText(m.output)} · ${m.convention === 'keras' ? 'Keras' : 'PyTorch'} convention`);
  out.push('');
  out.push(paint(color, '1', line(header)));
  out.push(thin.repeat(total));
  report.layers.forEach((l, k) => out.push(l.implicit ? paint(color, '2', line(rows[k]!)) : line(rows[k]!)));
  out.push(thick.repeat(total));
  const summary = summaryLines(report);
  const labelWidth = Math.max(...summary.map(([a]) => a.length)) + 1;
  const valueWidth = Math.max(...summary.map(([, b]) => b.length));
  for (const [label, value, note] of summary) {
    const text = `${`${label}:`.padEnd(labelWidth)}  ${value.padStart(valueWidth)}${note ? `  ${note}` : ''}`;
    out.push(label.startsWith('Total') ? paint(color, '1', text) : text);
  }
  return out.join('\n') + '\n';
}
