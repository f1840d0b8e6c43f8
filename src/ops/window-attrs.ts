import { dim } from '../count.js';
import type { Attrs, Padding } from './attrs.js';
import type { ShapeNote, Window } from './op.js';
import { axisNames, padAt, shapeError, windowOut } from './spatial.js';

/** kernel, stride, padding and dilation, shared by convolutions and poolings. */
export interface WindowAttrs {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: Padding;
  readonly dilation: readonly number[];
  /** Padding after the data per axis, when it differs from `padding` (ONNX's pads [begin…, end…]). */
  readonly padEnd?: readonly number[];
}

/**
 * Padding given as ONNX's `pads`: 2·rank amounts, every axis's begin then every axis's end
 * ([top, left, bottom, right] in 2-D). Returns the begin amounts and, when any axis differs, the end amounts.
 */
export function readPads(r: Attrs, rank: number): { padding: number[]; padEnd?: number[] } {
  const pads = r.list('pads', { min: 0 });
  if (pads.length !== 2 * rank) {
    r.fail('pads', `'pads' lists the padding before and then after each of the ${rank} spatial axes: ${2 * rank} amounts. Received: pads=[${pads.join(', ')}].`);
  }
  const padding = pads.slice(0, rank);
  const end = pads.slice(rank);
  return end.some((p, i) => p !== padding[i]) ? { padding, padEnd: end } : { padding };
}

/** Reads the sliding-window attributes; `stride` defaults to 1 for convs, to the kernel for pools. */
export function readConvLike(r: Attrs, rank: number, opts: { padding: Padding | number; strideIsKernel?: boolean }): WindowAttrs {
  const kernel = r.tuple('kernel', rank);
  const stride = r.tuple('stride', rank, { default: opts.strideIsKernel ? kernel : 1 });
  if (r.has('pads') && r.has('padding')) r.fail('pads', `give 'padding' or 'pads', not both.`);
  const dilation = r.tuple('dilation', rank, { default: 1 });
  if (r.has('pads')) return { kernel, stride, dilation, ...readPads(r, rank) };
  return { kernel, stride, padding: r.padding('padding', rank, opts.padding), dilation };
}

/** A window without dilation (LeNet's subsampling) has dilation 1 along every axis. */
type Slide = Omit<WindowAttrs, 'dilation'> & { readonly dilation?: readonly number[] };

/**
 * The output size along each spatial axis, each noted with its derivation (H_out = ⌊(224 + 2·1 − 3)/1⌋ + 1 = 224).
 * `ceil` is PyTorch's ceil_mode; with `atLeastOne` an axis left with no window position is a shape error.
 */
export function windowOutputs(a: Slide, spatial: readonly number[], note: ((n: ShapeNote) => void) | undefined, opts: { ceil?: boolean; atLeastOne?: boolean } = {}): number[] {
  const names = axisNames(spatial.length);
  return spatial.map((size, i) => {
    const cnt = windowOut({
      name: names[i]!,
      size,
      kernel: a.kernel[i]!,
      stride: a.stride[i]!,
      padding: padAt(a.padding, i),
      padEnd: a.padEnd?.[i],
      dilation: a.dilation?.[i] ?? 1,
      ceil: opts.ceil ?? false,
    });
    if (opts.atLeastOne && cnt.value < 1) throw shapeError(`${names[i]}_out would be ${cnt.value}.`, [`${names[i]}_out = ${cnt.terms} = ${cnt.value}`]);
    note?.({ label: `${names[i]}_out`, count: cnt });
    return dim(cnt);
  });
}

/** The receptive-field window along the first spatial axis; 'same' padding is −1. */
export const windowOf = (a: Slide): Window => ({
  kernel: a.kernel[0]!,
  stride: a.stride[0]!,
  dilation: a.dilation?.[0] ?? 1,
  padding: a.padding === 'same' ? -1 : a.padding[0]!,
});
