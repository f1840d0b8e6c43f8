import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { detectionTransform } from './detection-transform.js';
import { findOp } from './index.js';

describe('detection_transform against torchvision 0.14', () => {
  // GeneralizedRCNNTransform(800, 1333, …).eval() on one image [3, H, W]: image_sizes and the padded batch's shape,
  // as torchvision 0.14 gives them (its float32 scale makes 427 → 799, not 800).
  test.each([
    [480, 640, 800, 1088],
    [427, 640, 800, 1216],
    [333, 500, 800, 1216],
    [1000, 3000, 448, 1344],
    [800, 800, 800, 800],
    [300, 300, 800, 800],
  ])('%i×%i → %i×%i', (h, w, ph, pw) => {
    const r = evaluate(detectionTransform, {}, [[1, 3, h, w]]);
    expect(r.outputs).toEqual([[1, 3, ph, pw]]);
  });

  test('the resized size before padding, and the FLOPs', () => {
    const r = evaluate(detectionTransform, {}, [[1, 3, 427, 640]]);
    expect(findOp('detection_transform')).toBe(detectionTransform);
    expect(r.notes.filter((n) => n.label.endsWith('_resized')).map((n) => n.count.value)).toEqual([799, 1199]);
    // 800×800: normalise 2·3·640,000 + bilinear 7·3·640,000 = 17,280,000.
    expect(evaluate(detectionTransform, {}, [[1, 3, 800, 800]]).flops.value).toBe(17_280_000);
    expect(r.macs.value).toBe(0);
  });

  test("SSD's fixed size ignores the aspect ratio", () => {
    // GeneralizedRCNNTransform(300, 300, …, size_divisible=1, fixed_size=(300, 300)) on 480×640: [1, 3, 300, 300].
    expect(evaluate(detectionTransform, { size: 300, size_divisible: 1 }, [[1, 3, 480, 640]]).outputs).toEqual([[1, 3, 300, 300]]);
    expect(rejection(detectionTransform, {}, [[1, 3, 800]]).message).toContain('[N, C, H, W]');
  });
});
