/**
 * @module
 * Layers that exporters write out as several nodes, recognised so that the table shows the module the user
 * wrote: GELU as x·0.5·(1 + erf(x/√2)) (Div, Erf, Add, Mul, Mul: PyTorch before opset 20) and LayerNorm as
 * (x − mean)/√(var + ε)·γ + β (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, then Mul and Add: PyTorch
 * before opset 17). A group is fused only when its intermediate values are read by nothing else; it becomes one
 * layer at its first node, whose name gives the module (`encoder_layer_0.mlp.1`).
 */
import type { OnnxGraph, OnnxNode } from './types.js';

/** A recognised group of nodes. */
export interface Pattern {
  readonly kind: 'gelu' | 'layernorm';
  /** The value the group reads. */
  readonly input: string;
  /** The value it gives. */
  readonly output: string;
  /** Every node of the group; the first (in graph order) emits the layer, the others make none. */
  readonly nodes: readonly OnnxNode[];
  /** LayerNorm: the normalised trailing dimensions, ε, and the stored γ and β (when the group has them). */
  readonly dims?: number;
  readonly eps?: number;
  readonly weight?: string;
  readonly bias?: string;
}

/** Looks up what the patterns need: a value's producer, its readers, and a constant scalar's value. */
interface Graphview {
  producer(name: string): OnnxNode | undefined;
  readers(name: string): readonly OnnxNode[];
  scalar(name: string): number | undefined;
  stored(name: string): boolean;
}

function view(g: OnnxGraph): Graphview {
  const producers = new Map<string, OnnxNode>();
  const readers = new Map<string, OnnxNode[]>();
  const scalars = new Map<string, number>();
  const stored = new Set(g.initializers.map((t) => t.name));
  for (const t of g.initializers) if (t.values?.length === 1) scalars.set(t.name, t.values[0]!);
  for (const n of g.nodes) {
    for (const o of n.outputs) producers.set(o, n);
    for (const i of n.inputs) if (i) (readers.get(i) ?? readers.set(i, []).get(i)!).push(n);
    // A stored tensor stays stored through Identity (PyTorch shares identical tensors that way).
    if (n.opType === 'Identity' && stored.has(n.inputs[0] ?? '') && n.outputs[0]) stored.add(n.outputs[0]);
    if (n.opType === 'Constant' && n.outputs[0]) {
      const t = n.attributes.find((a) => a.name === 'value')?.t;
      if (t) stored.add(n.outputs[0]);
      if (t?.values?.length === 1) scalars.set(n.outputs[0], t.values[0]!);
    }
  }
  for (const o of g.outputs) (readers.get(o.name) ?? readers.set(o.name, []).get(o.name)!).push(undefined as never);
  return {
    producer: (name) => producers.get(name),
    readers: (name) => readers.get(name) ?? [],
    scalar: (name) => scalars.get(name),
    stored: (name) => stored.has(name),
  };
}

const near = (v: number | undefined, want: number, tolerance = 1e-3): boolean => v !== undefined && Math.abs(v - want) <= tolerance;

/** The only reader of a value, when it has exactly one and it is `op`. */
function only(g: Graphview, value: string | undefined, op: string): OnnxNode | undefined {
  if (!value) return undefined;
  const rs = g.readers(value);
  return rs.length === 1 && rs[0]?.opType === op ? rs[0] : undefined;
}

/** The input of a two-input node other than `value`. */
const other = (n: OnnxNode, value: string): string | undefined => (n.inputs[0] === value ? n.inputs[1] : n.inputs[1] === value ? n.inputs[0] : undefined);

/** GELU from its Erf: Div(x, √2) → Erf → Add(1) → Mul(x) → Mul(0.5). */
function gelu(g: Graphview, erf: OnnxNode): Pattern | undefined {
  const div = g.producer(erf.inputs[0] ?? '');
  if (div?.opType !== 'Div' || !near(g.scalar(div.inputs[1] ?? ''), Math.SQRT2) || g.readers(div.outputs[0]!).length !== 1) return undefined;
  const x = div.inputs[0]!;
  const add = only(g, erf.outputs[0], 'Add');
  if (!add || !near(g.scalar(other(add, erf.outputs[0]!) ?? ''), 1)) return undefined;
  const mul = only(g, add.outputs[0], 'Mul');
  if (!mul || other(mul, add.outputs[0]!) !== x) return undefined;
  const half = only(g, mul.outputs[0], 'Mul');
  if (!half || !near(g.scalar(other(half, mul.outputs[0]!) ?? ''), 0.5)) return undefined;
  return { kind: 'gelu', input: x, output: half.outputs[0]!, nodes: [div, erf, add, mul, half] };
}

