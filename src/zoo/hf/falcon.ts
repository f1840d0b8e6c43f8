/**
 * @module
 * Falcon (TII 2023) as `transformers`' FalconForCausalLM and FalconModel. One fused query_key_value projection whose
 * width depends on the layout: (H + 2·num_kv_heads)·d in the new decoder architecture (Falcon-40B/180B, grouped
 * key/value heads), H·d + 2d under multi_query (Falcon-7B: one key/value head), 3h otherwise. With parallel_attn,
 * attention and MLP run side by side from one input_layernorm, or from ln_attn and ln_mlp (two norms, implied by the
 * new architecture); without it, the layer is sequential. `bias` switches every linear's bias; lm_head is tied.
 * Old RW-era configs spell n_embed, n_layer, n_head and n_head_kv; they are read too.
 */
import type { Spec } from '../../describe/spec.js';
import { decoderLayer, plainMlp, withHead, type Layout } from './blocks.js';
import { headDim, type HfConfig } from './config.js';
import { attention, DEFAULT_SEQ, embedding, layerNorm, lmSpec, stack, tied } from './layers.js';

/** The Spec of a Falcon config. */
export function falcon(cfg: HfConfig, name: string): Spec {
  const hKey = cfg.has('hidden_size') ? 'hidden_size' : 'n_embed';
  const headsKey = cfg.has('num_attention_heads') ? 'num_attention_heads' : 'n_head';
  const h = cfg.int(['hidden_size', 'n_embed'], 4544);
  const heads = cfg.int(['num_attention_heads', 'n_head'], 71);
  const layers = cfg.layers(['num_hidden_layers', 'n_layer'], 32);
  const vocab = cfg.int('vocab_size', 65024);
  const newArch = cfg.bool('new_decoder_architecture', false);
  const multiQuery = cfg.bool('multi_query', true);
  const parallelAttn = cfg.bool('parallel_attn', true);
  const bias = cfg.bool('bias', false);
  const ffn = cfg.int('ffn_hidden_size', 4 * h);
  const act = cfg.str('activation', 'gelu');
  const d = headDim(cfg, { key: hKey, value: h }, { key: headsKey, value: heads });
  const kvKey = cfg.has('num_kv_heads') ? 'num_kv_heads' : 'n_head_kv';
  const kv = newArch ? cfg.int(['num_kv_heads', 'n_head_kv'], heads) : multiQuery ? 1 : heads;
  if (heads % kv !== 0) cfg.fail(kvKey, `${headsKey}=${heads} must be a multiple of ${kvKey}, since each key/value head serves a group of query heads. Received: ${kvKey}=${kv}.`);
  const norms = cfg.int('num_ln_in_parallel_attn', newArch ? 2 : 1);

  const attn = attention('self_attention', { heads, kvHeads: kv, headDim: d, hidden: h, qkvBias: bias, outBias: bias, causal: true });
  const [layout, names]: [Layout, string[]] = !parallelAttn
    ? ['sequential', ['input_layernorm', 'post_attention_layernorm']]
    : norms === 2
      ? ['parallel2', ['ln_attn', 'ln_mlp']]
      : ['parallel1', ['input_layernorm']];
  const layer = () => decoderLayer(layout, names.map((n) => layerNorm(n)), attn, plainMlp('mlp', ['dense_h_to_4h', ffn], ['act', act], ['dense_4h_to_h', h], bias));
  const base = [embedding('word_embeddings', vocab, h), stack(cfg, 'h', layers, 'FalconDecoderLayer', layer), layerNorm('ln_f')];
  const share = tied(cfg, true);
  const lm = withHead(cfg, base, { prefix: 'transformer', name: 'lm_head', vocab, embed: 'word_embeddings', tie: share });
  const queries = newArch ? `${heads} query heads share ${kv} key/value heads` : multiQuery ? `multi-query attention: ${heads} query heads share one key/value head` : `${heads} heads`;
  return lmSpec(name, cfg, DEFAULT_SEQ, lm.layers, [
    `query_key_value projects to queries and keys/values at once (${queries}).`,
    ...lm.notes,
    ...(share && lm.layers.length > 1
      ? [`A checkpoint that stores lm_head.weight as its own copy (TII's Falcon-7B release does) holds V·h = ${(vocab * h).toLocaleString('en-US')} more values than this count.`]
      : []),
  ]);
}
