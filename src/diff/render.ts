/**
 * @module
 * A diff as a terminal table, Markdown, CSV or JSON: the layers that differ (or all), the totals with absolute
 * and relative deltas, and the reasons.
 */
import { GAP, layoutTable, wrapWords } from '../render/layout.js';
import { append, maxOf } from '../arrays.js';
import { cmp, minus, toNumber, type Int } from '../int.js';
import { bytes, count, countCell, shapeText } from '../render/format.js';
import { quote } from '../render/csv.js';
import { mdCell, mdTable } from '../render/markdown.js';
import type { RenderFormat } from '../render/index.js';
import type { Shape } from '../types.js';
import { inputText, type Diff, type DiffRow, type DiffSide, type DiffTotal } from './index.js';
import { signed } from './why.js';

/** How to show a diff. */
export interface DiffRenderOptions {
  /** Every row, not only those that differ. */
  readonly all?: boolean;
  readonly width?: number;
  readonly ascii?: boolean;
}

const ALIGN = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'] as const;
const FLEX = [true, true, false, false, false, false, false, false];

export const HEADER = ['Layer (type)', 'Output shape', 'Params a', 'Params b', 'Δ params', 'MACs a', 'MACs b', 'Δ MACs'];

const deltaCell = (n: Int | null): string => (n === null ? '?' : n === 0 ? '–' : signed(n));

/** [1, 64, 224→384, 224→384]: only the sizes that change carry an arrow. */
export function shapeDelta(a: Shape, b: Shape): string {
  if (a.length !== b.length) return `${shapeText(a)} → ${shapeText(b)}`;
  if (a.length === 0) return shapeText(a);
  return `[${a.map((x, i) => (x === b[i] ? `${x}` : `${x}→${b[i]}`)).join(', ')}]`;
}

export function rowCells(r: DiffRow): string[] {
  const l = r.b ?? r.a!;
  const name = r.a && r.b && r.a.name !== r.b.name ? `${r.a.name} ↔ ${r.b.name}` : l.name;
  const only = !r.a ? ' (only in b)' : !r.b ? ' (only in a)' : '';
  const shapes = r.a && r.b ? shapeDelta(r.a.outputShape, r.b.outputShape) : shapeText(l.outputShape);
  const side = (x: Int | null | undefined, present: boolean) => (present ? countCell(x ?? null) : '—');
  return [
    `${name} (${l.type})${only}`,
    shapes,
    side(r.a?.params, !!r.a),
    side(r.b?.params, !!r.b),
    deltaCell(r.params),
    side(r.a?.macs, !!r.a),
    side(r.b?.macs, !!r.b),
    deltaCell(r.macs),
  ];
}

const TOTAL_LABEL: Readonly<Record<DiffTotal['key'], string>> = {
  params: 'Total params',
  trainable: 'Trainable params',
  nonTrainable: 'Non-trainable params',
  buffers: 'Buffers',
  macs: 'Total MACs',
  flops: 'FLOPs',
};

