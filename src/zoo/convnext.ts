/**
 * @module
 * ConvNeXt (Liu et al., "A ConvNet for the 2020s", CVPR 2022) as torchvision 0.14 builds the T, S, B and L
 * variants, under its module names.
 *
 * A 4×4 stride-4 "patchify" convolution and a LayerNorm over channels form the stem; four stages of ConvNeXt
 * blocks follow, each a 7×7 depthwise convolution, then (channels last) LayerNorm, Linear C → 4C, GELU,
 * Linear 4C → C, scaled per channel by a learned layer scale γ [C, 1, 1] and added to the input. Between
 * stages a LayerNorm and a 2×2 stride-2 convolution halve the resolution and double the width; the head is
 * global average pooling, LayerNorm, Linear.
 * torchvision follows the paper's design; its blocks run the pointwise layers as nn.Linear between two
 * Permute modules (listed as layers here, with no parameters), its LayerNorm2d normalises the channels of
 * an NCHW tensor (nncalc's layernorm2d), and the layer scale is a parameter of the block itself, applied
 * by a functional multiply: the layer `layer_scale` holds it.
 */
import { op, residual, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

interface Variant {
  readonly widths: readonly [number, number, number, number];
  readonly depths: readonly [number, number, number, number];
  /** stochastic_depth_prob: the last block's; block i of n has sd·i/(n − 1). */
  readonly sd: number;
}

const ln2d = () => op('layernorm2d', { eps: 1e-6 });

/**
 * One CNBlock: layer_scale · block(x), stochastic depth, + x. `sd` is the block's stochastic-depth probability, which
 * rises linearly over the blocks; it matters to training memory only (at inference StochasticDepth passes its input).
 */
function cnBlock(dim: number, sd: number): LayerSpec {
  const body = seq('block', [
    op('conv2d', { out: dim, kernel: 7, padding: 3, groups: dim }),
    op('permute', { dims: [0, 2, 3, 1] }),
    op('layernorm', { eps: 1e-6 }),
    op('linear', { out: 4 * dim }),
    op('gelu'),
    op('linear', { out: dim }),
    op('permute', { dims: [0, 3, 1, 2] }),
  ]);
  const scale = op('parameter', { shape: [dim, 1, 1], mode: 'mul' }, { name: 'layer_scale' });
  return { layers: [residual([body, scale, op('dropout', { p: sd }, { name: 'stochastic_depth' })], op('add', {}, { name: 'add' }))], type: 'CNBlock' };
}

function convnext(name: string, v: Variant): Spec {
  const features: LayerSpec[] = [seq(undefined, [op('conv2d', { out: v.widths[0], kernel: 4, stride: 4 }), ln2d()])];
  const total = v.depths.reduce((a, b) => a + b, 0);
  let id = 0;
  v.depths.forEach((depth, i) => {
    const dim = v.widths[i]!;
    features.push(seq(undefined, Array.from({ length: depth }, () => cnBlock(dim, (v.sd * id++) / (total - 1)))));
    const next = v.widths[i + 1];
    if (next !== undefined) features.push(seq(undefined, [ln2d(), op('conv2d', { out: next, kernel: 2, stride: 2 })]));
  });
  return torchvisionSpec(name, [
    seq('features', features),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    seq('classifier', [ln2d(), op('flatten'), op('linear', { out: 1000 })]),
  ]);
}

/**
 * [name, stage widths, stage depths, stochastic_depth_prob, published parameters: num_params of
 * ConvNeXt_*_Weights.IMAGENET1K_V1 in torchvision 0.14].
 */
const MODELS: readonly (readonly [string, Variant['widths'], Variant['depths'], number, number])[] = [
  ['tiny', [96, 192, 384, 768], [3, 3, 9, 3], 0.1, 28_589_128],
  ['small', [96, 192, 384, 768], [3, 3, 27, 3], 0.4, 50_223_688],
  ['base', [128, 256, 512, 1024], [3, 3, 27, 3], 0.5, 88_591_464],
  ['large', [192, 384, 768, 1536], [3, 3, 27, 3], 0.5, 197_767_336],
];

export const convnexts: readonly ZooEntry[] = MODELS.map(([size, widths, depths, sd, published]) => {
  const name = `convnext_${size}`;
  return torchvisionEntry(name, `ConvNeXt-${size[0]!.toUpperCase()}: widths ${widths.join('/')}, blocks [${depths.join(', ')}]`, () => convnext(name, { widths, depths, sd }), published);
});
