import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { errorOf } from '../../../test/helpers.js';
import { ModelError } from '../../errors.js';
import { summarize } from '../../summarize.js';
import { fromHfConfig } from './index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/hf/${name}.json`, import.meta.url), 'utf8'));
const params = (config: unknown): number => Number(summarize(fromHfConfig(config)).totals.params);

/** The ModelError a config raises. */
const failure = (config: unknown): ModelError => errorOf(() => fromHfConfig(config));

describe('config.json files as published on the Hub', () => {
  test('gpt2: 124,439,808 (lm_head tied to wte)', () => {
    expect(params(fixture('gpt2'))).toBe(124_439_808);
  });

  test('Llama-2-7b-hf: 6,738,415,616, named after its _name_or_path', () => {
    const spec = fromHfConfig(fixture('llama-2-7b'));
    expect(spec.name).toBe('meta-llama/Llama-2-7b-hf');
    expect(summarize(spec).totals.params).toBe(6_738_415_616);
  });

  test('Mixtral-8x7B-v0.1: 46,702,792,704 in total, 12,879,925,248 active', () => {
    const r = summarize(fromHfConfig(fixture('mixtral-8x7b')));
    expect([r.totals.params, r.totals.active]).toEqual([46_702_792_704, 12_879_925_248]);
  });

  test('bert-base-uncased lists BertForMaskedLM: 109,514,298', () => {
    // BertModel 109,482,240 without its pooler (768² + 768 = 590,592), plus the MLM transform (590,592 + 1,536 for
    // its LayerNorm) and the decoder bias 30,522; the decoder weight is the word-embedding matrix.
    expect(params(fixture('bert-base-uncased'))).toBe(109_482_240 - 590_592 + 590_592 + 1_536 + 30_522);
  });

  test('t5-small: 60,506,624', () => {
    expect(params(fixture('t5-small'))).toBe(60_506_624);
  });
});

describe('family defaults for keys a config leaves out', () => {
  const mistral = { model_type: 'mistral', hidden_size: 64, intermediate_size: 96, num_attention_heads: 16, num_hidden_layers: 1, vocab_size: 10 };

  test('Mistral: 8 key/value heads; Llama: as many as query heads', () => {
    // d_head = 64/16 = 4: k_proj is 8·4 × 64 for Mistral, 16·4 × 64 for Llama.
    const kProj = (config: object) =>
      summarize(fromHfConfig(config)).layers.find((l) => l.name === 'model.layers.0.self_attn')!.weights.find((w) => w.name === 'k_proj.weight')!.shape;
    expect(kProj(mistral)).toEqual([32, 64]);
    expect(kProj({ ...mistral, model_type: 'llama' })).toEqual([64, 64]);
  });

  test('num_key_value_heads: null means as many as the query heads, as transformers reads it', () => {
    const attn = summarize(fromHfConfig({ ...mistral, num_key_value_heads: null })).layers.find((l) => l.name === 'model.layers.0.self_attn')!;
    expect(attn.weights.find((w) => w.name === 'k_proj.weight')!.shape).toEqual([64, 64]);
  });

  test('Gemma: head_dim 256 and a tied lm_head; Llama: untied', () => {
    const gemma = summarize(fromHfConfig({ ...mistral, model_type: 'gemma', num_attention_heads: 2, num_key_value_heads: 1 }));
    const q = gemma.layers.find((l) => l.name === 'model.layers.0.self_attn')!.weights[0]!;
    expect(q.shape).toEqual([2 * 256, 64]);
    expect(gemma.totals.tied).toBe(10 * 64);
    expect(summarize(fromHfConfig({ ...mistral, model_type: 'llama' })).totals.tied).toBe(0);
  });

  test('GPT-2: n_inner null means 4·n_embd', () => {
    const r = summarize(fromHfConfig({ model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 1, n_inner: null, vocab_size: 10 }));
    expect(r.layers.find((l) => l.name === 'transformer.h.0.mlp.c_fc')!.outputShape).toEqual([1, 128, 64]);
  });

  test('T5: num_decoder_layers null means num_layers; no architectures means T5ForConditionalGeneration', () => {
    const r = summarize(fromHfConfig({ model_type: 't5', d_model: 16, d_kv: 4, d_ff: 32, num_heads: 4, num_layers: 3, num_decoder_layers: null, vocab_size: 10 }));
    expect(r.layers.map((l) => l.name)).toContain('decoder.block.2.layer.2.DenseReluDense.wo');
    expect(r.layers.at(-1)!.name).toBe('lm_head');
  });

  test('a config without model_type is recognised by its architecture', () => {
    expect(fromHfConfig({ architectures: ['GPT2LMHeadModel'], n_embd: 16, n_head: 2, n_layer: 1, vocab_size: 10 }).source).toContain("model_type 'gpt2'");
  });

  test('the sequence defaults to 128 tokens, or the position table when it is shorter', () => {
    expect(fromHfConfig({ model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 1, vocab_size: 10 }).input).toEqual([1, 128]);
    expect(fromHfConfig({ model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 1, vocab_size: 10, n_positions: 32 }).input).toEqual([1, 32]);
  });
});

