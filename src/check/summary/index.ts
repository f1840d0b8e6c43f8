/**
 * @module
 * `explainSummary(text)`: every row of a pasted Keras or torchinfo summary, with the arithmetic of its
 * parameter count and the hyperparameters that the summary does not print (kernel size, input channels,
 * bias), read from the count and the shapes around the row. Where several readings fit, it says so and
 * names them; the totals are checked against the sum of the rows.
 */
import { fmt } from '../../count.js';
import { sum, toNumber, type Int } from '../../int.js';
import type { Section } from '../../render/document.js';
import { parseSummary, type Dims, type Summary, type SummaryRow } from './parse.js';
import { paramFree, readings, type Reading } from './solve.js';

export { isSummary, parseSummary, type Summary, type SummaryRow } from './parse.js';

/** One row and what nncalc makes of it. */
export interface RowExplanation {
  readonly row: SummaryRow;
  /** 'explained' (one reading), 'ambiguous' (the likeliest of several), 'free', 'container', 'tensor', 'unexplained'. */
  readonly status: 'explained' | 'ambiguous' | 'free' | 'container' | 'tensor' | 'unexplained';
  /** The count's arithmetic: '32·(3·3·1 + 1)'. */
  readonly formula?: string;
  readonly text: string;
  /** Other readings that fit as well ('1×1 over 9 channels …'). */
  readonly candidates: readonly string[];
}

export interface SummaryExplanation {
  readonly summary: Summary;
  readonly rows: readonly RowExplanation[];
  /** Sentences about the totals: Σ of the rows against 'Total params'. */
  readonly totals: readonly string[];
  /** True when every row is explained (uniquely or as the likeliest reading) and the totals add up. */
  readonly complete: boolean;
}

const shape = (d: Dims | undefined): string => (d ? `(${d.map((x) => (x === null ? 'None' : String(x))).join(', ')})` : '');

/** The rows that hold a layer's own count (not a container above, not a tensor below). */
function leaves(s: Summary): Set<SummaryRow> {
  const out = new Set<SummaryRow>();
  s.rows.forEach((r, i) => {
    const next = s.rows[i + 1];
    const container = s.layout === 'torchinfo' && next !== undefined && next.depth > r.depth && !next.tensor;
    if (!container && !r.tensor && !r.recursive) out.add(r);
  });
  return out;
}

/** Where each row's input comes from: the layer it is connected to, else the layer before it. */
function inputs(s: Summary, leafRows: Set<SummaryRow>): Map<SummaryRow, { dims?: Dims; from?: string }> {
  const byName = new Map(s.rows.map((r) => [r.name, r]));
  const out = new Map<SummaryRow, { dims?: Dims; from?: string }>();
  let previous: SummaryRow | undefined;
  for (const r of s.rows) {
    if (r.input) out.set(r, { dims: r.input });
    else if (r.connected.length) {
      const name = r.connected[0]!.replace(/…$/, '');
      const src = byName.get(name) ?? (r.connected[0]!.endsWith('…') ? s.rows.find((x) => x.name.startsWith(name)) : undefined);
      out.set(r, src?.output ? { dims: src.output, from: src.name } : {});
    } else if (previous?.output) out.set(r, { dims: previous.output, from: previous.name });
    if (leafRows.has(r)) previous = r;
  }
  return out;
}

/** Each container's leaves: how many and their Σ, in one pass with a stack (nested containers add up). */
function containerSums(s: Summary, leafRows: Set<SummaryRow>): Map<SummaryRow, { count: number; total: Int }> {
  const out = new Map<SummaryRow, { count: number; total: Int }>();
  const stack: { row: SummaryRow; count: number; total: Int }[] = [];
  const close = () => {
    const top = stack.pop()!;
    out.set(top.row, { count: top.count, total: top.total });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.count += top.count;
      parent.total = sum([parent.total, top.total]);
    }
  };
  for (const r of s.rows) {
    if (r.tensor) continue;
    while (stack.length && stack[stack.length - 1]!.row.depth >= r.depth) close();
    if (leafRows.has(r)) {
      const top = stack[stack.length - 1];
      if (top && r.params !== null) {
        top.count++;
        top.total = sum([top.total, r.params]);
      }
    } else if (!r.recursive) stack.push({ row: r, count: 0, total: 0 });
  }
  while (stack.length) close();
  return out;
}

