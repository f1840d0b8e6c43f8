import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { normalize } from './normalize.js';

describe('normalize, derived by hand', () => {
  test("SSD300's conv4_3: [1, 512, 38, 38] normalised over the channels", () => {
    const r = evaluate(normalize, {}, [[1, 512, 38, 38]]);
    expect(findOp('normalize')).toBe(normalize);
    expect(r.outputs).toEqual([[1, 512, 38, 38]]);
    expect([r.params, r.macs.value]).toEqual([0, 0]);
    // 3·739,328 values + 2·1,444 vectors = 2,217,984 + 2,888.
    expect(r.flops.value).toBe(2_220_872);
  });

  test('another dimension, and one out of range', () => {
    // 2·8 vectors of 16 along the last dim: 3·256 + 2·16.
    expect(evaluate(normalize, { dim: -1 }, [[2, 8, 16]]).flops.value).toBe(768 + 32);
    expect(rejection(normalize, { dim: 3 }, [[2, 8, 16]]).message).toContain('out of range');
  });
});
