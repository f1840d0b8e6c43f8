import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { anchors, defaultBoxes } from './anchors.js';
import { findOp } from './index.js';

const maps = (sides: readonly number[]) => sides.map((s) => [1, 256, s, s]);

describe('anchors and default boxes, derived by hand', () => {
  test("Faster R-CNN's anchors: 3 per position on five levels", () => {
    // 3·(200² + 100² + 50² + 25² + 13²) = 3·53,294 = 159,882, the shape torchvision 0.14's AnchorGenerator returns at 800×800.
    const r = evaluate(anchors, { per_location: 3 }, [[1, 3, 800, 800], ...maps([200, 100, 50, 25, 13])]);
    expect(findOp('anchors')).toBe(anchors);
    expect(r.outputs).toEqual([[159_882, 4]]);
    expect([r.params, r.macs.value]).toEqual([0, 0]);
    expect(r.flops.value).toBe(4 * 159_882);
  });

  test("SSD300's default boxes: 4, 6, 6, 6, 4, 4 per position on six maps", () => {
    // 38²·4 + 19²·6 + 10²·6 + 5²·6 + 3²·4 + 1·4 = 5,776 + 2,166 + 600 + 150 + 36 + 4 = 8,732 (DefaultBoxGenerator's output).
    const r = evaluate(defaultBoxes, { per_location: [4, 6, 6, 6, 4, 4] }, [[1, 3, 300, 300], ...maps([38, 19, 10, 5, 3, 1])]);
    expect(findOp('default_boxes')).toBe(defaultBoxes);
    expect(r.outputs).toEqual([[8_732, 4]]);
    // Centres 2·(H + W) summed: 4·76 = 304; clamped sizes 2·A: 2·30 = 60; corners 12·8,732 = 104,784: 105,148.
    expect(r.flops.value).toBe(105_148);
  });

  test('one per_location value, or one per map', () => {
    expect(rejection(anchors, { per_location: [3, 3] }, [[1, 3, 800, 800], ...maps([200, 100, 50])]).message).toContain('2 per_location values for 3 feature maps');
    expect(rejection(anchors, { per_location: 3 }, [[1, 256, 50, 50]]).message).toContain('at least one feature map');
  });
});
