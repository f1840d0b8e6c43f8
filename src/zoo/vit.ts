/**
 * @module
 * Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image Recognition at
 * Scale", ICLR 2021) as torchvision 0.14 builds ViT-B/16, B/32, L/16, L/32 and H/14, under its module names.
 *
 * The image is cut into P×P patches by a stride-P convolution (conv_proj), flattened to a sequence of
 * (H/P)·(W/P) tokens, a learned class token is prepended and a learned position embedding added; pre-norm
 * encoder layers (LayerNorm, multi-head self-attention, residual; LayerNorm, MLP d → 4d → d with GELU,
 * residual) follow, then a final LayerNorm, and the head reads the class token alone.
 * torchvision's head is the paper's fine-tuning head, a single Linear (the paper pre-trains with a hidden
 * tanh layer), and its attention is PyTorch's nn.MultiheadAttention: one packed in_proj_weight [3d, d] and
 * one layer, self_attention, whose MACs include the four projections as well as QKᵀ and AV.
 *
 * The position embedding holds exactly (224/P)² + 1 tokens, so the image must give (224/P)² patches
 * (torchvision insists on 224×224): another token count fails at encoder.pos_embedding with both counts.
 */
import { op, residual, seq, type BlockSpec, type LayerSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

interface Variant {
  readonly patch: number;
  readonly layers: number;
  readonly heads: number;
  readonly hidden: number;
  readonly mlp: number;
}

/** The input side torchvision's position embedding is made for. */
const IMAGE = 224;

/** One pre-norm encoder layer (torchvision's EncoderBlock); the MLP is named mlp.0 … mlp.4 like nn.Sequential. */
function encoderLayer(v: Variant, i: number): BlockSpec {
  const ln = (name: string) => op('layernorm', { eps: 1e-6 }, { name, role: 'norms' });
  const layers: LayerSpec[] = [
    residual(
      [ln('ln_1'), op('attention', { num_heads: v.heads, packed: true }, { name: 'self_attention', role: 'attention' }), op('dropout', { p: 0 }, { name: 'dropout' })],
      op('add', {}, { name: 'add_1' }),
    ),
    residual(
      [
        ln('ln_2'),
        seq('mlp', [
          op('linear', { out: v.mlp }, { role: 'mlp' }),
          op('gelu'),
          op('dropout', { p: 0 }),
          op('linear', { out: v.hidden }, { role: 'mlp' }),
          op('dropout', { p: 0 }),
        ]),
      ],
      op('add', {}, { name: 'add_2' }),
    ),
  ];
  return { block: `encoder_layer_${i}`, layers, type: 'EncoderBlock' };
}

function vit(name: string, v: Variant): Spec {
  const tokens = (IMAGE / v.patch) ** 2 + 1;
  const layers: LayerSpec[] = [
    op('conv2d', { out: v.hidden, kernel: v.patch, stride: v.patch }, { name: 'conv_proj', role: 'embeddings' }),
    // x.reshape(n, d, n_h·n_w).permute(0, 2, 1): the patches become a sequence [N, 196, 768].
    op('flatten', { start_dim: 2 }, { name: 'reshape' }),
    op('permute', { dims: [0, 2, 1] }, { name: 'permute' }),
    op('parameter', { shape: [1, 1, v.hidden], mode: 'concat_token' }, { name: 'class_token', role: 'embeddings' }),
    {
      block: 'encoder',
      type: 'Encoder',
      layers: [
        op('parameter', { shape: [1, tokens, v.hidden], mode: 'add' }, { name: 'pos_embedding', role: 'embeddings' }),
        op('dropout', { p: 0 }, { name: 'dropout' }),
        { block: 'layers', indexed: false, type: 'Sequential', layers: Array.from({ length: v.layers }, (_, i) => encoderLayer(v, i)) },
        op('layernorm', { eps: 1e-6 }, { name: 'ln', role: 'norms' }),
      ],
    },
    // x[:, 0]: the class token's final state.
    op('select', { dim: 1, index: 0 }, { name: 'class_token_out' }),
    { block: 'heads', type: 'Sequential', layers: [op('linear', { out: 1000 }, { name: 'head', role: 'head' })] },
  ];
  return torchvisionSpec(name, layers, {
    side: IMAGE,
    notes: [`The position embedding fixes the sequence to (${IMAGE}/${v.patch})² + 1 = ${tokens} tokens, so the input must be ${IMAGE}×${IMAGE} (torchvision checks it).`],
  });
}

const entry = (name: string, title: string, v: Variant, published: number): ZooEntry => torchvisionEntry(name, title, () => vit(name, v), published);

/**
 * Published parameter counts: num_params of the IMAGENET1K_V1 weights in torchvision 0.14, and for ViT-H/14, which
 * has no V1 weights, of IMAGENET1K_SWAG_LINEAR_V1: the weights for 224×224, the size weights=None builds. (Its default
 * SWAG_E2E_V1 weights are for 518×518, whose position embedding of 37² + 1 tokens has 1,424,640 parameters more.)
 */
export const vits: readonly ZooEntry[] = [
  entry('vit_b_16', 'ViT-B/16: 12 encoder layers of width 768 on 16×16 patches', { patch: 16, layers: 12, heads: 12, hidden: 768, mlp: 3072 }, 86_567_656),
  entry('vit_b_32', 'ViT-B/32: 12 encoder layers of width 768 on 32×32 patches', { patch: 32, layers: 12, heads: 12, hidden: 768, mlp: 3072 }, 88_224_232),
  entry('vit_l_16', 'ViT-L/16: 24 encoder layers of width 1024 on 16×16 patches', { patch: 16, layers: 24, heads: 16, hidden: 1024, mlp: 4096 }, 304_326_632),
  entry('vit_l_32', 'ViT-L/32: 24 encoder layers of width 1024 on 32×32 patches', { patch: 32, layers: 24, heads: 16, hidden: 1024, mlp: 4096 }, 306_535_400),
  entry('vit_h_14', 'ViT-H/14: 32 encoder layers of width 1280 on 14×14 patches', { patch: 14, layers: 32, heads: 16, hidden: 1280, mlp: 5120 }, 632_045_800),
];
