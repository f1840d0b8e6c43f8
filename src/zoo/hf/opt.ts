/**
 * @module
 * OPT (Zhang et al. 2022) as `transformers`' OPTForCausalLM and OPTModel: token embeddings of width
 * word_embed_proj_dim (projected in and out when it differs from hidden_size), a learned position table with two
 * extra rows (positions start at 2), decoder layers that are pre-norm (do_layer_norm_before) or post-norm (OPT-350m),
 * a final LayerNorm for pre-norm models, and an lm_head tied to the token table.
 */
import { block, op, type LayerSpec, type Spec } from '../../describe/spec.js';
import { decoderLayer, plainMlp, withHead } from './blocks.js';
import { headDim, type HfConfig } from './config.js';
import { add, attention, defaultSeq, embedding, linear, lmSpec, stack, tied } from './layers.js';

/** The Spec of an OPT config. */
export function opt(cfg: HfConfig, name: string): Spec {
  const hKey = cfg.has('hidden_size') ? 'hidden_size' : 'd_model';
  const h = cfg.int(['hidden_size', 'd_model'], 768);
  const layers = cfg.layers('num_hidden_layers', 12);
  const heads = cfg.int('num_attention_heads', 12);
  const ffn = cfg.int('ffn_dim', 3072);
  const vocab = cfg.int('vocab_size', 50272);
  const positions = cfg.int('max_position_embeddings', 2048);
  const e = cfg.int('word_embed_proj_dim', h);
  const pre = cfg.bool('do_layer_norm_before', true);
  const finalNorm = pre && !cfg.bool('_remove_final_layer_norm', false);
  const bias = cfg.bool('enable_bias', true);
  const affine = cfg.bool('layer_norm_elementwise_affine', true);
  const act = cfg.str('activation_function', 'relu');
  const d = headDim(cfg, { key: hKey, value: h }, { key: 'num_attention_heads', value: heads });
  const ln = (n: string) => op('layernorm', affine ? {} : { elementwise_affine: false }, { name: n, role: 'norms' });
  const attn = attention('self_attn', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: bias, outBias: bias, causal: true });
  const project = e !== h;
  const decoder: LayerSpec[] = [
    embedding('embed_tokens', vocab, e),
    ...(project ? [linear('project_in', h, false, 'embeddings')] : []),
    embedding('embed_positions', positions + 2, h, { inputs: ['input'] }),
    add('embed_add', 'embeddings', [project ? 'project_in' : 'embed_tokens', 'embed_positions']),
    stack(cfg, 'layers', layers, 'OPTDecoderLayer', () =>
      decoderLayer(pre ? 'sequential' : 'post', [ln('self_attn_layer_norm'), ln('final_layer_norm')], attn, plainMlp(undefined, ['fc1', ffn], ['activation_fn', act], ['fc2', h], bias)),
    ),
    ...(finalNorm ? [ln('final_layer_norm')] : []),
    ...(project ? [linear('project_out', e, false, 'head')] : []),
  ];
  const lm = withHead(cfg, [block('decoder', decoder)], { prefix: 'model', name: 'lm_head', vocab, embed: 'decoder.embed_tokens', tie: tied(cfg, true) });
  return lmSpec(name, cfg, defaultSeq(positions), lm.layers, [
    `embed_positions has max_position_embeddings + 2 = ${positions + 2} rows: OPT's positions start at 2.`,
    pre ? 'Pre-norm layers: x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x)).' : 'Post-norm layers (do_layer_norm_before false): LayerNorm(x + attention(x)), then LayerNorm(x + MLP(x)); no final LayerNorm.',
    ...(project ? [`Token embeddings of width word_embed_proj_dim=${e} are projected to ${h} (project_in) and back (project_out).`] : []),
    ...lm.notes,
  ]);
}