/** '+2.32%', '−0.50%', '0%', or 'new' when a is 0. */
export function relative(a: Int, b: Int): string {
  if (cmp(a, b) === 0) return '0%';
  if (a === 0) return 'new';
  const p = (100 * toNumber(minus(b, a))) / toNumber(a);
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(2)}%`;
}

export function totalRows(d: Diff): string[][] {
  const counts = d.totals.map((t) => [TOTAL_LABEL[t.key], count(t.a), count(t.b), cmp(t.a, t.b) === 0 ? '–' : signed(minus(t.b, t.a)), relative(t.a, t.b)]);
  // Memory in bytes, each side at its own dtype, batch and context.
  const mem = (d.memory ?? []).map((m) => [`memory: ${m.label}`, bytes(m.a), bytes(m.b), cmp(m.a, m.b) === 0 ? '–' : `${cmp(m.b, m.a) > 0 ? '+' : '−'}${bytes(cmp(m.b, m.a) > 0 ? minus(m.b, m.a) : minus(m.a, m.b))}`, relative(m.a, m.b)]);
  return [...counts, ...mem];
}

export const sideText = (s: DiffSide): string =>
  `${s.label === s.model ? s.model : `${s.label}: ${s.model}`}, input ${inputText(s.input)}, batch ${s.input[0] ?? '?'}, ${s.convention === 'keras' ? 'Keras' : 'PyTorch'} convention`;

/** 'Why: conv2, conv4 and conv5 are grouped …; …' */
export const whyText = (d: Diff): string => {
  return `Why: ${d.why.join('; ')}.`;
};

function summaryText(d: Diff, shown: number): string {
  const changed = d.rows.filter((r) => r.status !== 'same').length;
  const how = d.alignment === 'name' ? 'Layers paired by name' : 'Layers paired by position among layers of the same kind (the names differ)';
  return `${how}; ${changed} of ${d.rows.length} rows differ${shown < d.rows.length ? ' (--all shows every row)' : ''}.`;
}

const visible = (d: Diff, all: boolean): DiffRow[] => d.rows.filter((r) => all || r.status !== 'same');

function renderText(d: Diff, o: DiffRenderOptions): string {
  const width = o.width ?? Infinity;
  const rows = visible(d, !!o.all);
  const out = [`a = ${sideText(d.a)}`, `b = ${sideText(d.b)}`, ...wrapWords(summaryText(d, rows.length), width), ''];
  const [thin, thick] = o.ascii ? ['-', '='] : ['─', '═'];
  if (rows.length) {
    // On a narrow terminal the per-side columns go first (MACs, then params): the deltas are the point.
    const table = [HEADER, ...rows.map(rowCells)];
    const natural = (keep: readonly number[]) => keep.reduce((s, i) => s + maxOf(table.map((r) => r[i]!.length)), GAP * (keep.length - 1));
    const keep = [[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 7], [0, 1, 4, 7]].find((k) => natural(k) <= width) ?? [0, 1, 4, 7];
    const pick = <T,>(xs: readonly T[]): T[] => keep.map((i) => xs[i]!);
    const { lines, widths } = layoutTable(table.map(pick), pick(ALIGN), pick(FLEX), width);
    const total = Math.min(width, widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1));
    append(out, lines[0]!);
    out.push(thin.repeat(total));
    for (const l of lines.slice(1)) append(out, l);
    out.push(thick.repeat(total));
  } else out.push('No layer differs.');
  const totals = layoutTable([['', 'a', 'b', 'Δ', 'Δ %'], ...totalRows(d)], ['left', 'right', 'right', 'right', 'right'], [false, false, false, false, false], width);
  out.push(...totals.lines.flat(), '', ...wrapWords(whyText(d), width));
  return out.join('\n') + '\n';
}

function renderMd(d: Diff, o: DiffRenderOptions): string {
  const rows = visible(d, !!o.all);
  return [
    `## ${mdCell(d.a.label)} → ${mdCell(d.b.label)}`,
    '',
    `- **a:** ${mdCell(sideText(d.a))}`,
    `- **b:** ${mdCell(sideText(d.b))}`,
    '',
    summaryText(d, rows.length),
    '',
    ...(rows.length ? mdTable(HEADER, ALIGN, rows.map(rowCells)) : ['No layer differs.']),
    '',
    ...mdTable(['', 'a', 'b', 'Δ', 'Δ %'], ['left', 'right', 'right', 'right', 'right'], totalRows(d)),
    '',
    `**${whyText(d).replace(/^Why:/, 'Why:**')}`,
  ].join('\n') + '\n';
}

function renderCsv(d: Diff, o: DiffRenderOptions): string {
  const head = ['name_a', 'name_b', 'type', 'op', 'status', 'output_a', 'output_b', 'params_a', 'params_b', 'params_delta', 'macs_a', 'macs_b', 'macs_delta', 'causes'];
  const rows = visible(d, !!o.all).map((r) => [
    r.a?.name,
    r.b?.name,
    (r.b ?? r.a)!.type,
    (r.b ?? r.a)!.op,
    r.status,
    r.a?.outputShape.join('x'),
    r.b?.outputShape.join('x'),
    r.a?.params,
    r.b?.params,
    r.params,
    r.a?.macs,
    r.b?.macs,
    r.macs,
    r.causes.join(' '),
  ]);
  return [head, ...rows].map((r) => r.map((v) => quote(v ?? null)).join(',')).join('\r\n') + '\r\n';
}

/** Renders a diff; JSON is the Diff itself, with every row. */
export function renderDiff(d: Diff, format: RenderFormat, o: DiffRenderOptions = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(d, null, 2)}\n`;
    case 'csv':
      return renderCsv(d, o);
    case 'md':
      return renderMd(d, o);
    case 'table':
      return renderText(d, o);
  }
}
