/**
 * @module
 * Layers that join tensors: element-wise add and multiply (with NumPy broadcasting) and concatenation.
 * No parameters, no MACs. FLOPs: one per output element for add and multiply (per extra input), none for concat.
 */
import { lit, mul, term } from '../count.js';
import { maxOf } from '../arrays.js';
import type { Shape } from '../types.js';
import { defineOp, elements } from './op.js';
import { readDim } from './attrs.js';
import { shapeError } from './spatial.js';

type Empty = Readonly<Record<string, never>>;

/** The broadcast shape of several shapes (NumPy's rule: align on the right; sizes equal or 1). */
export function broadcast(shapes: readonly Shape[], what: string): Shape {
  const rank = maxOf(shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const sizes = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = maxOf(sizes);
    if (sizes.some((d) => d !== 1 && d !== big)) {
      throw shapeError(`${what} needs shapes that match or broadcast, but received ${shapes.map((s) => `[${s.join(', ')}]`).join(' and ')}: dimension ${i} is ${sizes.join(' vs ')}.`);
    }
    out.push(big);
  }
  return out;
}

function elementwise(kind: string, title: string, doc: string) {
  return defineOp<Empty>({
    kind,
    title,
    doc: `${doc} Inputs broadcast like NumPy. No parameters. FLOPs: (inputs − 1) per output element.`,
    attrs: () => ({}),
    shape(_, inputs) {
      if (inputs.length < 2) throw shapeError(`${kind} needs at least 2 inputs, but received ${inputs.length}.`);
      return [broadcast(inputs, kind)];
    },
    flops: (_, inputs, [y]) => (inputs.length === 2 ? elements(y!) : mul(term('inputs − 1', inputs.length - 1), elements(y!))),
    label: () => kind,
  });
}

export const add = elementwise('add', 'Add', 'Element-wise sum (a residual connection).');
export const multiply = elementwise('mul', 'Mul', 'Element-wise product (a gate, as in squeeze-and-excitation).');

export const concat = defineOp<{ dim: number }>({
  kind: 'concat',
  title: 'Concat',
  doc: 'Joins inputs along one dimension (default 1, the channels). No parameters, no FLOPs.',
  attrs: (r) => ({ dim: readDim(r, 'dim', 1) }),
  shape(a, inputs) {
    if (inputs.length < 1) throw shapeError('concat needs at least one input.');
    const rank = inputs[0]!.length;
    const d = a.dim < 0 ? rank + a.dim : a.dim;
    if (d < 0 || d >= rank) throw shapeError(`concat dim ${a.dim} is out of range for ${rank}-D inputs.`);
    for (const s of inputs) {
      if (s.length !== rank || s.some((v, i) => i !== d && v !== inputs[0]![i])) {
        throw shapeError(
          `concat along dim ${a.dim} needs inputs equal in every other dimension, but received ${inputs.map((x) => `[${x.join(', ')}]`).join(', ')}.`,
        );
      }
    }
    return [inputs[0]!.map((v, i) => (i === d ? inputs.reduce((s, x) => s + x[i]!, 0) : v))];
  },
  flops: () => lit(0),
  label: () => 'concat',
});
