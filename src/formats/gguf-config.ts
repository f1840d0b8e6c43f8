/**
 * @module
 * GGUF architecture metadata → a Hugging Face config.json, so nncalc's transformer builders (src/zoo/hf) give the
 * per-layer report, MACs included. Keys are `<arch>.embedding_length`, `.block_count`, `.feed_forward_length`,
 * `.attention.head_count`, `.attention.head_count_kv`, `.attention.key_length`, `.context_length` (ggml
 * docs/gguf.md, "LLM"); the vocabulary size is the token embedding's row count, and the output embedding is tied
 * when the file has no `output.weight`. The same tables rename GGUF tensors (`blk.0.attn_q.weight`) to the Hugging
 * Face module names (`model.layers.0.self_attn.q_proj.weight`), so the file can be checked against the builder.
 */
import type { TensorInfo } from './format.js';
import type { GgufValue } from './gguf.js';

/** How one GGUF architecture becomes a Hugging Face family. */
interface Mapping {
  readonly modelType: string;
  readonly architecture: string;
  /** Hugging Face config keys from GGUF values (null: leave the key out). */
  config(get: (key: string) => number | undefined, t: TensorFacts): Record<string, unknown>;
  /** GGUF module → Hugging Face module; `N` is the block index. */
  readonly names: Readonly<Record<string, string>>;
}

interface TensorFacts {
  readonly vocab: number | undefined;
  readonly tied: boolean;
  readonly has: (name: string) => boolean;
}

const LLAMA_NAMES: Record<string, string> = {
  token_embd: 'model.embed_tokens',
  output_norm: 'model.norm',
  output: 'lm_head',
  'blk.N.attn_norm': 'model.layers.N.input_layernorm',
  'blk.N.attn_q': 'model.layers.N.self_attn.q_proj',
  'blk.N.attn_k': 'model.layers.N.self_attn.k_proj',
  'blk.N.attn_v': 'model.layers.N.self_attn.v_proj',
  'blk.N.attn_output': 'model.layers.N.self_attn.o_proj',
  'blk.N.attn_q_norm': 'model.layers.N.self_attn.q_norm',
  'blk.N.attn_k_norm': 'model.layers.N.self_attn.k_norm',
  'blk.N.ffn_norm': 'model.layers.N.post_attention_layernorm',
  'blk.N.ffn_gate': 'model.layers.N.mlp.gate_proj',
  'blk.N.ffn_up': 'model.layers.N.mlp.up_proj',
  'blk.N.ffn_down': 'model.layers.N.mlp.down_proj',
  'blk.N.ffn_gate_inp': 'model.layers.N.block_sparse_moe.gate',
  'blk.N.ffn_gate_exps': 'model.layers.N.block_sparse_moe.experts.gate_proj',
  'blk.N.ffn_up_exps': 'model.layers.N.block_sparse_moe.experts.up_proj',
  'blk.N.ffn_down_exps': 'model.layers.N.block_sparse_moe.experts.down_proj',
};

const GEMMA2_NAMES: Record<string, string> = {
  ...LLAMA_NAMES,
  'blk.N.post_attention_norm': 'model.layers.N.post_attention_layernorm',
  'blk.N.ffn_norm': 'model.layers.N.pre_feedforward_layernorm',
  'blk.N.post_ffw_norm': 'model.layers.N.post_feedforward_layernorm',
};

/** The decoder keys shared by the Llama-style families. */
function decoder(get: (key: string) => number | undefined, t: TensorFacts, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const heads = get('attention.head_count');
  const hidden = get('embedding_length');
  const keyLength = get('attention.key_length');
  return {
    hidden_size: hidden,
    num_hidden_layers: get('block_count'),
    intermediate_size: get('feed_forward_length'),
    num_attention_heads: heads,
    num_key_value_heads: get('attention.head_count_kv') ?? heads,
    ...(keyLength !== undefined ? { head_dim: keyLength } : {}),
    vocab_size: t.vocab,
    max_position_embeddings: get('context_length'),
    tie_word_embeddings: t.tied,
    ...extra,
  };
}