/** The axes of a ReduceMean given as an attribute (opsets before 18). */
const axesOf = (n: OnnxNode): readonly number[] | undefined => n.attributes.find((a) => a.name === 'axes')?.ints;

/** LayerNorm from its first ReduceMean over trailing axes `rank`-relative (negative, as PyTorch writes them). */
function layerNorm(g: Graphview, mean: OnnxNode): Pattern | undefined {
  const axes = axesOf(mean);
  const x = mean.inputs[0];
  if (!axes || !x || axes.length === 0 || !axes.every((a, i) => a === -axes.length + i)) return undefined;
  const sub = g.readers(mean.outputs[0]!);
  if (sub.length !== 1 || sub[0]?.opType !== 'Sub' || sub[0].inputs[0] !== x || sub[0].inputs[1] !== mean.outputs[0]) return undefined;
  const centred = sub[0].outputs[0]!;
  const uses = g.readers(centred);
  const pow = uses.find((n) => n?.opType === 'Pow');
  const div = uses.find((n) => n?.opType === 'Div');
  if (uses.length !== 2 || !pow || !div || !near(g.scalar(pow.inputs[1] ?? ''), 2) || div.inputs[0] !== centred) return undefined;
  const variance = only(g, pow.outputs[0], 'ReduceMean');
  if (!variance || axesOf(variance)?.join() !== axes.join()) return undefined;
  const addEps = only(g, variance.outputs[0], 'Add');
  const eps = addEps ? g.scalar(other(addEps, variance.outputs[0]!) ?? '') : undefined;
  const sqrt = only(g, addEps?.outputs[0], 'Sqrt');
  if (eps === undefined || !sqrt || div.inputs[1] !== sqrt.outputs[0] || only(g, sqrt.outputs[0], 'Div') !== div) return undefined;
  const nodes = [mean, sub[0], pow, variance, addEps!, sqrt, div];
  let output = div.outputs[0]!;
  const scale = only(g, output, 'Mul');
  const weight = scale ? other(scale, output) : undefined;
  if (!scale || !weight || !g.stored(weight)) return { kind: 'layernorm', input: x, output, nodes, dims: axes.length, eps };
  nodes.push(scale);
  output = scale.outputs[0]!;
  const shift = only(g, output, 'Add');
  const bias = shift ? other(shift, output) : undefined;
  if (!shift || !bias || !g.stored(bias)) return { kind: 'layernorm', input: x, output, nodes, dims: axes.length, eps, weight };
  nodes.push(shift);
  return { kind: 'layernorm', input: x, output: shift.outputs[0]!, nodes, dims: axes.length, eps, weight, bias };
}

/** The patterns of a graph, by their first node; nodes of a pattern other than its first are in `skip`. */
export function findPatterns(graph: OnnxGraph): { byFirst: Map<OnnxNode, Pattern>; skip: Set<OnnxNode> } {
  const byFirst = new Map<OnnxNode, Pattern>();
  const skip = new Set<OnnxNode>();
  // The lookups are built only for a graph that has a pattern's first node (a CNN has none).
  let g: Graphview | undefined;
  for (const n of graph.nodes) {
    if (n.domain !== '' || skip.has(n) || (n.opType !== 'Erf' && n.opType !== 'ReduceMean')) continue;
    g ??= view(graph);
    const p = n.opType === 'Erf' ? gelu(g, n) : layerNorm(g, n);
    if (!p || p.nodes.some((m) => skip.has(m) || byFirst.has(m))) continue;
    byFirst.set(p.nodes[0]!, p);
    for (const m of p.nodes.slice(1)) skip.add(m);
  }
  return { byFirst, skip };
}
