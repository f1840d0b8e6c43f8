/**
 * @module
 * The zoo's transformers as data: the keys of each model's published config.json on the Hugging Face Hub that
 * decide its structure (values as the files give them; keys the files leave out take the class defaults).
 * `architecture` overrides the file's `architectures[0]` where the usual parameter count describes another class.
 */

/** One zoo transformer: its Hub repository and the relevant keys of its config.json. */
export interface HfZooConfig {
  readonly name: string;
  readonly title: string;
  /** The Hub repository whose config.json this is. */
  readonly repo: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly architecture?: string;
  readonly published?: number;
}

const bert = (layers: number, hidden: number, heads: number) => ({
  architectures: ['BertForMaskedLM'],
  model_type: 'bert',
  hidden_act: 'gelu',
  hidden_size: hidden,
  intermediate_size: 4 * hidden,
  max_position_embeddings: 512,
  num_attention_heads: heads,
  num_hidden_layers: layers,
  type_vocab_size: 2,
  vocab_size: 30522,
});

const gpt2 = (layers: number, hidden: number, heads: number) => ({
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  activation_function: 'gelu_new',
  n_ctx: 1024,
  n_embd: hidden,
  n_head: heads,
  n_layer: layers,
  n_positions: 1024,
  vocab_size: 50257,
});

const llama2 = (layers: number, hidden: number, heads: number, kv: number, inter: number) => ({
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_act: 'silu',
  hidden_size: hidden,
  intermediate_size: inter,
  max_position_embeddings: 4096,
  num_attention_heads: heads,
  num_hidden_layers: layers,
  num_key_value_heads: kv,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: false,
  vocab_size: 32000,
});

const t5 = (layers: number, dModel: number, heads: number) => ({
  architectures: ['T5ForConditionalGeneration'],
  model_type: 't5',
  d_ff: 4 * dModel,
  d_kv: 64,
  d_model: dModel,
  n_positions: 512,
  num_heads: heads,
  num_layers: layers,
  relative_attention_num_buckets: 32,
  vocab_size: 32128,
});

