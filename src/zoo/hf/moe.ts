/**
 * @module
 * The mixture-of-experts layers of the Llama-like families: which layers are sparse and the MoE layer itself.
 * Mixtral: every layer, block_sparse_moe. Qwen2-MoE and Qwen3-MoE: layer i (from 0) is sparse unless it is in
 * mlp_only_layers, when num_experts > 0 and (i + 1) is a multiple of decoder_sparse_step; its `mlp` holds the router
 * (gate), the experts and, in Qwen2-MoE, shared_expert and shared_expert_gate.
 */
import { op, type OpSpec } from '../../describe/spec.js';
import type { HfConfig } from './config.js';
import type { Traits } from './llama-traits.js';

/** The indices of the layers whose MLP is a mixture of experts. */
export function expertLayers(cfg: HfConfig, t: Traits, layers: number): Set<number> {
  if (!t.moe) return new Set();
  if (t.moe === 'mixtral') return new Set(Array.from({ length: layers }, (_, i) => i));
  const experts = cfg.int('num_experts', undefined, 0);
  const step = cfg.int('decoder_sparse_step');
  const dense = new Set(cfg.ints('mlp_only_layers'));
  const sparse = new Set<number>();
  for (let i = 0; i < layers; i++) if (experts > 0 && !dense.has(i) && (i + 1) % step === 0) sparse.add(i);
  return sparse;
}

/** The MoE layer of a Llama-like family. */
export function moeLayer(cfg: HfConfig, t: Traits): OpSpec {
  const expertsKey = t.moe === 'mixtral' ? 'num_local_experts' : 'num_experts';
  const experts = cfg.int(expertsKey);
  const topK = cfg.int('num_experts_per_tok');
  if (topK > experts) cfg.fail('num_experts_per_tok', `num_experts_per_tok cannot exceed ${expertsKey}=${experts}. Received: num_experts_per_tok=${topK}.`);
  if (t.moe === 'mixtral') return op('moe', { num_experts: experts, top_k: topK, ffn_dim: cfg.int('intermediate_size'), gated: true }, { name: 'block_sparse_moe', role: 'experts' });
  const shared = t.moe === 'qwen2_moe' ? cfg.int('shared_expert_intermediate_size', undefined, 0) : 0;
  return op(
    'moe',
    {
      num_experts: experts,
      top_k: topK,
      ffn_dim: cfg.int('moe_intermediate_size'),
      gated: true,
      ...(shared > 0 ? { num_shared_experts: 1, shared_ffn_dim: shared, shared_expert_gate: true } : {}),
    },
    { name: 'mlp', role: 'experts' },
  );
}
