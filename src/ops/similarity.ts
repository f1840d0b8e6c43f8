/**
 * @module
 * The contrastive logits of CLIP (Radford et al. 2021) and SigLIP (Zhai et al. 2023): both embeddings are scaled to unit
 * length, then every text is compared with every image, logits = exp(logit_scale)·text·imageᵀ (+ logit_bias in
 * SigLIP). Inputs text [N, d] and image [M, d]; output logits_per_text [N, M].
 * Weights: logit_scale, one value (0-dimensional in CLIP: `scalar`; [1] in SigLIP), and logit_bias [1] with `bias`.
 * MACs: N·M·d. FLOPs: 3 per embedding element (square, sum, divide), and 1 per logit for the scale (+1 for the bias).
 */
import { add, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised similarity attributes. */
export interface Similarity {
  readonly bias: boolean;
  readonly scalar: boolean;
}

function dims(inputs: readonly Shape[]): { n: number; m: number; d: number } {
  const [a, b] = inputs;
  if (inputs.length !== 2 || a!.length !== 2 || b!.length !== 2) {
    throw shapeError(`similarity compares two sets of embeddings, [N, d] and [M, d], but received ${inputs.map(fmtShape).join(', ')}.`);
  }
  if (a![1] !== b![1]) throw shapeError(`similarity needs embeddings of one width, but received ${fmtShape(a!)} and ${fmtShape(b!)}.`);
  return { n: a![0]!, m: b![0]!, d: a![1]! };
}

export const similarity = defineOp<Similarity>({
  kind: 'similarity',
  title: 'ContrastiveLogits',
  doc:
    "CLIP's and SigLIP's logits: unit-length text [N, d] and image [M, d] embeddings, exp(logit_scale)·text·imageᵀ (+ logit_bias), [N, M]. " +
    'Weights: logit_scale (and logit_bias). MACs: N·M·d.',
  attrs: (r) => ({ bias: r.bool('bias', false), scalar: r.bool('scalar', false) }),
  shape(_, inputs) {
    const { n, m } = dims(inputs);
    return [[n, m]];
  },
  weights(a) {
    const one = (name: string, shape: number[]): Weight => ({ name, shape, count: lit(1) });
    return [one('logit_scale', a.scalar ? [] : [1]), ...(a.bias ? [one('logit_bias', [1])] : [])];
  },
  macs(_, inputs) {
    const { n, m, d } = dims(inputs);
    return mul(term('N', n), term('M', m), term('d', d));
  },
  flops(a, inputs) {
    const { n, m, d } = dims(inputs);
    const parts: Count[] = [mul(lit(3), add(term('N', n), term('M', m)), term('d', d)), mul(a.bias ? lit(2) : lit(1), term('N', n), term('M', m))];
    return add(...parts);
  },
  label: (a) => (a.bias ? 'logits +bias' : 'logits'),
});
