/**
 * @module
 * The decoders built like Llama, as `transformers` builds them: Llama, Mistral, Mixtral (a sparse mixture of experts
 * in place of the MLP), Qwen2 (q, k and v biases), Qwen3 (RMSNorm on q and k per head), Qwen2-MoE and Qwen3-MoE
 * (sparse layers by decoder_sparse_step and mlp_only_layers; Qwen2-MoE adds a shared expert with a sigmoid gate),
 * Gemma (head_dim 256, tied), Gemma 2 and Gemma 3 (norms before and after both sub-blocks; Gemma 3 adds q/k norms),
 * Granite, OLMo (LayerNorms without parameters), OLMo 2 (norms after the sub-blocks only; q/k norms over the whole
 * projection), StableLM (LayerNorms, optional per-head q/k LayerNorms and parallel residual), StarCoder2
 * (LayerNorms, biases, a plain GELU MLP) and Phi-3 (fused qkv_proj and gate_up_proj). llama-traits.ts lists the
 * differences; defaults.ts each class's defaults.
 * Per layer: the norms, self_attn, residual, the MLP or experts, residual; then the final norm and lm_head
 * (*ForCausalLM) or nothing (*Model).
 */
import { block, op, residual, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import { decoderLayer, gatedMlp, plainMlp, withHead } from './blocks.js';
import { headDim, kvHeads, show, type HfConfig } from './config.js';
import { activation, add, attention, defaultSeq, embedding, linear, lmSpec, mul, stack, tied, type AttentionShape, type Role } from './layers.js';
import { TRAITS, type Traits } from './llama-traits.js';
import { expertLayers, moeLayer } from './moe.js';

/** A norm as the family builds it. */
function norm(t: Traits, name: string): OpSpec {
  if (t.norm === 'rms') return op('rmsnorm', {}, { name, role: 'norms' });
  return op('layernorm', t.norm === 'fixed' ? { elementwise_affine: false } : {}, { name, role: 'norms' });
}

/** The attention biases: q/k/v, and o. */
function biases(cfg: HfConfig, t: Traits): { qkv: boolean; o: boolean } {
  switch (t.bias) {
    case 'attention_bias': {
      const b = cfg.bool('attention_bias', false);
      return { qkv: b, o: b };
    }
    case 'use_bias': {
      const b = cfg.bool('use_bias');
      return { qkv: b, o: b };
    }
    case 'use_qkv_bias':
      return { qkv: cfg.bool('use_qkv_bias'), o: false };
    case 'qkv':
      return { qkv: true, o: false };
    case 'none':
      return { qkv: false, o: false };
  }
}

/** Phi-3's MLP: gate_up_proj to 2·I, cut in two, act(gate) · up, down_proj. */
function fusedMlp(width: number, out: number, act: string): LayerSpec {
  return block('mlp', [
    linear('gate_up_proj', 2 * width, false, 'mlp'),
    op('split', { dim: -1, sizes: [width, width] }, { name: 'chunk', role: 'mlp' }),
    op(activation('activation_fn', act, 'mlp').op, activation('activation_fn', act, 'mlp').attrs, { name: 'activation_fn', role: 'mlp', inputs: ['chunk:0'] }),
    mul('mul', 'mlp', ['activation_fn', 'chunk:1']),
    linear('down_proj', out, false, 'mlp'),
  ]);
}

/** The Spec of a Llama-like config. */
export function llama(cfg: HfConfig, name: string): Spec {
  const d = decoderBase(cfg);
  const lm = withHead(cfg, d.base, { prefix: 'model', name: 'lm_head', vocab: d.vocab, embed: 'embed_tokens', tie: tied(cfg, cfg.bool('tie_word_embeddings')) });
  const positions = cfg.has('max_position_embeddings') ? cfg.int('max_position_embeddings') : undefined;
  return lmSpec(name, cfg, defaultSeq(positions), lm.layers, [...d.notes, ...lm.notes], positions === undefined ? {} : { positions: { max: positions, kind: 'rotary', key: 'max_position_embeddings' } });
}

/**
 * The base model of a Llama-like config (…Model: embed_tokens, the layers, the final norm) with its notes; the
 * multimodal models put their image tokens between embed_tokens and the layers.
 */
export function decoderBase(cfg: HfConfig): { base: LayerSpec[]; vocab: number; hidden: number; notes: string[] } {
  const t = TRAITS[cfg.family]!;
  const h = cfg.int('hidden_size');
  const layers = cfg.layers('num_hidden_layers');
  const heads = cfg.int('num_attention_heads');
  const inter = cfg.int('intermediate_size');
  const vocab = cfg.int('vocab_size');
  const hn = { key: 'num_attention_heads', value: heads };
  const numeric = (key: string): number | undefined => {
    const v = cfg.classDefault(key);
    return typeof v === 'number' ? v : undefined;
  };
  const kv = kvHeads(cfg, hn, numeric('num_key_value_heads') ?? heads);
  const d = headDim(cfg, { key: 'hidden_size', value: h }, hn, numeric('head_dim'));
  const bias = biases(cfg, t);
  const mlpBias = (t.mlpBias && cfg.bool('mlp_bias', false)) || (t.bias === 'use_bias' && bias.qkv);
  // Gemma reads hidden_activation and ignores hidden_act; older Gemma configs set only hidden_act.
  const act = t.act === 'hidden_activation' ? cfg.str('hidden_activation', cfg.has('hidden_act') ? cfg.str('hidden_act') : 'gelu_pytorch_tanh') : cfg.str('hidden_act');
  const qkNorm = t.qkNorm === 'qk_layernorm' ? (cfg.bool('qk_layernorm') ? 'heads' : undefined) : t.qkNorm;
  const attn: AttentionShape = { heads, kvHeads: kv, headDim: d, hidden: h, qkvBias: bias.qkv, outBias: bias.o, causal: true, ...(qkNorm ? { qkNorm: true } : {}) };
  const window = slidingLayers(cfg, t.layout, layers.value);
  const attnOp = (i: number): OpSpec => {
    const plain = attention('self_attn', attn);
    const w = window(i);
    const base = w === undefined ? plain : { ...plain, attrs: { ...plain.attrs, window: w } };
    if (qkNorm === undefined || qkNorm === 'head') return base;
    return { ...base, attrs: { ...base.attrs, qk_norm_shape: qkNorm, ...(t.norm === 'layer' ? { qk_norm_type: 'layer' } : {}) } };
  };
  const experts = expertLayers(cfg, t, layers.value);

  const mlp = (i: number): LayerSpec => {
    if (experts.has(i)) return moeLayer(cfg, t);
    if (t.mlp === 'plain') return plainMlp('mlp', ['c_fc', inter], ['act', act], ['c_proj', h], mlpBias);
    if (t.mlp === 'fused') return fusedMlp(inter, h, act);
    return gatedMlp('mlp', inter, h, act, mlpBias);
  };
  const decoder = (i: number): LayerSpec[] => {
    const role: Role = experts.has(i) ? 'experts' : 'mlp';
    switch (t.layout) {
      case 'sandwich':
        return [
          residual([norm(t, 'input_layernorm'), attnOp(i), norm(t, 'post_attention_layernorm')], add('attn_residual', 'attention')),
          residual([norm(t, 'pre_feedforward_layernorm'), mlp(i), norm(t, 'post_feedforward_layernorm')], add('mlp_residual', role)),
        ];
      case 'post':
        return [residual([attnOp(i), norm(t, 'post_attention_layernorm')], add('attn_residual', 'attention')), residual([mlp(i), norm(t, 'post_feedforward_layernorm')], add('mlp_residual', role))];
      case 'stablelm':
        if (cfg.bool('use_parallel_residual')) return decoderLayer('parallel1', [norm(t, 'input_layernorm')], attnOp(i), mlp(i), role);
        return decoderLayer('sequential', [norm(t, 'input_layernorm'), norm(t, 'post_attention_layernorm')], attnOp(i), mlp(i), role);
      case 'pre':
        return decoderLayer('sequential', [norm(t, 'input_layernorm'), norm(t, 'post_attention_layernorm')], attnOp(i), mlp(i), role);
    }
  };
  const base = [embedding('embed_tokens', vocab, h), stack(cfg, 'layers', layers, t.layer, decoder), norm(t, 'norm')];
  const ignored = t.moe ? [] : ['num_local_experts', 'num_experts', 'num_experts_per_tok', 'n_routed_experts'].filter((k) => cfg.has(k));
  const notes = [
    ...(ignored.length
      ? [`${ignored.map((k) => `${k}=${show(cfg.raw[k])}`).join(', ')} ignored: ${cfg.architecture} has no mixture of experts, so transformers builds a dense MLP in every layer and so does nncalc.`]
      : []),
    ...(kv !== heads ? [`Grouped-query attention: ${heads} query heads share ${kv} key/value heads.`] : []),
    ...(experts.size ? [moeNote(t, experts.size, layers.value)] : []),
    ...(t.fusedQkv ? ['self_attn projects q, k and v with one qkv_proj, counted here as q_proj, k_proj and v_proj (the same parameters).'] : []),
    ...(t.norm === 'fixed' ? ['The LayerNorms have no weight and no bias (OLMo): they add no parameters.'] : []),
    ...(cfg.has('sliding_window') && typeof cfg.raw['sliding_window'] === 'number' && cfg.bool('use_sliding_window', true)
      ? [`sliding_window=${cfg.int('sliding_window')} masks the scores of farther positions in ${t.layout === 'sandwich' ? 'the local layers' : 'every layer'}; the matrix multiplies run in full, as in transformers' eager attention, so the window changes no count.`]
      : []),
  ];
  return { base, vocab, hidden: h, notes };
}

/**
 * Which layers attend through a sliding window, and its width (for the KV cache; no count depends on it):
 * `layer_types` when the config lists them; else Gemma 2 alternates local and global layers (even layers local),
 * Gemma 3 makes every `sliding_window_pattern`-th layer global (default 6), Qwen's windows start at
 * max_window_layers, and Mistral-style configs window every layer.
 */
function slidingLayers(cfg: HfConfig, layout: Traits['layout'], count: number): (i: number) => number | undefined {
  const w = cfg.has('sliding_window') ? cfg.raw['sliding_window'] : cfg.classDefault('sliding_window');
  if (typeof w !== 'number' || !cfg.bool('use_sliding_window', true)) return () => undefined;
  const types = cfg.raw['layer_types'];
  if (Array.isArray(types) && types.length === count) return (i) => (types[i] === 'sliding_attention' ? w : undefined);
  const type = cfg.str('model_type', '');
  if (type === 'gemma2') return (i) => (i % 2 === 0 ? w : undefined);
  if (type.startsWith('gemma3')) {
    const p = cfg.raw['sliding_window_pattern'];
    const pattern = typeof p === 'number' ? p : 6;
    return (i) => ((i + 1) % pattern === 0 ? undefined : w);
  }
  if (type.startsWith('qwen')) {
    const m = cfg.raw['max_window_layers'];
    return (i) => (typeof m === 'number' && i < m ? undefined : w);
  }
  return layout === 'sandwich' ? (i) => (i % 2 === 0 ? w : undefined) : () => w;
}

function moeNote(t: Traits, sparse: number, total: number): string {
  const where = sparse === total ? 'Every layer' : `${sparse} of the ${total} layers`;
  const shared = t.moe === 'qwen2_moe' ? ', plus a shared expert scaled by a sigmoid shared_expert_gate' : '';
  return `${where} route each token to num_experts_per_tok experts${shared}; the MoE layer holds the router and every expert, and the active parameters count the router, the chosen experts and any shared expert.`;
}
