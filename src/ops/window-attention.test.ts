import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { windowAttention } from './window-attention.js';

describe('window_attention, derived by hand', () => {
  test("Swin-T stage 1 (C = 96, 3 heads, 7×7 windows on 56×56): PyTorch's parameters, in its order", () => {
    const r = evaluate(windowAttention, { num_heads: 3, window: 7 }, [[1, 56, 56, 96]]);
    expect(findOp('window_attention')).toBe(windowAttention);
    expect(r.outputs).toEqual([[1, 56, 56, 96]]);
    // torchvision's ShiftedWindowAttention(96, [7, 7], [0, 0], 3).named_parameters(): the table first, then qkv and proj.
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ['relative_position_bias_table', [169, 3]],
      ['qkv.weight', [288, 96]],
      ['qkv.bias', [288]],
      ['proj.weight', [96, 96]],
      ['proj.bias', [96]],
    ]);
    // (2·7 − 1)²·3 = 507; qkv 96·288 + 288 = 27,936; proj 96·96 + 96 = 9,312: 37,755.
    expect(r.params).toBe(37_755);
    expect(r.buffers).toBe(0);
  });

  test('Swin-T stage 1 MACs: 64 windows of 49 tokens', () => {
    const r = evaluate(windowAttention, { num_heads: 3, window: 7, shift: 3 }, [[1, 56, 56, 96]]);
    // nW = ⌈56/7⌉·⌈56/7⌉ = 64, M = 49, T = 64·49 = 3,136 tokens, d_head = 32.
    expect(r.notes.find((n) => n.label === 'windows nW')!.count.value).toBe(64);
    // qkv 3,136·96·288 = 86,704,128; proj 3,136·96·96 = 28,901,376;
    // QKᵀ = AV = 64·3·49·49·32 = 14,751,744 each: 145,108,992.
    expect(r.macs.value).toBe(145_108_992);
    expect(r.macs.formula).toBe('N·nW·M·C·3·C + N·nW·h·M·M·d_head + N·nW·h·M·M·d_head + N·nW·M·C·C');
    // Shifted: 64·3·49·49 = 460,992 scores × (4 + bias 1 + mask 1) = 2,765,952; biases 3,136·288 + 3,136·96 = 1,204,224.
    expect(r.flops.value).toBe(3_970_176);
  });

  test('sizes that are not multiples of the window are padded, and the padding is counted', () => {
    // Swin-T on 250×250: 250/4 = 62 (floor) → ⌈62/7⌉ = 9, so 81 windows over a 63×63 padded map.
    // T = 81·49 = 3,969: 4·T·C² = 4·3,969·9,216 = 146,313,216; 2·nW·M²·C = 2·81·2,401·96 = 37,340,352: 183,653,568,
    // as torchvision 0.14 measures for features.1.0.attn of swin_t on a 1×3×250×250 input.
    const r = evaluate(windowAttention, { num_heads: 3, window: 7 }, [[1, 62, 62, 96]]);
    expect(r.outputs).toEqual([[1, 62, 62, 96]]);
    expect(r.macs.value).toBe(183_653_568);
    // Stage 4 at 8×8 pads to 14×14: 4 windows instead of 1. T = 196: 4·196·768² = 462,422,016; 2·4·2,401·768 = 14,751,744.
    expect(evaluate(windowAttention, { num_heads: 24, window: 7, shift: 3 }, [[1, 8, 8, 768]]).macs.value).toBe(477_173_760);
  });

  test('a window that covers the whole axis drops the shift, as torchvision does (no mask FLOPs)', () => {
    // Swin-T stage 4 at 224: 7×7, one window. Scores 24·49·49 = 57,624 × (4 + 1) = 288,120;
    // biases 49·3·768 = 112,896 and 49·768 = 37,632: 438,648, with or without the requested shift.
    const plain = evaluate(windowAttention, { num_heads: 24, window: 7 }, [[1, 7, 7, 768]]);
    const shifted = evaluate(windowAttention, { num_heads: 24, window: 7, shift: 3 }, [[1, 7, 7, 768]]);
    expect(plain.flops.value).toBe(438_648);
    expect(shifted.flops.value).toBe(438_648);
    // 4·49·768² + 2·49·49·768 = 115,605,504 + 3,687,936 = 119,293,440.
    expect(plain.macs.value).toBe(119_293_440);
  });

  test('without biases: only the weight matrices and the table', () => {
    // 169·3 + 3·96·96 + 96·96 = 507 + 27,648 + 9,216 = 37,371.
    expect(evaluate(windowAttention, { num_heads: 3, window: 7, bias: false }, [[1, 56, 56, 96]]).params).toBe(37_371);
    // Rectangular windows: (2·4 − 1)·(2·8 − 1)·2 = 7·15·2 = 210 table entries.
    expect(evaluate(windowAttention, { num_heads: 2, window: [4, 8], qkv_bias: false, proj_bias: false }, [[1, 8, 16, 8]]).weights[0]!.shape).toEqual([105, 2]);
  });

  test('bad inputs and attributes are rejected with the numbers', () => {
    expect(rejection(windowAttention, { num_heads: 5, window: 7 }, [[1, 56, 56, 96]]).message).toContain('C=96, num_heads=5');
    expect(rejection(windowAttention, { num_heads: 3, window: 7 }, [[1, 96, 56, 56, 1]]).message).toContain('channels-last');
    expect(rejection(windowAttention, { num_heads: 3, window: 7 }, [[1, 3136, 96]]).details[0]).toContain('permute');
    expect(rejection(windowAttention, { num_heads: 3, window: 7, shift: 7 }, [[1, 56, 56, 96]]).message).toContain('smaller than the window');
  });
});
