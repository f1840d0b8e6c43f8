import { describe, expect, test } from 'vitest';
import { summarize } from '../../summarize.js';
import { getModel } from '../index.js';
import { hfModels } from './index.js';

/*
 * Published totals, each derived from the family's formula (formats.md §7) with the config's values.
 * V vocab, H hidden, I intermediate, L layers, n heads, k key/value heads, d head size.
 */
const published: Record<string, number> = {
  // BertModel: V·H + P·H + T·H + 2H = (30,522 + 512 + 2)·768 + 1,536 = 23,837,184;
  // per layer 4(H² + H) + 2H + (H·I + I) + (I·H + H) + 2H = 2,362,368 + 1,536 + 2,362,368 + 2,360,064 + 1,536 = 7,087,872, ×12 = 85,054,464;
  // pooler H² + H = 590,592. Total 109,482,240.
  'bert-base-uncased': 109_482_240,
  // V·H + P·H + L·(4H + 3H² + 3H + H² + H + 2·4H² + 4H + H) + 2H with tied lm_head:
  // 38,597,376 + 786,432 + 12·7,087,872 + 1,536 = 124,439,808.
  gpt2: 124_439_808,
  // 2·V·H + L·(4H² + 3H·I + 2H) + H = 262,144,000 + 32·202,383,360 + 4,096 = 6,738,415,616.
  'llama-2-7b': 6_738_415_616,
  // 2·128,256·4096 + 32·(2·4096² + 2·4096·1024 + 3·4096·14,336 + 2·4096) + 4096 = 1,050,673,152 + 32·218,112,000 + 4,096.
  'llama-3-8b': 8_030_261_248,
  // 2·32,000·4096 + 32·218,112,000 + 4,096 (as Llama-3-8B's layers with V = 32,000).
  'mistral-7b': 7_241_732_096,
  // Per layer 41,943,040 (attention) + 8·4096 (router) + 8·3·4096·14,336 (experts) + 8,192 (norms) = 1,451,270,144;
  // 32 layers + 262,144,000 + 4,096.
  'mixtral-8x7b': 46_702_792_704,
  // 2·152,064·3584 + 28·(2·3584² + 2·3584·512 + 3584 + 2·512 + 3·3584·18,944 + 2·3584) + 3584
  // = 1,089,994,752 + 28·233,057,792 + 3,584 (q, k and v carry biases: 3584 + 512 + 512).
  'qwen2-7b': 7_615_616_512,
  // Tied: V·H + L·(2·H·n·d + 2·H·k·d + 3·H·I + 2H) + H with n·d = 2048, k·d = 256:
  // 524,288,000 + 18·(8,388,608 + 1,048,576 + 100,663,296 + 4,096) + 2,048.
  'gemma-2b': 2_506_172_416,
  // V·H + L·(4(H² + H) + (2H·I + I + H) + 2H) + 2H + V·H + V = 131,072,000 + 32·78,671,360 + 5,120 + 131,123,200.
  'phi-2': 2_779_683_840,
  // Tied: V·D + encoder 6·(4·512² + 512 + 2·512·2048 + 512) + 32·8 + 512 + decoder 6·(8·512² + 3·512 + 2·512·2048) + 32·8 + 512
  // = 16,449,536 + 18,881,280 + 25,175,808.
  't5-small': 60_506_624,
};

describe('published parameter counts', () => {
  test.each(Object.entries(published))('%s: %i', (name, params) => {
    expect(summarize(name).totals.params).toBe(params);
    expect(getModel(name).published).toBe(params);
  });

  test('Mixtral-8x7B: 12,879,925,248 active parameters per token', () => {
    // Two of eight experts: 32·(41,943,040 + 32,768 + 2·176,160,768 + 8,192) + 262,144,000 + 4,096.
    expect(summarize('mixtral-8x7b').totals.active).toBe(12_879_925_248);
    expect(summarize('mistral-7b').totals.active).toBeUndefined();
  });

  test('Qwen3-8B: 8,190,735,360 (the model card says 8.2B, 6.95B without embeddings)', () => {
    // Per layer: 2·4096·4096 + 2·4096·1024 + 2·128 (q/k norms) + 3·4096·12,288 + 2·4096 = 192,946,432; ×36 + 4096
    // = 6,946,075,648 without embeddings; + 2·151,936·4096 = 1,244,659,712.
    expect(summarize('qwen3-8b').totals.params).toBe(8_190_735_360);
  });

  test('every zoo transformer gives every layer a role, and the roles add up to the total', () => {
    for (const m of hfModels) {
      const r = summarize(m.name);
      expect(r.layers.filter((l) => !l.role).map((l) => l.name)).toEqual([]);
      expect(Object.values(r.totals.roles!).reduce<number>((s, v) => s + Number(v), 0)).toBe(Number(r.totals.params));
    }
  }, 60_000);

  test('Llama-2-7B by role', () => {
    expect(summarize('llama-2-7b').totals.roles).toEqual({
      embeddings: 32_000 * 4096,
      attention: 32 * 4 * 4096 * 4096,
      mlp: 32 * 3 * 4096 * 11_008,
      norms: (2 * 32 + 1) * 4096,
      head: 32_000 * 4096,
    });
  });
});

