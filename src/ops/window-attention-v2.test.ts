import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { windowAttentionV2 } from './window-attention-v2.js';

describe('window_attention_v2, derived by hand', () => {
  // Swin-V2-T stage 1 at 256×256: C = 96, 3 heads, 8×8 windows on a 64×64 map.
  const r = evaluate(windowAttentionV2, { num_heads: 3, window: 8 }, [[1, 64, 64, 96]]);

  test("PyTorch's parameters and float buffer, in its order", () => {
    expect(findOp('window_attention_v2')).toBe(windowAttentionV2);
    expect(r.outputs).toEqual([[1, 64, 64, 96]]);
    // torchvision's ShiftedWindowAttentionV2(96, [8, 8], [0, 0], 3): named_parameters(), then the float buffer
    // (the int64 relative_position_index is not counted).
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ['logit_scale', [3, 1, 1]],
      ['qkv.weight', [288, 96]],
      ['qkv.bias', [288]],
      ['proj.weight', [96, 96]],
      ['proj.bias', [96]],
      ['cpb_mlp.0.weight', [512, 2]],
      ['cpb_mlp.0.bias', [512]],
      ['cpb_mlp.2.weight', [3, 512]],
      ['relative_coords_table', [1, 15, 15, 2]],
    ]);
    // 3 + qkv 96·288 + 288 = 27,936 + proj 96·96 + 96 = 9,312 + cpb 2·512 + 512 + 512·3 = 3,072: 40,323.
    expect(r.params).toBe(40_323);
    // 15·15·2 = 450.
    expect(r.buffers).toBe(450);
  });

  test('MACs: V1 on 64 windows of 64 tokens, plus the position-bias MLP', () => {
    // nW = 8·8 = 64, M = 64, T = 4,096: qkv 4,096·96·288 = 113,246,208; proj 4,096·96·96 = 37,748,736;
    // QKᵀ = AV = 64·3·64·64·32 = 25,165,824 each; cpb 15·15·(2·512 + 512·3) = 576,000: 201,902,592,
    // as torchvision 0.14 measures for swin_v2_t's features.1.0.attn.
    expect(r.macs.value).toBe(201_902_592);
    // Not shifted: scores 64·3·64·64 = 786,432 × 5 = 3,932,160; biases 4,096·288 + 4,096·96 = 1,572,864;
    // normalising q and k 4,096·2·96·3 = 2,359,296; bias 3·64·64·2 = 24,576; cpb 225·512·2 = 230,400: 8,119,296.
    expect(r.flops.value).toBe(8_119_296);
  });

  test('a wider hidden layer, and the V1 rules on attributes', () => {
    // cpb_hidden 256: 2·256 + 256 + 256·3 = 1,536 instead of 3,072.
    expect(evaluate(windowAttentionV2, { num_heads: 3, window: 8, cpb_hidden: 256 }, [[1, 64, 64, 96]]).params).toBe(40_323 - 1_536);
    expect(rejection(windowAttentionV2, { num_heads: 5, window: 8 }, [[1, 64, 64, 96]]).message).toContain('C=96, num_heads=5');
    expect(rejection(windowAttentionV2, { num_heads: 3, window: 8, shift: 8 }, [[1, 64, 64, 96]]).message).toContain('smaller than the window');
  });
});
