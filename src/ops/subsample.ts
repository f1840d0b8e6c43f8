/**
 * @module
 * Trainable subsampling, the S layers of LeNet-5 (LeCun et al. 1998, §II.B): each output unit adds the
 * inputs of its window, multiplies the sum by a coefficient and adds a bias, one coefficient and one bias
 * per feature map. Averaging instead of adding changes nothing countable: the coefficient absorbs 1/(k·k).
 *
 * The coefficient multiply is one scalar product per output, not a dot product, so it is not a MAC
 * (nncalc's MACs are conv, linear and matmul only). FLOPs per output: k·k − 1 adds for the window sum,
 * one multiply by the coefficient and one bias add, so k·k + 1 (k·k without bias); for S2 of LeNet-5
 * that is 6·14·14·(2·2 + 1) = 5,880, the paper's count of S2's connections.
 */
import { add, lit, mul, term } from '../count.js';
import type { Weight } from '../types.js';
import { kernelTerms } from './conv.js';
import { defineOp, elements } from './op.js';
import { splitSpatial } from './spatial.js';
import { windowOf, windowOutputs, type WindowAttrs } from './window-attrs.js';

/** Normalised subsampling attributes: a window without dilation, and the bias switch. */
export interface Subsample extends Omit<WindowAttrs, 'dilation'> {
  readonly bias: boolean;
}

export const subsample2d = defineOp<Subsample>({
  kind: 'subsample2d',
  title: 'Subsample2d',
  doc: 'LeNet-5 subsampling: window sum × a trainable coefficient + a trainable bias, per map (weight C, bias C); stride defaults to the kernel. No MACs; FLOPs: k·k + 1 per output.',
  attrs(r) {
    const kernel = r.tuple('kernel', 2);
    const stride = r.tuple('stride', 2, { default: kernel });
    const padding = r.padding('padding', 2, 0);
    return { kernel, stride, padding, bias: r.bool('bias', true) };
  },
  shape(a, [x], note) {
    const { n, c, spatial } = splitSpatial(x!, 2, 'subsample2d layer');
    return [[n, c, ...windowOutputs(a, spatial, note, { atLeastOne: true })]];
  },
  weights(a, [x]) {
    const c = x![1]!;
    const w = (name: string): Weight => ({ name, shape: [c], dims: ['C'], count: term('C', c) });
    return a.bias ? [w('weight'), w('bias')] : [w('weight')];
  },
  flops(a, _, [y]) {
    const window = mul(...kernelTerms(a.kernel));
    return mul(elements(y!), a.bias ? add(window, lit(1)) : window);
  },
  window: windowOf,
  label: (a) => `subsample${a.kernel[0] !== 2 || a.stride[0] !== 2 ? `${a.kernel[0]}/${a.stride[0]}` : ''}`,
});
