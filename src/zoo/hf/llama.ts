/**
 * @module
 * The pre-norm decoders with a gated MLP, as `transformers` builds them: Llama, Mistral, Mixtral (a sparse
 * mixture of experts in place of the MLP), Qwen2 (q, k and v biases), Qwen3 (RMSNorm on q and k per head),
 * Gemma (head_dim 256 by default, tied embeddings) and Gemma 2 (norms before and after both sub-blocks).
 * Per layer: input_layernorm, self_attn, residual, post_attention_layernorm, mlp (gate_proj → act_fn, up_proj,
 * product, down_proj), residual; then the final norm and lm_head (*ForCausalLM) or nothing (*Model).
 * The family defaults are those of each `transformers` config class.
 */
import { block, op, parallel, residual, type LayerSpec, type Spec } from '../../describe/spec.js';
import { headDim, kvHeads, type Family, type HfConfig } from './config.js';
import { activation, add, attention, defaultSeq, embedding, linear, lmSpec, mul, rmsNorm, stack, tied, type Role } from './layers.js';

/** How one family differs from Llama. */
interface Traits {
  /** The decoder layer's class name. */
  readonly layer: string;
  /** Default key/value heads: a number, or the query heads. */
  readonly kv: number | 'heads';
  readonly tie: boolean;
  /** Default head_dim when the key is absent; undefined: hidden/heads. */
  readonly headDim?: number;
  /** Biases on q, k, v and o: read from attention_bias, or fixed. */
  readonly bias: 'attention_bias' | 'qkv' | 'none';
  /** Llama alone reads mlp_bias. */
  readonly mlpBias?: boolean;
  readonly qkNorm?: boolean;
  /** Where the activation's name is and its default. */
  readonly act: readonly [key: string, fallback: string];
  readonly sandwich?: boolean;
  readonly moe?: boolean;
}

const TRAITS: Readonly<Partial<Record<Family, Traits>>> = {
  llama: { layer: 'LlamaDecoderLayer', kv: 'heads', tie: false, bias: 'attention_bias', mlpBias: true, act: ['hidden_act', 'silu'] },
  mistral: { layer: 'MistralDecoderLayer', kv: 8, tie: false, bias: 'none', act: ['hidden_act', 'silu'] },
  mixtral: { layer: 'MixtralDecoderLayer', kv: 8, tie: false, bias: 'none', act: ['hidden_act', 'silu'], moe: true },
  qwen2: { layer: 'Qwen2DecoderLayer', kv: 32, tie: false, bias: 'qkv', act: ['hidden_act', 'silu'] },
  qwen3: { layer: 'Qwen3DecoderLayer', kv: 32, tie: false, headDim: 128, bias: 'attention_bias', qkNorm: true, act: ['hidden_act', 'silu'] },
  gemma: { layer: 'GemmaDecoderLayer', kv: 16, tie: true, headDim: 256, bias: 'attention_bias', act: ['hidden_activation', 'gelu_pytorch_tanh'] },
  gemma2: { layer: 'Gemma2DecoderLayer', kv: 4, tie: true, headDim: 256, bias: 'attention_bias', act: ['hidden_activation', 'gelu_pytorch_tanh'], sandwich: true },
};

/** The Spec of a Llama-family config. */
export function llama(cfg: HfConfig, name: string): Spec {
  const t = TRAITS[cfg.family]!;
  const h = cfg.int('hidden_size');
  const layers = cfg.int('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const inter = cfg.int('intermediate_size');
  const vocab = cfg.int('vocab_size');
  const hn = { key: 'num_attention_heads', value: heads };
  const kv = kvHeads(cfg, hn, t.kv === 'heads' ? heads : t.kv);
  const d = headDim(cfg, { key: 'hidden_size', value: h }, hn, t.headDim);
  const attnBias = t.bias === 'attention_bias' && cfg.bool('attention_bias', false);
  const mlpBias = !!t.mlpBias && cfg.bool('mlp_bias', false);
  // Gemma reads hidden_activation and ignores hidden_act; older Gemma configs set only hidden_act.
  const act = cfg.str(t.act[0], cfg.family.startsWith('gemma') ? cfg.str('hidden_act', t.act[1]) : t.act[1]);
  const positions = cfg.has('max_position_embeddings') ? cfg.int('max_position_embeddings') : undefined;

  const attn = { heads, kvHeads: kv, headDim: d, hidden: h, qkvBias: attnBias || t.bias === 'qkv', outBias: attnBias, qkNorm: !!t.qkNorm, causal: true };
  const mlp = (): LayerSpec => {
    if (t.moe) {
      const experts = cfg.int('num_local_experts', 8);
      const topK = cfg.int('num_experts_per_tok', 2);
      if (topK > experts) cfg.fail('num_experts_per_tok', `num_experts_per_tok cannot exceed num_local_experts=${experts}. Received: num_experts_per_tok=${topK}.`);
      return op('moe', { num_experts: experts, top_k: topK, ffn_dim: inter, gated: true }, { name: 'block_sparse_moe', role: 'experts' });
    }
    return block('mlp', [
      parallel([[linear('gate_proj', inter, mlpBias, 'mlp'), activation('act_fn', act, 'mlp')], [linear('up_proj', inter, mlpBias, 'mlp')]], mul('mul', 'mlp')),
      linear('down_proj', h, mlpBias, 'mlp'),
    ]);
  };
  const mlpRole: Role = t.moe ? 'experts' : 'mlp';
  const decoderLayer = (): LayerSpec[] =>
    t.sandwich
      ? [
          residual([rmsNorm('input_layernorm'), attention('self_attn', attn), rmsNorm('post_attention_layernorm')], add('attn_residual', 'attention')),
          residual([rmsNorm('pre_feedforward_layernorm'), mlp(), rmsNorm('post_feedforward_layernorm')], add('mlp_residual', mlpRole)),
        ]
      : [
          residual([rmsNorm('input_layernorm'), attention('self_attn', attn)], add('attn_residual', 'attention')),
          residual([rmsNorm('post_attention_layernorm'), mlp()], add('mlp_residual', mlpRole)),
        ];
  const base = [embedding('embed_tokens', vocab, h), stack('layers', layers, t.layer, decoderLayer), rmsNorm('norm')];

  const lm = cfg.architecture.endsWith('ForCausalLM');
  const share = tied(cfg, t.tie);
  const notes = [
    ...(kv !== heads ? [`Grouped-query attention: ${heads} query heads share ${kv} key/value heads.`] : []),
    ...(t.moe ? ['block_sparse_moe holds the router and every expert; the active parameters count the router and num_experts_per_tok experts.'] : []),
    ...(lm && share ? ["lm_head's weight is model.embed_tokens.weight (counted once)."] : []),
  ];
  const model = lm ? [block('model', base), linear('lm_head', vocab, false, 'head', share ? { tied: 'model.embed_tokens.weight' } : {})] : base;
  return lmSpec(name, cfg, defaultSeq(positions), model, notes, positions === undefined ? {} : { positions: { max: positions, kind: 'rotary', key: 'max_position_embeddings' } });
}
