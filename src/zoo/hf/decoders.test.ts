import { describe, expect, test } from 'vitest';
import { summarize } from '../../summarize.js';
import { getModel } from '../index.js';
import { fromHfConfig } from './index.js';

const params = (name: string): number => Number(summarize(name).totals.params);
const layer = (name: string, path: string) => summarize(name).layers.find((l) => l.name === path)!;

describe('GPT-NeoX, GPT-J, OPT, BLOOM, Falcon, MPT and GPTBigCode against their published totals', () => {
  test('pythia-70m: 70,426,624, the Pythia model card (18,915,328 without the two embedding matrices)', () => {
    // 2·50,304·512 = 51,511,296 embeddings; per layer 2·1,024 (norms) + 787,968 (qkv) + 262,656 (dense) + 1,050,624 + 1,049,088 (MLP).
    expect(params('pythia-70m')).toBe(70_426_624);
    expect(getModel('pythia-70m').published).toBe(70_426_624);
    expect(params('pythia-70m') - 2 * 50_304 * 512).toBe(18_915_328);
  });

  test('gpt-neox-20b: 20,554,567,680, the GPT-NeoX-20B model card', () => {
    expect(params('gpt-neox-20b')).toBe(20_554_567_680);
  });

  test("gpt-j-6b: 6,050,882,784 in GPTJForCausalLM; the model card's 6,053,381,344 is 610·4096 more, which no module explains", () => {
    // wte 50,400·4096; per layer ln_1 8,192 + q, k, v, out 4·4096² + fc_in 4096·16,384 + 16,384 + fc_out 16,384·4096 + 4096
    // = 201,355,264, ×28; ln_f 8,192; lm_head 4096·50,400 + 50,400.
    const total = 206_438_400 + 28 * 201_355_264 + 8192 + 206_438_400 + 50_400;
    expect(params('gpt-j-6b')).toBe(total);
    expect(6_053_381_344 - total).toBe(610 * 4096);
    expect(layer('gpt-j-6b', 'lm_head').weights.map((w) => w.name)).toEqual(['weight', 'bias']);
  });

  test('opt-350m: 331,196,416, the tensors of the released fp16 pytorch_model.bin (662,392,832 bytes)', () => {
    // Tokens 50,272·512; positions 2,050·1,024; project_in and project_out 2·512·1,024; 24 layers of 12,596,224; post-norm: no final LayerNorm.
    expect(params('opt-350m')).toBe(25_739_264 + 2_099_200 + 1_048_576 + 24 * 12_596_224);
    expect(2 * params('opt-350m')).toBe(662_392_832);
    expect(getModel('opt-350m').published).toBe(331_196_416);
    expect(summarize('opt-350m').layers.some((l) => l.name === 'model.decoder.final_layer_norm')).toBe(false);
  });

  test('opt-125m and opt-1.3b: hand derivations, which the paper rounds to 125M and 1.3B', () => {
    // V·h + (2,048 + 2)·h + L·(4(h² + h) + 2·2h + 2·h·F + F + h) + 2h.
    const opt = (h: number, layers: number, ffn: number) => 50_272 * h + 2050 * h + layers * (4 * (h * h + h) + 4 * h + 2 * h * ffn + ffn + h) + 2 * h;
    expect(params('opt-125m')).toBe(opt(768, 12, 3072));
    expect(params('opt-1.3b')).toBe(opt(2048, 24, 8192));
    expect(params('opt-125m')).toBe(125_239_296);
  });

  test('bloom-560m: 559,214,592, the BLOOM-560m model card; no position table (ALiBi)', () => {
    // 250,880·1,024 + 2,048 (word_embeddings_layernorm) + 24·12,596,224 + 2,048 (ln_f); lm_head tied.
    expect(params('bloom-560m')).toBe(256_901_120 + 2048 + 24 * 12_596_224 + 2048);
    expect(getModel('bloom-560m').published).toBe(559_214_592);
    expect(summarize('bloom-560m').layers.filter((l) => l.op === 'embedding').map((l) => l.name)).toEqual(['transformer.word_embeddings']);
  });

  test("falcon-7b: 6,921,720,704; the Hub's safetensors total 7,217,189,760 adds the stored copy of lm_head (65,024·4,544)", () => {
    // Per layer: query_key_value 4,544·(4,544 + 2·64) = 21,229,568; dense 4,544²; MLP 2·4,544·18,176; one LayerNorm 9,088.
    expect(params('falcon-7b')).toBe(295_469_056 + 32 * (21_229_568 + 20_647_936 + 165_183_488 + 9_088) + 9_088);
    expect(params('falcon-7b') + 65_024 * 4544).toBe(7_217_189_760);
    expect(summarize('falcon-7b').model.notes.join(' ')).toContain('holds V·h = 295,469,056 more values');
  });

  test('mpt-7b: 6,649,286,656 by hand (the card says 6.7B): no biases, weight-only LayerNorms, MLP 4·d_model', () => {
    // 50,432·4,096 + 32·(4·4,096² + 2·4·4,096² + 2·4,096) + 4,096.
    expect(params('mpt-7b')).toBe(206_569_472 + 32 * 201_334_784 + 4096);
    expect(layer('mpt-7b', 'transformer.blocks.0.norm_1').weights.map((w) => w.name)).toEqual(['weight']);
  });

  test('starcoderbase-1b and starcoder: multi-query c_attn h + 2·d wide (papers: 1B and 15.5B)', () => {
    // starcoder per layer: c_attn 6,144·6,400 + 6,400; c_proj 6,144² + 6,144; MLP 2·6,144·24,576 + 24,576 + 6,144; norms 4·6,144.
    expect(params('starcoder')).toBe(301_989_888 + 50_331_648 + 40 * 379_128_064 + 12_288);
    expect(params('starcoderbase-1b')).toBe(1_137_207_296);
    expect(layer('starcoder', 'transformer.h.0.attn').weights.find((w) => w.name === 'k_proj.weight')!.shape).toEqual([128, 6144]);
  });
});