describe('module names follow transformers', () => {
  test('Llama: model.layers.N.self_attn with q_proj, k_proj, v_proj; lm_head untied', () => {
    const r = summarize('llama-2-7b');
    const names = r.layers.map((l) => l.name);
    for (const n of ['model.embed_tokens', 'model.layers.0.input_layernorm', 'model.layers.0.self_attn', 'model.layers.0.mlp.gate_proj', 'model.layers.31.mlp.down_proj', 'model.norm', 'lm_head']) {
      expect(names).toContain(n);
    }
    const attn = r.layers.find((l) => l.name === 'model.layers.0.self_attn')!;
    expect(attn.weights.map((w) => w.name)).toEqual(['q_proj.weight', 'k_proj.weight', 'v_proj.weight', 'out_proj.weight']);
    expect(r.totals.tied).toBe(0);
    expect(r.modules?.['model.layers.0']).toBe('LlamaDecoderLayer');
  });

  test("GPT-2: lm_head shares transformer.wte.weight and counts it once", () => {
    const r = summarize('gpt2');
    const head = r.layers.find((l) => l.name === 'lm_head')!;
    expect(head.params).toBe(0);
    expect(head.tied).toBe(50_257 * 768);
    expect(head.weights[0]!.tiedTo).toBe('transformer.wte.weight');
    expect(r.layers.map((l) => l.name)).toContain('transformer.h.11.mlp.c_fc');
  });

  test('BERT: the pooler reads the first token; encoder.layer.N.attention.output.LayerNorm', () => {
    const r = summarize('bert-base-uncased');
    expect(r.layers.find((l) => l.name === 'pooler.dense')!.inputShapes).toEqual([[1, 768]]);
    expect(r.layers.map((l) => l.name)).toContain('encoder.layer.11.attention.output.LayerNorm');
    expect(r.model.output).toEqual([1, 128, 768]);
  });

  test('T5: the decoder reads its own ids and the encoder output', () => {
    const r = summarize('t5-small');
    const cross = r.layers.find((l) => l.name === 'decoder.block.5.layer.1.EncDecAttention')!;
    expect(cross.inputShapes).toEqual([[1, 128, 512], [1, 128, 512]]);
    expect(r.layers.find((l) => l.name === 'decoder.embed_tokens')!.weights[0]!.tiedTo).toBe('shared.weight');
    expect(r.layers.find((l) => l.name === 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias')!.params).toBe(32 * 8);
    expect(r.layers.some((l) => l.name === 'encoder.block.1.layer.0.SelfAttention.relative_attention_bias')).toBe(false);
  });
});

describe('MACs', () => {
  test('GPT-2 attention by hand: projections + 2·N·h·L²·d_head', () => {
    // c_attn 128·768·2304 = 226,492,416; c_proj 128·768·768 = 75,497,472; QKᵀ and AV 1·12·128·128·64 = 12,582,912 each.
    const attn = summarize('gpt2').layers.find((l) => l.name === 'transformer.h.0.attn')!;
    expect(attn.macs).toBe(226_492_416 + 75_497_472 + 2 * 12_582_912);
  });

  test('Llama-3-8B grouped-query attention by hand', () => {
    // q and o 128·4096·4096 = 2,147,483,648 each; k and v 128·4096·(8·128) = 536,870,912 each;
    // QKᵀ and AV over all 32 query heads: 32·128·128·128 = 67,108,864 each.
    const attn = summarize('llama-3-8b').layers.find((l) => l.name === 'model.layers.0.self_attn')!;
    expect(attn.macs).toBe(2 * 2_147_483_648 + 2 * 536_870_912 + 2 * 67_108_864);
  });

  test('--seq: linear parts grow with L, attention matmuls with L²', () => {
    // GPT-2 per token: 12 layers·(4·768² + 2·768·3072) = 84,934,656, plus lm_head 768·50,257 = 38,597,376;
    // per layer QKᵀ + AV = 2·12·L²·64 = 1,536·L², 18,432·L² over 12 layers.
    const macs = (seq: number) => 123_532_032 * seq + 18_432 * seq * seq;
    for (const seq of [1, 64, 128, 1024]) expect(summarize('gpt2', { seq }).totals.macs).toBe(macs(seq));
    const layer = (seq: number, name: string) => Number(summarize('gpt2', { seq }).layers.find((l) => l.name === name)!.macs!);
    expect(layer(256, 'transformer.h.0.mlp.c_fc')).toBe(2 * layer(128, 'transformer.h.0.mlp.c_fc'));
    // Attention: 4·768²·L + 2·768·L²; doubling L doubles the first part and quadruples the second.
    expect(layer(256, 'transformer.h.0.attn') - 2 * layer(128, 'transformer.h.0.attn')).toBe(2 * 768 * (4 * 128 * 128 - 2 * 128 * 128));
    expect(summarize('gpt2', { seq: 512 }).model.input).toEqual([1, 512]);
  });

  test('--batch multiplies MACs and leaves parameters alone', () => {
    const one = summarize('llama-2-7b').totals;
    const four = summarize('llama-2-7b', { batch: 4 }).totals;
    expect(Number(four.macs)).toBe(4 * Number(one.macs));
    expect(four.params).toBe(one.params);
  });

  test('T5: --seq sets the encoder length; cross-attention scores are L_dec·L_enc', () => {
    // EncDecAttention: q and o 128·512·512 each; k and v over the 64 encoder positions 64·512·512 each;
    // QKᵀ and AV 8·128·64·64 each.
    const cross = summarize('t5-small', { seq: 64 }).layers.find((l) => l.name === 'decoder.block.0.layer.1.EncDecAttention')!;
    expect(cross.macs).toBe(2 * 128 * 512 * 512 + 2 * 64 * 512 * 512 + 2 * 8 * 128 * 64 * 64);
  });
});
