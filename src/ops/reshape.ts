/**
 * @module
 * Layers that move or drop values without arithmetic: flatten, dropout, identity.
 */
import { defineOp, size } from './op.js';
import { readDim } from './attrs.js';
import { shapeError } from './spatial.js';

/** Normalised flatten attributes (PyTorch's start_dim and end_dim). */
export interface Flatten {
  readonly start_dim: number;
  readonly end_dim: number;
}

export const flatten = defineOp<Flatten>({
  kind: 'flatten',
  title: 'Flatten',
  doc: 'Joins dimensions start_dim…end_dim into one: (N, 512, 7, 7) → (N, 25088). No parameters.',
  attrs: (r) => ({ start_dim: readDim(r, 'start_dim', 1), end_dim: readDim(r, 'end_dim', -1) }),
  shape(a, [x]) {
    const rank = x!.length;
    const start = a.start_dim < 0 ? rank + a.start_dim : a.start_dim;
    const end = a.end_dim < 0 ? rank + a.end_dim : a.end_dim;
    if (start < 0 || end >= rank || start > end) {
      throw shapeError(`flatten cannot join dimensions ${a.start_dim}…${a.end_dim} of a ${rank}-D input [${x!.join(', ')}].`);
    }
    return [[...x!.slice(0, start), size(x!.slice(start, end + 1)), ...x!.slice(end + 1)]];
  },
  label: () => 'flatten',
});

export const dropout = defineOp<{ p: number }>({
  kind: 'dropout',
  title: 'Dropout',
  doc: 'Zeroes a fraction p of values while training; the identity at inference. No parameters, no FLOPs counted.',
  attrs(r) {
    if (r.has('inplace')) r.bool('inplace', false);
    return { p: r.num('p', { min: 0, max: 1, default: 0.5 }) };
  },
  shape: (_, [x]) => [x!],
  label: () => 'dropout',
});

export const identity = defineOp<Readonly<Record<string, never>>>({
  kind: 'identity',
  title: 'Identity',
  doc: 'Passes its input through unchanged.',
  attrs: () => ({}),
  shape: (_, [x]) => [x!],
  label: () => 'identity',
});
