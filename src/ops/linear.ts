/**
 * @module
 * Fully connected layer over the last dimension. PyTorch's layout: weight [out, in], bias [out].
 * MACs = rows·in·out, where rows is every dimension but the last (batch, sequence); the bias add is one FLOP per output.
 */
import { lit, mul, term } from '../count.js';
import { defineOp, elements, numel } from './op.js';
import { shapeError } from './spatial.js';

/** Normalised linear attributes; `in` is optional and checked against the input when given. */
export interface Linear {
  readonly out: number;
  readonly in: number | undefined;
  readonly bias: boolean;
}

export const linear = defineOp<Linear>({
  kind: 'linear',
  title: 'Linear',
  doc: 'Fully connected layer on the last dimension (weights c_in·c_out, bias c_out). MACs: rows·c_in·c_out.',
  attrs: (r) => ({ out: r.int('out', { min: 1 }), in: r.has('in') ? r.int('in', { min: 1 }) : undefined, bias: r.bool('bias', true) }),
  shape(a, [x]) {
    if (x!.length < 2) throw shapeError(`linear expects an input of at least 2 dimensions (N, features), but received [${x!.join(', ')}].`);
    const features = x![x!.length - 1]!;
    if (a.in !== undefined && a.in !== features) {
      const hint =
        x!.length > 2 && numel(x!.slice(1)) === a.in
          ? [`Hint: the input has ${x!.slice(1).join('·')} = ${numel(x!.slice(1))} values per sample; insert a flatten before this layer.`]
          : [];
      throw shapeError(`linear expects ${a.in} input features, but its input [${x!.join(', ')}] has ${features} in the last dimension.`, hint);
    }
    return [[...x!.slice(0, -1), a.out]];
  },
  weights(a, [x]) {
    const cin = x![x!.length - 1]!;
    const weight = { name: 'weight', shape: [a.out, cin], dims: ['c_out', 'c_in'], count: mul(term('c_in', cin), term('c_out', a.out)) };
    return a.bias ? [weight, { name: 'bias', shape: [a.out], dims: ['c_out'], count: term('c_out', a.out) }] : [weight];
  },
  macs(_, [x], [y]) {
    const rows = x!.slice(0, -1);
    const rowTerms = rows.length === 1 ? [term('N', rows[0]!)] : [term('rows', numel(rows))];
    return mul(...rowTerms, term('c_in', x![x!.length - 1]!), term('c_out', y![y!.length - 1]!));
  },
  flops: (a, _, [y]) => (a.bias ? elements(y!) : lit(0)),
  label: (a) => `FC-${a.out}`,
});
