/**
 * @module
 * The difference between two reports: two models, or one model under two settings (input, batch, sequence
 * length, convention). Layers are paired by name when the two share their names, otherwise by position among
 * layers of the same op kind; each pair records what differs, and `why` says what that does to the counts.
 */
import type { Convention, LayerReport, Report } from '../analyze/report.js';
import { cmp, minus, type Int } from '../int.js';
import type { Shape } from '../types.js';
import { align, causes, inputText, same, type Pair } from './align.js';
import { explainWhy } from './why.js';

export { align, causes, inputText, type Pair } from './align.js';

/** One side of a diff. */
export interface DiffSide {
  /** How the tables name this side: the model's name, or the setting that differs ('384×384×3', 'keras'). */
  readonly label: string;
  readonly model: string;
  readonly input: Shape;
  readonly convention: Convention;
}

/** One layer as a diff shows it. */
export interface DiffLayer {
  readonly name: string;
  readonly type: string;
  readonly op: string;
  readonly label: string;
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  readonly params: Int | null;
  readonly macs: Int | null;
  readonly flops: Int | null;
}

/** A pair of aligned layers (or a layer only one side has). */
export interface DiffRow {
  readonly a?: DiffLayer;
  readonly b?: DiffLayer;
  /** 'same', 'changed' (params, output shape or MACs differ), 'added' (only in b) or 'removed' (only in a). */
  readonly status: 'same' | 'changed' | 'added' | 'removed';
  /** What differs between the two layers: attribute names, 'input' (input shapes), 'weights' (the declared tensors). */
  readonly causes: readonly string[];
  /** b − a, a missing layer counting as 0; null when a present side is unknown. */
  readonly params: Int | null;
  readonly macs: Int | null;
}

/** A total on both sides. */
export interface DiffTotal {
  readonly key: 'params' | 'trainable' | 'nonTrainable' | 'buffers' | 'macs' | 'flops';
  readonly a: Int;
  readonly b: Int;
}

/** The whole comparison. */
export interface Diff {
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** 'name': layers paired by name; 'position': by position among layers of the same op kind. */
  readonly alignment: 'name' | 'position';
  readonly rows: readonly DiffRow[];
  readonly totals: readonly DiffTotal[];
  /** Memory of the two sides (weights at their dtype, peak activations, KV cache, training), when both have it. */
  readonly memory?: readonly DiffMemory[];
  /** Why the two differ, one clause per cause, computed from the rows. */
  readonly why: readonly string[];
}

/** One memory figure on both sides. */
export interface DiffMemory {
  readonly key: 'weights' | 'activations' | 'kv' | 'inference' | 'training';
  readonly label: string;
  readonly a: Int;
  readonly b: Int;
}

/** The memory figures both reports have, side by side. */
function memoryRows(a: Report, b: Report): DiffMemory[] | undefined {
  const x = a.memory;
  const y = b.memory;
  if (!x || !y) return undefined;
  const rows: DiffMemory[] = [
    { key: 'weights', label: `weights (${x.dtype === y.dtype ? x.dtype : `${x.dtype} → ${y.dtype}`})`, a: x.weights.bytes, b: y.weights.bytes },
  ];
  if (x.activations && y.activations) rows.push({ key: 'activations', label: 'activations (peak)', a: x.activations.peak, b: y.activations.peak });
  if (x.kv && y.kv) rows.push({ key: 'kv', label: 'KV cache', a: x.kv.bytes, b: y.kv.bytes });
  if (x.inference && y.inference) rows.push({ key: 'inference', label: 'inference total', a: x.inference.bytes, b: y.inference.bytes });
  if (x.training && y.training) rows.push({ key: 'training', label: 'training total', a: x.training.total.bytes, b: y.training.total.bytes });
  return rows;
}

/** Equal counts (null equals null). */
const same0 = (x: Int | null, y: Int | null): boolean => (x === null || y === null ? x === y : cmp(x, y) === 0);

const slim = (l: LayerReport): DiffLayer => ({
  name: l.name,
  type: l.type,
  op: l.op,
  label: l.label,
  inputShapes: l.inputShapes,
  outputShape: l.outputShape,
  params: l.params,
  macs: l.macs,
  flops: l.flops,
});

/** b − a, a missing layer counting as 0; null when a present side is unknown. */
const delta = (p: Pair, key: 'params' | 'macs'): Int | null => {
  const [x, y] = [p.a ? p.a[key] : 0, p.b ? p.b[key] : 0];
  return x === null || y === null ? null : minus(y, x);
};

/** Names for the two sides: the model names, or the settings that tell them apart. */
function labels(a: Report, b: Report): [string, string] {
  if (a.model.name !== b.model.name) return [a.model.name, b.model.name];
  const [x, y] = [a.model, b.model];
  const parts: [string, string][] = [];
  if (!same(x.input.slice(1), y.input.slice(1))) parts.push([inputText(x.input), inputText(y.input)]);
  if (x.input[0] !== y.input[0]) parts.push([`batch ${x.input[0]}`, `batch ${y.input[0]}`]);
  if (x.convention !== y.convention) parts.push([x.convention, y.convention]);
  if (parts.length === 0) return [`${x.name} (a)`, `${y.name} (b)`];
  return [parts.map((p) => p[0]).join(', '), parts.map((p) => p[1]).join(', ')];
}

/**
 * Compares two reports layer by layer.
 * @example diffReports(summarize('alexnet-paper'), summarize('alexnet-ungrouped')).totals[0] // { key: 'params', a: 60965224, b: 62378344 }
 */
export function diffReports(a: Report, b: Report): Diff {
  const { alignment, pairs } = align(a.layers, b.layers);
  const rows: DiffRow[] = pairs.map((p) => {
    const changed = !p.a || !p.b || !same0(p.a.params, p.b.params) || !same0(p.a.macs, p.b.macs) || !same(p.a.outputShape, p.b.outputShape);
    return {
      ...(p.a ? { a: slim(p.a) } : {}),
      ...(p.b ? { b: slim(p.b) } : {}),
      status: !p.b ? 'removed' : !p.a ? 'added' : changed ? 'changed' : 'same',
      causes: causes(p),
      params: delta(p, 'params'),
      macs: delta(p, 'macs'),
    };
  });
  const keys = ['params', 'trainable', 'nonTrainable', 'buffers', 'macs', 'flops'] as const;
  const totals = keys
    .map((key) => ({ key, a: a.totals[key], b: b.totals[key] }))
    .filter((t) => t.a !== 0 || t.b !== 0 || (t.key !== 'nonTrainable' && t.key !== 'buffers'))
    // A total that either side does not know (a weights-only file's MACs) has no delta to show.
    .filter((t) => !(t.key === 'macs' || t.key === 'flops') || !(a.totals.unknownTotals?.includes(t.key) || b.totals.unknownTotals?.includes(t.key)));
  const [la, lb] = labels(a, b);
  const side = (r: Report, label: string): DiffSide => ({ label, model: r.model.name, input: r.model.input, convention: r.model.convention });
  const sides = { a: side(a, la), b: side(b, lb) };
  const memory = memoryRows(a, b);
  return { ...sides, alignment, rows, totals, ...(memory ? { memory } : {}), why: explainWhy(a, b, pairs, sides) };
}
