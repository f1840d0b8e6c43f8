/**
 * @module
 * The post-processing of a detector's box predictions, as torchvision's RPN (filter_proposals) and detection heads
 * (postprocess_detections) run it: decode the regressions against the anchors or proposals, keep the best-scoring
 * boxes, drop the small and low-scoring ones, suppress overlapping ones (non-maximum suppression) and keep at most
 * `keep` per image. Inputs: the image batch [N, C, H, W] first (its N), then whatever the boxes are decoded from.
 * Output: [N·keep, 4], the most that can survive; nncalc counts the layers after it at that number.
 * No parameters. MACs and FLOPs unknown — not zero: how many boxes pass the thresholds, and so how many pairs NMS
 * compares, depends on the image.
 */
import { dim, mul, term } from '../count.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

export const boxFilter = defineOp<{ keep: number }>({
  kind: 'box_filter',
  title: 'BoxFilter',
  doc:
    'Decodes box regressions, keeps the top-scoring boxes and suppresses overlaps (NMS), at most `keep` per image of the batch ' +
    '[N, C, H, W] it reads first: [N·keep, 4]. No parameters; MACs and FLOPs unknown (they depend on the data).',
  attrs: (r) => ({ keep: r.int('keep', { min: 1 }) }),
  shape(a, [image], note) {
    if (!image || image.length !== 4) throw shapeError(`box_filter reads the image batch [N, C, H, W] first, but received ${image ? fmtShape(image) : 'nothing'}.`);
    const boxes = mul(term('N', image[0]!), term('keep', a.keep));
    note?.({ label: 'boxes kept', count: boxes });
    return [[dim(boxes), 4]];
  },
  unknown: () => 'MACs and FLOPs unknown: box decoding, thresholds and non-maximum suppression depend on the image; the output is the most boxes that can survive',
  label: (a) => `keep ${a.keep}`,
});
