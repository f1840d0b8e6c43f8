import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate } from '../../test/ops-oracle.js';
import { transformersOpCases } from '../../test/transformers-ops.js';
import { mla } from './mla.js';

/** Single layers as PyTorch 1.13 runs them, from scripts/oracle/transformers_oracle.py (hf_torch/deepseek.py). */
const cases = transformersOpCases('mla');

describe('multi-head latent attention against a PyTorch DeepseekV2Attention', () => {
  test('the oracle covers direct and low-rank queries, biases and heads without a non-rotary part', () => {
    expect(cases.length).toBe(3);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(mla, c, { names: true, counts: true }));
});

describe('DeepSeek-V3 self_attn, derived by hand', () => {
  const attrs = { num_heads: 128, q_lora_rank: 1536, kv_lora_rank: 512, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128 };
  const r = evaluate(mla, attrs, [[1, 16, 7168]]);

  test('187,107,328 parameters per layer', () => {
    // q_a 7,168·1,536 = 11,010,048; norm 1,536; q_b 1,536·128·192 = 37,748,736; kv_a 7,168·576 = 4,128,768; norm 512;
    // kv_b 512·128·256 = 16,777,216; o 128·128·7,168 = 117,440,512.
    expect(r.params).toBe(11_010_048 + 1536 + 37_748_736 + 4_128_768 + 512 + 16_777_216 + 117_440_512);
    expect(r.weights.find((w) => w.name === 'q_b_proj.weight')!.count!.formula).toBe('h·(d_nope + d_rope)·r_q');
  });

  test('MACs: the projections, QKᵀ over 192-wide heads and AV over 128-wide values', () => {
    const L = 16;
    const projections = L * (11_010_048 + 37_748_736 + 4_128_768 + 16_777_216 + 117_440_512);
    expect(r.macs.value).toBe(projections + 128 * L * L * 192 + 128 * L * L * 128);
  });
});
