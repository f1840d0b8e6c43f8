import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { matmul } from './matmul.js';

describe('matmul, derived by hand (NumPy/torch.matmul rules)', () => {
  test("attention scores QKᵀ of ViT-B/16: [1, 12, 197, 64] × [1, 12, 64, 197] → [1, 12, 197, 197]", () => {
    const r = evaluate(matmul, {}, [[1, 12, 197, 64], [1, 12, 64, 197]]);
    expect(findOp('matmul')).toBe(matmul);
    expect(r.outputs).toEqual([[1, 12, 197, 197]]);
    // 12 heads · 197 · 64 · 197 = 29,805,312 multiply-accumulates; no parameters.
    expect(r.macs.value).toBe(12 * 197 * 64 * 197);
    expect(r.macs.formula).toBe('batch·M·K·N');
    expect(r.params).toBe(0);
  });
  test('batch dimensions broadcast and 1-D operands drop their dimension', () => {
    // torch.matmul(torch.zeros(5, 1, 3, 4), torch.zeros(6, 4, 2)).shape == (5, 6, 3, 2)
    expect(evaluate(matmul, {}, [[5, 1, 3, 4], [6, 4, 2]]).outputs).toEqual([[5, 6, 3, 2]]);
    // torch.matmul(torch.zeros(3, 4), torch.zeros(4)).shape == (3,); a vector on the left: (4,) @ (4, 2) → (2,)
    expect(evaluate(matmul, {}, [[3, 4], [4]]).outputs).toEqual([[3]]);
    expect(evaluate(matmul, {}, [[4], [4, 2]]).outputs).toEqual([[2]]);
    expect(evaluate(matmul, {}, [[4], [4, 2]]).macs.value).toBe(4 * 2);
  });
  test('inner sizes that differ are rejected with both shapes', () => {
    expect(rejection(matmul, {}, [[2, 3], [4, 5]]).message).toContain('3 ≠ 4');
    expect(rejection(matmul, {}, [[2, 3, 4], [5, 4, 6]]).message).toContain('batch dimensions');
  });
});
