/**
 * @module
 * torchvision's GeneralizedRCNNTransform at inference, the first module of its detection models: normalise each
 * channel ((x − mean)/std), resize bilinearly so the shorter side is min_size unless the longer would pass max_size
 * (SSD: to a fixed size), and pad the batch with zeros to a multiple of size_divisible.
 * The scale is computed as torchvision computes it, in float32 with the division done as a reciprocal times the size,
 * scale = min(fl(fl(1/min(H, W))·min_size), fl(fl(1/max(H, W))·max_size)), and each side becomes ⌊side·scale⌋: a 427×640
 * image becomes 799×1199 (not 800), then 800×1216 padded.
 * No parameters, no MACs. FLOPs: 2 per input value (normalise) + 7 per resized value (bilinear, as upsample).
 */
import { add, dim, divide, lit, mul, term, type Count } from '../count.js';
import { defineOp, elements } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised attributes; `size` [H, W] replaces the min/max rule (SSD's fixed_size). */
export interface DetectionTransform {
  readonly min_size: number;
  readonly max_size: number;
  readonly size_divisible: number;
  readonly size: readonly [number, number] | undefined;
}

/** The resized height and width before padding. */
export function resized(a: DetectionTransform, h: number, w: number): [number, number] {
  if (a.size) return [a.size[0], a.size[1]];
  const f = Math.fround;
  const scale = Math.min(f(f(1 / Math.min(h, w)) * a.min_size), f(f(1 / Math.max(h, w)) * a.max_size));
  return [Math.floor(h * scale), Math.floor(w * scale)];
}

export const detectionTransform = defineOp<DetectionTransform>({
  kind: 'detection_transform',
  title: 'GeneralizedRCNNTransform',
  doc:
    'Normalises an image batch [N, C, H, W], resizes it (shorter side min_size, longer at most max_size; or to `size`) and pads to a ' +
    'multiple of size_divisible, as torchvision\'s detection models do. No parameters, no MACs. FLOPs: 2 per input value + 7 per resized value.',
  attrs(r) {
    const size = r.has('size') ? (r.tuple('size', 2, { min: 1 }) as [number, number]) : undefined;
    return {
      min_size: r.int('min_size', { min: 1, default: 800 }),
      max_size: r.int('max_size', { min: 1, default: 1333 }),
      size_divisible: r.int('size_divisible', { min: 1, default: 32 }),
      size,
    };
  },
  shape(a, [x], note) {
    if (x!.length !== 4) throw shapeError(`detection_transform expects an image batch [N, C, H, W], but received ${fmtShape(x!)}.`);
    const [h, w] = resized(a, x![2]!, x![3]!);
    if (h < 1 || w < 1) throw shapeError(`detection_transform would resize ${fmtShape(x!)} to ${h}×${w}.`);
    const pad = (side: number, name: string): Count => mul(divide(term(name, side), term('d', a.size_divisible), 'ceil'), term('d', a.size_divisible));
    const [ph, pw] = [pad(h, 'H_resized'), pad(w, 'W_resized')];
    note?.({ label: 'H_resized', count: term('⌊H·scale⌋', h) });
    note?.({ label: 'W_resized', count: term('⌊W·scale⌋', w) });
    note?.({ label: 'H_out', count: ph });
    note?.({ label: 'W_out', count: pw });
    return [[x![0]!, x![1]!, dim(ph), dim(pw)]];
  },
  flops(a, [x]) {
    const [h, w] = resized(a, x![2]!, x![3]!);
    return add(mul(lit(2), elements(x!)), mul(lit(7), term('N', x![0]!), term('C', x![1]!), term('H_resized', h), term('W_resized', w)));
  },
  label: (a) => (a.size ? `resize ${a.size[0]}×${a.size[1]}` : `resize ${a.min_size}/${a.max_size}`),
});
