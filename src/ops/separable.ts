/**
 * @module
 * Keras's depthwise and depthwise-separable convolutions, with Keras's weight names and layouts:
 * depthwise_kernel [k_h, k_w, c_in, m] (m = depth_multiplier), pointwise_kernel [1, 1, c_in·m, c_out], bias.
 * nncalc's tensors stay channels-first (N, C, H, W); padding defaults to Keras's 'valid'.
 * A depthwise conv is PyTorch's Conv2d(c_in, c_in·m, k, groups=c_in); a separable conv adds a 1×1 conv after it
 * (no bias between the two).
 */
import { add, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { kernelTerms } from './conv.js';
import { defineOp, elements, type ShapeNote } from './op.js';
import { splitSpatial } from './spatial.js';
import { readConvLike, windowOf, windowOutputs, type WindowAttrs } from './window-attrs.js';

/** Normalised depthwise attributes. */
export interface Depthwise extends WindowAttrs {
  readonly depth_multiplier: number;
  readonly bias: boolean;
}

/** Normalised separable attributes: the depthwise ones and the pointwise output channels. */
export interface Separable extends Depthwise {
  readonly out: number;
}

function readDepthwise(r: Attrs): Depthwise {
  return { ...readConvLike(r, 2, { padding: 0 }), depth_multiplier: r.int('depth_multiplier', { min: 1, default: 1 }), bias: r.bool('bias', true) };
}

/** Output shape of the depthwise stage, [N, c_in·m, H_out, W_out], with its notes. */
function depthwiseShape(a: Depthwise, x: Shape, what: string, note?: (n: ShapeNote) => void): Shape {
  const { n, c, spatial } = splitSpatial(x, 2, what);
  return [n, c * a.depth_multiplier, ...windowOutputs(a, spatial, note)];
}

/** c_in, or c_in·m when the multiplier is not 1. */
const widened = (cin: number, m: number): Count[] => (m === 1 ? [term('c_in', cin)] : [term('c_in', cin), term('m', m)]);

function depthwiseKernel(a: Depthwise, cin: number): Weight {
  return {
    name: 'depthwise_kernel',
    shape: [...a.kernel, cin, a.depth_multiplier],
    dims: ['k_h', 'k_w', 'c_in', 'm'],
    count: mul(...kernelTerms(a.kernel), ...widened(cin, a.depth_multiplier)),
  };
}

/** N·H_out·W_out: the output positions of one channel. */
const positions = (y: Shape): Count[] => [term('N', y[0]!), term('H_out', y[2]!), term('W_out', y[3]!)];

export const depthwiseConv2d = defineOp<Depthwise>({
  kind: 'depthwise_conv2d',
  title: 'DepthwiseConv2D',
  doc:
    'Keras DepthwiseConv2D: each input channel convolved with its own depth_multiplier (m) filters; depthwise_kernel k·k·c_in·m, ' +
    'bias c_in·m. MACs: N·H_out·W_out·c_in·m·k·k.',
  attrs: readDepthwise,
  shape: (a, [x], note) => [depthwiseShape(a, x!, 'depthwise_conv2d layer', note)],
  weights(a, [x]) {
    const cin = x![1]!;
    const bias: Weight = { name: 'bias', shape: [cin * a.depth_multiplier], dims: ['c_in·m'], count: mul(...widened(cin, a.depth_multiplier)) };
    return a.bias ? [depthwiseKernel(a, cin), bias] : [depthwiseKernel(a, cin)];
  },
  macs: (a, [x], [y]) => mul(...positions(y!), ...widened(x![1]!, a.depth_multiplier), ...kernelTerms(a.kernel)),
  flops: (a, _, [y]) => (a.bias ? elements(y!) : lit(0)),
  window: windowOf,
  label: (a) => `dw${a.kernel[0]}${a.depth_multiplier > 1 ? `×${a.depth_multiplier}` : ''}`,
});

export const separableConv2d = defineOp<Separable>({
  kind: 'separable_conv2d',
  title: 'SeparableConv2D',
  doc:
    'Keras SeparableConv2D: a depthwise conv (depthwise_kernel k·k·c_in·m, no bias) then a 1×1 conv (pointwise_kernel c_in·m·c_out, ' +
    'bias c_out). MACs: N·H_out·W_out·c_in·m·(k·k + c_out).',
  attrs: (r) => ({ ...readDepthwise(r), out: r.int('out', { min: 1 }) }),
  shape(a, [x], note) {
    const d = depthwiseShape(a, x!, 'separable_conv2d layer', note);
    return [[d[0]!, a.out, d[2]!, d[3]!]];
  },
  weights(a, [x]) {
    const cin = x![1]!;
    const m = a.depth_multiplier;
    const pointwise: Weight = {
      name: 'pointwise_kernel',
      shape: [1, 1, cin * m, a.out],
      dims: ['1', '1', 'c_in·m', 'c_out'],
      count: mul(...widened(cin, m), term('c_out', a.out)),
    };
    const bias: Weight = { name: 'bias', shape: [a.out], dims: ['c_out'], count: term('c_out', a.out) };
    return [depthwiseKernel(a, cin), pointwise, ...(a.bias ? [bias] : [])];
  },
  macs(a, [x], [y]) {
    const cin = widened(x![1]!, a.depth_multiplier);
    return add(mul(...positions(y!), ...cin, ...kernelTerms(a.kernel)), mul(...positions(y!), ...cin, term('c_out', a.out)));
  },
  flops: (a, _, [y]) => (a.bias ? elements(y!) : lit(0)),
  window: windowOf,
  label: (a) => `sep${a.kernel[0]}-${a.out}`,
});
