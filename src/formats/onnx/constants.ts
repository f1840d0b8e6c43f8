/**
 * @module
 * Nodes that make no layer: Constant (its tensor, or value_float(s)/value_int(s)), Identity and Cast (the
 * same value), computations on known values (shape arithmetic, folded as in ./fold.ts), Shape and Size of a
 * tensor whose shape nncalc inferred, and shape-only ops on a stored tensor (a weight transposed or reshaped
 * before use is still that weight). Returns the outputs' values, or undefined when the node is a layer.
 */
import { size } from '../../ops/op.js';
import type { NodeView } from './attrs.js';
import { ARITH, broadcastKnown, concat, gather, isPermutation, MAX_FOLD, slice, transpose, type Known } from './fold.js';
import { Lowering, type Value } from './lowering.js';
import type { OnnxTensor } from './types.js';

const INT64 = 7;
const FLOAT = 1;

/** A value with known values. */
const known = (k: Known, dtype: number | undefined): Value => ({ shape: k.shape, dtype, known: k });

/** The value of a stored tensor (an initializer or a Constant's tensor). */
export function storedValue(t: OnnxTensor): Value {
  const v: Value = { shape: t.dims, dtype: t.dataType, stored: t };
  return t.values ? { ...v, known: { shape: t.dims, values: t.values } } : v;
}

/** Constant: a tensor attribute, or one of the value_* attributes. */
function constant(v: NodeView): Value | undefined {
  const t = v.attr('value')?.t ?? v.attr('sparse_value')?.t;
  if (t) return storedValue({ ...t, name: t.name || v.node.outputs[0] || '' });
  const f = v.attr('value_float');
  if (f?.f !== undefined) return known({ shape: [], values: [f.f] }, FLOAT);
  const fs = v.attr('value_floats')?.floats;
  if (fs) return known({ shape: [fs.length], values: fs }, FLOAT);
  const i = v.attr('value_int');
  if (i?.i !== undefined) return known({ shape: [], values: [i.i] }, INT64);
  const is = v.attr('value_ints')?.ints;
  if (is) return known({ shape: [is.length], values: is }, INT64);
  return undefined;
}

