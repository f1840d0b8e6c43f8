import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { roiAlign } from './roi-align.js';

// Faster R-CNN's box_roi_pool at 800×800: 1,000 proposals over the FPN levels 200², 100², 50², 25².
const levels = [200, 100, 50, 25].map((s) => [1, 256, s, s]);

describe('roi_align, derived by hand', () => {
  test('1,000 boxes pooled to 7×7 over four pyramid levels', () => {
    const r = evaluate(roiAlign, { output: 7, sampling_ratio: 2 }, [[1000, 4], ...levels]);
    expect(findOp('roi_align')).toBe(roiAlign);
    // torchvision 0.14's MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2) gives [1000, 256, 7, 7] (test/oracle/torchvision/fasterrcnn_resnet50_fpn.json).
    expect(r.outputs).toEqual([[1000, 256, 7, 7]]);
    expect(r.params).toBe(0);
    expect(r.macs.value).toBe(0);
    // 1,000·256·7·7 = 12,544,000 values × 8·2² = 32: 401,408,000.
    expect(r.flops.value).toBe(401_408_000);
    expect(r.attrs).toEqual({ output: [7, 7], sampling_ratio: 2 });
  });

  test("Mask R-CNN's 14×14 pool of 100 detections, with the default sampling ratio", () => {
    expect(evaluate(roiAlign, { output: 14 }, [[100, 4], ...levels]).outputs).toEqual([[100, 256, 14, 14]]);
  });

  test('adaptive sampling, boxes that are not boxes and maps of different widths are refused', () => {
    expect(rejection(roiAlign, { output: 7, sampling_ratio: 0 }, [[1000, 4], ...levels]).message).toContain('depends on each box');
    expect(rejection(roiAlign, { output: 7 }, [[1000, 3], ...levels]).message).toContain('boxes [R, 4]');
    expect(rejection(roiAlign, { output: 7 }, [[1000, 4], [1, 256, 50, 50], [1, 128, 25, 25]]).message).toContain('equal C');
    expect(rejection(roiAlign, { output: 7 }, [[1000, 4]]).message).toContain('at least one feature map');
  });
});
