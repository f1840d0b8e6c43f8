/**
 * @module
 * Convolutions in 1, 2 and 3 dimensions. PyTorch's layout: weight [c_out, c_in/groups, ...kernel], bias [c_out].
 * MACs = N·(output positions)·c_out·(c_in/groups)·(kernel volume); the bias add is one FLOP per output element.
 */
import { lit, mul, term, type Count } from '../count.js';
import type { Weight } from '../types.js';
import { readConvLike, windowOf, windowOutputs, type WindowAttrs } from './window-attrs.js';
import { defineOp, elements, type OpDef } from './op.js';
import { axisNames, checkChannels, shapeError, splitSpatial } from './spatial.js';

/** Normalised convolution attributes. */
export interface Conv extends WindowAttrs {
  readonly out: number;
  /** The input channels, when written (PyTorch's in_channels); checked against the input. */
  readonly in?: number;
  readonly groups: number;
  readonly bias: boolean;
}

/** k·k (square) or k_h·k_w: the kernel factors of a formula. */
export function kernelTerms(kernel: readonly number[]): Count[] {
  const square = kernel.every((k) => k === kernel[0]);
  const names = axisNames(kernel.length).map((a) => `k_${a.toLowerCase()}`);
  return kernel.map((k, i) => term(square ? 'k' : names[i]!, k));
}

const cinTerm = (cin: number, groups: number): Count => (groups === 1 ? term('c_in', cin) : term('c_in/g', cin / groups));

function convOp(rank: number): OpDef<Conv> {
  const kind = `conv${rank}d`;
  return defineOp<Conv>({
    kind,
    title: `Conv${rank}d`,
    doc: `${rank}-D convolution (weights k·…·c_in/g·c_out, bias c_out). MACs: N·outputs·c_out·(c_in/g)·kernel volume.`,
    attrs(r) {
      const a = readConvLike(r, rank, { padding: 0 });
      const out = r.int('out', { min: 1 });
      const groups = r.int('groups', { min: 1, default: 1 });
      if (out % groups !== 0) r.fail('groups', `'out' must be divisible by 'groups'. Received: out=${out}, groups=${groups}.`);
      const cin = r.has('in') ? r.int('in', { min: 1 }) : undefined;
      // How PyTorch fills the padding; it changes no count.
      r.oneOf('padding_mode', ['zeros', 'reflect', 'replicate', 'circular'], 'zeros');
      return { ...a, out, ...(cin !== undefined ? { in: cin } : {}), groups, bias: r.bool('bias', true) };
    },
    shape(a, [x], note) {
      const { n, c, spatial } = splitSpatial(x!, rank, `${kind} layer`);
      checkChannels(kind, a.in, x!);
      if (c % a.groups !== 0) {
        throw shapeError(`input channels must be divisible by groups. Received: c_in=${c}, groups=${a.groups}.`, [
          `c_in/groups = ${c}/${a.groups} is not a whole number${a.groups > c ? `: there are more groups than channels` : ''}.`,
        ]);
      }
      return [[n, a.out, ...windowOutputs(a, spatial, note)]];
    },
    weights(a, [x]) {
      const cin = x![1]!;
      const w: Weight = {
        name: 'weight',
        shape: [a.out, cin / a.groups, ...a.kernel],
        dims: ['c_out', a.groups === 1 ? 'c_in' : 'c_in/g', ...axisNames(rank).map((s) => `k_${s.toLowerCase()}`)],
        count: mul(...kernelTerms(a.kernel), cinTerm(cin, a.groups), term('c_out', a.out)),
      };
      return a.bias ? [w, { name: 'bias', shape: [a.out], dims: ['c_out'], count: term('c_out', a.out) }] : [w];
    },
    macs(a, [x], [y]) {
      const [n, cout, ...sp] = y!;
      const names = axisNames(rank);
      return mul(term('N', n!), ...sp.map((s, i) => term(`${names[i]}_out`, s)), term('c_out', cout!), ...kernelTerms(a.kernel), cinTerm(x![1]!, a.groups));
    },
    flops(a, _, [y]) {
      return a.bias ? elements(y!) : lit(0);
    },
    window: windowOf,
    label(a) {
      const k = a.kernel.every((v) => v === a.kernel[0]) ? `${a.kernel[0]}` : a.kernel.join('x');
      const s = a.stride.some((v) => v !== 1) ? `/${a.stride.every((v) => v === a.stride[0]) ? a.stride[0] : a.stride.join('x')}` : '';
      return `conv${k}-${a.out}${s}${a.groups > 1 ? ` g${a.groups}` : ''}`;
    },
  });
}

export const conv1d = convOp(1);
export const conv2d = convOp(2);
export const conv3d = convOp(3);
