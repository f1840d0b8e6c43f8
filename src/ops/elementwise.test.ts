import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { elementwise } from './elementwise.js';
import { add } from './merge.js';
import { reduce } from './reduce.js';
import { tensor } from './tensor.js';

describe('element-wise arithmetic with a stored constant operand', () => {
  test('x / √d with a scalar constant: one FLOP per element, no parameters', () => {
    const r = evaluate(elementwise, { fn: 'div', constant: [] }, [[1, 12, 197, 64]]);
    expect(r.outputs).toEqual([[1, 12, 197, 64]]);
    expect(r.flops.value).toBe(12 * 197 * 64);
    expect(r.params).toBe(0);
  });
  test('a unary function (erf) counts one FLOP per element; three operands count two', () => {
    expect(evaluate(elementwise, { fn: 'erf' }, [[2, 10]]).flops.value).toBe(20);
    // where(cond, x, y) over [2, 10]: (3 − 1)·20 = 40.
    expect(evaluate(elementwise, { fn: 'where' }, [[2, 10], [2, 10], [1, 10]]).flops.value).toBe(40);
  });
  test('a constant broadcasts like an input: x + [C, 1, 1] keeps [N, C, H, W], and may enlarge', () => {
    expect(evaluate(add, { constant: [64, 1, 1] }, [[1, 64, 8, 8]]).outputs).toEqual([[1, 64, 8, 8]]);
    expect(evaluate(add, { constant: [3, 1] }, [[1, 4]]).outputs).toEqual([[3, 4]]);
    expect(evaluate(add, { constant: [] }, [[1, 4]]).flops.value).toBe(4);
    expect(rejection(add, {}, [[1, 4]]).message).toContain('at least 2 operands');
    expect(rejection(add, { constant: [5] }, [[1, 4]]).message).toContain('broadcast');
    expect(rejection(elementwise, { fn: 'a b' }, [[1]]).message).toContain("'fn' must name a function");
  });
});

describe('tensor: a stored tensor read directly', () => {
  test('learned by default: its elements are parameters; a constant counts nothing', () => {
    const r = evaluate(tensor, { shape: [1, 197, 768] }, []);
    expect(r.outputs).toEqual([[1, 197, 768]]);
    expect(r.params).toBe(197 * 768);
    expect(evaluate(tensor, { shape: [64, 49, 49], learned: false }, []).params).toBe(0);
    expect(evaluate(tensor, { shape: [] }, []).outputs).toEqual([[]]);
  });
});

describe('reduce', () => {
  test("a LayerNorm's mean over the channels of [1, 56, 56, 96]: [1, 56, 56, 1], one FLOP per input element", () => {
    const r = evaluate(reduce, { fn: 'mean', dims: [-1] }, [[1, 56, 56, 96]]);
    expect(r.outputs).toEqual([[1, 56, 56, 1]]);
    expect(r.flops.value).toBe(56 * 56 * 96);
    // torch.zeros(2, 3, 4).sum((0, 2)).shape == (3,); .sum() over everything with keepdims: (1, 1, 1)
    expect(evaluate(reduce, { fn: 'sum', dims: [0, 2], keepdims: false }, [[2, 3, 4]]).outputs).toEqual([[3]]);
    expect(evaluate(reduce, { fn: 'sum' }, [[2, 3, 4]]).outputs).toEqual([[1, 1, 1]]);
    expect(rejection(reduce, { dims: [3] }, [[2, 3, 4]]).message).toContain('out of range');
    expect(rejection(reduce, { dims: [1, -2] }, [[2, 3, 4]]).message).toContain('twice');
  });
});
