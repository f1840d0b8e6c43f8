/**
 * @module
 * How each Llama-like family differs from Llama, as `transformers` builds it: its norms and where they sit, which
 * projections have biases and which key switches them, q/k norms, the MLP's shape and names, and a mixture of experts.
 */
import type { Family } from './families.js';

/** Where a decoder layer's norms sit. */
export type DecoderLayout =
  /** x + attn(input_layernorm(x)), then x + mlp(post_attention_layernorm(x)). */
  | 'pre'
  /** Gemma 2 and 3: a norm before and after each sub-layer, four per layer. */
  | 'sandwich'
  /** OLMo 2: x + post_attention_layernorm(attn(x)), then x + post_feedforward_layernorm(mlp(x)); no input norm. */
  | 'post'
  /** StableLM: pre-norm, or with use_parallel_residual x + attn(ln(x)) + mlp(ln(x)) and no post_attention_layernorm. */
  | 'stablelm';

export interface Traits {
  /** The decoder layer's class name. */
  readonly layer: string;
  /** RMSNorm; LayerNorm with bias; LayerNorm without parameters (OLMo). */
  readonly norm: 'rms' | 'layer' | 'fixed';
  readonly layout: DecoderLayout;
  /**
   * Which projections have biases: 'attention_bias' q/k/v/o when that key says so; 'qkv' q/k/v always (Qwen2);
   * 'use_qkv_bias' q/k/v when that key says so (StableLM); 'use_bias' every linear when that key says so
   * (StarCoder2); 'none'.
   */
  readonly bias: 'attention_bias' | 'qkv' | 'use_qkv_bias' | 'use_bias' | 'none';
  /** The MLP reads mlp_bias (Llama, Granite). */
  readonly mlpBias?: boolean;
  /** q/k norms: RMSNorm [d_head] (Qwen3, Gemma 3), RMSNorm over the whole projection (OLMo 2), or StableLM's qk_layernorm. */
  readonly qkNorm?: 'head' | 'all' | 'qk_layernorm';
  /** The key naming the activation. */
  readonly act: 'hidden_act' | 'hidden_activation';
  /** Gated (gate_proj, up_proj, down_proj), gated with gate and up fused (Phi-3), or plain (StarCoder2's c_fc, c_proj). */
  readonly mlp: 'gated' | 'fused' | 'plain';
  /** Phi-3 projects q, k and v with one qkv_proj (counted as the three). */
  readonly fusedQkv?: boolean;
  /** Mixtral's block_sparse_moe; Qwen-MoE's sparse mlp (with a gated shared expert in Qwen2-MoE). */
  readonly moe?: 'mixtral' | 'qwen2_moe' | 'qwen3_moe';
}

const llama: Traits = { layer: 'LlamaDecoderLayer', norm: 'rms', layout: 'pre', bias: 'attention_bias', mlpBias: true, act: 'hidden_act', mlp: 'gated' };

export const TRAITS: Readonly<Partial<Record<Family, Traits>>> = {
  llama,
  mistral: { ...llama, layer: 'MistralDecoderLayer', bias: 'none', mlpBias: false },
  mixtral: { ...llama, layer: 'MixtralDecoderLayer', bias: 'none', mlpBias: false, moe: 'mixtral' },
  qwen2: { ...llama, layer: 'Qwen2DecoderLayer', bias: 'qkv', mlpBias: false },
  qwen3: { ...llama, layer: 'Qwen3DecoderLayer', mlpBias: false, qkNorm: 'head' },
  qwen2_moe: { ...llama, layer: 'Qwen2MoeDecoderLayer', bias: 'qkv', mlpBias: false, moe: 'qwen2_moe' },
  qwen3_moe: { ...llama, layer: 'Qwen3MoeDecoderLayer', mlpBias: false, qkNorm: 'head', moe: 'qwen3_moe' },
  gemma: { ...llama, layer: 'GemmaDecoderLayer', mlpBias: false, act: 'hidden_activation' },
  gemma2: { ...llama, layer: 'Gemma2DecoderLayer', mlpBias: false, act: 'hidden_activation', layout: 'sandwich' },
  gemma3_text: { ...llama, layer: 'Gemma3DecoderLayer', mlpBias: false, act: 'hidden_activation', layout: 'sandwich', qkNorm: 'head' },
  granite: { ...llama, layer: 'GraniteDecoderLayer' },
  olmo: { ...llama, layer: 'OlmoDecoderLayer', norm: 'fixed', mlpBias: false },
  olmo2: { ...llama, layer: 'Olmo2DecoderLayer', layout: 'post', mlpBias: false, qkNorm: 'all' },
  stablelm: { ...llama, layer: 'StableLmDecoderLayer', norm: 'layer', layout: 'stablelm', bias: 'use_qkv_bias', mlpBias: false, qkNorm: 'qk_layernorm' },
  starcoder2: { ...llama, layer: 'Starcoder2DecoderLayer', norm: 'layer', bias: 'use_bias', mlpBias: false, mlp: 'plain' },
  phi3: { ...llama, layer: 'Phi3DecoderLayer', bias: 'none', mlpBias: false, mlp: 'fused', fusedQkv: true },
};
