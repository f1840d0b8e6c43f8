/**
 * @module
 * Matrix product of two layer outputs (torch.matmul, ONNX MatMul): attention's QKᵀ and AV, any product with no
 * stored weight. NumPy's rules: [..., M, K] × [..., K, N] → [..., M, N] with the leading (batch) dimensions
 * broadcast; a 1-D operand is a vector whose dimension is dropped from the result. No parameters.
 * MACs = (broadcast batch)·M·K·N.
 */
import { mul, term } from '../count.js';
import type { Shape } from '../types.js';
import { broadcast } from './merge.js';
import { defineOp, numel } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** The operands as matrices ([1, K] for a vector on the left, [K, 1] on the right), their batch and the output. */
function plan(a: Shape, b: Shape): { batch: Shape; m: number; k: number; n: number; out: Shape } {
  if (a.length === 0 || b.length === 0) throw shapeError(`matmul needs operands of at least 1 dimension, but received ${fmtShape(a)} and ${fmtShape(b)}.`);
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const [m, k] = [A[A.length - 2]!, A[A.length - 1]!];
  const [k2, n] = [B[B.length - 2]!, B[B.length - 1]!];
  if (k !== k2) {
    throw shapeError(`matmul needs the last dimension of the first operand to equal the second-to-last of the second, but received ${fmtShape(a)} and ${fmtShape(b)}: ${k} ≠ ${k2}.`);
  }
  const batch = broadcast([A.slice(0, -2), B.slice(0, -2)], 'the batch dimensions of matmul');
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { batch, m, k, n, out };
}

export const matmul = defineOp<Readonly<Record<string, never>>>({
  kind: 'matmul',
  title: 'MatMul',
  doc: 'Product of two layer outputs, [..., M, K] × [..., K, N] → [..., M, N] with broadcast batch dimensions (attention scores QKᵀ, weighted values AV). No parameters. MACs: batch·M·K·N.',
  attrs: () => ({}),
  shape(_, inputs) {
    if (inputs.length !== 2) throw shapeError(`matmul needs 2 inputs, but received ${inputs.length}.`);
    return [plan(inputs[0]!, inputs[1]!).out];
  },
  macs(_, [a, b]) {
    const p = plan(a!, b!);
    const batch = p.batch.length ? [term('batch', numel(p.batch))] : [];
    return mul(...batch, term('M', p.m), term('K', p.k), term('N', p.n));
  },
  label: () => 'matmul',
});
