/**
 * @module
 * BLOOM (BigScience 2022) as `transformers`' BloomForCausalLM and BloomModel: word embeddings followed by a LayerNorm,
 * pre-norm layers with a fused query_key_value projection and a GELU MLP of width 4h (there is no width key), ln_f,
 * and an lm_head tied to the word embeddings. ALiBi adds a fixed bias per head to the attention scores: no position
 * table, no parameters.
 */
import type { Spec } from '../../describe/spec.js';
import { decoderLayer, plainMlp, withHead } from './blocks.js';
import { headDim, type HfConfig } from './config.js';
import { attention, DEFAULT_SEQ, embedding, layerNorm, lmSpec, stack, tied } from './layers.js';

/** The Spec of a BLOOM config. */
export function bloom(cfg: HfConfig, name: string): Spec {
  const hKey = cfg.has('hidden_size') ? 'hidden_size' : 'n_embed';
  const headsKey = cfg.has('n_head') ? 'n_head' : 'num_attention_heads';
  const h = cfg.int(['hidden_size', 'n_embed'], 64);
  const layers = cfg.layers(['n_layer', 'num_hidden_layers'], 2);
  const heads = cfg.int(['n_head', 'num_attention_heads'], 8);
  const vocab = cfg.int('vocab_size', 250880);
  const d = headDim(cfg, { key: hKey, value: h }, { key: headsKey, value: heads });
  const attn = attention('self_attention', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: true, outBias: true, causal: true });
  const layer = () =>
    decoderLayer('sequential', [layerNorm('input_layernorm'), layerNorm('post_attention_layernorm')], attn, plainMlp('mlp', ['dense_h_to_4h', 4 * h], ['gelu_impl', 'gelu'], ['dense_4h_to_h', h], true));
  const base = [embedding('word_embeddings', vocab, h), layerNorm('word_embeddings_layernorm'), stack(cfg, 'h', layers, 'BloomBlock', layer), layerNorm('ln_f')];
  const lm = withHead(cfg, base, { prefix: 'transformer', name: 'lm_head', vocab, embed: 'word_embeddings', tie: tied(cfg, true) });
  return lmSpec(name, cfg, DEFAULT_SEQ, lm.layers, ['ALiBi biases the attention scores by distance: no position table and no parameters.', ...lm.notes]);
}
