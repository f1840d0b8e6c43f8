/**
 * @module
 * Constant folding of the small integer computations exporters write around shapes: Shape → Gather →
 * Unsqueeze → Concat → Reshape, Slice bounds computed with Add/Div/Mul, ConstantOfShape, Range, Where, Equal.
 * nncalc evaluates them on the values it read (or on the shapes it inferred), so a Reshape whose target is
 * computed at run time still gets a concrete shape. Results larger than MAX_FOLD values are not folded.
 */
import { sliceBounds } from '../../ops/shape-ops.js';

/** Known values of a small tensor: row-major, with its shape. */
export interface Known {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/** The most values a folded result may hold. */
export const MAX_FOLD = 1 << 16;

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** Row-major strides of a shape. */
function strides(s: readonly number[]): number[] {
  const out = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = acc;
    acc *= s[i]!;
  }
  return out;
}

/** NumPy broadcasting of several known tensors through `f`; undefined when the shapes do not broadcast. */
export function broadcastKnown(inputs: readonly Known[], f: (xs: number[]) => number): Known | undefined {
  const rank = Math.max(...inputs.map((k) => k.shape.length));
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = inputs.map((k) => k.shape[k.shape.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) return undefined;
    shape.push(dims.includes(0) ? 0 : big);
  }
  const n = size(shape);
  if (n > MAX_FOLD) return undefined;
  const outStrides = strides(shape);
  const inStrides = inputs.map((k) => {
    const st = strides(k.shape);
    // Aligned on the right; a broadcast dimension (size 1) does not move.
    return shape.map((_, i) => {
      const j = i - (rank - k.shape.length);
      return j < 0 || k.shape[j] === 1 ? 0 : st[j]!;
    });
  });
  const values = new Array<number>(n);
  const xs = new Array<number>(inputs.length);
  for (let o = 0; o < n; o++) {
    for (let k = 0; k < inputs.length; k++) {
      let at = 0;
      let rest = o;
      for (let i = 0; i < rank; i++) {
        const q = Math.floor(rest / outStrides[i]!);
        rest -= q * outStrides[i]!;
        at += q * inStrides[k]![i]!;
      }
      xs[k] = inputs[k]!.values[at]!;
    }
    values[o] = f(xs);
  }
  return { shape, values };
}

/** An axis attribute or input, negatives counted from the end; undefined when out of range. */
export function axisOf(a: number, rank: number): number | undefined {
  const x = a < 0 ? a + rank : a;
  return Number.isInteger(x) && x >= 0 && x < Math.max(rank, 1) ? x : undefined;
}

/** Gather along an axis. */
export function gather(data: Known, indices: Known, axis: number): Known | undefined {
  const a = axisOf(axis, data.shape.length);
  if (a === undefined) return undefined;
  const outer = size(data.shape.slice(0, a));
  const dim = data.shape[a]!;
  const inner = size(data.shape.slice(a + 1));
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  if (size(shape) > MAX_FOLD) return undefined;
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.values) {
      const idx = raw < 0 ? raw + dim : raw;
      if (!(idx >= 0 && idx < dim)) return undefined;
      for (let i = 0; i < inner; i++) values.push(data.values[(o * dim + idx) * inner + i]!);
    }
  }
  return { shape, values };
}

/** Concatenation along an axis. */
export function concat(inputs: readonly Known[], axis: number): Known | undefined {
  const first = inputs[0];
  if (!first) return undefined;
  const a = axisOf(axis, first.shape.length);
  if (a === undefined || inputs.some((k) => k.shape.length !== first.shape.length || k.shape.some((d, i) => i !== a && d !== first.shape[i]))) return undefined;
  const outer = size(first.shape.slice(0, a));
  const shape = first.shape.map((d, i) => (i === a ? inputs.reduce((s, k) => s + k.shape[a]!, 0) : d));
  if (size(shape) > MAX_FOLD) return undefined;
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const k of inputs) {
      const chunk = size(k.shape.slice(a));
      for (let i = 0; i < chunk; i++) values.push(k.values[o * chunk + i]!);
    }
  }
  return { shape, values };
}