describe('bad configs', () => {
  test('an unknown model_type without the decoder keys lists the supported families and the keys it lacks', () => {
    // RWKV-4's config (RWKV/rwkv-4-169m-pile): no attention heads, no intermediate size.
    const e = failure({ model_type: 'rwkv', architectures: ['RwkvForCausalLM'], hidden_size: 768, num_hidden_layers: 12, attention_hidden_size: 768, intermediate_size: null, vocab_size: 50277 });
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain("model_type 'rwkv' is not supported");
    expect(e.message).toContain('llama');
    expect(e.message).toContain('lacks intermediate_size, num_attention_heads');
    expect(e.loc).toEqual({ kind: 'path', path: ['model_type'] });
  });

  test('an unsupported architecture lists the supported ones', () => {
    const e = failure({ model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: 64 });
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('BertModel, BertForMaskedLM');
  });

  test("a missing key takes the class default, as transformers' LlamaConfig fills hidden_size with 4096", () => {
    const r = summarize(fromHfConfig({ model_type: 'llama', num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 8, vocab_size: 10 }));
    expect(r.layers.find((l) => l.name === 'model.embed_tokens')!.outputShape).toEqual([1, 128, 4096]);
  });

  test('a negative size is named with its value', () => {
    const e = failure({ model_type: 'gpt2', n_embd: 16, n_head: 2, n_layer: 1, vocab_size: -5 });
    expect(e.code).toBe('spec');
    expect(e.message).toContain('vocab_size=-5');
  });

  test('heads that do not divide the hidden size, without head_dim', () => {
    const e = failure({ model_type: 'bert', hidden_size: 100, num_attention_heads: 12, num_hidden_layers: 1, intermediate_size: 8, vocab_size: 10 });
    expect(e.message).toContain('num_attention_heads');
    expect(e.message).toContain('hidden_size=100');
    // With head_dim the heads need not divide it (Gemma 7B: 16 heads of 256 on a hidden size of 3072).
    expect(() => fromHfConfig({ model_type: 'llama', hidden_size: 100, head_dim: 8, num_attention_heads: 12, num_hidden_layers: 1, intermediate_size: 8, vocab_size: 10 })).not.toThrow();
  });

  test('query heads must be a multiple of key/value heads', () => {
    const e = failure({ model_type: 'llama', hidden_size: 64, num_attention_heads: 8, num_key_value_heads: 3, num_hidden_layers: 1, intermediate_size: 8, vocab_size: 10 });
    expect(e.message).toContain('num_key_value_heads=3');
  });

  test("a default key/value head count that does not fit says it is the family's default", () => {
    const e = failure({ model_type: 'qwen2', hidden_size: 56, num_attention_heads: 28, num_hidden_layers: 1, intermediate_size: 8, vocab_size: 10 });
    expect(e.message).toContain("model_type 'qwen2' defaults it to 32");
  });

  test('not an object', () => {
    expect(failure([1, 2]).code).toBe('spec');
    expect(failure('gpt2').code).toBe('spec');
  });

  test('a value of the wrong type', () => {
    expect(failure({ model_type: 'llama', hidden_size: '4096' }).message).toContain("hidden_size='4096'");
    expect(failure({ model_type: 't5', d_model: 16, d_kv: 4, d_ff: 32, num_heads: 4, num_layers: 1, vocab_size: 10, feed_forward_proj: 'fancy-gelu' }).message).toContain('feed_forward_proj');
  });
});

describe('a model_type nncalc does not know, with the standard decoder keys', () => {
  // internlm/internlm2-7b's config.json (huggingface.co/internlm/internlm2-7b), model_type 'internlm2'.
  const r = summarize(fromHfConfig(fixture('internlm2-7b')));

  test('is counted as a Llama-like decoder: 7,737,708,544, which the Hub rounds to 7.74B', () => {
    // Untied embeddings 2·92,544·4096 = 758,120,448; per layer q and o 2·4096², k and v 2·4096·(8·128), gated MLP
    // 3·4096·14,336, two RMSNorms 2·4096: 33,554,432 + 8,388,608 + 176,160,768 + 8,192 = 218,112,000; ×32 + 4,096.
    expect(r.totals.params).toBe(758_120_448 + 32 * 218_112_000 + 4096);
    expect(r.layers.map((l) => l.name)).toContain('model.layers.31.mlp.down_proj');
  });

  test('says which architecture it assumed, and that the totals are approximate', () => {
    expect(r.model.notes[0]).toContain("model_type 'internlm2' is not a family nncalc knows; it is counted as a Llama-like decoder");
    expect(r.model.approximate).toBe("model_type 'internlm2' counted as a Llama-like decoder");
    expect(r.diagnostics[0]).toEqual({ severity: 'warning', message: "model_type 'internlm2' counted as a Llama-like decoder" });
    expect(r.model.source).toContain('assumed Llama-like');
  });

  test('a known family is exact: no approximation, no warning', () => {
    const llama = summarize(fromHfConfig(fixture('llama-2-7b')));
    expect(llama.model.approximate).toBeUndefined();
    expect(llama.diagnostics).toEqual([]);
  });
});

