import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { layernorm2d } from './layernorm2d.js';

describe('layernorm2d, derived by hand', () => {
  test('ConvNeXt-T stem: γ and β over the 96 channels of [1, 96, 56, 56]', () => {
    const r = evaluate(layernorm2d, { eps: 1e-6 }, [[1, 96, 56, 56]]);
    expect(findOp('layernorm2d')).toBe(layernorm2d);
    expect(r.outputs).toEqual([[1, 96, 56, 56]]);
    // torchvision's LayerNorm2d(96): weight [96] and bias [96], 192 parameters.
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([['weight', [96]], ['bias', [96]]]);
    expect(r.params).toBe(192);
    expect(r.macs.value).toBe(0);
    // 96·56·56 = 301,056 elements × (5 + 2) = 2,107,392.
    expect(r.flops.value).toBe(2_107_392);
  });

  test('without affine parameters: nothing to count but the normalisation', () => {
    const r = evaluate(layernorm2d, { elementwise_affine: false }, [[2, 8, 3, 3]]);
    expect(r.params).toBe(0);
    // 2·8·3·3 = 144 elements × 5 = 720.
    expect(r.flops.value).toBe(720);
  });

  test('normalized_shape must be the channel count, and the input an NCHW image', () => {
    expect(evaluate(layernorm2d, { normalized_shape: 768 }, [[1, 768, 1, 1]]).params).toBe(1_536);
    expect(rejection(layernorm2d, { normalized_shape: 96 }, [[1, 192, 28, 28]]).message).toContain('C = 192');
    expect(rejection(layernorm2d, { normalized_shape: [96, 56] }, [[1, 96, 56, 56]]).message).toContain('one number');
    expect(rejection(layernorm2d, {}, [[1, 56, 96]]).details[0]).toContain('layernorm');
  });
});
