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
}

/** Reads the sliding-window attributes; `stride` defaults to 1 for convs, to the kernel for pools. */
export function readConvLike(r: Attrs, rank: number, opts: { padding: Padding | number; strideIsKernel?: boolean }): WindowAttrs {
  const kernel = r.tuple('kernel', rank);
  const stride = r.tuple('stride', rank, { default: opts.strideIsKernel ? kernel : 1 });
  const padding = r.padding('padding', rank, opts.padding);
  const dilation = r.tuple('dilation', rank, { default: 1 });
  return { kernel, stride, padding, dilation };
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
    const cnt = windowOut({ name: names[i]!, size, kernel: a.kernel[i]!, stride: a.stride[i]!, padding: padAt(a.padding, i), dilation: a.dilation?.[i] ?? 1, ceil: opts.ceil ?? false });
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