/** Slice of a known tensor: per listed axis, start, end and step. */
export function slice(data: Known, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): Known | undefined {
  const rank = data.shape.length;
  const plan = data.shape.map((d) => ({ start: 0, count: d, step: 1 }));
  for (let i = 0; i < starts.length; i++) {
    const a = axisOf(axes[i] ?? i, rank);
    const step = steps[i] ?? 1;
    if (a === undefined || step === 0 || ends[i] === undefined) return undefined;
    const b = sliceBounds(data.shape[a]!, starts[i]!, ends[i]!, step);
    plan[a] = { start: b.start, count: b.count, step };
  }
  const shape = plan.map((p) => p.count);
  if (size(shape) > MAX_FOLD) return undefined;
  const st = strides(data.shape);
  return { shape, values: stridedWalk(data, shape, plan.map((p, a) => p.start * st[a]!), plan.map((p, a) => p.step * st[a]!)) };
}

/** Transpose by a permutation. */
export function transpose(data: Known, perm: readonly number[]): Known | undefined {
  const rank = data.shape.length;
  if (!isPermutation(perm, rank)) return undefined;
  const shape = perm.map((p) => data.shape[p]!);
  const st = strides(data.shape);
  return { shape, values: stridedWalk(data, shape, shape.map(() => 0), perm.map((p) => st[p]!)) };
}

/** True when `perm` lists each axis of a rank-`rank` tensor exactly once (ONNX Transpose's perm). */
export function isPermutation(perm: readonly number[], rank: number): boolean {
  if (perm.length !== rank) return false;
  const seen = new Set<number>();
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank || seen.has(p)) return false;
    seen.add(p);
  }
  return true;
}

/**
 * The values of `data` at every index of `shape`, in row-major order: index (i₀, i₁, …) reads data.values at
 * Σ base[a] + i_a·step[a]. A slice and a transpose are both such a strided walk.
 */
function stridedWalk(data: Known, shape: readonly number[], base: readonly number[], step: readonly number[]): number[] {
  const values: number[] = [];
  const walk = (axis: number, at: number) => {
    if (axis === shape.length) {
      values.push(data.values[at]!);
      return;
    }
    for (let i = 0; i < shape[axis]!; i++) walk(axis + 1, at + base[axis]! + i * step[axis]!);
  };
  walk(0, 0);
  return values;
}

/** Integer-valued arithmetic as ONNX defines it for the element types of shape computations. */
export const ARITH: Readonly<Record<string, (xs: number[]) => number>> = {
  Add: ([a, b]) => a! + b!,
  Sub: ([a, b]) => a! - b!,
  Mul: ([a, b]) => a! * b!,
  // Integer division truncates (C semantics); the values here are integers unless a float constant joins in.
  Div: ([a, b]) => (Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a! / b!) : a! / b!),
  Mod: ([a, b]) => a! - b! * Math.floor(a! / b!),
  Pow: ([a, b]) => a! ** b!,
  Max: (xs) => Math.max(...xs),
  Min: (xs) => Math.min(...xs),
  Equal: ([a, b]) => (a === b ? 1 : 0),
  Less: ([a, b]) => (a! < b! ? 1 : 0),
  LessOrEqual: ([a, b]) => (a! <= b! ? 1 : 0),
  Greater: ([a, b]) => (a! > b! ? 1 : 0),
  GreaterOrEqual: ([a, b]) => (a! >= b! ? 1 : 0),
  And: ([a, b]) => (a && b ? 1 : 0),
  Or: ([a, b]) => (a || b ? 1 : 0),
  Where: ([c, a, b]) => (c ? a! : b!),
  Neg: ([a]) => -a!,
  Abs: ([a]) => Math.abs(a!),
  Not: ([a]) => (a ? 0 : 1),
  Floor: ([a]) => Math.floor(a!),
  Ceil: ([a]) => Math.ceil(a!),
  Sqrt: ([a]) => Math.sqrt(a!),
  Reciprocal: ([a]) => 1 / a!,
  Sign: ([a]) => Math.sign(a!),
};
