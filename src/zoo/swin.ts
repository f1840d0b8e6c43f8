/**
 * @module
 * Swin Transformer (Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * ICCV 2021) as torchvision 0.14 builds Swin-T, under its module names.
 *
 * A 4×4 stride-4 convolution embeds patches, and the network works channels last ([N, H, W, C]) from there:
 * four stages of Swin blocks (pre-norm window attention in 7×7 windows, every second block shifted by 3,
 * then an MLP C → 4C → C with GELU, each with a residual), and between stages a patch merging that gathers
 * 2×2 neighbourhoods (4C channels), normalises them and projects to 2C without bias. A final LayerNorm,
 * permute back to [N, C, H, W], global average pool and Linear head.
 * Differences from the paper: torchvision pads H and W to multiples of the window (and odd sizes before a
 * patch merging) instead of requiring divisible sizes, drops the shift where one window covers the whole
 * axis (the last stage at 224×224), and treats the whole ShiftedWindowAttention, its qkv and proj included,
 * as one layer; nncalc's window_attention op does the same. StochasticDepth runs twice per block: the second
 * call is `stochastic_depth#2`.
 */
import { op, residual, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

interface Variant {
  readonly embed: number;
  readonly depths: readonly number[];
  readonly heads: readonly number[];
  readonly window: number;
}

const ln = (name: string) => op('layernorm', { eps: 1e-5 }, { name });

/** torchvision's MLP(dim, [4·dim, dim]): Linear, GELU, Dropout, Linear, Dropout. */
const mlp = (dim: number) => seq('mlp', [op('linear', { out: 4 * dim }), op('gelu'), op('dropout', { p: 0 }), op('linear', { out: dim }), op('dropout', { p: 0 })]);

/** One SwinTransformerBlock: x + sd(attn(norm1(x))), then x + sd(mlp(norm2(x))). */
function swinBlock(v: Variant, dim: number, heads: number, shifted: boolean): LayerSpec[] {
  const shift = shifted ? Math.floor(v.window / 2) : 0;
  return [
    residual(
      [ln('norm1'), op('window_attention', { num_heads: heads, window: v.window, shift }, { name: 'attn' }), op('dropout', { p: 0 }, { name: 'stochastic_depth' })],
      op('add', {}, { name: 'add_1' }),
    ),
    residual([ln('norm2'), mlp(dim), op('dropout', { p: 0 }, { name: 'stochastic_depth#2' })], op('add', {}, { name: 'add_2' })),
  ];
}

/** PatchMerging: gather 2×2 → LayerNorm(4C) → Linear(4C → 2C, no bias). */
const patchMerging = (dim: number): LayerSpec => ({
  layers: [op('patch_merge', { factor: 2 }, { name: 'merge' }), ln('norm'), op('linear', { out: 2 * dim, bias: false }, { name: 'reduction' })],
  type: 'PatchMerging',
});

function swin(name: string, v: Variant): Spec {
  const features: LayerSpec[] = [
    seq(undefined, [op('conv2d', { out: v.embed, kernel: 4, stride: 4 }), op('permute', { dims: [0, 2, 3, 1] }), op('layernorm', { eps: 1e-5 })]),
  ];
  v.depths.forEach((depth, i) => {
    const dim = v.embed * 2 ** i;
    features.push(seq(undefined, Array.from({ length: depth }, (_, b) => ({ layers: swinBlock(v, dim, v.heads[i]!, b % 2 === 1), type: 'SwinTransformerBlock' }))));
    if (i < v.depths.length - 1) features.push(patchMerging(dim));
  });
  return torchvisionSpec(name, [
    seq('features', features),
    ln('norm'),
    op('permute', { dims: [0, 3, 1, 2] }, { name: 'permute' }),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'head' }),
  ]);
}

/** Published parameter count: num_params of Swin_T_Weights.IMAGENET1K_V1 in torchvision 0.14. */
export const swins: readonly ZooEntry[] = [
  torchvisionEntry(
    'swin_t',
    'Swin-T: shifted-window transformer, C = 96, blocks [2, 2, 6, 2]',
    () => swin('swin_t', { embed: 96, depths: [2, 2, 6, 2], heads: [3, 6, 12, 24], window: 7 }),
    28_288_354,
  ),
];
