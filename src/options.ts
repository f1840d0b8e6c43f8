/**
 * @module
 * One reader for the numbers and shapes a user types, and one validator for the options of an analysis, shared
 * by the library and the command line so both refuse the same things with the same words. Sizes are whole
 * decimal numbers from 1 to 2^31 − 1: `0x10`, `1e3`, `-5` and `3000000000` are errors, never read as something else.
 */
import { ModelError } from './errors.js';
import { grouped } from './int.js';
import { MAX_SIZE } from './limits.js';
import type { Shape } from './types.js';

const RANGE = `a whole number from 1 to ${grouped(MAX_SIZE)}`;

/** Shortens what the user typed for an error message. */
const shown = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** A size typed as decimal digits: '64' → 64. `what` names it in errors ('--batch', 'batch'). */
export function parseSize(text: string, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d{1,16}$/.test(t) || n < 1 || n > MAX_SIZE) throw new ModelError('input', `${what} must be ${RANGE}, written in decimal digits. Received: '${shown(text)}'.`);
  return n;
}

/** A size given as a number: a whole number in range, or a ModelError naming `what`. */
export function checkSize(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_SIZE) {
    const got = typeof n === 'number' || typeof n === 'bigint' ? String(n) : JSON.stringify(n) ?? String(n);
    throw new ModelError('input', `${what} must be ${RANGE}. Received: ${shown(got)}.`);
  }
  return n;
}

/** A shape given as numbers (batch first): every size in range, 1 to 8 dimensions. */
export function checkShape(shape: unknown, what: string): Shape {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 8) {
    throw new ModelError('input', `${what} must be a list of 1 to 8 sizes, batch first (e.g. [1, 3, 224, 224]). Received: ${shown(JSON.stringify(shape) ?? String(shape))}.`);
  }
  return shape.map((d, i) => checkSize(d, `${what}[${i}]`));
}

/**
 * Parses an input shape as typed: '224x224x3' (H×W×C, as the VGG paper writes it), '1,3,224,224' (batch first)
 * or '784' (features). An H×W without channels is an error, not a guess.
 */
export function parseShape(text: string, what = '--input'): Shape {
  const t = text.trim();
  const hint = 'Expected H×W×C such as 224x224x3, a batch-first list such as 1,3,224,224, or a number of features such as 784.';
  const sizes = (parts: string[]) => parts.map((p) => parseSize(p, `each size in ${what}`));
  if (/[x×]/i.test(t)) {
    const parts = t.split(/[x×]/i);
    if (parts.length === 2) {
      const [h, w] = sizes(parts);
      throw new ModelError('input', `${what} '${shown(text)}' gives height and width but no channel count.`, {
        details: [`Write ${h}x${w}x3 for an RGB image or ${h}x${w}x1 for a grey one.`],
      });
    }
    if (parts.length !== 3) throw new ModelError('input', `${what} '${shown(text)}': H×W×C has 3 sizes, found ${parts.length}.`, { details: [hint] });
    const [h, w, c] = sizes(parts);
    return [1, c!, h!, w!];
  }
  if (!/^[\d\s,]+$/.test(t)) throw new ModelError('input', `cannot read ${what} '${shown(text)}'.`, { details: [hint] });
  return checkShape(sizes(t.split(',')), what);
}

/** PyTorch keeps BatchNorm running statistics as buffers; Keras counts them as non-trainable parameters. */
export function checkConvention(c: unknown, what: string): 'pytorch' | 'keras' {
  if (c !== 'pytorch' && c !== 'keras') throw new ModelError('input', `${what} must be 'pytorch' or 'keras'. Received: ${shown(JSON.stringify(c) ?? String(c))}.`);
  return c;
}
