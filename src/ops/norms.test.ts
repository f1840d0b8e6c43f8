import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { groupnorm, instancenorm1d, instancenorm2d, instancenorm3d, layernorm, rmsnorm } from './norms.js';
import type { OpDef } from './op.js';

const defs: Record<string, OpDef<any>> = { layernorm, groupnorm, instancenorm1d, instancenorm2d, instancenorm3d };

describe('per-sample norms against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(defs));
  test('the oracle covers every op and a rejection', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.some((c) => c.error)).toBe(true);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c, { names: true }));
});

describe('layer norm, derived by hand', () => {
  test('ViT-B/16 ln_1: γ and β of 768 each, 1,536 parameters', () => {
    // torchvision vit_b_16 oracle: encoder_layer_0.ln_1 has 1,536 parameters = 2·768.
    const r = evaluate(layernorm, { eps: 1e-6 }, [[1, 197, 768]]);
    expect(r.params).toBe(1536);
    expect(r.weights[0]!.count!.formula).toBe('d');
    // 197·768 = 151,296 elements; (5 + 2) FLOPs each = 1,059,072.
    expect(r.flops.value).toBe(1_059_072);
    expect(r.flops.formula).toBe('N·L·d·(5 + 2)');
  });
  test('PyTorch 2 bias=False keeps γ only; elementwise_affine=False keeps nothing', () => {
    // GPT-style LayerNorm(768, bias=False): 768 parameters; FLOPs 197·768·(5 + 1) = 907,776.
    const noBias = evaluate(layernorm, { bias: false }, [[1, 197, 768]]);
    expect(noBias.weights.map((w) => w.name)).toEqual(['weight']);
    expect(noBias.flops.value).toBe(907_776);
    const none = evaluate(layernorm, { elementwise_affine: false, bias: true }, [[1, 197, 768]]);
    expect(none.params).toBe(0);
    expect(none.flops.value).toBe(197 * 768 * 5);
  });
  test('normalized_shape is checked against the input', () => {
    // LayerNorm([7, 7]) on [2, 64, 7, 7]: γ, β of 7·7 = 49 each.
    expect(evaluate(layernorm, { normalized_shape: [7, 7] }, [[2, 64, 7, 7]]).params).toBe(98);
    const e = rejection(layernorm, { normalized_shape: [768] }, [[1, 197, 512]]);
    expect(e.message).toContain('normalized_shape [768]');
    expect(e.message).toContain('[512]');
    expect(rejection(layernorm, { dims: 4 }, [[1, 197, 512]]).message).toContain('only 3');
    expect(rejection(layernorm, { dims: 1, normalized_shape: [512] }, [[1, 197, 512]]).code).toBe('spec');
  });
});

describe('RMS norm, derived by hand', () => {
  test('Llama-2-7B input_layernorm: weight [4096] only', () => {
    // Llama 2 (Touvron et al. 2023): RMSNorm over d_model = 4096 with a learned gain and no bias.
    const r = evaluate(rmsnorm, {}, [[1, 2048, 4096]]);
    expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual([['weight', [4096]]]);
    // 2048·4096 = 8,388,608 elements, (3 + 1) FLOPs each.
    expect(r.flops.value).toBe(33_554_432);
  });
  test('Qwen3 q_norm over head_dim 128 on [N, L, heads, d_head]; no weight when not affine', () => {
    expect(evaluate(rmsnorm, {}, [[1, 16, 32, 128]]).params).toBe(128);
    const plain = evaluate(rmsnorm, { elementwise_affine: false }, [[1, 16, 4096]]);
    expect(plain.params).toBe(0);
    expect(plain.flops.value).toBe(16 * 4096 * 3);
  });
  test('RMSNorm has no bias attribute', () => {
    expect(rejection(rmsnorm, { bias: false }, [[1, 4, 8]]).message).toContain("unknown attribute 'bias'");
  });
});

describe('group and instance norm FLOPs, derived by hand', () => {
  test('GroupNorm(32, 64) on [2, 64, 14, 14]: 25,088 elements · (5 + 2)', () => {
    // 2·64·14·14 = 25,088.
    expect(evaluate(groupnorm, { groups: 32 }, [[2, 64, 14, 14]]).flops.value).toBe(175_616);
    const e = rejection(groupnorm, { groups: 5 }, [[1, 64, 8, 8]]);
    expect(e.message).toContain('C=64, groups=5');
    expect(e.details.join(' ')).toContain('64/5 = 12.80');
  });
  test('InstanceNorm2d: 5 per element with its own statistics, 2 with running statistics', () => {
    // 1·32·28·28 = 25,088 elements.
    expect(evaluate(instancenorm2d, {}, [[1, 32, 28, 28]]).flops.value).toBe(25_088 * 5);
    expect(evaluate(instancenorm2d, { affine: true }, [[1, 32, 28, 28]]).flops.value).toBe(25_088 * 7);
    expect(evaluate(instancenorm2d, { track_running_stats: true }, [[1, 32, 28, 28]]).flops.value).toBe(25_088 * 2);
  });
  test('rank is checked', () => {
    expect(rejection(instancenorm2d, {}, [[1, 32, 28]]).message).toContain('(N, C, H, W)');
  });
});
