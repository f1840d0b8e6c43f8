/**
 * @module
 * A 2-D convolution with a connection table: output map j sees only the input maps the table lists for it,
 * as C3 of LeNet-5 (LeCun et al. 1998, Table I) and Torch7's SpatialConvolutionMap. A grouped convolution
 * is the special case of a block-diagonal table.
 *
 * The table is written flat, because attributes are numbers and lists of numbers: `fan_in` gives, per output
 * map, how many input maps it sees, and `connections` lists those maps one output map after another.
 * C3's first two output maps see S2 maps 0, 1, 2 and 1, 2, 3: fan_in [3, 3, …], connections [0, 1, 2, 1, 2, 3, …].
 *
 * One k_h×k_w kernel per table entry, stored as [Σfan_in, k_h, k_w], and one bias per output map.
 * MACs count only the connections that exist: N·H_out·W_out·k_h·k_w·Σfan_in.
 */
import { add, dim, lit, mul, relabel, term, type Count } from '../count.js';
import type { Weight } from '../types.js';
import { kernelTerms, type Conv } from './conv.js';
import { defineOp, elements } from './op.js';
import { shapeError, splitSpatial } from './spatial.js';
import { readConvLike, windowOf, windowOutputs } from './window-attrs.js';

/** Normalised attributes: a convolution without groups, plus the table as one input list per output map. */
export interface TableConv extends Omit<Conv, 'groups' | 'in'> {
  readonly table: readonly (readonly number[])[];
}

/** Σfan_in with its terms grouped by fan-in, in the order they first appear: 6·3 + 9·4 + 1·6 = 60. */
export function fanInCount(table: readonly (readonly number[])[]): Count {
  const maps = new Map<number, number>();
  for (const inputs of table) maps.set(inputs.length, (maps.get(inputs.length) ?? 0) + 1);
  const sum = add(...[...maps].map(([fanIn, outputs]) => mul(lit(outputs), lit(fanIn))));
  return relabel(sum, 'Σfan_in');
}

export const tableConv2d = defineOp<TableConv>({
  kind: 'table_conv2d',
  title: 'TableConv2d',
  doc: '2-D convolution where output map j sees only the fan_in[j] input maps its connection table lists (weights k·k·Σfan_in, bias c_out). MACs: N·H_out·W_out·k·k·Σfan_in.',
  attrs(r) {
    const w = readConvLike(r, 2, { padding: 0 });
    const out = r.int('out', { min: 1 });
    const fanIn = r.tuple('fan_in', out, { min: 1 });
    const flat = r.tuple('connections', fanIn.reduce((s, f) => s + f, 0), { min: 0 });
    let at = 0;
    const table = fanIn.map((f, j) => {
      const inputs = flat.slice(at, at + f);
      const twice = inputs.find((m, i) => inputs.indexOf(m) !== i);
      if (twice !== undefined) r.fail('connections', `output map ${j} lists input map ${twice} twice. Received: connections[${at}…${at + f - 1}]=${JSON.stringify(inputs)}.`);
      at += f;
      return inputs;
    });
    return { ...w, out, table, bias: r.bool('bias', true) };
  },
  shape(a, [x], note) {
    const { n, c, spatial } = splitSpatial(x!, 2, 'table_conv2d layer');
    let at = 0;
    for (const [j, inputs] of a.table.entries()) {
      const k = inputs.findIndex((m) => m >= c);
      if (k >= 0) {
        throw shapeError(`output map ${j} reads input map ${inputs[k]}, but the input has ${c} maps (0–${c - 1}). Received: connections[${at + k}]=${inputs[k]}.`);
      }
      at += inputs.length;
    }
    return [[n, a.out, ...windowOutputs(a, spatial, note)]];
  },
  weights(a) {
    const links = fanInCount(a.table);
    const w: Weight = {
      name: 'weight',
      shape: [dim(links), ...a.kernel],
      dims: ['Σfan_in', 'k_h', 'k_w'],
      count: mul(...kernelTerms(a.kernel), links),
    };
    return a.bias ? [w, { name: 'bias', shape: [a.out], dims: ['c_out'], count: term('c_out', a.out) }] : [w];
  },
  macs(a, _, [y]) {
    const [n, , h, w] = y!;
    return mul(term('N', n!), term('H_out', h!), term('W_out', w!), ...kernelTerms(a.kernel), fanInCount(a.table));
  },
  flops(a, _, [y]) {
    return a.bias ? elements(y!) : lit(0);
  },
  window: windowOf,
  label(a) {
    const k = a.kernel[0] === a.kernel[1] ? `${a.kernel[0]}` : a.kernel.join('x');
    return `conv${k}-${a.out} table`;
  },
});
