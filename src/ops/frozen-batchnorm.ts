/**
 * @module
 * torchvision's FrozenBatchNorm2d (torchvision.ops.misc), the norm of its pretrained detection backbones: a BatchNorm2d
 * whose statistics AND affine weight and bias are fixed. All four [C] tensors — weight γ, bias β, running mean and
 * running variance — are registered as buffers, so PyTorch counts no parameters (torchvision's published num_params
 * of the detection models leaves them out); the Keras convention counts all four as non-trainable parameters.
 * FLOPs: 2 per element (x·scale + shift, with scale and shift folded per channel).
 */
import { lit, mul, term } from '../count.js';
import type { Weight } from '../types.js';
import { defineOp, elements } from './op.js';
import { shapeError } from './spatial.js';

export const frozenBatchnorm2d = defineOp<{ eps: number }>({
  kind: 'frozen_batchnorm2d',
  title: 'FrozenBatchNorm2d',
  doc: 'BatchNorm2d with fixed statistics and affine transform (torchvision): weight, bias, running mean and variance [C] are all buffers, no parameters. FLOPs: 2 per element.',
  attrs: (r) => ({ eps: r.num('eps', { min: 0, default: 1e-5 }) }),
  shape(_, [x]) {
    if (x!.length !== 4) throw shapeError(`frozen_batchnorm2d expects a 4-D input (N, C, H, W), but received [${x!.join(', ')}].`);
    return [x!];
  },
  weights: (_, [x]) =>
    ['weight', 'bias', 'running_mean', 'running_var'].map((name): Weight => ({ name, shape: [x![1]!], dims: ['C'], count: term('C', x![1]!), buffer: true, trainable: false })),
  flops: (_, [x]) => mul(lit(2), elements(x!)),
  label: () => 'FrozenBN',
});
