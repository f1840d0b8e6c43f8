/**
 * @module
 * Layers that join tensors: element-wise add and multiply (with NumPy broadcasting) and concatenation.
 * No parameters, no MACs. FLOPs: one per output element for add and multiply (per extra input), none for concat.
 * An operand that is a stored constant rather than a layer's output (ONNX's `x + 1e-5`) is declared by its
 * shape in `constant` ([] for a scalar): it broadcasts and counts as an input, but holds no parameters.
 */
import { lit, mul, term } from '../count.js';
import { maxOf } from '../arrays.js';
import type { Shape } from '../types.js';
import { defineOp, elements } from './op.js';
import { readDim, type Attrs } from './attrs.js';
import { shapeError } from './spatial.js';

/** Normalised element-wise attributes: the shape of a constant operand, if there is one. */
export interface Elementwise {
  readonly constant: readonly number[] | undefined;
}

/** Reads `constant`, the shape of a stored constant operand ([] for a scalar). */
export const readConstant = (r: Attrs): Elementwise => ({ constant: r.has('constant') ? r.list('constant', { min: 0 }) : undefined });

/** The shapes an element-wise op combines: its inputs, and its constant operand when declared. */
export const operands = (a: Elementwise, inputs: readonly Shape[]): readonly Shape[] => (a.constant ? [...inputs, a.constant] : inputs);

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
  return defineOp<Elementwise>({
    kind,
    title,
    doc: `${doc} Inputs broadcast like NumPy; \`constant\` declares the shape of a stored constant operand. No parameters. FLOPs: (inputs − 1) per output element.`,
    attrs: readConstant,
    shape(a, inputs) {
      const all = operands(a, inputs);
      if (all.length < 2 || inputs.length < 1) throw shapeError(`${kind} needs at least 2 operands, but received ${all.length}.`);
      return [broadcast(all, kind)];
    },
    flops: (a, inputs, [y]) => {
      const n = operands(a, inputs).length;
      return n === 2 ? elements(y!) : mul(term('inputs − 1', n - 1), elements(y!));
    },
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
