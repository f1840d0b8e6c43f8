/**
 * @module
 * The selective scan of Mamba (Gu & Dao 2023) and Mamba-2 (Dao & Gu 2024), the state-space recurrence inside
 * `transformers`' MambaMixer and Mamba2Mixer. Inputs, batch first: x [N, L, d_inner], Δ [N, L, d_inner] (Mamba) or
 * [N, L, h] (Mamba-2, one step size per head), B and C [N, L, g·d_state]. Per position and channel it keeps d_state
 * values: h ← exp(Δ·A)·h + Δ·B·x, then y = C·h + D·x. Output [N, L, d_inner].
 *
 * Weights: Mamba: A_log [d_inner, d_state] and D [d_inner]. Mamba-2 (num_heads set): dt_bias, A_log and D [h], one
 * scalar A per head; B and C are shared by the heads of each of the g groups.
 * MACs, counted on the recurrence as transformers' reference path runs it: the state update N·L·d_inner·d_state (one
 * multiply-add per state value), the readout C·h N·L·d_inner·d_state and the skip D·x N·L·d_inner. A chunked or
 * fused kernel computes the same recurrence with other arithmetic. FLOPs beyond 2·MACs: Mamba 4 per state value
 * (Δ·A, exp, Δ·B, ·x) and 2 per Δ (softplus); Mamba-2 2 per head and position (Δ·A, exp), 1 per channel (Δ·x), 1 per
 * state value (·B) and 3 per Δ (bias, softplus).
 */
import { add, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised selective-scan attributes. */
export interface SelectiveScan {
  readonly state_size: number;
  /** 0: Mamba (A per channel and state); else Mamba-2's heads, one A per head. */
  readonly num_heads: number;
  readonly n_groups: number;
}

interface Dims {
  readonly n: number;
  readonly l: number;
  readonly inner: number;
}

function dims(a: SelectiveScan, inputs: readonly Shape[]): Dims {
  if (inputs.length !== 4) throw shapeError(`selective_scan reads four inputs, x, Δ, B and C, but received ${inputs.length}.`);
  const [x, dt, b, c] = inputs as [Shape, Shape, Shape, Shape];
  for (const s of inputs) {
    if (s.length !== 3 || s[0] !== x[0] || s[1] !== x[1]) throw shapeError(`selective_scan expects [N, L, …] inputs of one batch and length; received ${inputs.map(fmtShape).join(', ')}.`);
  }
  const inner = x[2]!;
  const steps = a.num_heads || inner;
  if (dt[2] !== steps) throw shapeError(`selective_scan expects Δ [N, L, ${steps}] (${a.num_heads ? 'one per head' : 'one per channel'}), but received ${fmtShape(dt)}.`);
  const bc = a.n_groups * a.state_size;
  if (b[2] !== bc || c[2] !== bc) throw shapeError(`selective_scan expects B and C [N, L, n_groups·state_size = ${bc}], but received ${fmtShape(b)} and ${fmtShape(c)}.`);
  if (a.num_heads && inner % a.num_heads !== 0) throw shapeError(`selective_scan splits d_inner=${inner} into num_heads=${a.num_heads} heads, which must divide it.`);
  if (a.num_heads && a.num_heads % a.n_groups !== 0) throw shapeError(`selective_scan shares B and C among the heads of each group: num_heads=${a.num_heads} must be a multiple of n_groups=${a.n_groups}.`);
  return { n: x[0]!, l: x[1]!, inner };
}

export const selectiveScan = defineOp<SelectiveScan>({
  kind: 'selective_scan',
  title: 'SelectiveScan',
  doc:
    "Mamba's selective state-space scan on x [N, L, d_inner] with Δ, B and C: h ← exp(Δ·A)·h + Δ·B·x, y = C·h + D·x. Weights A_log [d_inner, d_state] and D " +
    '(Mamba-2: dt_bias, A_log, D per head). MACs of the recurrence: state update and readout N·L·d_inner·d_state each, skip N·L·d_inner.',
  attrs(r) {
    const num_heads = r.int('num_heads', { min: 0, default: 0 });
    const n_groups = r.int('n_groups', { min: 1, default: 1 });
    if (!num_heads && r.has('n_groups') && n_groups !== 1) r.fail('n_groups', `'n_groups' groups Mamba-2's heads; it needs num_heads. Received: n_groups=${n_groups}.`);
    return { state_size: r.int('state_size', { min: 1 }), num_heads, n_groups };
  },
  shape(a, inputs) {
    const d = dims(a, inputs);
    return [[d.n, d.l, d.inner]];
  },
  weights(a, inputs) {
    const { inner } = dims(a, inputs);
    const di = term('d_inner', inner);
    if (!a.num_heads) {
      const s = term('d_state', a.state_size);
      return [
        { name: 'A_log', shape: [inner, a.state_size], dims: ['d_inner', 'd_state'], count: mul(di, s) },
        { name: 'D', shape: [inner], dims: ['d_inner'], count: di },
      ];
    }
    const h = term('h', a.num_heads);
    return ['dt_bias', 'A_log', 'D'].map((name): Weight => ({ name, shape: [a.num_heads], dims: ['h'], count: h }));
  },
  macs(a, inputs) {
    const { n, l, inner } = dims(a, inputs);
    const rows = [term('N', n), term('L', l), term('d_inner', inner)];
    const s = term('d_state', a.state_size);
    return add(mul(...rows, s), mul(...rows, s), mul(...rows));
  },
  flops(a, inputs) {
    const { n, l, inner } = dims(a, inputs);
    const pos = [term('N', n), term('L', l)];
    const states = mul(...pos, term('d_inner', inner), term('d_state', a.state_size));
    if (!a.num_heads) return add(mul(lit(4), states), mul(lit(2), ...pos, term('d_inner', inner)));
    const h = term('h', a.num_heads);
    const parts: Count[] = [mul(lit(2), ...pos, h), mul(...pos, term('d_inner', inner)), states, mul(lit(3), ...pos, h)];
    return add(...parts);
  },
  label: (a) => (a.num_heads ? `SSD-${a.state_size}` : `S6-${a.state_size}`),
});
