/**
 * @module
 * Zoo decoders with fused or GPT-style attention: Pythia and GPT-NeoX-20B, GPT-J, OPT, BLOOM, Falcon, MPT, StarCoder.
 */
import type { HfZooConfig } from './zoo-config.js';

const neox = (h: number, layers: number, heads: number, inter: number, vocab: number) => ({
  architectures: ['GPTNeoXForCausalLM'],
  model_type: 'gpt_neox',
  hidden_act: 'gelu',
  hidden_size: h,
  intermediate_size: inter,
  max_position_embeddings: 2048,
  num_attention_heads: heads,
  num_hidden_layers: layers,
  rotary_pct: 0.25,
  tie_word_embeddings: false,
  use_parallel_residual: true,
  vocab_size: vocab,
});

const optConfig = (h: number, layers: number, heads: number, ffn: number, proj = h, pre = true) => ({
  architectures: ['OPTForCausalLM'],
  model_type: 'opt',
  activation_function: 'relu',
  do_layer_norm_before: pre,
  ffn_dim: ffn,
  hidden_size: h,
  max_position_embeddings: 2048,
  num_attention_heads: heads,
  num_hidden_layers: layers,
  vocab_size: 50272,
  word_embed_proj_dim: proj,
});

const bigcode = (h: number, layers: number, heads: number, inner: number, positions: number, vocab: number) => ({
  architectures: ['GPTBigCodeForCausalLM'],
  model_type: 'gpt_bigcode',
  activation_function: 'gelu_pytorch_tanh',
  multi_query: true,
  n_embd: h,
  n_head: heads,
  n_inner: inner,
  n_layer: layers,
  n_positions: positions,
  vocab_size: vocab,
});

export const DECODER_CONFIGS: readonly HfZooConfig[] = [
  { name: 'pythia-70m', title: 'Pythia 70M (GPT-NeoX): 6 layers, d 512, parallel residual, untied embed_out', repo: 'EleutherAI/pythia-70m', config: neox(512, 6, 8, 2048, 50304), published: 70_426_624 },
  { name: 'gpt-neox-20b', title: 'GPT-NeoX-20B: 44 layers, d 6144, 64 heads', repo: 'EleutherAI/gpt-neox-20b', config: neox(6144, 44, 64, 24576, 50432), published: 20_554_567_680 },
  {
    name: 'gpt-j-6b',
    title: 'GPT-J 6B: 28 layers, d 4096, attention and MLP in parallel, lm_head with bias',
    repo: 'EleutherAI/gpt-j-6b',
    config: {
      architectures: ['GPTJForCausalLM'],
      model_type: 'gptj',
      activation_function: 'gelu_new',
      n_embd: 4096,
      n_head: 16,
      n_inner: null,
      n_layer: 28,
      n_positions: 2048,
      rotary_dim: 64,
      tie_word_embeddings: false,
      vocab_size: 50400,
    },
  },
  { name: 'opt-125m', title: 'OPT-125m: 12 layers, d 768, learned positions (+2 rows), tied', repo: 'facebook/opt-125m', config: optConfig(768, 12, 12, 3072), published: 125_239_296 },
  {
    name: 'opt-350m',
    title: 'OPT-350m: 24 post-norm layers, d 1024, embeddings of 512 projected in and out',
    repo: 'facebook/opt-350m',
    config: optConfig(1024, 24, 16, 4096, 512, false),
    published: 331_196_416,
  },
  { name: 'opt-1.3b', title: 'OPT-1.3b: 24 layers, d 2048, 32 heads', repo: 'facebook/opt-1.3b', config: optConfig(2048, 24, 32, 8192), published: 1_315_758_080 },
  {
    name: 'bloom-560m',
    title: 'BLOOM-560m: 24 layers, d 1024, ALiBi, vocabulary 250,880, tied',
    repo: 'bigscience/bloom-560m',
    config: { architectures: ['BloomForCausalLM'], model_type: 'bloom', hidden_size: 1024, n_head: 16, n_layer: 24, vocab_size: 250880 },
    published: 559_214_592,
  },
  {
    name: 'falcon-7b',
    title: 'Falcon-7B: 32 layers, d 4544, 71 query heads / 1 key-value head, parallel attention, tied',
    repo: 'tiiuae/falcon-7b',
    config: {
      architectures: ['FalconForCausalLM'],
      model_type: 'falcon',
      alibi: false,
      bias: false,
      hidden_size: 4544,
      multi_query: true,
      new_decoder_architecture: false,
      num_attention_heads: 71,
      num_hidden_layers: 32,
      parallel_attn: true,
      vocab_size: 65024,
    },
  },
  {
    name: 'mpt-7b',
    title: 'MPT-7B: 32 layers, d 4096, no biases, ALiBi, tied',
    repo: 'mosaicml/mpt-7b',
    config: {
      architectures: ['MPTForCausalLM'],
      model_type: 'mpt',
      d_model: 4096,
      expansion_ratio: 4,
      learned_pos_emb: true,
      max_seq_len: 2048,
      n_heads: 32,
      n_layers: 32,
      no_bias: true,
      vocab_size: 50432,
    },
  },
  { name: 'starcoderbase-1b', title: 'StarCoderBase-1B (GPTBigCode): 24 layers, d 2048, multi-query attention', repo: 'bigcode/starcoderbase-1b', config: bigcode(2048, 24, 16, 8192, 8192, 49152) },
  { name: 'starcoder', title: 'StarCoder 15.5B (GPTBigCode): 40 layers, d 6144, multi-query attention, 8K positions', repo: 'bigcode/starcoder', config: bigcode(6144, 40, 48, 24576, 8192, 49152) },
];
