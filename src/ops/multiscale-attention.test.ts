import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { multiscaleAttention } from './multiscale-attention.js';

// MViTv2-S's first block: 96 channels, 1 head, an 8×56×56 grid, q unpooled, k and v pooled with stride 1×8×8.
const first = { num_heads: 1, thw: [8, 56, 56], kernel_q: 3, kernel_kv: 3, stride_kv: [1, 8, 8] };
// Its second: 96 → 192 channels, 2 heads, q pooled with stride 1×2×2, k and v with 1×4×4.
const second = { num_heads: 2, out: 192, thw: [8, 56, 56], kernel_q: 3, stride_q: [1, 2, 2], kernel_kv: 3, stride_kv: [1, 4, 4] };

describe('multiscale_attention, derived by hand', () => {
  test("the second block's weights, in PyTorch's order", () => {
    const r = evaluate(multiscaleAttention, second, [[1, 25_089, 96]]);
    expect(findOp('multiscale_attention')).toBe(multiscaleAttention);
    // torchvision's MultiscaleAttention([8, 56, 56], 96, 192, 2, [3, 3, 3], [3, 3, 3], [1, 2, 2], [1, 4, 4], True, False, True)
    // .named_parameters(). S = 56: 2·max(56/2, 56/4) − 1 = 55 rows; 2·8 − 1 = 15.
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ['rel_pos_h', [55, 96]],
      ['rel_pos_w', [55, 96]],
      ['rel_pos_t', [15, 96]],
      ['qkv.weight', [576, 96]],
      ['qkv.bias', [576]],
      ['project.0.weight', [192, 192]],
      ['project.0.bias', [192]],
      ['pool_q.pool.weight', [96, 1, 3, 3, 3]],
      ['pool_q.norm_act.0.weight', [96]],
      ['pool_q.norm_act.0.bias', [96]],
      ['pool_k.pool.weight', [96, 1, 3, 3, 3]],
      ['pool_k.norm_act.0.weight', [96]],
      ['pool_k.norm_act.0.bias', [96]],
      ['pool_v.pool.weight', [96, 1, 3, 3, 3]],
      ['pool_v.norm_act.0.weight', [96]],
      ['pool_v.norm_act.0.bias', [96]],
    ]);
    // 2·55·96 + 15·96 = 12,000; qkv 96·576 + 576 = 55,872; project 192² + 192 = 37,056; pools 3·(96·27 + 2·96) = 8,352.
    expect(r.params).toBe(113_280);
    // q pooled to 8×28×28: 1 + 6,272 tokens.
    expect(r.outputs).toEqual([[1, 6_273, 192]]);
  });

  test('the first block: 68,352 parameters and 2,938,042,560 MACs', () => {
    const r = evaluate(multiscaleAttention, first, [[1, 25_089, 96]]);
    // rel 2·111·96 + 15·96 = 22,752 (S = 56: 2·max(56, 7) − 1 = 111); qkv 27,936; project 9,312; pools 8,352.
    expect(r.params).toBe(68_352);
    // k, v grids ⌊(56 + 2 − 3)/8⌋ + 1 = 7: 8·7·7 = 392, N_k = 393; N_q = 25,089.
    // qkv 25,089·96·288 = 693,660,672; pool_q 96·25,088·27 = 65,028,096; pool_k = pool_v = 96·392·27 = 1,016,064;
    // QKᵀ = AV = 25,089·393·96 = 946,557,792; relative positions 25,088·(7 + 7 + 8)·96 = 52,985,856;
    // project 25,089·96·96 = 231,220,224. Total 2,938,042,560, as torchvision 0.14 measures for mvit_v2_s blocks.0.attn
    // (its matmuls and einsums counted by a TorchFunctionMode, the pooling convs from their shapes).
    expect(r.macs.value).toBe(2_938_042_560);
    expect(r.outputs).toEqual([[1, 25_089, 96]]);
  });

  test('without pooling or relative positions it is plain attention with a class token', () => {
    // 2 heads of 4 over 1 + 2·2·2 = 9 tokens: qkv 9·8·24 = 1,728, QKᵀ = AV = 2·9·9·4 = 648, project 9·8·8 = 576.
    const r = evaluate(multiscaleAttention, { num_heads: 2, thw: [2, 2, 2], rel_pos: false }, [[1, 9, 8]]);
    expect(r.macs.value).toBe(1_728 + 2 * 648 + 576);
    // qkv 8·24 + 24, project 8·8 + 8.
    expect(r.params).toBe(216 + 72);
  });

  test('the tokens must be a class token and the stated grid', () => {
    expect(rejection(multiscaleAttention, first, [[1, 25_088, 96]]).message).toContain('1 + 25088 = 25089 tokens, but received 25088');
    expect(rejection(multiscaleAttention, { ...first, num_heads: 5 }, [[1, 25_089, 96]]).message).toContain('5 heads');
    expect(rejection(multiscaleAttention, first, [[1, 96, 8, 56, 56]]).message).toContain('tokens [N, 1 + T·H·W, C]');
  });
});
