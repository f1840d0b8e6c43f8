import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { analyze } from '../analyze/index.js';
import { build } from '../describe/build.js';
import { op } from '../describe/spec.js';
import { boxFilter } from './box-filter.js';
import { findOp } from './index.js';

describe('box_filter', () => {
  test('keeps at most `keep` boxes per image of the batch', () => {
    expect(findOp('box_filter')).toBe(boxFilter);
    expect(evaluate(boxFilter, { keep: 1000 }, [[1, 3, 800, 800], [159_882, 4]]).outputs).toEqual([[1000, 4]]);
    // torchvision's RPN keeps post_nms_top_n per image: 2 images, 2,000 proposals.
    expect(evaluate(boxFilter, { keep: 1000 }, [[2, 3, 800, 800]]).outputs).toEqual([[2000, 4]]);
    expect(rejection(boxFilter, { keep: 100 }, [[1000, 91]]).message).toContain('image batch [N, C, H, W] first');
  });

  test('its MACs and FLOPs are unknown, not zero, and the layer says why; the totals are lower bounds', () => {
    const r = analyze(
      build({
        name: 'detector',
        input: [1, 3, 64, 64],
        layers: [op('conv2d', { out: 8, kernel: 3 }, { name: 'conv' }), op('box_filter', { keep: 10 }, { name: 'nms', inputs: ['input', 'conv'] })],
      }),
    );
    const nms = r.layers.find((l) => l.name === 'nms')!;
    expect([nms.params, nms.macs, nms.flops]).toEqual([0, null, null]);
    expect(nms.note).toContain('depend on the image');
    expect(nms.outputShape).toEqual([10, 4]);
    expect(r.totals.unknown).toBe(1);
    // The conv's MACs are still counted: 8·62·62·27 = 830,304.
    expect(r.totals.macs).toBe(830_304);
  });
});
