import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import type { OpDef } from './op.js';
import { pad, permute, reshape, slice, sliceBounds, split, squeeze, transpose, unflatten, unsqueeze } from './shape-ops.js';

const defs: Record<string, OpDef<any>> = { reshape, permute, transpose, squeeze, unsqueeze, unflatten, split, pad };

describe('shape ops against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(defs));
  test('the oracle covers every op and rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(8);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c));
});

describe('reshape', () => {
  test('an impossible reshape shows the arithmetic', () => {
    // VGG's 512·7·7 = 25,088 features do not fit 4,096.
    const e = rejection(reshape, { shape: [1, 4096] }, [[1, 512, 7, 7]]);
    expect(e.message).toBe('reshape cannot put the 25,088 values of [1, 512, 7, 7] into [1, 4096], which holds 4,096.');
    expect(e.details).toEqual(['1·512·7·7 = 25,088 ≠ 1·4,096 = 4,096.']);
    const inferred = rejection(reshape, { shape: [-1, 5] }, [[2, 3, 4]]);
    expect(inferred.message).toContain('multiply to 5, which does not divide the 24 values');
    expect(inferred.details).toEqual(['24/5 = 4.80 is not a whole number.']);
  });
  test('the inferred size is noted with its derivation', () => {
    const r = evaluate(reshape, { shape: [1, 768, -1] }, [[1, 768, 14, 14]]);
    // 768·14·14 = 150,528 values; 150,528/768 = 196.
    expect(r.outputs).toEqual([[1, 768, 196]]);
    expect(r.notes[0]!.count.terms).toBe('150,528/768');
  });
  test('bad shapes are spec errors', () => {
    expect(rejection(reshape, { shape: 'flat' }, [[2, 3, 4]]).message).toBe("reshape: 'shape' must be an integer ≥ -1 or a list of them. Received: shape='flat'.");
    expect(rejection(reshape, {}, [[2, 3, 4]]).message).toBe("reshape: 'shape' is required (an integer ≥ -1 or a list of them).");
    expect(rejection(reshape, { shape: [-1, -1] }, [[2, 3, 4]]).code).toBe('spec');
    expect(rejection(reshape, { shape: [0, 4] }, [[2, 3, 4]]).message).toContain('positive');
    expect(rejection(reshape, { shape: [2, -2] }, [[2, 3, 4]]).code).toBe('spec');
  });
});

describe('split', () => {
  test('torch.chunk semantics: 10 in 4 chunks is 3, 3, 3, 1; 6 in 4 chunks is only 3 pieces', () => {
    expect(evaluate(split, { chunks: 4 }, [[2, 10]]).outputs.map((s) => s[1])).toEqual([3, 3, 3, 1]);
    expect(evaluate(split, { chunks: 4, dim: -1 }, [[2, 6]]).outputs.map((s) => s[1])).toEqual([2, 2, 2]);
  });
  test('exactly one way of splitting', () => {
    expect(rejection(split, { sizes: [1, 1], chunks: 2 }, [[1, 2]]).message).toContain('exactly one');
    expect(rejection(split, {}, [[1, 2]]).message).toContain('none');
    expect(rejection(split, { sizes: [2, 3] }, [[1, 10, 4]]).details).toEqual(['2 + 3 = 5 ≠ 10.']);
  });
});