const MAPPINGS: Readonly<Record<string, Mapping>> = {
  llama: {
    modelType: 'llama',
    architecture: 'LlamaForCausalLM',
    config: (get, t) => {
      const experts = get('expert_count') ?? 0;
      if (experts > 0) return decoder(get, t, { model_type: 'mixtral', architectures: ['MixtralForCausalLM'], num_local_experts: experts, num_experts_per_tok: get('expert_used_count') });
      return decoder(get, t, { attention_bias: t.has('blk.0.attn_q.bias'), mlp_bias: t.has('blk.0.ffn_up.bias') });
    },
    names: LLAMA_NAMES,
  },
  qwen2: { modelType: 'qwen2', architecture: 'Qwen2ForCausalLM', config: (get, t) => decoder(get, t), names: LLAMA_NAMES },
  qwen3: { modelType: 'qwen3', architecture: 'Qwen3ForCausalLM', config: (get, t) => decoder(get, t, { attention_bias: t.has('blk.0.attn_q.bias') }), names: LLAMA_NAMES },
  gemma: { modelType: 'gemma', architecture: 'GemmaForCausalLM', config: (get, t) => decoder(get, t), names: LLAMA_NAMES },
  gemma2: { modelType: 'gemma2', architecture: 'Gemma2ForCausalLM', config: (get, t) => decoder(get, t), names: GEMMA2_NAMES },
  phi2: {
    modelType: 'phi',
    architecture: 'PhiForCausalLM',
    config: (get, t) => ({
      hidden_size: get('embedding_length'),
      num_hidden_layers: get('block_count'),
      intermediate_size: get('feed_forward_length'),
      num_attention_heads: get('attention.head_count'),
      vocab_size: t.vocab,
      max_position_embeddings: get('context_length'),
      tie_word_embeddings: t.tied,
    }),
    names: {
      token_embd: 'model.embed_tokens',
      output_norm: 'model.final_layernorm',
      output: 'lm_head',
      'blk.N.attn_norm': 'model.layers.N.input_layernorm',
      'blk.N.attn_qkv': 'model.layers.N.self_attn.qkv',
      'blk.N.attn_q': 'model.layers.N.self_attn.q_proj',
      'blk.N.attn_k': 'model.layers.N.self_attn.k_proj',
      'blk.N.attn_v': 'model.layers.N.self_attn.v_proj',
      'blk.N.attn_output': 'model.layers.N.self_attn.dense',
      'blk.N.ffn_up': 'model.layers.N.mlp.fc1',
      'blk.N.ffn_down': 'model.layers.N.mlp.fc2',
    },
  },
  gpt2: {
    modelType: 'gpt2',
    architecture: 'GPT2LMHeadModel',
    config: (get, t) => ({
      n_embd: get('embedding_length'),
      n_layer: get('block_count'),
      n_head: get('attention.head_count'),
      n_inner: get('feed_forward_length'),
      n_positions: get('context_length'),
      vocab_size: t.vocab,
      tie_word_embeddings: t.tied,
    }),
    names: {
      token_embd: 'transformer.wte',
      position_embd: 'transformer.wpe',
      output_norm: 'transformer.ln_f',
      output: 'lm_head',
      'blk.N.attn_norm': 'transformer.h.N.ln_1',
      'blk.N.attn_qkv': 'transformer.h.N.attn.c_attn',
      'blk.N.attn_output': 'transformer.h.N.attn.c_proj',
      'blk.N.ffn_norm': 'transformer.h.N.ln_2',
      'blk.N.ffn_up': 'transformer.h.N.mlp.c_fc',
      'blk.N.ffn_down': 'transformer.h.N.mlp.c_proj',
    },
  },
};

/** The GGUF architectures nncalc maps to a builder. */
export const GGUF_ARCHITECTURES = Object.keys(MAPPINGS);

