/**
 * @module
 * MViTv2-S (Li et al., "MViTv2: Improved Multiscale Vision Transformers for Classification and Detection", CVPR 2022)
 * as torchvision 0.14 builds it for video (torchvision.models.video.mvit_v2_s), 400 Kinetics classes, on a clip of
 * 16 frames of 224×224 — the only size it takes: its token grid (8×56×56 after the patch embedding) is fixed when
 * the model is built.
 *
 * A 3×7×7 conv with stride 2×4×4 embeds patches; the 8·56·56 = 25,088 tokens get a class token (its one parameter
 * vector is PositionalEncoding's, with relative positions there is no absolute table). Sixteen MultiscaleBlocks
 * follow (pre-norm pooling attention, the multiscale_attention op, and an MLP C → 4C → C with GELU, each with a
 * residual): k and v are pooled 8×, 4× then 2× along H and W, and three blocks halve the grid by pooling q with stride
 * 1×2×2 while doubling the width (96 → 192 → 384 → 768) and heads. Where the width changes, a Linear `project` maps
 * the normalised input to the new width for the residual (MViTv2's projection after attention), and where the grid
 * shrinks, `pool_skip` max-pools the residual's grid (3×3 window, stride 2, class token set aside): the functional
 * split, reshapes and concatenation around its MaxPool3d are layers here. A final LayerNorm, the class token alone,
 * dropout and a Linear head close it. StochasticDepth runs twice per block: the second call is `stochastic_depth#2`.
 */
import { block, op, parallel, residual, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';

type Triple = readonly [number, number, number];

/** torchvision's configuration of mvit_v2_s, per block: heads, input and output channels, q stride along H and W, kv stride along H and W. */
const BLOCKS: readonly (readonly [number, number, number, number, number])[] = [
  [1, 96, 96, 1, 8], [2, 96, 192, 2, 4], [2, 192, 192, 1, 4], [4, 192, 384, 2, 2],
  ...Array.from({ length: 10 }, () => [4, 384, 384, 1, 2] as const),
  [8, 384, 768, 2, 1], [8, 768, 768, 1, 1],
];

const ln = (name: string) => op('layernorm', { eps: 1e-6 }, { name });

/** Pool(MaxPool3d) on tokens [N, 1 + T·H·W, C]: set the class token aside, pool the grid, put it back. */
function poolSkip(c: number, thw: Triple, stride: number): LayerSpec {
  return block('pool_skip', [
    op('split', { dim: 1, sizes: [1, thw[0] * thw[1] * thw[2]] }, { name: 'split' }),
    op('permute', { dims: [0, 2, 1] }, { name: 'transpose', inputs: ['split:1'] }),
    op('reshape', { shape: [-1, c, ...thw] }, { name: 'reshape' }),
    op('maxpool3d', { kernel: [1, stride + 1, stride + 1], stride: [1, stride, stride], padding: [0, 1, 1] }, { name: 'pool' }),
    op('flatten', { start_dim: 2 }, { name: 'flatten' }),
    op('permute', { dims: [0, 2, 1] }, { name: 'transpose#2' }),
    op('concat', { dim: 1 }, { name: 'cat', inputs: ['split', 'transpose#2'] }),
  ]);
}

/** One MultiscaleBlock on the grid `thw`. */
function multiscaleBlock([heads, cin, cout, sq, skv]: readonly number[], thw: Triple, sdProb: number): LayerSpec {
  const attn = op(
    'multiscale_attention',
    { num_heads: heads!, out: cout!, thw: [...thw], kernel_q: 3, stride_q: [1, sq!, sq!], kernel_kv: 3, stride_kv: [1, skv!, skv!] },
    { name: 'attn' },
  );
  // StochasticDepth: passes its input at inference; its probability matters to training memory only.
  const sd = op('dropout', { p: sdProb }, { name: 'stochastic_depth' });
  const skip = sq! > 1 ? [poolSkip(cout!, thw, sq!)] : [];
  // x_skip + sd(attn(norm1(x))): the skip reads x, or project(norm1(x)) when the width changes.
  const first =
    cin === cout
      ? [parallel([[ln('norm1'), attn, sd], skip], op('add', {}, { name: 'add' }))]
      : [ln('norm1'), parallel([[attn, sd], [op('linear', { out: cout! }, { name: 'project' }), ...skip]], op('add', {}, { name: 'add' }))];
  return {
    layers: [
      ...first,
      residual([ln('norm2'), seq('mlp', [op('linear', { out: 4 * cout! }), op('gelu'), op('dropout', { p: 0 }), op('linear', { out: cout! }), op('dropout', { p: 0 })]), op('dropout', { p: sdProb }, { name: 'stochastic_depth#2' })], op('add', {}, { name: 'add_2' })),
    ],
    type: 'MultiscaleBlock',
  };
}

function mvitV2S(): Spec {
  let thw: Triple = [8, 56, 56];
  // stochastic_depth_prob 0.2, rising linearly over the blocks: block i of n has 0.2·i/(n − 1).
  const blocks = BLOCKS.map((b, i) => {
    const layer = multiscaleBlock(b, thw, (0.2 * i) / (BLOCKS.length - 1));
    const s = b[3]!;
    thw = [thw[0], Math.floor(thw[1] / s), Math.floor(thw[2] / s)];
    return layer;
  });
  return {
    name: 'mvit_v2_s',
    input: [1, 3, 16, 224, 224],
    source: 'torchvision.models.video.mvit_v2_s(weights=None), torchvision 0.14',
    layers: [
      op('conv3d', { out: 96, kernel: [3, 7, 7], stride: [2, 4, 4], padding: [1, 3, 3] }, { name: 'conv_proj' }),
      // x.flatten(2).transpose(1, 2): [1, 96, 8, 56, 56] → [1, 25,088, 96].
      op('flatten', { start_dim: 2 }, { name: 'flatten' }),
      op('permute', { dims: [0, 2, 1] }, { name: 'transpose' }),
      op('parameter', { shape: [1, 96], mode: 'concat_token' }, { name: 'pos_encoding' }),
      seq('blocks', blocks),
      ln('norm'),
      // x[:, 0]: the class token.
      op('select', { dim: 1, index: 0 }, { name: 'class_token' }),
      seq('head', [op('dropout', { p: 0.5 }), op('linear', { out: 400 })]),
    ],
    notes: ['The token grid is fixed at 8×56×56 when torchvision builds the model, so the clip must be 16 frames of 224×224.'],
  };
}

/** Published parameter count: num_params of MViT_V2_S_Weights.KINETICS400_V1 in torchvision 0.14. */
export const mvits: readonly ZooEntry[] = [
  { ...torchvisionEntry('mvit_v2_s', 'MViTv2-S: multiscale pooling-attention transformer on 16 frames of 224×224, 400 classes', mvitV2S, 34_537_744), source: 'torchvision.models.video.mvit_v2_s' },
];
