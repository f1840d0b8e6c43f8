import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, rejection } from '../../test/ops-oracle.js';
import { transformersOpCases } from '../../test/transformers-ops.js';
import { disentangledAttention } from './disentangled-attention.js';

/** DeBERTa-v2's attention.self as PyTorch 1.13 runs it, from scripts/oracle/transformers_oracle.py (hf_torch/shared_and_relative.py). */
const cases = transformersOpCases('disentangled_attention');

describe('disentangled attention against a PyTorch DisentangledSelfAttention', () => {
  test('the oracle covers shared keys with both terms, own projections for c2p and for p2c, and no relative terms', () => {
    expect(cases.length).toBe(4);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(disentangledAttention, c, { names: true, counts: true }));
});

describe('DeBERTa-v3-base attention.self, derived by hand', () => {
  const r = evaluate(disentangledAttention, { num_heads: 12, c2p: true, p2c: true, share_att_key: true }, [[1, 128, 768], [512, 768]]);
  test('query_proj, key_proj, value_proj: 3·(768² + 768) = 1,771,776; the shared keys add none', () => {
    expect(r.params).toBe(1_771_776);
  });
  test('MACs: projections, QKᵀ and AV, the table projected twice (512·768²) and the two relative score matrices', () => {
    // 3·128·768² + 2·12·128·128·64 + 2·512·768² + 2·12·128·512·64.
    expect(r.macs.value).toBe(3 * 128 * 768 * 768 + 2 * 12 * 128 * 128 * 64 + 2 * 512 * 768 * 768 + 2 * 12 * 128 * 512 * 64);
  });
  test('relative terms need the table', () => {
    expect(rejection(disentangledAttention, { num_heads: 12, c2p: true }, [[1, 8, 768]]).message).toContain('reads a second input');
  });
});
