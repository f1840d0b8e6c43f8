import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { conv2d } from './conv.js';
import { convTranspose2d } from './conv-transpose.js';
import { avgpool2d, maxpool2d } from './pool.js';

describe("ONNX's pads: begin of each axis, then end of each axis", () => {
  test('conv with pads [0, 1, 2, 1] (top, left, bottom, right)', () => {
    // torch: F.conv2d(F.pad(x, (1, 1, 0, 2)), w, stride=2) on [1, 3, 28, 28] with a 3×3 kernel → [1, 4, 14, 14]:
    // H = ⌊(28 + 0 + 2 − 3)/2⌋ + 1 = 14, W = ⌊(28 + 2·1 − 3)/2⌋ + 1 = 14.
    const r = evaluate(conv2d, { out: 4, kernel: 3, stride: 2, pads: [0, 1, 2, 1] }, [[1, 3, 28, 28]]);
    expect(r.outputs).toEqual([[1, 4, 14, 14]]);
    expect(r.notes.map((n) => n.count.terms)).toEqual(['⌊(28 + 0 + 2 − 3)/2⌋ + 1', '⌊(28 + 2·1 − 3)/2⌋ + 1']);
    expect(r.notes[0]!.count.formula).toBe('⌊(H_in + p_begin + p_end − k)/s⌋ + 1');
  });
  test('symmetric pads read as padding', () => {
    const a = evaluate(conv2d, { out: 8, kernel: 3, pads: [1, 1, 1, 1] }, [[1, 3, 8, 8]]);
    const b = evaluate(conv2d, { out: 8, kernel: 3, padding: 1 }, [[1, 3, 8, 8]]);
    expect(a.attrs).toEqual(b.attrs);
  });
  test('pools take pads too: MaxPool 2×2/2 with pads [0, 0, 1, 1] on 7×7 → 4×4', () => {
    // ⌊(7 + 0 + 1 − 2)/2⌋ + 1 = 4.
    expect(evaluate(maxpool2d, { kernel: 2, stride: 2, pads: [0, 0, 1, 1] }, [[1, 2, 7, 7]]).outputs).toEqual([[1, 2, 4, 4]]);
    expect(rejection(avgpool2d, { kernel: 2, pads: [0, 0, 2, 2] }, [[1, 2, 7, 7]]).message).toContain('at most half the kernel');
  });
  test('transposed conv removes p_begin + p_end', () => {
    // (7 − 1)·2 − 0 − 1 + 3 − 1 + 1 = 14
    const r = evaluate(convTranspose2d, { out: 2, kernel: 3, stride: 2, pads: [0, 0, 1, 1] }, [[1, 4, 7, 7]]);
    expect(r.outputs).toEqual([[1, 2, 14, 14]]);
    expect(r.notes[0]!.count.terms).toBe('(7 − 1)·2 − 0 − 1 + 3 − 1 + 1');
  });
  test('pads of the wrong length, or together with padding, are rejected', () => {
    expect(rejection(conv2d, { out: 4, kernel: 3, pads: [1, 1] }, [[1, 3, 8, 8]]).message).toContain('4 amounts');
    expect(rejection(conv2d, { out: 4, kernel: 3, pads: [1, 1, 1, 1], padding: 1 }, [[1, 3, 8, 8]]).message).toContain("not both");
  });
});
