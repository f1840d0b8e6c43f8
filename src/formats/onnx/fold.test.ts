import { describe, expect, test } from 'vitest';
import { slice, transpose } from './fold.js';

// x = arange(24).reshape(2, 3, 4): x[i, j, k] = 12·i + 4·j + k.
const x = { shape: [2, 3, 4], values: Array.from({ length: 24 }, (_, i) => i) };

describe('folding shape arithmetic: strided walks over a known tensor', () => {
  test('transpose(x, [2, 0, 1])[k, i, j] = x[i, j, k]', () => {
    const t = transpose(x, [2, 0, 1])!;
    expect(t.shape).toEqual([4, 2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(t.values[k * 6 + i * 3 + j]).toBe(12 * i + 4 * j + k);
  });
  test('slice with a negative step: axis 1 from 1 to 3, axis 2 from 3 down to 0 by 2', () => {
    // j ∈ {1, 2}, k ∈ {3, 1}: x[0,1,3] = 7, x[0,1,1] = 5, x[0,2,3] = 11, x[0,2,1] = 9, then i = 1 adds 12.
    expect(slice(x, [1, 3], [3, 0], [1, 2], [1, -2])).toEqual({ shape: [2, 2, 2], values: [7, 5, 11, 9, 19, 17, 23, 21] });
    // ONNX's "reverse everything": start −1, end below −rank, step −1.
    expect(slice({ shape: [5], values: [0, 1, 2, 3, 4] }, [-1], [-6], [0], [-1])).toEqual({ shape: [5], values: [4, 3, 2, 1, 0] });
  });
  test('a permutation of the wrong length, or one that is not a permutation, folds nothing', () => {
    expect(transpose(x, [1, 0])).toBeUndefined();
    // Found by fuzzing: perm [127, 0] on a [4, 2] tensor read an axis that does not exist.
    expect(transpose({ shape: [4, 2], values: Array.from({ length: 8 }, (_, i) => i) }, [127, 0])).toBeUndefined();
    expect(transpose(x, [1, 1, 0])).toBeUndefined();
    expect(transpose(x, [0, 1, -1])).toBeUndefined();
  });
});
