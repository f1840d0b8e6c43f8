/**
 * @module
 * EleutherAI's decoders as `transformers` builds them. GPT-NeoX (Pythia, GPT-NeoX-20B): a fused query_key_value
 * projection, LayerNorms, a GELU MLP, and by default the parallel residual x + attn(ln₁(x)) + mlp(ln₂(x)); embed_out
 * is an untied head. GPT-J: one ln_1 feeding attention (q, k, v, out_proj without biases) and the MLP (fc_in, fc_out)
 * in parallel, and an lm_head with a bias. Rotary embeddings have no parameters.
 */
import type { Spec } from '../../describe/spec.js';
import { decoderLayer, plainMlp, withHead } from './blocks.js';
import { headDim, type HfConfig } from './config.js';
import { attention, defaultSeq, embedding, layerNorm, lmSpec, stack, tied } from './layers.js';

/** The Spec of a GPT-NeoX config. */
export function gptNeox(cfg: HfConfig, name: string): Spec {
  const h = cfg.int('hidden_size', 6144);
  const layers = cfg.layers('num_hidden_layers', 44);
  const heads = cfg.int('num_attention_heads', 64);
  const inter = cfg.int('intermediate_size', 24576);
  const vocab = cfg.int('vocab_size', 50432);
  const bias = cfg.bool('attention_bias', true);
  const parallelResidual = cfg.bool('use_parallel_residual', true);
  const act = cfg.str('hidden_act', 'gelu');
  const d = headDim(cfg, { key: 'hidden_size', value: h }, { key: 'num_attention_heads', value: heads });
  const attn = attention('attention', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: bias, outBias: bias, causal: true });
  const layer = () =>
    decoderLayer(
      parallelResidual ? 'parallel2' : 'sequential',
      [layerNorm('input_layernorm'), layerNorm('post_attention_layernorm')],
      attn,
      plainMlp('mlp', ['dense_h_to_4h', inter], ['act', act], ['dense_4h_to_h', h], true),
    );
  const base = [embedding('embed_in', vocab, h), stack(cfg, 'layers', layers, 'GPTNeoXLayer', layer), layerNorm('final_layer_norm')];
  const lm = withHead(cfg, base, { prefix: 'gpt_neox', name: 'embed_out', vocab, embed: 'embed_in', tie: tied(cfg, false) });
  const wiring = parallelResidual ? 'Each layer adds attention(input_layernorm(x)) and mlp(post_attention_layernorm(x)) to x in parallel.' : 'Each layer adds attention, then the MLP, to x.';
  return lmSpec(name, cfg, defaultSeq(cfg.int('max_position_embeddings', 2048)), lm.layers, [wiring, ...lm.notes]);
}

/** The Spec of a GPT-J config. */
export function gptj(cfg: HfConfig, name: string): Spec {
  const hKey = cfg.has('n_embd') ? 'n_embd' : 'hidden_size';
  const headsKey = cfg.has('n_head') ? 'n_head' : 'num_attention_heads';
  const h = cfg.int(['n_embd', 'hidden_size'], 4096);
  const layers = cfg.layers(['n_layer', 'num_hidden_layers'], 28);
  const heads = cfg.int(['n_head', 'num_attention_heads'], 16);
  const inner = cfg.int('n_inner', 4 * h);
  const vocab = cfg.int('vocab_size', 50400);
  const act = cfg.str('activation_function', 'gelu_new');
  const d = headDim(cfg, { key: hKey, value: h }, { key: headsKey, value: heads });
  const attn = attention('attn', { heads, kvHeads: heads, headDim: d, hidden: h, qkvBias: false, outBias: false, causal: true });
  const layer = () => decoderLayer('parallel1', [layerNorm('ln_1')], attn, plainMlp('mlp', ['fc_in', inner], ['act', act], ['fc_out', h], true));
  const base = [embedding('wte', vocab, h), stack(cfg, 'h', layers, 'GPTJBlock', layer), layerNorm('ln_f')];
  const lm = withHead(cfg, base, { prefix: 'transformer', name: 'lm_head', vocab, embed: 'wte', tie: tied(cfg, false), bias: true });
  return lmSpec(name, cfg, defaultSeq(cfg.int(['n_positions', 'max_position_embeddings'], 2048)), lm.layers, [
    'Attention and the MLP read the same ln_1 output and are added to x together; lm_head has a bias.',
    ...lm.notes,
  ]);
}
