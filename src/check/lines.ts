/**
 * @module
 * Positions in a claims text and the raw claims the readers (plain lines, tables, CSV) hand to the claim
 * parser: each piece keeps its offset, so every error and every verdict points at its line and column.
 * Line numbers come from one index of line starts and a binary search, not a rescan per claim.
 */

/** A piece of the claims text and where it starts. */
export interface Piece {
  readonly text: string;
  readonly offset: number;
}

/** One side of a claim's '=': usually one piece; a formula cell of nncalc's explanation is a sum of pieces. */
export interface RawSide {
  readonly text: string;
  readonly parts: readonly Piece[];
  /** A table's formula cell: dropped when it is symbolic ('k·k·c_in·c_out', '2·C') rather than numbers. */
  readonly optional?: boolean;
}

/** What a claim is about: parameters (the default), weights or biases only, MACs or FLOPs. */
export type ClaimQuantity = 'params' | 'weights' | 'biases' | 'macs' | 'flops';

/** A claim as found in the text, before its numbers are read. */
export interface RawClaim {
  /** The claim as shown back: the line, or 'features.0: 1,792 = 3·3·3·64 + 64' for a table row. */
  readonly text: string;
  readonly offset: number;
  readonly key?: Piece;
  readonly quantity?: ClaimQuantity;
  /** A power of 1000 the key or column gives its numbers: 'Total mult-adds (M)' → 2. */
  readonly scale?: number;
  /** What a table's key column says its keys are: 'stage' under a 'stage' header. */
  readonly hint?: 'stage';
  readonly sides: readonly RawSide[];
}

/** A line (or cell) that could not be read: reported at its place, and the other claims are still checked. */
export interface Problem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly details: readonly string[];
}

/** A line read but deliberately not checked (a memory figure), with the reason. */
export interface Skip {
  readonly offset: number;
  readonly text: string;
  readonly reason: string;
}

/** What a reader returns. */
export interface Found {
  readonly claims: RawClaim[];
  readonly problems: Problem[];
  readonly skipped: Skip[];
}

/** The offsets where lines start, for line and column lookups. */
export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Line and column (1-based) of an offset, by binary search over the line starts. */
export function locate(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** A piece trimmed of spaces on both sides, keeping its offset. */
export function trimmed(text: string, offset: number): Piece {
  let a = 0;
  let b = text.length;
  while (a < b && /\s/.test(text[a]!)) a++;
  while (b > a && /\s/.test(text[b - 1]!)) b--;
  return { text: text.slice(a, b), offset: offset + a };
}

/** Splits a piece at a character outside brackets, keeping offsets; empty parts are kept (trimmed). */
export function splitOutside(p: Piece, at: (c: string) => boolean): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < p.text.length; i++) {
    const c = p.text[i]!;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && at(c)) {
      out.push(trimmed(p.text.slice(start, i), p.offset + start));
      start = i + 1;
    }
  }
  out.push(trimmed(p.text.slice(start), p.offset + start));
  return out;
}

/** One side made of one piece. */
export const side = (p: Piece): RawSide => ({ text: p.text, parts: [p] });

/** A problem at a piece. */
export const problem = (p: Piece, message: string, details: readonly string[] = []): Problem => ({ offset: p.offset, length: Math.max(1, Math.min(p.text.length, 200)), message, details });

/** Words that name a quantity after a key: 'fc1 weights', 'total macs', 'features.0 flops'. */
const QUANTITY_WORDS: Readonly<Record<string, ClaimQuantity>> = {
  params: 'params',
  param: 'params',
  parameters: 'params',
  parameter: 'params',
  'param #': 'params',
  weights: 'weights',
  weight: 'weights',
  biases: 'biases',
  bias: 'biases',
  macs: 'macs',
  mac: 'macs',
  gmacs: 'macs',
  'mult-adds': 'macs',
  'multiply-adds': 'macs',
  'multiply-accumulates': 'macs',
  flops: 'flops',
  flop: 'flops',
  gflops: 'flops',
};

const SCALES: Readonly<Record<string, number>> = { k: 1, thousand: 1, thousands: 1, m: 2, million: 2, millions: 2, g: 3, b: 3, billion: 3, billions: 3, t: 4 };

/**
 * A key's trailing quantity word and unit in brackets: 'fc1 weights' → fc1, weights; 'Total mult-adds (M)'
 * → Total, macs, scale 2. Reads words from the end, so the work is linear in the key.
 */
export function keyParts(key: Piece): { key: Piece; quantity?: ClaimQuantity; scale?: number } {
  let text = key.text;
  let scale: number | undefined;
  const close = text.endsWith(')') ? text.lastIndexOf('(') : -1;
  if (close >= 0) {
    const inside = text.slice(close + 1, -1).trim().toLowerCase();
    if (SCALES[inside] !== undefined) {
      scale = SCALES[inside];
      text = text.slice(0, close).trimEnd();
    }
  }
  const lower = text.toLowerCase();
  let quantity: ClaimQuantity | undefined;
  for (const [word, q] of Object.entries(QUANTITY_WORDS)) {
    if (lower === word || lower.endsWith(` ${word}`) || lower.endsWith(`_${word}`)) {
      quantity = q;
      text = text.slice(0, text.length - word.length).replace(/[\s_]+$/, '');
      break;
    }
  }
  return { key: { text, offset: key.offset }, ...(quantity ? { quantity } : {}), ...(scale !== undefined ? { scale } : {}) };
}

/** A header cell's quantity, for tables and CSV: 'Params', 'Param #', 'MACs', 'Mult-Adds (M)'. */
export function headerQuantity(header: string): { quantity: ClaimQuantity | 'formula'; scale?: number } | undefined {
  const h = header.toLowerCase().trim();
  if (/formula|calculation|computation|derivation|working|how/.test(h)) return { quantity: 'formula' };
  if (h.includes('%') || /size|shape|bytes|memory|trainable|buffer|c_in|kernel|group/.test(h)) return undefined;
  const words = h.replace(/#/g, ' ').replace(/^(number of|num|n_?)\s+/, '').trim();
  if (!words) return undefined;
  const { quantity, scale } = keyParts({ text: words, offset: 0 });
  if (quantity) return { quantity, ...(scale !== undefined ? { scale } : {}) };
  if (/^(count|value|total|number)$/.test(h)) return { quantity: 'params' };
  return undefined;
}
