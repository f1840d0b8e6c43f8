/**
 * @module
 * Transposed convolutions in 1, 2 and 3 dimensions (the gradient of a convolution; "deconvolution").
 * PyTorch's layout: weight [c_in, c_out/groups, ...kernel], bias [c_out]. Every input position scatters a
 * kernel-sized patch into every output channel of its group: MACs = N·(input positions)·c_in·(c_out/g)·(kernel volume).
 * Output length per axis: (in − 1)·s − 2·p + d·(k − 1) + output_padding + 1.
 */
import { dim, add, lit, mul, sub, term, type Count } from '../count.js';
import type { Weight } from '../types.js';
import { kernelTerms } from './conv.js';
import { defineOp, elements, type OpDef } from './op.js';
import { axisNames, checkChannels, shapeError, splitSpatial } from './spatial.js';
import { readPads } from './window-attrs.js';

/** Normalised transposed-convolution attributes. */
export interface ConvTranspose {
  readonly out: number;
  /** The input channels, when written (PyTorch's in_channels); checked against the input. */
  readonly in: number | undefined;
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  /** Padding removed after the data per axis, when it differs from `padding` (ONNX's pads). */
  readonly padEnd?: readonly number[];
  readonly output_padding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly bias: boolean;
}

/**
 * PyTorch's output length along one axis, as a Count: (H_in − 1)·s − 2·p + d·(k − 1) + op + 1; with ONNX's
 * asymmetric pads, − p_begin − p_end.
 */
export function transposedOut(name: string, size: number, k: number, s: number, p: number, d: number, op: number, pEnd = p): Count {
  let c: Count = mul(sub(term(`${name}_in`, size), lit(1)), term('s', s));
  if (pEnd !== p) c = sub(sub(c, term('p_begin', p)), term('p_end', pEnd));
  else if (p > 0) c = sub(c, mul(lit(2), term('p', p)));
  const reach = sub(term('k', k), lit(1));
  c = add(c, d === 1 ? reach : mul(term('d', d), reach));
  if (op > 0) c = add(c, term('output_padding', op));
  return add(c, lit(1));
}

function convTransposeOp(rank: number): OpDef<ConvTranspose> {
  const kind = `conv_transpose${rank}d`;
  const names = axisNames(rank);
  return defineOp<ConvTranspose>({
    kind,
    title: `ConvTranspose${rank}d`,
    doc:
      `${rank}-D transposed convolution (weights c_in·(c_out/g)·kernel, bias c_out); each axis grows to ` +
      '(in − 1)·s − 2·p + d·(k − 1) + output_padding + 1. MACs: N·input positions·c_in·(c_out/g)·kernel volume.',
    attrs(r) {
      const kernel = r.tuple('kernel', rank);
      const stride = r.tuple('stride', rank, { default: 1 });
      if (r.has('pads') && r.has('padding')) r.fail('pads', `give 'padding' or 'pads', not both.`);
      const pads = r.has('pads') ? readPads(r, rank) : { padding: r.tuple('padding', rank, { min: 0, default: 0 }) };
      const output_padding = r.tuple('output_padding', rank, { min: 0, default: 0 });
      const dilation = r.tuple('dilation', rank, { default: 1 });
      const out = r.int('out', { min: 1 });
      const groups = r.int('groups', { min: 1, default: 1 });
      if (out % groups !== 0) r.fail('groups', `'out' must be divisible by 'groups'. Received: out=${out}, groups=${groups}.`);
      // The extra rows exist only to pick one of the s input sizes that map to the same output; more would be padding.
      const bad = output_padding.findIndex((o, i) => o >= Math.max(stride[i]!, dilation[i]!));
      if (bad >= 0) {
        r.fail(
          'output_padding',
          `'output_padding' must be smaller than the stride or the dilation. Received: output_padding=${output_padding[bad]}, stride=${stride[bad]}, dilation=${dilation[bad]}.`,
        );
      }
      const cin = r.has('in') ? r.int('in', { min: 1 }) : undefined;
      // PyTorch's transposed convolutions pad with zeros only.
      r.oneOf('padding_mode', ['zeros'], 'zeros');
      return { out, in: cin, kernel, stride, ...pads, output_padding, dilation, groups, bias: r.bool('bias', true) };
    },
    shape(a, [x], note) {
      const { n, c, spatial } = splitSpatial(x!, rank, `${kind} layer`);
      checkChannels(kind, a.in, x!);
      if (c % a.groups !== 0) {
        throw shapeError(`input channels must be divisible by groups. Received: c_in=${c}, groups=${a.groups}.`, [`c_in/groups = ${c}/${a.groups} is not a whole number.`]);
      }
      const outs = spatial.map((size, i) => {
        const cnt = transposedOut(names[i]!, size, a.kernel[i]!, a.stride[i]!, a.padding[i]!, a.dilation[i]!, a.output_padding[i]!, a.padEnd?.[i]);
        if (cnt.value < 1) {
          throw shapeError(`the output is empty: along ${names[i]} the padding ${a.padding[i]} removes more than the transposed convolution produces.`, [
            `${names[i]}_out = ${cnt.formula} = ${cnt.terms} = ${cnt.value}.`,
          ]);
        }
        note?.({ label: `${names[i]}_out`, count: cnt });
        return dim(cnt);
      });
      return [[n, a.out, ...outs]];
    },
    weights(a, [x]) {
      const cin = x![1]!;
      const coutTerm = a.groups === 1 ? term('c_out', a.out) : term('c_out/g', a.out / a.groups);
      const w: Weight = {
        name: 'weight',
        shape: [cin, a.out / a.groups, ...a.kernel],
        dims: ['c_in', a.groups === 1 ? 'c_out' : 'c_out/g', ...names.map((s) => `k_${s.toLowerCase()}`)],
        count: mul(...kernelTerms(a.kernel), term('c_in', cin), coutTerm),
      };
      return a.bias ? [w, { name: 'bias', shape: [a.out], dims: ['c_out'], count: term('c_out', a.out) }] : [w];
    },
    macs(a, [x]) {
      const [n, cin, ...sp] = x!;
      const coutTerm = a.groups === 1 ? term('c_out', a.out) : term('c_out/g', a.out / a.groups);
      return mul(term('N', n!), ...sp.map((s, i) => term(`${names[i]}_in`, s)), term('c_in', cin!), coutTerm, ...kernelTerms(a.kernel));
    },
    flops: (a, _, [y]) => (a.bias ? elements(y!) : lit(0)),
    label(a) {
      const k = a.kernel.every((v) => v === a.kernel[0]) ? `${a.kernel[0]}` : a.kernel.join('x');
      const s = a.stride.some((v) => v !== 1) ? `/${a.stride.every((v) => v === a.stride[0]) ? a.stride[0] : a.stride.join('x')}` : '';
      return `convT${k}-${a.out}${s}`;
    },
  });
}

export const convTranspose1d = convTransposeOp(1);
export const convTranspose2d = convTransposeOp(2);
export const convTranspose3d = convTransposeOp(3);
