/**
 * @module
 * Max and average pooling (fixed, adaptive and global). No parameters and no MACs;
 * FLOPs: one per window element per output (a comparison or an add).
 */
import { mul, term } from '../count.js';
import { defineOp, elements, type OpDef } from './op.js';
import { axisNames, shapeError, splitSpatial } from './spatial.js';
import { readConvLike, windowOf, windowOutputs, type WindowAttrs } from './window-attrs.js';

/** Normalised pooling attributes. */
export interface Pool extends WindowAttrs {
  readonly ceil_mode: boolean;
}

function poolOp(kind: 'max' | 'avg', rank: number): OpDef<Pool> {
  const title = `${kind === 'max' ? 'Max' : 'Avg'}Pool${rank}d`;
  return defineOp<Pool>({
    kind: `${kind}pool${rank}d`,
    title,
    doc:
      `${kind === 'max' ? 'Maximum' : 'Average'} over each window; stride defaults to the kernel. No parameters. FLOPs: kernel volume per output.` +
      (kind === 'avg' && rank === 3 ? ' As in PyTorch, every input size must be at least the kernel before padding.' : ''),
    attrs(r) {
      const w = readConvLike(r, rank, { padding: 0, strideIsKernel: true });
      if (kind === 'avg' && w.dilation.some((d) => d !== 1)) r.fail('dilation', `average pooling has no dilation. Received: dilation=${JSON.stringify(w.dilation)}.`);
      if (kind === 'avg') r.bool('count_include_pad', true);
      const half = (p: readonly number[]) => p.some((v, i) => v > Math.floor(w.kernel[i]! / 2));
      if (w.padding !== 'same' && (half(w.padding) || (w.padEnd && half(w.padEnd)))) {
        const key = r.has('pads') ? 'pads' : 'padding';
        r.fail(key, `padding must be at most half the kernel. Received: ${key}=${JSON.stringify(w.padEnd ? [...w.padding, ...w.padEnd] : w.padding)}, kernel=${JSON.stringify(w.kernel)}.`);
      }
      return { ...w, ceil_mode: r.bool('ceil_mode', false) };
    },
    shape(a, [x], note) {
      const { n, c, spatial } = splitSpatial(x!, rank, `${kind}pool${rank}d layer`);
      if (kind === 'avg' && rank === 3 && a.padding !== 'same' && spatial.some((v, i) => v < a.kernel[i]!)) {
        // PyTorch's avg_pool3d checks the input against the kernel before padding; 1-D and 2-D pooling do not.
        throw shapeError(`AvgPool3d needs every input size to be at least the kernel, padding aside (as PyTorch checks): the input is ${spatial.join('×')}, the kernel ${a.kernel.join('×')}.`);
      }
      return [[n, c, ...windowOutputs(a, spatial, note, { ceil: a.ceil_mode, atLeastOne: true })]];
    },
    flops: (a, _, [y]) => mul(elements(y!), ...a.kernel.map((k, i) => term(`k_${axisNames(rank)[i]!.toLowerCase()}`, k))),
    window: windowOf,
    label: (a) => `${kind}pool${a.kernel[0] !== 2 || a.stride[0] !== 2 ? `${a.kernel[0]}/${a.stride[0]}` : ''}`,
  });
}

export const maxpool1d = poolOp('max', 1);
export const maxpool2d = poolOp('max', 2);
export const maxpool3d = poolOp('max', 3);
export const avgpool1d = poolOp('avg', 1);
export const avgpool2d = poolOp('avg', 2);
export const avgpool3d = poolOp('avg', 3);

/** Σ over output positions of PyTorch's adaptive window length along one axis. */
const gcd = (a: number, b: number): number => {
  while (b) [a, b] = [b, a % b];
  return a;
};

/*
 * PyTorch's window i along an axis of `size` pooled to `out` runs from ⌊i·size/out⌋ to ⌈(i+1)·size/out⌉. With
 * r_i = i·size mod out its length is ⌊(r_i + size + out − 1)/out⌋, and the r_i are the multiples of g = gcd(size, out)
 * below out, each out/g times; so the lengths add up to size + out − g, and the widest is the one with r_i = out − g.
 * (Closed forms: the sums take no time whatever the sizes.)
 */
function adaptiveSpan(size: number, out: number): number {
  return size + out - gcd(size, out);
}

/** The widest of PyTorch's adaptive windows along one axis. */
const adaptiveWidest = (size: number, out: number): number => Math.floor((2 * out - gcd(size, out) + size - 1) / out);

function adaptiveOp(kind: 'max' | 'avg', rank: number): OpDef<{ output: readonly number[] }> {
  return defineOp({
    kind: `adaptive_${kind}pool${rank}d`,
    title: `Adaptive${kind === 'max' ? 'Max' : 'Avg'}Pool${rank}d`,
    doc: `${kind === 'max' ? 'Maximum' : 'Average'} over windows chosen so the output has the requested size (PyTorch's windows). FLOPs: window elements summed over outputs.`,
    attrs: (r) => ({ output: r.tuple('output', rank) }),
    shape(a, [x]) {
      const { n, c } = splitSpatial(x!, rank, `adaptive_${kind}pool${rank}d layer`);
      return [[n, c, ...a.output]];
    },
    flops(a, [x]) {
      const { n, c, spatial } = splitSpatial(x!, rank, 'adaptive pooling');
      const spans = spatial.map((s, i) => adaptiveSpan(s, a.output[i]!));
      return mul(term('N', n), term('C', c), ...spans.map((s, i) => term(`Σwindow_${axisNames(rank)[i]!.toLowerCase()}`, s)));
    },
    // PyTorch's windows are equal when the output divides the input; otherwise this is the widest of them.
    window(a, [x]) {
      const size = x![2]!;
      const out = a.output[0]!;
      return { kernel: adaptiveWidest(size, out), stride: Math.max(1, Math.floor(size / out)), dilation: 1, padding: 0 };
    },
    label: (a) => `adaptive ${kind}pool ${a.output.join('×')}`,
  });
}

export const adaptiveAvgpool1d = adaptiveOp('avg', 1);
export const adaptiveAvgpool2d = adaptiveOp('avg', 2);
export const adaptiveAvgpool3d = adaptiveOp('avg', 3);
export const adaptiveMaxpool1d = adaptiveOp('max', 1);
export const adaptiveMaxpool2d = adaptiveOp('max', 2);
export const adaptiveMaxpool3d = adaptiveOp('max', 3);

function globalOp(kind: 'max' | 'avg'): OpDef<{ keepdims: boolean }> {
  return defineOp({
    kind: `global_${kind}pool`,
    title: `Global${kind === 'max' ? 'Max' : 'Average'}Pooling`,
    doc: `${kind === 'max' ? 'Maximum' : 'Mean'} over all spatial positions: (N, C, …) → (N, C), or (N, C, 1, …) with keepdims. FLOPs: one per input element.`,
    attrs: (r) => ({ keepdims: r.bool('keepdims', false) }),
    shape(a, [x]) {
      if (x!.length < 3) throw shapeError(`global pooling expects (N, C, spatial…), but received [${x!.join(', ')}].`);
      return [a.keepdims ? [x![0]!, x![1]!, ...x!.slice(2).map(() => 1)] : [x![0]!, x![1]!]];
    },
    flops: (_, [x]) => elements(x!),
    label: () => `global ${kind}pool`,
  });
}

export const globalAvgpool = globalOp('avg');
export const globalMaxpool = globalOp('max');
