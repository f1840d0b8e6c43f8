import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { patchMerge } from './patch-merging.js';

describe('patch_merge, derived by hand', () => {
  test('Swin-T after stage 1: 56×56×96 → 28×28×384, nothing counted', () => {
    const r = evaluate(patchMerge, {}, [[1, 56, 56, 96]]);
    expect(findOp('patch_merge')).toBe(patchMerge);
    // 56/2 = 28; 4·96 = 384.
    expect(r.outputs).toEqual([[1, 28, 28, 384]]);
    expect(r.notes.map((n) => [n.label, n.count.value])).toEqual([['H_out', 28], ['W_out', 28], ['C_out', 384]]);
    expect([Number(r.params), r.macs.value, r.flops.value]).toEqual([0, 0, 0]);
  });

  test('odd sizes are padded by one first, as torchvision pads them', () => {
    // Swin-T on 250×250 reaches stage 2 at 31×31: padded to 32, ⌈31/2⌉ = 16; 4·192 = 768.
    expect(evaluate(patchMerge, {}, [[2, 31, 31, 192]]).outputs).toEqual([[2, 16, 16, 768]]);
    // factor 4 on 10×9: ⌈10/4⌉ = 3, ⌈9/4⌉ = 3, 16·3 = 48 channels.
    expect(evaluate(patchMerge, { factor: 4 }, [[1, 10, 9, 3]]).outputs).toEqual([[1, 3, 3, 48]]);
  });

  test('needs a channels-last image', () => {
    expect(rejection(patchMerge, {}, [[1, 3136, 96]]).message).toContain('[N, H, W, C]');
  });
});
