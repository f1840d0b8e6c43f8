import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { readOracle } from '../../test/oracle.js';
import { attention } from './attention.js';

describe("attention against PyTorch 1.13's nn.MultiheadAttention (packed)", () => {
  const cases = ops2Cases('attention');
  test('the oracle covers self- and cross-attention, kdim ≠ d_model, no bias and a rejection', () => {
    expect(cases.length).toBe(6);
    expect(cases.filter((c) => c.error).length).toBe(1);
  });
  // MACs there: per batch element L·E·E + S·kdim·E + S·vdim·E + L·E·E + 2·L·S·E (scripts/oracle/ops2_oracle.py).
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(attention, c, { names: true }));

  test('ViT-B/16 encoder_layer_0.self_attention from the torchvision oracle', () => {
    const layer = readOracle('vit_b_16').layers.find((l) => l.name === 'encoder.layers.encoder_layer_0.self_attention')!;
    const r = evaluate(attention, { num_heads: 12, packed: true }, [[1, 197, 768]]);
    expect(r.params).toBe(layer.params);
    // 4·197·768² + 2·12·197²·64 = 464,781,312 + 59,610,624 = 524,391,936.
    expect(r.macs.value).toBe(layer.macs);
    expect(r.outputs).toEqual([layer.output]);
    expect(r.weights[0]!.count!.formula).toBe('3·d_model·d_model');
  });
});