function explainRow(s: Summary, r: SummaryRow, leafRows: Set<SummaryRow>, from: { dims?: Dims; from?: string } | undefined, sums: Map<SummaryRow, { count: number; total: Int }>): RowExplanation {
  if (r.tensor) {
    const n = r.kernel?.reduce((p, x) => p * x, 1);
    const ok = n !== undefined && r.params !== null && n === toNumber(r.params);
    return { row: r, status: 'tensor', ...(ok ? { formula: r.kernel!.join('·') } : {}), text: ok ? `the ${r.name} tensor, ${r.kernel!.join(' × ')}` : `the ${r.name} tensor`, candidates: [] };
  }
  if (!leafRows.has(r)) {
    if (r.recursive) return { row: r, status: 'container', text: 'used again: its parameters are counted where it first ran', candidates: [] };
    const { count, total } = sums.get(r) ?? { count: 0, total: 0 };
    const agrees = r.params === null || r.params === total;
    return { row: r, status: agrees ? 'container' : 'unexplained', text: `a container: the ${count} layers under it hold ${fmt(total)}${agrees ? '' : `, not ${fmt(r.params!)}`}`, candidates: [] };
  }
  if (r.params === null) return { row: r, status: 'free', text: 'no parameters (the tool prints --)', candidates: [] };
  if (r.params === 0) return { row: r, status: 'free', text: paramFree(r.type) ? `no parameters: ${r.type} learns nothing` : 'no parameters', candidates: [] };
  const params = toNumber(r.params);
  if (!Number.isSafeInteger(params)) return { row: r, status: 'unexplained', text: 'a count past 2^53 is not solved for', candidates: [] };
  const found: Reading[] = readings({
    type: r.type,
    params,
    ...(r.output ? { output: r.output } : {}),
    ...(from?.dims ? { input: from.dims } : {}),
    ...(r.kernel ? { kernel: r.kernel } : {}),
    channelsLast: s.layout !== 'torchinfo',
    ...(from?.from ? { from: from.from } : {}),
  });
  if (found.length === 0) {
    const why = paramFree(r.type) ? `a ${r.type} has no parameters, yet the row says ${fmt(r.params)}` : `no ${r.type || 'layer'} reading of ${fmt(r.params)} fits the shapes around it`;
    return { row: r, status: 'unexplained', text: `not explained: ${why}`, candidates: [] };
  }
  const [best, ...rest] = found;
  const tied = rest.filter((x) => x.score === best!.score);
  const unique = found.length === 1;
  const others = rest.slice(0, 4).map((x) => `${x.words} (${x.formula})`);
  const note = unique ? '' : tied.length ? ' — not unique: these fit as well' : ' — the likeliest reading; others fit too';
  return { row: r, status: unique ? 'explained' : 'ambiguous', formula: best!.formula, text: `${best!.words}${note}`, candidates: unique ? [] : others };
}

function totalsCheck(s: Summary, rows: readonly RowExplanation[], leafRows: Set<SummaryRow>): { lines: string[]; ok: boolean } {
  const counted = s.rows.filter((r) => leafRows.has(r) && r.params !== null);
  const total = sum(counted.map((r) => r.params!));
  const lines: string[] = [];
  let ok = true;
  if (s.totals.params !== undefined) {
    const same = s.totals.params === total;
    ok &&= same;
    lines.push(`Total params: ${fmt(s.totals.params)} ${same ? '=' : '≠'} Σ of the ${counted.length} rows = ${fmt(total)}${same ? '.' : ': the summary does not add up (shared weights counted once, or rows left out).'}`);
  }
  // Keras's non-trainable parameters are BatchNormalization's moving mean and variance: 2·C of each 4·C.
  const bn = rows.filter((x) => x.formula?.startsWith('4·') && x.row.type.toLowerCase().startsWith('batchnorm'));
  if (s.totals.nonTrainable !== undefined && bn.length) {
    const moving: Int = sum(bn.map((x) => Number(x.formula!.slice(2).replace(/,/g, '')) * 2));
    const same = s.totals.nonTrainable === moving;
    lines.push(`Non-trainable params: ${fmt(s.totals.nonTrainable)} ${same ? '=' : '≠'} the moving means and variances of the ${bn.length} BatchNormalization layers, 2·C each = ${fmt(moving)}.`);
  }
  return { lines, ok };
}

/**
 * Explains every row of a Keras or torchinfo summary text. Throws a ModelError when the text is not one.
 * @example explainSummary(kerasText).rows[0].formula // '32·(3·3·1 + 1)'
 */
export function explainSummary(text: string): SummaryExplanation {
  const summary = parseSummary(text);
  const leafRows = leaves(summary);
  const from = inputs(summary, leafRows);
  const sums = containerSums(summary, leafRows);
  const rows = summary.rows.map((r) => explainRow(summary, r, leafRows, from.get(r), sums));
  const totals = totalsCheck(summary, rows, leafRows);
  return { summary, rows, totals: totals.lines, complete: totals.ok && rows.every((r) => r.status !== 'unexplained') };
}

const TOOL: Readonly<Record<Summary['layout'], string>> = { keras2: "Keras 2's model.summary()", keras3: "Keras 3's model.summary()", torchinfo: "torchinfo's summary()" };

/** The explanation as document sections, for text, Markdown or JSON. */
export function summarySections(e: SummaryExplanation): Section[] {
  const items = e.rows.map((x) => {
    const r = x.row;
    const head = `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name}${r.type && !r.name.startsWith(r.type) ? ` (${r.type})` : ''}${r.output ? ` ${shape(r.output)}` : ''}: ${r.params === null ? '--' : fmt(r.params)}`;
    const arithmetic = x.formula ? ` = ${x.formula}` : '';
    const others = x.candidates.length ? ` Candidates: ${x.candidates.join('; ')}.` : '';
    return `${head}${arithmetic} — ${x.text}.${others}`;
  });
  const unexplained = e.rows.filter((x) => x.status === 'unexplained').length;
  const ambiguous = e.rows.filter((x) => x.status === 'ambiguous').length;
  const verdict = `${e.rows.length} rows: ${e.rows.length - unexplained - ambiguous} explained${ambiguous ? `, ${ambiguous} not uniquely (the likeliest reading first, then the candidates)` : ''}${unexplained ? `, ${unexplained} not explained` : ''}.`;
  return [
    { title: `Every row of ${TOOL[e.summary.layout]}${e.summary.name ? ` for "${e.summary.name}"` : ''}`, blocks: [{ kind: 'list', items }] },
    { title: 'Totals', blocks: [...e.totals.map((text) => ({ kind: 'p' as const, text })), { kind: 'p', text: verdict }] },
  ];
}
