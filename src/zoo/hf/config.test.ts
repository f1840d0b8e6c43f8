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
  test('an unknown model_type lists the supported families', () => {
    const e = failure({ model_type: 'falcon', hidden_size: 64 });
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain("'falcon'");
    expect(e.message).toContain('llama');
    expect(e.loc).toEqual({ kind: 'path', path: ['model_type'] });
  });

  test('an unsupported architecture lists the supported ones', () => {
    const e = failure({ model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: 64 });
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('BertModel, BertForMaskedLM');
  });

  test('a missing key is named', () => {
    const e = failure({ model_type: 'llama', num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 8, vocab_size: 10 });
    expect(e.code).toBe('spec');
    expect(e.message).toContain("'hidden_size' is required");
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
