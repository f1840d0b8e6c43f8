/**
 * @module
 * Vision transformers from Hugging Face configs: ViT (ViTModel with its pooler, ViTForImageClassification with a
 * classifier on the class token) and DINOv2 (layer scales, a mask token used only in pre-training, an optional SwiGLU
 * MLP), and the vision and text towers of CLIP and SigLIP that clip.ts and multimodal.ts assemble.
 *
 * An image [N, C, H, W] becomes patches by a stride-p convolution, flattened to a sequence [N, (H/p)·(W/p), h]. The
 * learned position table fixes the sequence, so the input is the config's image_size (transformers can interpolate
 * the table to other sizes; nncalc does not).
 */
import { block, op, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig, LayerCount } from './config.js';
import { activation, add, attention, layerNorm, linear, modelSpec, stack, type Role } from './layers.js';

/** Patch size and image side, with the number of patches they give. */
export function patches(cfg: HfConfig): { image: number; patch: number; channels: number; n: number } {
  const image = cfg.int('image_size');
  const patch = cfg.int('patch_size');
  if (image % patch !== 0) cfg.fail('patch_size', `patch_size must divide image_size=${image} into whole patches. Received: patch_size=${patch}.`);
  return { image, patch, channels: cfg.int('num_channels'), n: (image / patch) ** 2 };
}

/** Conv2d patches of the input `pixels` as a sequence [N, n, h]. */
export function patchEmbedding(conv: string, hidden: number, patch: number, bias: boolean, pixels: string, role: Role = 'embeddings'): LayerSpec[] {
  return [
    op('conv2d', { out: hidden, kernel: patch, stride: patch, bias }, { name: conv, role, inputs: [pixels] }),
    // flatten(2).transpose(1, 2): the grid of patches becomes a sequence.
    op('flatten', { start_dim: 2 }, { name: 'flatten', role }),
    op('transpose', { dim0: 1, dim1: 2 }, { name: 'transpose', role }),
  ];
}

/** The number of classifier outputs: id2label's entries, else num_labels, else 2 (PretrainedConfig's default). */
export function labels(cfg: HfConfig): number {
  const map = cfg.raw['id2label'];
  if (map !== undefined && map !== null && typeof map === 'object' && !Array.isArray(map)) return Math.max(1, Object.keys(map).length);
  return cfg.int('num_labels', 2);
}