describe('layer counts are capped like the spec reader (100,000 layers)', () => {
  const llama = { model_type: 'llama', hidden_size: 16, intermediate_size: 32, num_attention_heads: 2, vocab_size: 10 };

  test('num_hidden_layers: 1,000,000,000 is an error at the key, not an allocation', () => {
    const e = failure({ ...llama, num_hidden_layers: 1_000_000_000 });
    expect(e.loc).toEqual({ kind: 'path', path: ['num_hidden_layers'] });
    expect(e.message).toContain('1,000,000,000 layers; nncalc builds at most 100,000');
  });

  test('20,000 decoder layers of 10 layers each pass the limit: an error at the key', () => {
    // Each LlamaDecoderLayer builds input_layernorm, self_attn, a residual add, post_attention_layernorm, gate_proj,
    // act_fn, up_proj, mul, down_proj and a residual add.
    const e = failure({ ...llama, num_hidden_layers: 20_000 });
    expect(e.loc).toEqual({ kind: 'path', path: ['num_hidden_layers'] });
    expect(e.message).toContain('makes 200,000 layers (10 per block)');
  });

  test("T5's num_decoder_layers is charged with the encoder's layers", () => {
    const t5 = { model_type: 't5', d_model: 16, d_kv: 4, d_ff: 32, num_heads: 4, num_layers: 2, vocab_size: 10 };
    expect(failure({ ...t5, num_decoder_layers: 1_000_000_000 }).loc).toEqual({ kind: 'path', path: ['num_decoder_layers'] });
    expect(failure({ ...t5, num_decoder_layers: 10_000 }).message).toContain('num_decoder_layers=10000');
    expect(failure({ ...t5, num_layers: 10_000 }).loc).toEqual({ kind: 'path', path: ['num_layers'] });
  });

  test("a nested config's layers are charged too, and the error names its path", () => {
    const e = failure({ model_type: 'clip', vision_config: { num_hidden_layers: 1_000_000 } });
    expect(e.loc).toEqual({ kind: 'path', path: ['vision_config', 'num_hidden_layers'] });
    expect(e.message).toContain("'num_hidden_layers' in vision_config asks for 1,000,000 layers");
  });

  test("ALBERT's inner_group_num and LLaVA's list of feature layers are charged before anything is built", () => {
    const albert = { model_type: 'albert', hidden_size: 16, num_attention_heads: 2, intermediate_size: 8, embedding_size: 8, vocab_size: 10 };
    expect(failure({ ...albert, num_hidden_layers: 12, inner_group_num: 50_000 }).loc).toEqual({ kind: 'path', path: ['inner_group_num'] });
    const llava = { model_type: 'llava', text_config: { num_hidden_layers: 1, hidden_size: 16, num_attention_heads: 2, intermediate_size: 8 }, vision_config: { num_hidden_layers: 1 } };
    expect(failure({ ...llava, vision_feature_layer: new Array(200_000).fill(-1) }).loc).toEqual({ kind: 'path', path: ['vision_feature_layer'] });
  });

  test('sizes are bounded like every size nncalc reads (2^31 − 1)', () => {
    expect(failure({ ...llama, num_hidden_layers: 1, hidden_size: 2 ** 40 }).message).toContain('from 1 to 2,147,483,647');
  });

  test('a deep but legal model is built', () => {
    expect(summarize(fromHfConfig({ ...llama, num_hidden_layers: 500 })).totals.layers).toBe(500 * 10 + 3);
  });
});

describe('a llama config with MoE keys', () => {
  test('is dense, as transformers builds it, with a note that the keys were ignored', () => {
    const base = { model_type: 'llama', hidden_size: 16, intermediate_size: 32, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 10 };
    const r = summarize(fromHfConfig({ ...base, num_local_experts: 8, num_experts_per_tok: 2 }));
    expect(r.totals.params).toBe(summarize(fromHfConfig(base)).totals.params);
    expect(r.totals.active).toBeUndefined();
    expect(r.model.notes).toContain(
      'num_local_experts=8, num_experts_per_tok=2 ignored: LlamaForCausalLM has no mixture of experts, so transformers builds a dense MLP in every layer and so does nncalc.',
    );
  });
});