/** Ops that move no value and keep a stored weight a weight: the result is the same tensor, reshaped or transposed. */
const SHAPE_ONLY = new Set(['Identity', 'Cast', 'CastLike', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Flatten', 'DequantizeLinear', 'Expand']);

/** Ops that may fold whatever their inputs are. */
const FOLDS_ANY = new Set(['Constant', 'Identity', 'Cast', 'Shape', 'Size']);

/** The node's output values when it makes no layer, else undefined. */
export function fold(v: NodeView): Value[] | undefined {
  const op = v.node.opType;
  if (op === 'Constant') {
    const c = constant(v);
    if (!c) throw v.m.fail('has no value attribute nncalc can read (value, value_float(s), value_int(s))', 'unsupported');
    return [c];
  }
  // The common case first, without allocating: an op that is not shape-only on a stored tensor, with an input whose
  // values are not known (a Conv on activations), folds to nothing.
  if (!FOLDS_ANY.has(op) && !(SHAPE_ONLY.has(op) && v.input(0)?.stored)) {
    let any = false;
    for (let i = 0; i < v.node.inputs.length; i++) {
      const value = v.node.inputs[i] ? v.input(i) : undefined;
      if (value && !value.known) return undefined;
      any ||= value !== undefined;
    }
    if (!any) return undefined;
  }
  const ins = v.node.inputs.map((name, i) => (name ? v.input(i) : undefined));
  const x = ins[0];
  if (op === 'Identity') return x ? [x] : undefined;
  if (op === 'Cast' && x) {
    const to = v.int('to', x.dtype ?? 0);
    const k = x.known && (to === FLOAT || to === 11 || to === 10) ? x.known : x.known ? { shape: x.known.shape, values: x.known.values.map(Math.trunc) } : undefined;
    return [{ ...x, dtype: to, ...(k ? { known: k } : {}) }];
  }
  if ((op === 'Shape' || op === 'Size') && x?.shape) {
    if (op === 'Size') return [known({ shape: [], values: [size(x.shape)] }, INT64)];
    const r = x.shape.length;
    const norm = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    const s = x.shape.slice(norm(v.int('start', 0)), norm(v.int('end', r)));
    return [known({ shape: [s.length], values: s }, INT64)];
  }
  // A weight reshaped, transposed or dequantized before use: still that weight, in a new shape.
  if (SHAPE_ONLY.has(op) && x?.stored && x.shape && ins.slice(1).every((i) => !i || i.ref === undefined)) {
    const shape = shapeOnly(v, x.shape);
    if (shape && size(shape) === size(x.shape)) {
      const k = x.known ? foldKnown(v, op, ins.filter((i): i is Value => i?.known !== undefined).map((i) => i.known!)) : undefined;
      const { known: _old, ...rest } = x;
      return [{ ...rest, shape, dtype: op === 'DequantizeLinear' ? FLOAT : x.dtype, ...(k ? { known: k } : {}) }];
    }
  }
  // Computations on known values.
  const present = ins.filter((i): i is Value => i !== undefined);
  if (present.length === 0 || present.some((i) => !i.known)) return undefined;
  const ks = present.map((i) => i.known!);
  const dtype = present[0]!.dtype;
  const r = foldKnown(v, op, ks);
  return r ? [known(r, ['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'And', 'Or', 'Not'].includes(op) ? 9 : op === 'Where' ? present[1]!.dtype : dtype)] : undefined;
}

/** The output shape of a shape-only op on an input of shape `x`, or undefined. */
export function shapeOnly(v: NodeView, x: readonly number[]): number[] | undefined {
  const r = x.length;
  switch (v.node.opType) {
    case 'Identity':
    case 'Cast':
    case 'CastLike':
    case 'DequantizeLinear':
      return [...x];
    case 'Reshape': {
      const target = v.opset >= 5 ? v.known(1) : v.ints('shape');
      if (!target || target.filter((d) => d === -1).length > 1) return undefined;
      const allowZero = v.int('allowzero', 0) === 1;
      const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
      if (shape.some((d) => d === undefined || d < -1)) return undefined;
      const known = size((shape as number[]).filter((d) => d !== -1));
      const total = size(x);
      const fill = known === 0 ? 0 : total / known;
      if (!Number.isInteger(fill) || (!shape.includes(-1) && known !== total)) return undefined;
      return (shape as number[]).map((d) => (d === -1 ? fill : d));
    }
    case 'Transpose': {
      const perm = v.ints('perm') ?? x.map((_, i) => r - 1 - i);
      return isPermutation(perm, r) ? perm.map((p) => x[p]!) : undefined;
    }
    case 'Flatten': {
      const a = v.int('axis', 1) < 0 ? v.int('axis', 1) + r : v.int('axis', 1);
      return a >= 0 && a <= r ? [size(x.slice(0, a)), size(x.slice(a))] : undefined;
    }
    case 'Squeeze':
    case 'Unsqueeze': {
      const un = v.node.opType === 'Unsqueeze';
      const axes = v.opset >= 13 ? (v.node.inputs[1] ? v.known(1) : undefined) : v.ints('axes');
      if (un && !axes) return undefined;
      const rank = un ? r + axes!.length : r;
      const set = new Set((axes ?? x.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => (a < 0 ? a + rank : a)));
      if ([...set].some((a) => a < 0 || a >= rank)) return undefined;
      if (!un) return [...set].every((a) => x[a] === 1) ? x.filter((_, i) => !set.has(i)) : undefined;
      const shape: number[] = [];
      for (let i = 0, j = 0; i < rank; i++) shape.push(set.has(i) ? 1 : x[j++]!);
      return shape;
    }
    case 'Expand': {
      const target = v.known(1);
      if (!target) return undefined;
      const rank = Math.max(r, target.length);
      const shape: number[] = [];
      for (let i = 0; i < rank; i++) {
        const a = x[r - rank + i] ?? 1;
        const b = target[target.length - rank + i] ?? 1;
        if (a !== 1 && b !== 1 && a !== b) return undefined;
        shape.push(a === 1 ? b : a);
      }
      return shape;
    }
    default:
      return undefined;
  }
}

/** Evaluates one op on known values, or undefined. */
function foldKnown(v: NodeView, op: string, ks: readonly Known[]): Known | undefined {
  const [a, b] = ks;
  const f = ARITH[op];
  if (f) return broadcastKnown(ks, f);
  switch (op) {
    case 'Gather':
      return b ? gather(a!, b, v.int('axis', 0)) : undefined;
    case 'Concat':
      return concat(ks, v.int('axis', 0));
    case 'Unsqueeze':
    case 'Squeeze':
    case 'Reshape':
    case 'Flatten':
    case 'Expand': {
      const shape = shapeOnly(v, a!.shape);
      if (!shape) return undefined;
      if (op === 'Expand') return broadcastKnown([a!, { shape, values: Array<number>(size(shape)).fill(0) }], ([p]) => p!);
      return size(shape) === a!.values.length ? { shape, values: a!.values } : undefined;
    }
    case 'Transpose':
      return transpose(a!, v.ints('perm') ?? a!.shape.map((_, i) => a!.shape.length - 1 - i));
    case 'Slice': {
      const starts = v.listFrom(1, 'starts');
      const ends = v.listFrom(2, 'ends');
      if (!starts || !ends) return undefined;
      const axes = v.listFrom(3, 'axes') ?? starts.map((_, i) => i);
      const steps = v.opset >= 10 && v.node.inputs[4] ? (v.known(4) ?? []) : starts.map(() => 1);
      return slice(a!, starts, ends, axes, steps);
    }
    case 'ConstantOfShape': {
      const shape = a!.values;
      const n = shape.reduce((p, d) => p * d, 1);
      if (!(n <= MAX_FOLD) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) return undefined;
      const fill = v.attr('value')?.t?.values?.[0] ?? 0;
      return { shape, values: Array<number>(n).fill(fill) };
    }
    case 'Range': {
      const [start, limit, delta] = ks.map((k) => k.values[0]!);
      if (start === undefined || limit === undefined || !delta) return undefined;
      const n = Math.max(Math.ceil((limit - start) / delta), 0);
      if (!(n <= MAX_FOLD)) return undefined;
      return { shape: [n], values: Array.from({ length: n }, (_, i) => start + i * delta) };
    }
    case 'ReduceProd':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin': {
      if (a!.shape.length > 1 || v.has('axes') || (v.node.inputs[1] ?? '') !== '') return undefined;
      const keep = v.int('keepdims', 1) === 1;
      const values = a!.values;
      const r = op === 'ReduceProd' ? values.reduce((p, x) => p * x, 1) : op === 'ReduceSum' ? values.reduce((p, x) => p + x, 0) : op === 'ReduceMax' ? Math.max(...values) : Math.min(...values);
      return { shape: keep ? a!.shape.map(() => 1) : [], values: [r] };
    }
    default:
      return undefined;
  }
}

/** True when a value is a learned stored tensor (for the custom fallback, which turns those into tensor layers). */
export const learned = Lowering.learned;
