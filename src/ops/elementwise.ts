/**
 * @module
 * Element-wise arithmetic that has no layer of its own in nncalc's vocabulary: ONNX's Sub, Div, Pow, Sqrt, Erf,
 * Exp, Max, Where and the like, named by `fn`. Inputs broadcast like NumPy; `constant` declares the shape of a
 * stored constant operand (a scalar is []). No parameters. FLOPs: one per output element for a function of one
 * operand, else one per output element for each operand beyond the first (transcendental functions count as one,
 * as the activations do).
 */
import { mul, term } from '../count.js';
import { broadcast, operands, readConstant, type Elementwise } from './merge.js';
import { defineOp, elements } from './op.js';
import { shapeError } from './spatial.js';

/** Normalised attributes: the function's name and an optional constant operand. */
export interface ElementwiseFn extends Elementwise {
  readonly fn: string;
}

export const elementwise = defineOp<ElementwiseFn>({
  kind: 'elementwise',
  title: 'Elementwise',
  doc:
    'Element-wise arithmetic named by `fn` (sub, div, pow, sqrt, erf, exp, max, where, …) over inputs that broadcast like NumPy, ' +
    'plus a stored `constant` operand of the given shape. No parameters. FLOPs: 1 per output element for one operand, else (operands − 1) per output element.',
  attrs(r) {
    const fn = r.str('fn');
    if (!/^[A-Za-z][\w.]{0,63}$/.test(fn)) r.fail('fn', `'fn' must name a function (letters, digits, '_' and '.'). Received: fn='${fn.slice(0, 80)}'.`);
    return { fn, ...readConstant(r) };
  },
  shape(a, inputs) {
    if (inputs.length < 1) throw shapeError(`elementwise ${a.fn} needs at least one input.`);
    return [broadcast(operands(a, inputs), a.fn)];
  },
  flops(a, inputs, [y]) {
    const n = operands(a, inputs).length;
    return n <= 2 ? elements(y!) : mul(term('operands − 1', n - 1), elements(y!));
  },
  label: (a) => a.fn,
});
