/**
 * @module
 * A layer nncalc has no rule for. Its numbers are unknown — never zero — unless the spec declares them:
 * `output_shape` (else the output is assumed to have the input's shape), `params`, `macs`, `flops` (all of the
 * layer's floating-point operations, MACs counted twice as elsewhere) and `activations` (the elements it writes,
 * when they are not its output's). A layer that declares params, MACs and FLOPs leaves the totals exact.
 * A spec layer whose op kind is not in the op table (and is not a near-miss of one) becomes a custom layer.
 */
import { lit } from '../count.js';
import type { Shape } from '../types.js';
import { defineOp } from './op.js';

/** What the spec says about a layer nncalc cannot count. */
export interface Custom {
  /** The op kind as the user wrote it ('grid_sample'), shown as the layer's type. */
  readonly type: string;
  readonly output_shape: Shape | undefined;
  readonly params: number | undefined;
  readonly macs: number | undefined;
  readonly flops: number | undefined;
  readonly activations: number | undefined;
}

export const custom = defineOp<Custom>({
  kind: 'custom',
  title: 'Custom',
  doc:
    'A layer nncalc cannot count: parameters, MACs and FLOPs are unknown unless the spec declares them (params, macs, flops; ' +
    'activations for the elements it writes); the output shape is the declared one, else the input shape.',
  attrs: (r) => ({
    type: r.str('type', 'custom'),
    output_shape: r.has('output_shape') ? r.ints('output_shape', { min: 1 }) : undefined,
    params: r.has('params') ? r.int('params') : undefined,
    macs: r.has('macs') ? r.int('macs') : undefined,
    flops: r.has('flops') ? r.int('flops') : undefined,
    activations: r.has('activations') ? r.int('activations') : undefined,
  }),
  shape: (a, [x]) => [a.output_shape ?? x!],
  weights: (a) => (a.params === undefined ? [] : [{ name: 'declared', shape: [a.params], dims: ['params'] }]),
  macs: (a) => lit(a.macs ?? 0),
  label: (a) => a.type,
});
