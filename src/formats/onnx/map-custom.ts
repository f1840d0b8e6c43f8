/**
 * @module
 * A node nncalc has no rule for becomes a custom layer: its parameters are its stored inputs, each turned into
 * a tensor layer (so they are counted once, as everywhere), its MACs and FLOPs are unknown. Its output shape is
 * the one the file declares (value_info), else the one ONNX's definition gives for a few common shape rules
 * (reductions, ArgMax, Expand, Tile, TopK), else its input's, which the report says it assumed. Further
 * outputs become layers of their own, so later nodes can read them.
 */
import { size } from '../../ops/op.js';
import type { NodeView } from './attrs.js';
import { Lowering, type Value } from './lowering.js';
import { out } from './map-nn.js';
import type { OnnxGraph } from './types.js';

/** The shape of output 0 by ONNX's own rule for some ops nncalc does not count. */
function ruleShape(v: NodeView, x: readonly number[] | undefined): readonly number[] | undefined {
  if (!x) return undefined;
  const op = v.node.opType;
  const r = x.length;
  const norm = (a: number) => (a < 0 ? a + r : a);
  if (op.startsWith('Reduce') || op === 'ArgMax' || op === 'ArgMin') {
    const keep = v.int('keepdims', 1) === 1;
    const axes = op.startsWith('Arg') ? [v.int('axis', 0)] : (v.node.inputs[1] ? v.known(1) : v.ints('axes'));
    if (!axes && v.node.inputs[1]) return undefined;
    const set = new Set((axes ?? x.map((_, i) => i)).map(norm));
    if (set.size === 0 && v.int('noop_with_empty_axes', 0) === 1) return x;
    return keep ? x.map((d, i) => (set.has(i) ? 1 : d)) : x.filter((_, i) => !set.has(i));
  }
  if (op === 'Tile') {
    const reps = v.known(1);
    return reps && reps.length === r ? x.map((d, i) => d * reps[i]!) : undefined;
  }
  if (op === 'Expand') {
    const target = v.known(1);
    if (!target) return undefined;
    const rank = Math.max(r, target.length);
    return Array.from({ length: rank }, (_, i) => {
      const a = x[r - rank + i] ?? 1;
      const b = target[target.length - rank + i] ?? 1;
      return a === 1 ? b : a;
    });
  }
  if (op === 'TopK') {
    const k = v.known(1)?.[0];
    const axis = norm(v.int('axis', -1));
    return k === undefined ? undefined : x.map((d, i) => (i === axis ? k : d));
  }
  if (['CumSum', 'LogSoftmax', 'Hardmax', 'LpNormalization', 'Trilu', 'IsNaN', 'IsInf', 'Sign', 'Round', 'ScatterND', 'ScatterElements', 'Scatter'].includes(op)) return x;
  return undefined;
}

/** Σ of the float initializers of the graphs a node carries (If, Loop, Scan bodies). */
function subgraphParams(graphs: readonly OnnxGraph[]): number {
  let n = 0;
  for (const g of graphs) {
    for (const t of g.initializers) if (t.dataType === 1 || t.dataType === 10 || t.dataType === 11 || t.dataType === 16) n += size(t.dims);
    for (const node of g.nodes) for (const a of node.attributes) if (a.graphs) n += subgraphParams(a.graphs);
  }
  return n;
}

/** Emits a custom layer for the node; `declared` gives an output's declared shape. */
export function customNode(v: NodeView, declared: (name: string) => readonly number[] | undefined): Value[] {
  const n = v.node;
  const type = n.domain ? `${n.domain}::${n.opType}` : n.opType;
  const ins = n.inputs.map((name, i) => (name ? v.input(i) : undefined)).filter((x): x is Value => x !== undefined && x.shape !== undefined);
  // Layer outputs and learned tensors are the layer's inputs; known small constants (shapes, axes) are not.
  const inputs = ins.filter((x) => x.ref !== undefined || Lowering.learned(x));
  const first = inputs[0]?.shape;
  const graphs = n.attributes.flatMap((a) => a.graphs ?? []);
  const params = subgraphParams(graphs);
  const shape0 = declared(n.outputs[0] ?? '') ?? ruleShape(v, first ?? ins[0]?.shape);
  if (!shape0 && !first) throw v.m.fail(`is an op nncalc has no rule for, and neither its inputs nor the file's value_info give the shape of its output '${n.outputs[0]}'`);
  const attrs: Record<string, unknown> = { type, params };
  if (shape0 && shape0.length > 0 && shape0.every((d) => d >= 1)) attrs['output_shape'] = [...shape0];
  const { ref, shapes } = v.m.emit('custom', attrs, inputs);
  const dtype = inputs[0]?.dtype;
  const outs: Value[] = [out(ref, shapes[0]!, dtype)];
  for (let k = 1; k < n.outputs.length; k++) {
    const name = n.outputs[k]!;
    const s = declared(name);
    if (!name || !s || s.length === 0 || s.some((d) => d < 1)) {
      outs.push({ shape: undefined, dtype });
      continue;
    }
    const more = v.m.emit('custom', { type: `${type} (output ${k + 1})`, params: 0, output_shape: [...s] }, [ref], [], `${n.opType}:${k}`);
    outs.push(out(more.ref, more.shapes[0]!, dtype));
  }
  return outs;
}
