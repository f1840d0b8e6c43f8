/**
 * @module
 * The fixed boxes detectors predict offsets from, as torchvision generates them on every forward pass. Inputs: the
 * image batch [N, C, H, W] (its size), then the feature maps [N, C_i, H_i, W_i] of the levels; A_i boxes per position
 * of level i (`per_location`, one value for every level or one per level). Output: the boxes of one image,
 * [Σ H_i·W_i·A_i, 4] (every image of the batch gets the same). No parameters, no MACs (coordinates are added and
 * scaled, nothing is multiply-accumulated).
 * - anchors (Faster R-CNN's AnchorGenerator, Ren et al. 2015): the base anchors are made once when the model is built;
 *   each pass shifts them to every position (integer offsets) and adds them: FLOPs 4 per anchor.
 * - default_boxes (SSD's DefaultBoxGenerator, Liu et al. 2016): each pass computes the centres (2 per position along
 *   each axis: add ½, divide), clamps the level's width-height pairs (1 per value), then turns each (cx, cy, w, h)
 *   into image corners: ½·w and ½·h twice, 4 adds and 4 scalings by the image size: 12 per box.
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp, type OpDef } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised attributes: boxes per position, one value per level or one for all. */
export interface Anchors {
  readonly per_location: readonly number[];
}

/** The feature maps' sizes and each level's boxes per position. */
function levels(a: Anchors, inputs: readonly Shape[], kind: string): { h: number; w: number; a: number }[] {
  const [image, ...maps] = inputs;
  if (!image || image.length !== 4) throw shapeError(`${kind} reads the image batch [N, C, H, W] first, but received ${image ? fmtShape(image) : 'nothing'}.`);
  if (maps.length === 0) throw shapeError(`${kind} needs at least one feature map [N, C, H, W] after the image.`);
  if (a.per_location.length !== 1 && a.per_location.length !== maps.length) {
    throw shapeError(`${kind} has ${a.per_location.length} per_location values for ${maps.length} feature maps; give one, or one per map.`);
  }
  return maps.map((m, i) => {
    if (m.length !== 4) throw shapeError(`${kind} needs feature maps [N, C, H, W], but received ${fmtShape(m)}.`);
    return { h: m[2]!, w: m[3]!, a: a.per_location[a.per_location.length === 1 ? 0 : i]! };
  });
}

/** Σ H_i·W_i·A_i as a formula. */
const boxes = (ls: readonly { h: number; w: number; a: number }[]): Count => add(...ls.map((l, i) => mul(term(`H_${i}`, l.h), term(`W_${i}`, l.w), term(`A_${i}`, l.a))));

const readAnchors = (r: Attrs): Anchors => ({ per_location: r.list('per_location', { min: 1 }) });

function anchorOp(kind: 'anchors' | 'default_boxes', title: string, doc: string, flops: (ls: { h: number; w: number; a: number }[]) => Count): OpDef<Anchors> {
  return defineOp<Anchors>({
    kind,
    title,
    doc,
    attrs: readAnchors,
    shape(a, inputs, note) {
      const count = boxes(levels(a, inputs, kind));
      note?.({ label: 'boxes', count });
      return [[dim(count), 4]];
    },
    flops: (a, inputs) => flops(levels(a, inputs, kind)),
    label: (a) => `${kind === 'anchors' ? 'anchors' : 'default boxes'} ×${a.per_location.join('/')}`,
  });
}

export const anchors = anchorOp(
  'anchors',
  'AnchorGenerator',
  'Faster R-CNN anchors for an image [N, C, H, W] and feature maps: A_i per position (`per_location`), [Σ H_i·W_i·A_i, 4]. No parameters, no MACs. FLOPs: 4 per anchor (base anchor + shift).',
  (ls) => mul(lit(4), boxes(ls)),
);

export const defaultBoxes = anchorOp(
  'default_boxes',
  'DefaultBoxGenerator',
  'SSD default boxes for an image [N, C, H, W] and feature maps: A_i per position (`per_location`), [Σ H_i·W_i·A_i, 4]. No parameters, no MACs. ' +
    'FLOPs: 2·(H_i + W_i) + 2·A_i per level (centres, clamped sizes) + 12 per box (corners in image coordinates).',
  (ls) => add(...ls.map((l, i) => add(mul(lit(2), add(term(`H_${i}`, l.h), term(`W_${i}`, l.w))), mul(lit(2), term(`A_${i}`, l.a)))), mul(lit(12), boxes(ls))),
);