/** The Spec of a ViT or DINOv2 config. */
export function vit(cfg: HfConfig, name: string): Spec {
  const dino = cfg.family === 'dinov2';
  const h = cfg.int('hidden_size');
  const layers = cfg.layers('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const inter = dino ? Math.floor(h * cfg.num('mlp_ratio', undefined, 0)) : cfg.int('intermediate_size');
  const act = cfg.str('hidden_act');
  const { image, patch, channels, n } = patches(cfg);
  if (h % heads !== 0) cfg.fail('num_attention_heads', `the attention heads must divide hidden_size=${h}. Received: num_attention_heads=${heads}.`);
  const swiglu = dino && cfg.bool('use_swiglu_ffn');
  const attn = attention('attention', { heads, kvHeads: heads, headDim: h / heads, hidden: h, qkvBias: cfg.bool('qkv_bias'), outBias: true, causal: false });
  const scale = (s: string) => op('parameter', { shape: [h], mode: 'mul' }, { name: s, role: 'attention' });
  const mlp = (): LayerSpec[] => {
    if (!dino) return [linear('intermediate.dense', inter, true, 'mlp'), activation('intermediate.intermediate_act_fn', act, 'mlp'), linear('output.dense', h, true, 'mlp')];
    if (!swiglu) return [block('mlp', [linear('fc1', inter, true, 'mlp'), activation('activation', act, 'mlp'), linear('fc2', h, true, 'mlp')])];
    const j = Math.floor((Math.floor((inter * 2) / 3) + 7) / 8) * 8;
    return [
      block('mlp', [
        linear('weights_in', 2 * j, true, 'mlp'),
        op('split', { dim: -1, sizes: [j, j] }, { name: 'chunk', role: 'mlp' }),
        op('silu', {}, { name: 'silu', role: 'mlp', inputs: ['chunk:0'] }),
        op('mul', {}, { name: 'mul', role: 'mlp', inputs: ['silu', 'chunk:1'] }),
        linear('weights_out', h, true, 'mlp'),
      ]),
    ];
  };
  const layer = (): LayerSpec[] =>
    dino
      ? [
          residual([layerNorm('norm1'), attn, { ...scale('layer_scale1'), role: 'attention' }], add('attention_residual', 'attention')),
          residual([layerNorm('norm2'), ...mlp(), { ...scale('layer_scale2'), role: 'mlp' }], add('mlp_residual', 'mlp')),
        ]
      : [residual([layerNorm('layernorm_before'), attn], add('attention_residual', 'attention')), residual([layerNorm('layernorm_after'), ...mlp()], add('mlp_residual', 'mlp'))];
  const cls = op('parameter', { shape: [1, 1, h], mode: 'concat_token' }, { name: 'cls_token', role: 'embeddings' });
  const embeddings = block('embeddings', [
    ...(dino ? [op('parameter', { shape: [1, h], mode: 'value' }, { name: 'mask_token', role: 'embeddings', inputs: ['input'] })] : []),
    block('patch_embeddings', patchEmbedding('projection', h, patch, true, 'input')),
    cls,
    op('parameter', { shape: [1, n + 1, h], mode: 'add' }, { name: 'position_embeddings', role: 'embeddings' }),
  ]);
  const base = [embeddings, block('encoder', [stack(cfg, 'layer', layers, dino ? 'Dinov2Layer' : 'ViTLayer', layer)]), layerNorm('layernorm')];
  const classify = cfg.architecture === 'ViTForImageClassification';
  const first = (role: Role) => op('select', { dim: 1, index: 0 }, { name: 'first_token', role });
  const model: LayerSpec[] = dino
    ? base
    : classify
      ? [block('vit', base), first('head'), linear('classifier', labels(cfg), true, 'head')]
      : [...base, block('pooler', [first('head'), linear('dense', cfg.int('pooler_output_size', h), true, 'head'), activation('activation', cfg.str('pooler_act', 'tanh'), 'head')])];
  return modelSpec(
    name,
    cfg,
    { shape: [1, channels, image, image], describe: `an image [batch, ${channels}, ${image}, ${image}]` },
    model,
    [
      `${n} patches of ${patch}×${patch} and a class token: the position table has ${n + 1} rows, so the image must be ${image}×${image} (transformers can interpolate the table; nncalc does not).`,
      ...(dino ? ['embeddings.mask_token replaces masked patches in pre-training only; a parameter, so counted.'] : []),
      ...(classify ? [`classifier: ${labels(cfg)} labels, on the class token.`] : []),
    ],
    !dino && !classify ? { outputs: ['layernorm', 'pooler.activation'] } : {},
  );
}

/** What a CLIP or SigLIP tower gives its model. */
export interface Tower {
  readonly layers: LayerSpec[];
  /** The full name of the pooled output [N, h]. */
  readonly pooled: string;
  /** The full name of hidden_states[k] (0: the embeddings, k: layer k − 1's output). */
  hidden(k: number): string;
  readonly width: number;
  readonly count: LayerCount;
}

/** An encoder layer of the CLIP and SigLIP towers: layer_norm1, self_attn, layer_norm2, mlp (fc1, fc2). */
function towerLayer(h: number, heads: number, inter: number, act: string, causal: boolean): LayerSpec[] {
  return [
    residual([layerNorm('layer_norm1'), attention('self_attn', { heads, kvHeads: heads, headDim: h / heads, hidden: h, qkvBias: true, outBias: true, causal })], add('attn_residual', 'attention')),
    residual([layerNorm('layer_norm2'), block('mlp', [linear('fc1', inter, true, 'mlp'), activation('activation_fn', act, 'mlp'), linear('fc2', h, true, 'mlp')])], add('mlp_residual', 'mlp')),
  ];
}

/**
 * A CLIP or SigLIP vision tower under `prefix` (its vision_model block's full path), reading `pixels`. CLIP: a class
 * token, pre_layrnorm, post_layernorm on the class token. SigLIP: patch biases, no class token, post_layernorm on the
 * sequence, then (vision_use_head) the attention-pooling head.
 */
export function visionTower(cfg: HfConfig, siglip: boolean, prefix: string, pixels: string, useHead = siglip && cfg.bool('vision_use_head')): Tower {
  const h = cfg.int('hidden_size');
  const heads = cfg.int('num_attention_heads');
  const inter = cfg.int('intermediate_size');
  const act = cfg.str('hidden_act');
  const count = cfg.layers('num_hidden_layers');
  if (h % heads !== 0) cfg.fail('num_attention_heads', `the attention heads must divide hidden_size=${h}. Received: num_attention_heads=${heads}.`);
  const { patch, n } = patches(cfg);
  const rows = siglip ? n : n + 1;
  const embeddings = block('embeddings', [
    ...patchEmbedding('patch_embedding', h, patch, siglip, pixels),
    ...(siglip ? [] : [op('parameter', { shape: [1, h], mode: 'concat_token' }, { name: 'class_embedding', role: 'embeddings' })]),
    op('parameter', { shape: [rows, h], mode: 'add' }, { name: 'position_embedding', role: 'embeddings' }),
  ]);
  const encoder = block('encoder', [stack(cfg, 'layers', count, siglip ? 'SiglipEncoderLayer' : 'CLIPEncoderLayer', () => towerLayer(h, heads, inter, act, false))]);
  const layers: LayerSpec[] = siglip
    ? [
        embeddings,
        encoder,
        layerNorm('post_layernorm'),
        ...(useHead
          ? [
              block('head', [
                op('parameter', { shape: [1, 1, h], mode: 'expand' }, { name: 'probe', role: 'attention' }),
                { ...attention('attention', { heads, kvHeads: heads, headDim: h / heads, hidden: h, qkvBias: true, outBias: true, causal: false }, ['probe', `${prefix}.post_layernorm`]), attrs: { num_heads: heads, packed: true } },
                residual([layerNorm('layernorm'), block('mlp', [linear('fc1', inter, true, 'mlp'), activation('activation_fn', act, 'mlp'), linear('fc2', h, true, 'mlp')])], add('mlp_residual', 'mlp')),
                op('select', { dim: 1, index: 0 }, { name: 'pooled', role: 'attention' }),
              ]),
            ]
          : []),
      ]
    : [embeddings, layerNorm('pre_layrnorm'), encoder, op('select', { dim: 1, index: 0 }, { name: 'class_token', role: 'norms' }), layerNorm('post_layernorm')];
  const pooled = siglip ? (useHead ? `${prefix}.head.pooled` : `${prefix}.post_layernorm`) : `${prefix}.post_layernorm`;
  const hidden = (k: number) => (k === 0 ? `${prefix}.${siglip ? 'embeddings.position_embedding' : 'pre_layrnorm'}` : `${prefix}.encoder.layers.${k - 1}.mlp_residual`);
  return { layers: [block(prefix.split('.').at(-1), layers)], pooled, hidden, width: h, count };
}

/** A CLIP or SigLIP text tower under `prefix`, reading token ids: token and position tables, layers, final_layer_norm, the pooled token. */
export function textTower(cfg: HfConfig, siglip: boolean, prefix: string, ids: string): Tower & { positions: number } {
  const h = cfg.int('hidden_size');
  const heads = cfg.int('num_attention_heads');
  const count = cfg.layers('num_hidden_layers');
  const positions = cfg.int('max_position_embeddings');
  if (h % heads !== 0) cfg.fail('num_attention_heads', `the attention heads must divide hidden_size=${h}. Received: num_attention_heads=${heads}.`);
  const layers: LayerSpec[] = [
    block('embeddings', [
      op('embedding', { num_embeddings: cfg.int('vocab_size'), embedding_dim: h }, { name: 'token_embedding', role: 'embeddings', inputs: [ids] }),
      op('embedding', { num_embeddings: positions, embedding_dim: h }, { name: 'position_embedding', role: 'embeddings', inputs: [ids] }),
      add('add', 'embeddings', ['token_embedding', 'position_embedding']),
    ]),
    block('encoder', [stack(cfg, 'layers', count, siglip ? 'SiglipEncoderLayer' : 'CLIPEncoderLayer', () => towerLayer(h, heads, cfg.int('intermediate_size'), cfg.str('hidden_act'), !siglip))]),
    layerNorm('final_layer_norm'),
    // CLIP pools the state at the end-of-text token, SigLIP the last position; both drawn as the last position.
    op('select', { dim: 1, index: -1 }, { name: 'pooled', role: 'norms' }),
    ...(siglip ? [linear('head', cfg.int('projection_size', h), true, 'head')] : []),
  ];
  const pooled = siglip ? `${prefix}.head` : `${prefix}.pooled`;
  return { layers: [block(prefix.split('.').at(-1), layers)], pooled, hidden: (k) => `${prefix}.encoder.layers.${k - 1}.mlp_residual`, width: h, count, positions };
}