export const HF_CONFIGS: readonly HfZooConfig[] = [
  {
    name: 'bert-base-uncased',
    title: 'BERT-base uncased as BertModel (with pooler): 12 layers, d 768, 12 heads',
    repo: 'google-bert/bert-base-uncased',
    config: bert(12, 768, 12),
    architecture: 'BertModel',
    published: 109_482_240,
  },
  {
    name: 'bert-large-uncased',
    title: 'BERT-large uncased as BertModel (with pooler): 24 layers, d 1024, 16 heads',
    repo: 'google-bert/bert-large-uncased',
    config: bert(24, 1024, 16),
    architecture: 'BertModel',
  },
  { name: 'gpt2', title: 'GPT-2 (124M): 12 layers, d 768, 12 heads, lm_head tied to wte', repo: 'openai-community/gpt2', config: gpt2(12, 768, 12), published: 124_439_808 },
  { name: 'gpt2-medium', title: 'GPT-2 medium (355M): 24 layers, d 1024, 16 heads', repo: 'openai-community/gpt2-medium', config: gpt2(24, 1024, 16) },
  { name: 'gpt2-large', title: 'GPT-2 large (774M): 36 layers, d 1280, 20 heads', repo: 'openai-community/gpt2-large', config: gpt2(36, 1280, 20) },
  { name: 'gpt2-xl', title: 'GPT-2 XL (1.5B): 48 layers, d 1600, 25 heads', repo: 'openai-community/gpt2-xl', config: gpt2(48, 1600, 25) },
  {
    name: 'llama-2-7b',
    title: 'Llama 2 7B: 32 layers, d 4096, 32 heads, SwiGLU 11008',
    repo: 'meta-llama/Llama-2-7b-hf',
    config: llama2(32, 4096, 32, 32, 11008),
    published: 6_738_415_616,
  },
  { name: 'llama-2-13b', title: 'Llama 2 13B: 40 layers, d 5120, 40 heads, SwiGLU 13824', repo: 'meta-llama/Llama-2-13b-hf', config: llama2(40, 5120, 40, 40, 13824) },
  {
    name: 'llama-2-70b',
    title: 'Llama 2 70B: 80 layers, d 8192, 64 query / 8 key-value heads, SwiGLU 28672',
    repo: 'meta-llama/Llama-2-70b-hf',
    config: llama2(80, 8192, 64, 8, 28672),
  },
  {
    name: 'llama-3-8b',
    title: 'Llama 3 8B: 32 layers, d 4096, 32 query / 8 key-value heads, vocabulary 128256',
    repo: 'meta-llama/Meta-Llama-3-8B',
    config: { ...llama2(32, 4096, 32, 8, 14336), max_position_embeddings: 8192, rope_theta: 500000, vocab_size: 128256 },
    published: 8_030_261_248,
  },
  {
    name: 'mistral-7b',
    title: 'Mistral 7B v0.1: 32 layers, d 4096, 32 query / 8 key-value heads, SwiGLU 14336',
    repo: 'mistralai/Mistral-7B-v0.1',
    config: {
      architectures: ['MistralForCausalLM'],
      model_type: 'mistral',
      hidden_act: 'silu',
      hidden_size: 4096,
      intermediate_size: 14336,
      max_position_embeddings: 32768,
      num_attention_heads: 32,
      num_hidden_layers: 32,
      num_key_value_heads: 8,
      sliding_window: 4096,
      tie_word_embeddings: false,
      vocab_size: 32000,
    },
    published: 7_241_732_096,
  },
  {
    name: 'mixtral-8x7b',
    title: 'Mixtral 8x7B v0.1: Mistral 7B with 8 SwiGLU experts per layer, 2 per token',
    repo: 'mistralai/Mixtral-8x7B-v0.1',
    config: {
      architectures: ['MixtralForCausalLM'],
      model_type: 'mixtral',
      hidden_act: 'silu',
      hidden_size: 4096,
      intermediate_size: 14336,
      max_position_embeddings: 32768,
      num_attention_heads: 32,
      num_experts_per_tok: 2,
      num_hidden_layers: 32,
      num_key_value_heads: 8,
      num_local_experts: 8,
      tie_word_embeddings: false,
      vocab_size: 32000,
    },
    published: 46_702_792_704,
  },
  {
    name: 'qwen2-7b',
    title: 'Qwen2 7B: 28 layers, d 3584, 28 query / 4 key-value heads, q/k/v biases',
    repo: 'Qwen/Qwen2-7B',
    config: {
      architectures: ['Qwen2ForCausalLM'],
      model_type: 'qwen2',
      hidden_act: 'silu',
      hidden_size: 3584,
      intermediate_size: 18944,
      max_position_embeddings: 131072,
      num_attention_heads: 28,
      num_hidden_layers: 28,
      num_key_value_heads: 4,
      tie_word_embeddings: false,
      vocab_size: 152064,
    },
    published: 7_615_616_512,
  },
  {
    name: 'qwen3-8b',
    title: 'Qwen3 8B: 36 layers, d 4096, 32 query / 8 key-value heads of 128, q/k RMSNorm',
    repo: 'Qwen/Qwen3-8B',
    config: {
      architectures: ['Qwen3ForCausalLM'],
      model_type: 'qwen3',
      attention_bias: false,
      head_dim: 128,
      hidden_act: 'silu',
      hidden_size: 4096,
      intermediate_size: 12288,
      max_position_embeddings: 40960,
      num_attention_heads: 32,
      num_hidden_layers: 36,
      num_key_value_heads: 8,
      tie_word_embeddings: false,
      vocab_size: 151936,
    },
  },
  {
    name: 'gemma-2b',
    title: 'Gemma 2B: 18 layers, d 2048, 8 query heads / 1 key-value head of 256, GeGLU 16384, tied',
    repo: 'google/gemma-2b',
    config: {
      architectures: ['GemmaForCausalLM'],
      model_type: 'gemma',
      head_dim: 256,
      hidden_act: 'gelu',
      hidden_size: 2048,
      intermediate_size: 16384,
      max_position_embeddings: 8192,
      num_attention_heads: 8,
      num_hidden_layers: 18,
      num_key_value_heads: 1,
      vocab_size: 256000,
    },
    published: 2_506_172_416,
  },
  {
    name: 'gemma-7b',
    title: 'Gemma 7B: 28 layers, d 3072, 16 heads of 256, GeGLU 24576, tied',
    repo: 'google/gemma-7b',
    config: {
      architectures: ['GemmaForCausalLM'],
      model_type: 'gemma',
      head_dim: 256,
      hidden_act: 'gelu',
      hidden_size: 3072,
      intermediate_size: 24576,
      max_position_embeddings: 8192,
      num_attention_heads: 16,
      num_hidden_layers: 28,
      num_key_value_heads: 16,
      vocab_size: 256000,
    },
  },
  {
    name: 'phi-2',
    title: 'Phi-2: 32 layers, d 2560, 32 heads, parallel attention and MLP, biases throughout',
    repo: 'microsoft/phi-2',
    config: {
      architectures: ['PhiForCausalLM'],
      model_type: 'phi',
      hidden_act: 'gelu_new',
      hidden_size: 2560,
      intermediate_size: 10240,
      max_position_embeddings: 2048,
      num_attention_heads: 32,
      num_hidden_layers: 32,
      num_key_value_heads: 32,
      partial_rotary_factor: 0.4,
      qk_layernorm: false,
      tie_word_embeddings: false,
      vocab_size: 51200,
    },
    published: 2_779_683_840,
  },
  { name: 't5-small', title: 'T5 small: 6 + 6 layers, d 512, 8 heads, ReLU 2048, tied', repo: 'google-t5/t5-small', config: t5(6, 512, 8), published: 60_506_624 },
  { name: 't5-base', title: 'T5 base: 12 + 12 layers, d 768, 12 heads, ReLU 3072, tied', repo: 'google-t5/t5-base', config: t5(12, 768, 12) },
];
