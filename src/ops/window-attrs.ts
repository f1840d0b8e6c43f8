import type { Attrs, Padding } from './attrs.js';

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