/**
 * A Hugging Face config for the file's architecture, or notes saying why there is none.
 * @example configFromGguf(header.metadata, header.tensors).config?.['hidden_size'] // 4096
 */
export function configFromGguf(meta: ReadonlyMap<string, GgufValue>, tensors: readonly TensorInfo[]): { config?: Record<string, unknown>; notes: string[] } {
  const arch = meta.get('general.architecture');
  if (typeof arch !== 'string') return { notes: ['The file has no general.architecture, so nncalc groups its tensors by name and cannot count MACs.'] };
  const mapping = Object.hasOwn(MAPPINGS, arch) ? MAPPINGS[arch] : undefined;
  if (!mapping) {
    return { notes: [`general.architecture '${arch.slice(0, 80)}' has no builder in nncalc (it maps ${GGUF_ARCHITECTURES.join(', ')}), so the tensors are grouped by name and MACs are unknown.`] };
  }
  const names = new Set(tensors.map((t) => t.name));
  const embed = tensors.find((t) => t.name === 'token_embd.weight');
  const facts: TensorFacts = { vocab: embed?.shape[0], tied: !names.has('output.weight'), has: (n) => names.has(n) };
  const bad: string[] = [];
  const get = (key: string): number | undefined => {
    const v = meta.get(`${arch}.${key}`);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    bad.push(`${arch}.${key} = ${typeof v === 'object' ? `an array of ${v.count}` : String(v)}`);
    return undefined;
  };
  // The metadata must agree with the tensors it describes before it may drive a build.
  const blocks = new Set(tensors.map((t) => /^blk\.(\d+)\./.exec(t.name)?.[1]).filter((i) => i !== undefined)).size;
  const declared = get('block_count');
  if (tensors.length && declared !== undefined && declared !== blocks) {
    return { notes: [`${arch}.block_count is ${declared}, but the file's tensors hold ${blocks} blocks (blk.N), so nncalc does not build the architecture from the metadata; the tensors are grouped by name.`] };
  }
  const width = get('embedding_length');
  if (embed && width !== undefined && embed.shape[1] !== width) {
    return { notes: [`${arch}.embedding_length is ${width}, but token_embd.weight is [${embed.shape.join(', ')}], so nncalc does not build the architecture from the metadata.`] };
  }
  const config: Record<string, unknown> = { model_type: mapping.modelType, architectures: [mapping.architecture], ...mapping.config(get, facts) };
  for (const [k, v] of Object.entries(config)) if (v === undefined) delete config[k];
  if (bad.length) {
    return { notes: [`general.architecture '${arch}' is known, but ${bad.join('; ')} is not a single count nncalc can build from (per-layer values are not supported), so MACs are unknown.`] };
  }
  const name = meta.get('general.name');
  if (typeof name === 'string') config['_name_or_path'] = name;
  return { config, notes: [`general.architecture '${arch}' is read as a Hugging Face ${config['architectures']?.toString()} config; its layers, shapes and MACs come from that architecture.`] };
}

/**
 * The Hugging Face name of a GGUF tensor ('blk.3.attn_q.weight' → 'model.layers.3.self_attn.q_proj.weight'), or
 * undefined when the architecture or the tensor has no mapping.
 */
export function hfTensorName(arch: string, name: string): string | undefined {
  const mapping = Object.hasOwn(MAPPINGS, arch) ? MAPPINGS[arch] : undefined;
  const m = /^(?:blk\.(\d+)\.)?([^.]+)\.(weight|bias)$/.exec(name);
  if (!mapping || !m) return undefined;
  const key = m[1] === undefined ? m[2]! : `blk.N.${m[2]}`;
  const target = Object.hasOwn(mapping.names, key) ? mapping.names[key] : undefined;
  return target === undefined ? undefined : `${target.replace('.N.', `.${m[1]}.`)}.${m[3]}`;
}
