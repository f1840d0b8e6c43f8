import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { select } from './select.js';

describe('select, derived by hand', () => {
  test("ViT's x[:, 0]: the class token of [N, 197, 768] is [N, 768]", () => {
    const r = evaluate(select, {}, [[2, 197, 768]]);
    expect(findOp('select')).toBe(select);
    expect(r.outputs).toEqual([[2, 768]]);
    expect([Number(r.params), r.macs.value, r.flops.value]).toEqual([0, 0, 0]);
  });

  test('negative dims and indices count from the end, as in torch.select', () => {
    // x.select(-1, -1) on [4, 5, 6] keeps [4, 5].
    expect(evaluate(select, { dim: -1, index: -1 }, [[4, 5, 6]]).outputs).toEqual([[4, 5]]);
    expect(evaluate(select, { dim: 0, index: 3 }, [[4, 5, 6]]).outputs).toEqual([[5, 6]]);
  });

  test('an index or dimension outside the input is rejected', () => {
    // PyTorch 1.13: torch.select(x, 1, 197) on [1, 197, 768] raises "IndexError: select(): index 197 out of range for tensor of size [1, 197, 768] at dimension 1".
    expect(rejection(select, { index: 197 }, [[1, 197, 768]]).message).toContain('expected -197…196');
    expect(rejection(select, { dim: 3 }, [[1, 197, 768]]).message).toContain('out of range');
    expect(rejection(select, { index: 0.5 }, [[1, 197, 768]]).message).toContain('integer');
  });
});

describe('select with a tensor of indices (ONNX Gather)', () => {
  test("the dimension becomes the indices' shape: [169, 3] by [49, 49] indices on dim 0 → [49, 49, 3]", () => {
    // numpy: np.take(np.zeros((169, 3)), np.zeros((49, 49), int), axis=0).shape == (49, 49, 3)
    expect(evaluate(select, { dim: 0, index_shape: [49, 49] }, [[169, 3]]).outputs).toEqual([[49, 49, 3]]);
    expect(evaluate(select, { dim: -1, index_shape: [2] }, [[4, 5]]).outputs).toEqual([[4, 2]]);
    expect(rejection(select, { index: 1, index_shape: [2] }, [[4, 5]]).message).toContain("not both");
  });
});
