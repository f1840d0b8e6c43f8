/**
 * @module
 * Reductions over some dimensions (torch.mean/sum/amax over dims, ONNX ReduceMean/ReduceSum/…): the mean and
 * variance of a LayerNorm written out, a global pool over the channels. `dims` lists the reduced dimensions
 * (all when empty); `keepdims` keeps them as 1s. No parameters. FLOPs: one per input element (each is added,
 * compared or multiplied into its result once).
 */
import { defineOp, elements } from './op.js';
import { dimIndex } from './shape-ops.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised reduction attributes. */
export interface Reduce {
  readonly fn: string;
  readonly dims: readonly number[];
  readonly keepdims: boolean;
}

export const reduce = defineOp<Reduce>({
  kind: 'reduce',
  title: 'Reduce',
  doc: 'Reduces `dims` (all when empty) with `fn` (mean, sum, max, min, prod, …), keeping them as 1s when `keepdims`. No parameters. FLOPs: 1 per input element.',
  attrs(r) {
    const fn = r.str('fn', 'mean');
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(fn)) r.fail('fn', `'fn' must name a reduction (lower-case letters and digits). Received: fn='${fn.slice(0, 40)}'.`);
    return { fn, dims: r.list('dims', { default: [] }), keepdims: r.bool('keepdims', true) };
  },
  shape(a, [x]) {
    const set = new Set(a.dims.map((d) => dimIndex('reduce dim', d, x!)));
    if (set.size !== a.dims.length) throw shapeError(`reduce dims ${fmtShape(a.dims)} name a dimension twice.`);
    const all = a.dims.length === 0;
    return [a.keepdims ? x!.map((d, i) => (all || set.has(i) ? 1 : d)) : x!.filter((_, i) => !all && !set.has(i))];
  },
  flops: (_, [x]) => elements(x!),
  label: (a) => `${a.fn} ${a.dims.length ? fmtShape(a.dims) : 'all'}`,
});