describe('pad, squeeze, permute', () => {
  test('F.pad order: the last dimension first', () => {
    // (left 1, right 2) on W = 8 → 11; (top 3, bottom 4) on H = 8 → 15.
    expect(evaluate(pad, { pad: [1, 2, 3, 4] }, [[1, 3, 8, 8]]).outputs).toEqual([[1, 3, 15, 11]]);
  });
  test('non-constant modes pad only the spatial dimensions', () => {
    expect(rejection(pad, { pad: [1, 1, 1, 1, 1, 1], mode: 'reflect' }, [[1, 3, 8, 8]]).message).toContain('at most 2');
    expect(rejection(pad, { pad: [-1, 0], mode: 'replicate' }, [[1, 3, 8]]).code).toBe('spec');
    expect(rejection(pad, { pad: [1, 1], mode: 'reflect', value: 2 }, [[1, 3, 8]]).code).toBe('spec');
    expect(rejection(pad, { pad: [-4, -4] }, [[1, 3, 8]]).message).toContain('8 + -4 + -4 = 0');
  });
  test('squeeze of a dimension that is not 1 changes nothing, as in PyTorch', () => {
    expect(evaluate(squeeze, { dim: 1 }, [[1, 3, 1, 5]]).outputs).toEqual([[1, 3, 1, 5]]);
  });
  test('out-of-range dimensions show the range', () => {
    expect(rejection(transpose, { dim0: 1, dim1: 3 }, [[2, 3, 4]]).message).toContain('expected -3…2');
    expect(rejection(unsqueeze, { dim: 3 }, [[4, 7]]).message).toContain('expected -3…2');
    expect(rejection(permute, { dims: [0, 1, 1] }, [[1, 2, 3]]).message).toContain('dimension 1 twice');
    expect(rejection(transpose, { dim0: 1.5, dim1: 0 }, [[2, 3]]).code).toBe('spec');
  });
});

describe('unflatten', () => {
  test('the sizes must multiply to the dimension, with one -1 inferred', () => {
    expect(evaluate(unflatten, { dim: 1, sizes: [64, -1, 7] }, [[2, 3136]]).outputs).toEqual([[2, 64, 7, 7]]);
    // 64·7·7 = 3,136 ≠ 3,000.
    const e = rejection(unflatten, { dim: 1, sizes: [64, 7, 7] }, [[1, 3000]]);
    expect(e.message).toBe('unflatten cannot turn dimension 1 of [1, 3000], of size 3,000, into [64, 7, 7].');
    expect(e.details).toEqual(['64·7·7 = 3,136 ≠ 3,000.']);
    expect(rejection(unflatten, { dim: 1, sizes: [-1, -1] }, [[1, 4]]).code).toBe('spec');
  });
});

describe('slice (ONNX Slice, NumPy basic slicing)', () => {
  test('the q of a fused qkv: [197, 1, 2304][..., 0:768] → [197, 1, 768]', () => {
    expect(evaluate(slice, { dims: [-1], starts: [0], ends: [768] }, [[197, 1, 2304]]).outputs).toEqual([[197, 1, 768]]);
  });
  test('negative positions, clamping, steps and reversed steps as NumPy gives them', () => {
    // np.zeros(10)[-3:100].shape == (3,); np.zeros(10)[1:8:3].shape == (3,) (1, 4, 7); np.zeros(10)[8:1:-2].shape == (4,) (8, 6, 4, 2)
    expect(sliceBounds(10, -3, 100, 1)).toEqual({ start: 7, count: 3 });
    expect(sliceBounds(10, 1, 8, 3)).toEqual({ start: 1, count: 3 });
    expect(sliceBounds(10, 8, 1, -2)).toEqual({ start: 8, count: 4 });
    // np.zeros(10)[::-1] in ONNX: start −1, end −11 (before the first): all 10.
    expect(sliceBounds(10, -1, -11, -1)).toEqual({ start: 9, count: 10 });
    expect(evaluate(slice, { dims: [0, 2], starts: [1, 0], ends: [3, 10], steps: [1, 2] }, [[4, 5, 6]]).outputs).toEqual([[2, 5, 3]]);
  });
  test('an empty slice and mismatched lists are rejected', () => {
    expect(rejection(slice, { dims: [0], starts: [3], ends: [3] }, [[4]]).message).toContain('keeps nothing');
    expect(rejection(slice, { dims: [0], starts: [0, 1], ends: [3] }, [[4]]).message).toContain('one entry per sliced dimension');
    expect(rejection(slice, { dims: [0], starts: [0], ends: [3], steps: [0] }, [[4]]).message).toContain('cannot be 0');
  });
});
