/**
 * @module
 * Receptive fields along the first spatial axis (H of an image, L of a sequence, D of a volume), per layer: size (input pixels one output value sees), jump (input pixels between
 * neighbouring outputs) and start (the input coordinate of the centre of the first output's field), through
 * r_out = r_in + (k_eff − 1)·j_in, j_out = j_in·s, start_out = start_in + ((k_eff − 1)/2 − p)·j_in, with
 * k_eff = d·(k − 1) + 1. Where branches merge, the field is the largest over the inputs (the max over paths).
 * An input broadcast onto a larger map (a squeeze-and-excitation gate, pooled to 1×1) does not set the field's
 * size or jump; it makes every output depend on the whole input as well, which `global` records.
 * Layers without a window are pointwise; a layer whose output is no longer spatial (flatten, global pooling,
 * a fully connected layer) has no receptive field (null): every output sees the whole input.
 */
import type { Window } from '../ops/op.js';
import type { Shape } from '../types.js';

/** The receptive field of a layer's output along its first spatial axis. */
export interface ReceptiveField {
  readonly size: number;
  readonly jump: number;
  readonly start: number;
  /** True when the outputs also depend on the whole input, through a global pooling broadcast back (an SE gate). */
  readonly global?: true;
}

/** The field of the network input: each pixel sees itself. */
export const INPUT_RF: ReceptiveField = { size: 1, jump: 1, start: 0.5 };

/**
 * The field after one layer, from its inputs' fields, its window (if any) and its input and output shapes.
 * @example step([INPUT_RF], { kernel: 3, stride: 1, dilation: 1, padding: 1 }, [[1, 3, 224, 224]], [1, 64, 224, 224]) // { size: 3, jump: 1, start: 0.5 }
 */
export function step(inputs: readonly (ReceptiveField | null)[], window: Window | undefined, inShapes: readonly Shape[], out: Shape): ReceptiveField | null {
  const spatial = out.length >= 3 && inShapes.length > 0 && inShapes.every((s) => s.length === out.length);
  if (!spatial || inputs.length === 0 || inputs.includes(null)) return null;
  const known = inputs as readonly ReceptiveField[];
  // Inputs with the output's spatial size set the field; a smaller one is broadcast (a gate pooled to 1×1).
  let widest: ReceptiveField | undefined;
  let full = 0;
  let global = false;
  for (let i = 0; i < known.length; i++) {
    const r = known[i]!;
    if (r.global) global = true;
    if (sameSpatial(inShapes[i]!, out)) {
      full++;
      if (!widest || r.size > widest.size) widest = r;
    }
  }
  if (full === 0) for (const r of known) if (!widest || r.size > widest.size) widest = r;
  if (full > 0 && full < known.length) global = true;
  const field = (r: ReceptiveField): ReceptiveField => (global && !r.global ? { ...r, global: true } : r);
  if (!window) return field(widest!);
  const k = window.dilation * (window.kernel - 1) + 1;
  const size = inShapes[0]![2] ?? 1;
  // TensorFlow's 'same' pads ⌊total/2⌋ before the data.
  const pad = window.padding >= 0 ? window.padding : Math.floor(Math.max((Math.ceil(size / window.stride) - 1) * window.stride + k - size, 0) / 2);
  return field({
    size: widest!.size + (k - 1) * widest!.jump,
    jump: widest!.jump * window.stride,
    start: widest!.start + ((k - 1) / 2 - pad) * widest!.jump,
  });
}

/** True when a shape has the output's spatial sizes (the ranks are equal). */
function sameSpatial(s: Shape, out: Shape): boolean {
  for (let d = 2; d < out.length; d++) if (s[d] !== out[d]) return false;
  return true;
}
