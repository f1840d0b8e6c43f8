/**
 * @module
 * Normalisations. BatchNorm: weight γ and bias β [C] are parameters; the running mean and variance [C]
 * are buffers in PyTorch and non-trainable parameters in Keras (the convention option decides).
 * FLOPs at inference: 2 per element (the folded scale and shift). LRN has no parameters.
 */
import { lit, mul, term } from '../count.js';
import type { Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp, elements, type OpDef } from './op.js';
import { checkChannels, shapeError } from './spatial.js';

/**
 * γ and β [C] when affine, then the running mean and variance [C] when tracked (buffers in PyTorch, non-trainable
 * parameters in Keras): the per-channel tensors of BatchNorm and InstanceNorm, and the affine ones of GroupNorm
 * and LayerNorm2d.
 */
export function channelNormWeights(c: number, affine: boolean, running: boolean): Weight[] {
  const w = (name: string, buffer: boolean): Weight => ({ name, shape: [c], dims: ['C'], count: term('C', c), ...(buffer ? { buffer, trainable: false } : {}) });
  return [...(affine ? [w('weight', false), w('bias', false)] : []), ...(running ? [w('running_mean', true), w('running_var', true)] : [])];
}

/** Normalised batch-norm attributes, which InstanceNorm shares (with other defaults). */
export interface BatchNorm {
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly track_running_stats: boolean;
  /** The channel count, when written (PyTorch's num_features); checked against the input. */
  readonly num_features?: number;
}

/** Reads BatchNorm's attributes; `on` is the default of affine and track_running_stats (BatchNorm true, InstanceNorm false). */
export function readStatsNorm(r: Attrs, on: boolean): BatchNorm {
  const affine = r.bool('affine', on);
  return {
    eps: r.num('eps', { min: 0, default: 1e-5 }),
    momentum: r.num('momentum', { min: 0, max: 1, default: 0.1 }),
    affine,
    track_running_stats: r.bool('track_running_stats', on),
    ...(r.has('num_features') ? { num_features: r.int('num_features', { min: 1 }) } : {}),
  };
}

function batchnormOp(rank: number): OpDef<BatchNorm> {
  const expected = rank === 1 ? [2, 3] : [rank + 2];
  return defineOp<BatchNorm>({
    kind: `batchnorm${rank}d`,
    title: `BatchNorm${rank}d`,
    doc: 'Batch normalisation over channel dimension C: γ, β [C] parameters; running mean and variance [C] buffers. FLOPs: 2 per element.',
    attrs: (r) => readStatsNorm(r, true),
    shape(a, [x]) {
      if (!expected.includes(x!.length)) {
        throw shapeError(`batchnorm${rank}d expects a ${expected.join('- or ')}-D input (N, C, …), but received [${x!.join(', ')}].`);
      }
      checkChannels(`batchnorm${rank}d`, a.num_features, x!, 'channels (num_features)');
      return [x!];
    },
    weights: (a, [x]) => channelNormWeights(x![1]!, a.affine, a.track_running_stats),
    flops: (_, [x]) => mul(lit(2), elements(x!)),
    label: () => 'BN',
  });
}

export const batchnorm1d = batchnormOp(1);
export const batchnorm2d = batchnormOp(2);
export const batchnorm3d = batchnormOp(3);

/** Local response normalisation (Krizhevsky et al. 2012) across `size` neighbouring channels. */
export interface Lrn {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;
}

export const lrn = defineOp<Lrn>({
  kind: 'lrn',
  title: 'LocalResponseNorm',
  doc: 'Local response normalisation across `size` neighbouring channels; no parameters. FLOPs: 2·size + 3 per element (sum of squares, scale, power, divide).',
  attrs: (r) => ({
    size: r.int('size', { min: 1, default: 5 }),
    alpha: r.num('alpha', { default: 1e-4 }),
    beta: r.num('beta', { default: 0.75 }),
    k: r.num('k', { default: 2 }),
  }),
  shape(_, [x]) {
    if (x!.length < 3) throw shapeError(`lrn expects (N, C, …) with at least 3 dimensions, but received [${x!.join(', ')}].`);
    return [x!];
  },
  flops: (a, [x]) => mul(elements(x!), term('(2·size + 3)', 2 * a.size + 3)),
  label: () => 'LRN',
});
