/**
 * @module
 * RoIAlign (He et al., "Mask R-CNN", ICCV 2017, §3) as torchvision's MultiScaleRoIAlign applies it: each of R boxes
 * is pooled to a fixed oh×ow grid of one feature map (the level its size maps to, Feature Pyramid Networks eq. 1),
 * every bin the average of sampling_ratio² bilinear samples. Inputs: the boxes [R, 4], then one or more feature maps
 * [N, C, H, W] of equal C. Output [R, C, oh, ow]. No parameters. Which level a box reads depends on the data, but the
 * work per output value does not:
 * MACs: none — bilinear sampling is interpolation, counted in FLOPs as for upsample; FLOPs per output value: s² samples
 * of 4 weighted taps (4 multiplies, 3 adds each), s² − 1 adds and 1 divide: 8·s² (32 at torchvision's s = 2).
 * The sample positions and tap weights depend only on the box, not the channel, and are not counted.
 */
import { lit, mul, term } from '../count.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised attributes: the output grid and the samples per bin along each axis. */
export interface RoiAlign {
  readonly output: readonly [number, number];
  readonly sampling_ratio: number;
}

export const roiAlign = defineOp<RoiAlign>({
  kind: 'roi_align',
  title: 'MultiScaleRoIAlign',
  doc:
    'Pools each of R boxes [R, 4] (first input) to an oh×ow grid of one of the feature maps that follow (its FPN level): ' +
    '[R, C, oh, ow]. No parameters, no MACs. FLOPs: 8·s² per output value (s² bilinear samples per bin, s = sampling_ratio).',
  attrs(r) {
    const output = r.tuple('output', 2, { min: 1 }) as [number, number];
    const sampling_ratio = r.int('sampling_ratio', { min: Number.MIN_SAFE_INTEGER, default: 2 });
    if (sampling_ratio <= 0) {
      r.fail('sampling_ratio', `adaptive sampling (sampling_ratio ≤ 0) takes ⌈box size/output⌉ samples, which depends on each box; give a fixed sampling_ratio (torchvision's detection models use 2). Received: sampling_ratio=${sampling_ratio}.`);
    }
    return { output, sampling_ratio };
  },
  shape(a, inputs, note) {
    const [boxes, ...maps] = inputs;
    if (!boxes || boxes.length !== 2 || (boxes[1] !== 4 && boxes[1] !== 5)) {
      throw shapeError(`roi_align reads boxes [R, 4] (or [R, 5] with the image index) first, but received ${boxes ? fmtShape(boxes) : 'nothing'}.`);
    }
    if (maps.length === 0) throw shapeError('roi_align needs at least one feature map [N, C, H, W] after the boxes.');
    const c = maps[0]![1];
    for (const m of maps) {
      if (m.length !== 4 || m[1] !== c) throw shapeError(`roi_align needs feature maps [N, C, H, W] of equal C, but received ${maps.map(fmtShape).join(', ')}.`);
    }
    note?.({ label: 'boxes R', count: term('R', boxes[0]!) });
    return [[boxes[0]!, c!, a.output[0], a.output[1]]];
  },
  flops: (a, _, [y]) => mul(term('R', y![0]!), term('C', y![1]!), term('oh', y![2]!), term('ow', y![3]!), lit(8), term('s', a.sampling_ratio), term('s', a.sampling_ratio)),
  label: (a) => `RoIAlign ${a.output[0]}×${a.output[1]}`,
});
