/**
 * @module
 * DeepSeek-V2 and V3 (model_type deepseek_v2, deepseek_v3) as `transformers` builds them: multi-head latent attention
 * (the `mla` op: low-rank queries unless q_lora_rank is null, a shared key/value latent, split rotary and non-rotary
 * head dims), RMSNorms, and DeepSeekMoE from layer first_k_dense_replace on: a router of n_routed_experts,
 * num_experts_per_tok routed experts per token and n_shared_experts folded into one shared MLP; the first layers are
 * dense MLPs of intermediate_size. transformers makes every later layer sparse (moe_layer_freq is not read).
 * DeepSeek-V3's router also keeps e_score_correction_bias, a buffer, not a parameter; its multi-token-prediction
 * layer (num_nextn_predict_layers) is in the checkpoint but transformers does not build it.
 */
import { op, type LayerSpec, type Spec } from '../../describe/spec.js';
import { decoderLayer, gatedMlp, withHead } from './blocks.js';
import type { HfConfig } from './config.js';
import { defaultSeq, embedding, lmSpec, rmsNorm, stack, tied } from './layers.js';

/** The Spec of a DeepSeek-V2 or V3 config. */
export function deepseek(cfg: HfConfig, name: string): Spec {
  const v3 = cfg.family === 'deepseek_v3';
  const h = cfg.int('hidden_size');
  const layers = cfg.layers('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const vocab = cfg.int('vocab_size');
  const inter = cfg.int('intermediate_size');
  // An explicit null q_lora_rank (DeepSeek-V2-Lite) means queries without the low-rank step.
  const qLora = cfg.raw['q_lora_rank'] === null ? 0 : cfg.int('q_lora_rank');
  const routed = cfg.raw['n_routed_experts'] === null ? 0 : cfg.int('n_routed_experts', undefined, 0);
  const firstDense = cfg.int('first_k_dense_replace', undefined, 0);
  const act = cfg.str('hidden_act');
  const attn = op(
    'mla',
    {
      num_heads: heads,
      ...(qLora ? { q_lora_rank: qLora } : {}),
      kv_lora_rank: cfg.int('kv_lora_rank'),
      qk_nope_head_dim: cfg.int('qk_nope_head_dim', undefined, 0),
      qk_rope_head_dim: cfg.int('qk_rope_head_dim', undefined, 0),
      v_head_dim: cfg.int('v_head_dim'),
      bias: cfg.bool('attention_bias'),
      causal: true,
    },
    { name: 'self_attn', role: 'attention' },
  );
  const sparse = (i: number): boolean => routed > 0 && i >= firstDense;
  const moe = (): LayerSpec => {
    const topK = cfg.int('num_experts_per_tok');
    if (topK > routed) cfg.fail('num_experts_per_tok', `num_experts_per_tok cannot exceed n_routed_experts=${routed}. Received: num_experts_per_tok=${topK}.`);
    const width = cfg.int('moe_intermediate_size');
    const shared = cfg.raw['n_shared_experts'] === null ? 0 : cfg.int('n_shared_experts', undefined, 0);
    return op(
      'moe',
      { num_experts: routed, top_k: topK, ffn_dim: width, gated: true, ...(shared ? { num_shared_experts: shared, shared_ffn_dim: width } : {}) },
      { name: 'mlp', role: 'experts' },
    );
  };
  const layer = (i: number): LayerSpec[] =>
    decoderLayer('sequential', [rmsNorm('input_layernorm'), rmsNorm('post_attention_layernorm')], attn, sparse(i) ? moe() : gatedMlp('mlp', inter, h, act, false), sparse(i) ? 'experts' : 'mlp');
  const base = [embedding('embed_tokens', vocab, h), stack(cfg, 'layers', layers, v3 ? 'DeepseekV3DecoderLayer' : 'DeepseekV2DecoderLayer', layer), rmsNorm('norm')];
  const lm = withHead(cfg, base, { prefix: 'model', name: 'lm_head', vocab, embed: 'embed_tokens', tie: tied(cfg, cfg.bool('tie_word_embeddings')) });
  const sparseCount = Array.from({ length: layers.value }, (_, i) => i).filter(sparse).length;
  const freq = cfg.has('moe_layer_freq') ? cfg.int('moe_layer_freq') : 1;
  const mtp = v3 && cfg.has('num_nextn_predict_layers') ? cfg.int('num_nextn_predict_layers', undefined, 0) : 0;
  return lmSpec(name, cfg, defaultSeq(cfg.int('max_position_embeddings')), lm.layers, [
    `self_attn is multi-head latent attention: ${qLora ? `queries through a rank-${qLora} bottleneck` : 'queries projected directly'}, keys and values through a shared latent of ${cfg.int('kv_lora_rank')}.`,
    ...(sparseCount
      ? [
          `${firstDense ? `The first ${Math.min(firstDense, layers.value)} layers are dense; the other ${sparseCount}` : `All ${sparseCount} layers`} route each token to num_experts_per_tok of ${routed} experts, plus the shared experts; the active parameters count the router, the chosen experts and the shared ones.`,
        ]
      : []),
    ...(freq !== 1 ? [`moe_layer_freq=${freq} is not read by transformers, which makes every layer from first_k_dense_replace on sparse; so does nncalc.`] : []),
    ...(v3 && sparseCount ? [`Each MoE router also holds e_score_correction_bias [${routed}], a buffer: in the checkpoint, not a parameter.`] : []),
    ...(mtp ? [`The checkpoint's ${mtp} multi-token-prediction layer${mtp > 1 ? 's are' : ' is'} not built by transformers and not counted.`] : []),
    ...lm.notes,
  ]);
}