describe('separate projections and grouped-query attention, derived by hand', () => {
  test('Llama-3-8B: d_model 4096, 32 heads, 8 key/value heads, no biases', () => {
    const r = evaluate(attention, { num_heads: 32, num_kv_heads: 8, bias: false }, [[1, 128, 4096]]);
    // q, o: 4096·4096 = 16,777,216 each; k, v: 4096·(8·128) = 4,194,304 each; total 41,943,040.
    expect(r.params).toBe(41_943_040);
    expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual([
      ['q_proj.weight', [4096, 4096]],
      ['k_proj.weight', [1024, 4096]],
      ['v_proj.weight', [1024, 4096]],
      ['out_proj.weight', [4096, 4096]],
    ]);
    // q and o 128·4096·4096 = 2,147,483,648 each; k and v 128·4096·1,024 = 536,870,912 each;
    // QKᵀ and AV 32·128·128·128 = 67,108,864 each; total 5,502,926,848.
    expect(r.macs.value).toBe(5_502_926_848);
    expect(r.macs.formula).toBe('N·L·d_model·d_model + N·L·d_model·h_kv·d_head + N·L·d_model·h_kv·d_head + N·h·L·L·d_head + N·h·L·L·d_head + N·L·d_model·d_model');
    expect(r.flops.value).toBe(4 * 32 * 128 * 128);
  });
  test('Qwen3-0.6B: head_dim 128 ≠ 1024/16, q/k RMSNorm over head_dim', () => {
    const r = evaluate(attention, { num_heads: 16, num_kv_heads: 8, head_dim: 128, bias: false, qk_norm: true }, [[1, 16, 1024]]);
    // q 1024·2048 = 2,097,152; k, v 1024·1024 = 1,048,576 each; o 2048·1024 = 2,097,152; norms 2·128 = 256 → 6,291,712.
    expect(r.params).toBe(6_291_712);
    expect(r.weights.find((w) => w.name === 'q_norm.weight')!.shape).toEqual([128]);
  });
  test('OLMo-2-1124-7B: q/k RMSNorms over the whole projection, [h·d_head] and [h_kv·d_head]', () => {
    const r = evaluate(attention, { num_heads: 32, bias: false, qk_norm: true, qk_norm_shape: 'all' }, [[1, 16, 4096]]);
    // 4·4096² = 67,108,864 + 2·4096 = 67,117,056 (the per-layer attention of the OLMo 2 7B count).
    expect(r.params).toBe(67_117_056);
    expect(r.weights.find((w) => w.name === 'k_norm.weight')!.shape).toEqual([4096]);
  });
  test('StableLM 2 12B: one LayerNorm per head for q (32) and k (8), [h, d_head] and [h_kv, d_head]', () => {
    const r = evaluate(attention, { num_heads: 32, num_kv_heads: 8, bias: false, qk_norm: true, qk_norm_shape: 'heads', qk_norm_type: 'layer' }, [[1, 16, 5120]]);
    // q, o 5120² each; k, v 5120·1280 each; norms (32 + 8)·160 = 6,400 → 65,542,400.
    expect(r.params).toBe(65_542_400);
    expect(r.weights.find((w) => w.name === 'q_norm.weight')!.shape).toEqual([32, 160]);
    // LayerNorm: 6 FLOPs per element of q (16·5120) and k (16·1280), beside 4 per score (32·16·16).
    expect(r.flops.value).toBe(4 * 32 * 16 * 16 + 6 * 16 * 5120 + 6 * 16 * 1280);
  });
  test('Whisper: q, v and out have biases, k_proj has none', () => {
    const r = evaluate(attention, { num_heads: 6, k_bias: false }, [[1, 10, 384]]);
    // 4·384² + 3·384 = 590,976: whisper-tiny's per-attention count.
    expect(r.params).toBe(590_976);
    expect(r.weights.map((w) => w.name)).toEqual(['q_proj.weight', 'q_proj.bias', 'k_proj.weight', 'v_proj.weight', 'v_proj.bias', 'out_proj.weight', 'out_proj.bias']);
  });
  test('q/k norm settings need qk_norm', () => {
    expect(rejection(attention, { num_heads: 2, qk_norm_shape: 'all' }, [[1, 4, 8]]).message).toContain('need qk_norm: true');
  });
  test('Qwen2-0.5B: biases on q, k, v only', () => {
    const r = evaluate(attention, { num_heads: 14, num_kv_heads: 2, qkv_bias: true, out_bias: false }, [[1, 16, 896]]);
    // q 896·896 + 896 = 803,712; k, v 896·128 + 128 = 114,816 each; o 896·896 = 802,816 → 1,836,160.
    expect(r.params).toBe(1_836_160);
  });
  test('Stable Diffusion v1 cross-attention: 4,096 latent tokens of 320 attend to 77 text tokens of 768', () => {
    const r = evaluate(attention, { num_heads: 8, qkv_bias: false }, [[1, 4096, 320], [1, 77, 768]]);
    // to_q 320·320 = 102,400; to_k, to_v 768·320 = 245,760 each; to_out 320·320 + 320 = 102,720 → 696,640.
    expect(r.params).toBe(696_640);
    // q, out 4096·320·320 = 419,430,400 each; k, v 77·768·320 = 18,923,520 each; QKᵀ, AV 8·4096·77·40 = 100,925,440 each.
    expect(r.macs.value).toBe(1_078_558_720);
    expect(r.outputs).toEqual([[1, 4096, 320]]);
    expect(r.macs.formula).toContain('N·h·L·S·d_head');
  });
  test('a causal mask changes no count', () => {
    const full = evaluate(attention, { num_heads: 12 }, [[1, 64, 768]]);
    const causal = evaluate(attention, { num_heads: 12, causal: true }, [[1, 64, 768]]);
    expect(causal.macs.value).toBe(full.macs.value);
    expect(causal.flops.value).toBe(full.flops.value);
  });
  test('ViT-B/16 FLOPs besides MACs: 4 per score and the bias adds', () => {
    // 4·12·197·197 = 1,862,832 + q, k, v and out biases 4·197·768 = 605,184 → 2,468,016.
    expect(evaluate(attention, { num_heads: 12, packed: true }, [[1, 197, 768]]).flops.value).toBe(2_468_016);
  });
});

describe('attention errors', () => {
  test('d_model not divisible by the heads', () => {
    const e = rejection(attention, { num_heads: 5 }, [[1, 4, 64]]);
    expect(e.message).toContain('d_model=64, num_heads=5');
    expect(e.details[0]).toContain('64/5 = 12.80');
  });
  test('options packed attention does not have, and bad groupings', () => {
    expect(rejection(attention, { num_heads: 8, packed: true, num_kv_heads: 2 }, [[1, 4, 64]]).message).toContain('does not apply to packed');
    expect(rejection(attention, { num_heads: 8, num_kv_heads: 3 }, [[1, 4, 64]]).message).toContain('num_heads=8, num_kv_heads=3');
    expect(rejection(attention, { num_heads: 8 }, [[1, 4, 64], [2, 4, 64]]).message).toContain('same batch size');
    expect(rejection(attention, { num_heads: 8 }, [[4, 64]]).message).toContain('[N, L, d_model]');
  });
});
