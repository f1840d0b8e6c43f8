/**
 * @module
 * Layer normalisation over the channels of an image, channels first (torchvision's LayerNorm2d in ConvNeXt):
 * each position's C values of [N, C, H, W] are normalised together. `layernorm` normalises the last
 * dimensions, which for an NCHW tensor would be W; this is the same computation as permuting to NHWC,
 * applying layernorm over C and permuting back. FLOPs as layernorm: 5 per element, +1 for γ, +1 for β.
 */
import { lit, mul, term } from '../count.js';
import { channelNormWeights } from './norm.js';
import { defineOp, elements } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised LayerNorm2d attributes. */
export interface LayerNorm2d {
  /** PyTorch's normalized_shape (the channel count), when written; checked against the input. */
  readonly normalized_shape: number | undefined;
  readonly eps: number;
  readonly elementwise_affine: boolean;
}

export const layernorm2d = defineOp<LayerNorm2d>({
  kind: 'layernorm2d',
  title: 'LayerNorm2d',
  doc:
    'Layer normalisation over the channels of a channels-first image [N, C, H, W] (ConvNeXt): weight γ and bias β [C]. ' +
    'FLOPs: 5 per element (mean, variance, normalise), +1 for γ, +1 for β.',
  attrs(r) {
    let normalized_shape: number | undefined;
    if (r.has('normalized_shape')) {
      const shape = r.list('normalized_shape', { min: 1 });
      if (shape.length !== 1) r.fail('normalized_shape', `'normalized_shape' of layernorm2d is the channel count, one number. Received: normalized_shape=${fmtShape(shape)}.`);
      normalized_shape = shape[0];
    }
    return { normalized_shape, eps: r.num('eps', { min: 0, default: 1e-5 }), elementwise_affine: r.bool('elementwise_affine', true) };
  },
  shape(a, [x]) {
    if (x!.length !== 4) {
      throw shapeError(`layernorm2d expects a 4-D input (N, C, H, W), channels first, but received ${fmtShape(x!)}.`, [
        x!.length === 3 ? 'Hint: for a sequence [N, L, d] or a channels-last tensor use layernorm, which normalises the last dimension.' : 'Hint: layernorm normalises the last dimension of any input.',
      ]);
    }
    if (a.normalized_shape !== undefined && a.normalized_shape !== x![1]) {
      throw shapeError(`layernorm2d has normalized_shape ${a.normalized_shape}, but its input ${fmtShape(x!)} has C = ${x![1]} channels.`);
    }
    return [x!];
  },
  weights: (a, [x]) => channelNormWeights(x![1]!, a.elementwise_affine, false),
  flops: (a, [x]) => mul(elements(x!), a.elementwise_affine ? term('(5 + 2)', 7) : lit(5)),
  label: () => 'LN2d',
});