describe('layouts and defaults', () => {
  const falcon = { model_type: 'falcon', hidden_size: 64, num_attention_heads: 8, num_hidden_layers: 1, vocab_size: 10 };
  const names = (config: object) => summarize(fromHfConfig(config)).layers.map((l) => l.name);

  test("Falcon: one input_layernorm (7B), ln_attn and ln_mlp (new architecture), or two sequential norms", () => {
    expect(names(falcon)).toContain('transformer.h.0.input_layernorm');
    expect(names({ ...falcon, new_decoder_architecture: true, num_kv_heads: 2 })).toContain('transformer.h.0.ln_mlp');
    expect(names({ ...falcon, parallel_attn: false })).toContain('transformer.h.0.post_attention_layernorm');
  });

  test("Falcon's RW-era keys: model_type RefinedWebModel with n_layer, n_head and n_head_kv", () => {
    const r = summarize(fromHfConfig({ model_type: 'RefinedWebModel', hidden_size: 64, n_head: 8, n_head_kv: 2, n_layer: 2, new_decoder_architecture: true, vocab_size: 10 }));
    expect(r.layers.find((l) => l.name === 'transformer.h.1.self_attention')!.attrs['num_kv_heads']).toBe(2);
  });

  test('GPT-NeoX: the parallel residual reads x in both branches; use_parallel_residual false chains them', () => {
    const neox = { model_type: 'gpt_neox', hidden_size: 16, num_attention_heads: 2, intermediate_size: 32, num_hidden_layers: 1, vocab_size: 10 };
    const mlpInput = (config: object) => summarize(fromHfConfig(config)).layers.find((l) => l.name === 'gpt_neox.layers.0.post_attention_layernorm')!.inputs;
    expect(mlpInput(neox)).toEqual(['gpt_neox.embed_in']);
    expect(mlpInput({ ...neox, use_parallel_residual: false })).toEqual(['gpt_neox.layers.0.attn_residual']);
  });

  test('MPT notes the keys transformers does not apply', () => {
    const r = summarize(fromHfConfig({ model_type: 'mpt', d_model: 16, n_heads: 2, n_layers: 1, vocab_size: 10, expansion_ratio: 2, no_bias: false }));
    expect(r.model.notes).toContain("expansion_ratio=2, no_bias=false not applied: transformers' MPT builds an MLP of width 4·d_model without biases.");
    expect(r.layers.find((l) => l.name === 'transformer.blocks.0.ffn.up_proj')!.outputShape).toEqual([1, 128, 64]);
  });
});
