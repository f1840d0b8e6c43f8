/**
 * @module
 * Swin Transformer (Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
 * ICCV 2021) as torchvision 0.14 builds Swin-T, -S and -B, and Swin V2 (Liu et al., "Swin Transformer V2: Scaling
 * Up Capacity and Resolution", CVPR 2022) -T, -S and -B, under its module names.
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
 * Swin V2 moves each block's norms after the attention and the MLP (res-post-norm: x + sd(norm1(attn(x)))), uses
 * scaled cosine attention with a position bias from a small MLP (the window_attention_v2 op), 8×8 windows, and
 * merges patches by projecting first and normalising the 2C channels after. Its default weights are for 256×256.
 */
import { op, residual, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

interface Variant {
  readonly embed: number;
  readonly depths: readonly number[];
  readonly heads: readonly number[];
  readonly window: number;
  /** Swin V2: post-norm blocks, cosine attention, patch merging with the norm after the projection. */
  readonly v2?: boolean;
  /** stochastic_depth_prob: the last block's; block i of n has sd·i/(n − 1). Training memory only. */
  readonly sd: number;
}

const ln = (name: string) => op('layernorm', { eps: 1e-5 }, { name });

/** torchvision's MLP(dim, [4·dim, dim]): Linear, GELU, Dropout, Linear, Dropout. */
const mlp = (dim: number) => seq('mlp', [op('linear', { out: 4 * dim }), op('gelu'), op('dropout', { p: 0 }), op('linear', { out: dim }), op('dropout', { p: 0 })]);

/** `layers` with the norm first (V1: pre-norm) or last (V2: post-norm). */
const normed = (v: Variant, norm: LayerSpec, layers: readonly LayerSpec[]): LayerSpec[] => (v.v2 ? [...layers, norm] : [norm, ...layers]);

/** One SwinTransformerBlock: x + sd(attn(norm1(x))), then x + sd(mlp(norm2(x))); V2: x + sd(norm1(attn(x))), …. */
function swinBlock(v: Variant, dim: number, heads: number, shifted: boolean, sd: number): LayerSpec[] {
  const shift = shifted ? Math.floor(v.window / 2) : 0;
  const attn = op(v.v2 ? 'window_attention_v2' : 'window_attention', { num_heads: heads, window: v.window, shift }, { name: 'attn' });
  return [
    residual([...normed(v, ln('norm1'), [attn]), op('dropout', { p: sd }, { name: 'stochastic_depth' })], op('add', {}, { name: 'add_1' })),
    residual([...normed(v, ln('norm2'), [mlp(dim)]), op('dropout', { p: sd }, { name: 'stochastic_depth#2' })], op('add', {}, { name: 'add_2' })),
  ];
}

/** PatchMerging: gather 2×2 → LayerNorm(4C) → Linear(4C → 2C, no bias); PatchMergingV2 normalises after the Linear. */
const patchMerging = (v: Variant, dim: number): LayerSpec => ({
  layers: [op('patch_merge', { factor: 2 }, { name: 'merge' }), ...normed(v, ln('norm'), [op('linear', { out: 2 * dim, bias: false }, { name: 'reduction' })])],
  type: v.v2 ? 'PatchMergingV2' : 'PatchMerging',
});

function swin(name: string, v: Variant): Spec {
  const features: LayerSpec[] = [
    seq(undefined, [op('conv2d', { out: v.embed, kernel: 4, stride: 4 }), op('permute', { dims: [0, 2, 3, 1] }), op('layernorm', { eps: 1e-5 })]),
  ];
  const total = v.depths.reduce((a, b) => a + b, 0);
  let id = 0;
  v.depths.forEach((depth, i) => {
    const dim = v.embed * 2 ** i;
    const type = v.v2 ? 'SwinTransformerBlockV2' : 'SwinTransformerBlock';
    features.push(seq(undefined, Array.from({ length: depth }, (_, b) => ({ layers: swinBlock(v, dim, v.heads[i]!, b % 2 === 1, (v.sd * id++) / (total - 1)), type }))));
    if (i < v.depths.length - 1) features.push(patchMerging(v, dim));
  });
  return torchvisionSpec(
    name,
    [
      seq('features', features),
      ln('norm'),
      op('permute', { dims: [0, 3, 1, 2] }, { name: 'permute' }),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('flatten', {}, { name: 'flatten' }),
      op('linear', { out: 1000 }, { name: 'head' }),
    ],
    { side: v.v2 ? 256 : 224 },
  );
}

const T = { embed: 96, depths: [2, 2, 6, 2], heads: [3, 6, 12, 24], sd: 0.2 };
const S = { embed: 96, depths: [2, 2, 18, 2], heads: [3, 6, 12, 24], sd: 0.3 };
const B = { embed: 128, depths: [2, 2, 18, 2], heads: [4, 8, 16, 32], sd: 0.5 };

const entry = (name: string, title: string, v: Variant, published: number): ZooEntry => torchvisionEntry(name, title, () => swin(name, v), published);

/** Published parameter counts: num_params of each model's IMAGENET1K_V1 weights in torchvision 0.14. */
export const swins: readonly ZooEntry[] = [
  entry('swin_t', 'Swin-T: shifted-window transformer, C = 96, blocks [2, 2, 6, 2]', { ...T, window: 7 }, 28_288_354),
  entry('swin_s', 'Swin-S: C = 96, blocks [2, 2, 18, 2]', { ...S, window: 7 }, 49_606_258),
  entry('swin_b', 'Swin-B: C = 128, blocks [2, 2, 18, 2]', { ...B, window: 7 }, 87_768_224),
  entry('swin_v2_t', 'Swin V2-T: cosine window attention, 8×8 windows, C = 96, blocks [2, 2, 6, 2], 256×256', { ...T, window: 8, v2: true }, 28_351_570),
  entry('swin_v2_s', 'Swin V2-S: C = 96, blocks [2, 2, 18, 2], 256×256', { ...S, window: 8, v2: true }, 49_737_442),
  entry('swin_v2_b', 'Swin V2-B: C = 128, blocks [2, 2, 18, 2], 256×256', { ...B, window: 8, v2: true }, 87_930_848),
];
