/**
 * @module
 * A stored tensor that the graph reads directly instead of through a layer that owns it: an ONNX initializer
 * or Constant feeding a Concat, an Expand or a MatMul on the left. It has no inputs; its output is the tensor.
 * When `learned` (the default) its elements are parameters; a constant that is not learned (integer indices,
 * a mask) counts nothing. No FLOPs.
 */
import { lit, mul, term } from '../count.js';
import { defineOp } from './op.js';
import { fmtShape } from './spatial.js';

/** Normalised tensor attributes. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly learned: boolean;
}

export const tensor = defineOp<Tensor>({
  kind: 'tensor',
  title: 'Tensor',
  doc: 'A stored tensor read directly by the graph (no inputs; output `shape`, [] for a scalar). Parameters: its elements when `learned` (default), none for a constant. No FLOPs.',
  attrs: (r) => ({ shape: r.list('shape', { min: 0 }), learned: r.bool('learned', true) }),
  shape: (a) => [[...a.shape]],
  weights: (a) =>
    a.learned
      ? [{ name: 'weight', shape: a.shape, dims: a.shape.map((_, i) => `d${i}`), count: a.shape.length ? mul(...a.shape.map((d, i) => term(`d${i}`, d))) : lit(1) }]
      : [],
  label: (a) => `tensor ${fmtShape(a.shape)}`,
});
