/**
 * @module
 * Output-size arithmetic of convolutions and poolings, as Counts so the rule can be shown
 * with the numbers filled in: ⌊(224 + 2·1 − 3)/1⌋ + 1 = 224.
 */
import { dim, add, divide, lit, mul, show, sub, term, type Count } from '../count.js';
import { ModelError } from '../errors.js';
import type { Shape } from '../types.js';
import type { Padding } from './attrs.js';

/** One spatial axis of a sliding window. */
export interface Axis {
  /** 'H', 'W', 'L' or 'D': used in formulas as H_in, k, s, p. */
  readonly name: string;
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  /** Explicit padding before the data (and after it, unless `padEnd` differs), or 'same'. */
  readonly padding: number | 'same';
  /** Padding after the data when it differs from `padding` (ONNX's asymmetric pads). */
  readonly padEnd?: number | undefined;
  readonly dilation: number;
  readonly ceil?: boolean;
}

/** A shape as messages write it: [1, 3, 224, 224]. */
export const fmtShape = (s: Shape): string => `[${s.join(', ')}]`;

/** A shape error carrying the arithmetic that failed. */
export const shapeError = (message: string, details: readonly string[] = []): ModelError =>
  new ModelError('shape', message, { details });

/**
 * The output length of a window sliding along one axis, with its derivation.
 * PyTorch's rule: ⌊(in + 2·p − d·(k − 1) − 1)/s⌋ + 1, ⌈…⌉ with ceil_mode (and the last window
 * must start inside the input or left padding); TensorFlow's 'same': ⌈in/s⌉.
 */
export function windowOut(ax: Axis): Count {
  const inSym = `${ax.name}_in`;
  if (ax.padding === 'same') return divide(term(inSym, ax.size), term('s', ax.stride), 'ceil');
  const x = term(inSym, ax.size);
  const asymmetric = ax.padEnd !== undefined && ax.padEnd !== ax.padding;
  const padded = asymmetric
    ? add(x, term('p_begin', ax.padding), term('p_end', ax.padEnd!))
    : ax.padding > 0
      ? add(x, mul(lit(2), term('p', ax.padding)))
      : x;
  const reach = ax.dilation === 1 ? term('k', ax.kernel) : add(mul(term('d', ax.dilation), sub(term('k', ax.kernel), lit(1))), lit(1));
  const span = sub(padded, reach);
  // With ceil_mode PyTorch keeps one window that starts inside the input and overhangs it: ⌈span/s⌉ + 1 ≥ 1 while span > −s.
  if (span.value < 0 && !(ax.ceil && span.value > -ax.stride)) {
    throw shapeError(
      `the window (kernel ${ax.kernel}${ax.dilation > 1 ? `, dilation ${ax.dilation}` : ''}) does not fit: along ${ax.name} the input is ${ax.size}` +
        (padded.value !== ax.size ? ` (${padded.value} with padding)` : '') +
        `, smaller than the window's reach ${reach.value}.`,
      [`${ax.name}_out = ${show(add(divide(span, term('s', ax.stride), ax.ceil ? 'ceil' : 'floor'), lit(1)))}: no valid position.`],
    );
  }
  let out = add(divide(span, term('s', ax.stride), ax.ceil ? 'ceil' : 'floor'), lit(1));
  if (ax.ceil && (dim(out) - 1) * ax.stride >= ax.size + ax.padding) {
    // PyTorch drops a last window that would start in the right padding.
    out = sub(out, lit(1));
  }
  return out;
}

/** Padding TensorFlow's 'same' adds before the data along one axis. */
export function samePadBefore(size: number, kernel: number, stride: number, dilation: number): number {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0);
  return Math.floor(total / 2);
}

/** Splits a batch-first shape into [N, C, ...spatial], checking its rank. */
export function splitSpatial(x: Shape, rank: number, what: string): { n: number; c: number; spatial: number[] } {
  if (x.length !== rank + 2) {
    const names = ['N', 'C', ...axisNames(rank)].join(', ');
    throw shapeError(
      `${what} expects a ${rank + 2}-D input (${names}), but received shape [${x.join(', ')}].`,
      x.length === 2 && rank === 2 ? ['Hint: a fully connected layer came before it; convolutions and poolings need an image-shaped input.'] : [],
    );
  }
  const [n, c, ...spatial] = x as [number, number, ...number[]];
  return { n, c, spatial };
}

/**
 * Checks a channel count the spec gave (PyTorch's in_channels or num_features) against the input's dimension 1.
 * `given` undefined: nothing to check.
 */
export function checkChannels(kind: string, given: number | undefined, x: Shape, what = 'input channels'): void {
  if (given !== undefined && x[1] !== given) {
    throw shapeError(`${kind} was given ${given} ${what}, but its input ${fmtShape(x)} has ${x[1]} (dimension 1).`, [
      `Hint: the layer before it sets the channels; drop the count to take them from the input.`,
    ]);
  }
}

/** Spatial axis names for a rank: 1 → ['L'], 2 → ['H', 'W'], 3 → ['D', 'H', 'W']. */
export const axisNames = (rank: number): string[] => (rank === 1 ? ['L'] : ['D', 'H', 'W'].slice(3 - rank));

/** A padding value for one axis from a normalised Padding. */
export const padAt = (p: Padding, i: number): number | 'same' => (p === 'same' ? 'same' : p[i]!);
