/**
 * @module
 * Arithmetic as people write it in notes and forum posts: 138,357,544 · 138 357 544 · 138'357'544 · 0.59M ·
 * 138 million · 1.38e8 · (3*3)*(256*256) · (512x7x7)x4,096 (weights) + 4,096 (biases) · 2^20 · 3**2.
 *
 * Every value is an exact interval of fractions: a number carries the precision it was written with (138M is
 * 138,000,000 ± 500,000; 138,357,544 is exact), and arithmetic carries the intervals along, so a claim can
 * be "right, as rounded" without guessing a tolerance, and a claim off by one past 2^53 is still off by one.
 *
 * The reader is a single left-to-right scan (no regex backtracks over user text) and evaluates as it parses,
 * so a long sum never builds a deep tree; brackets, powers and minus signs nest at most MAX_DEPTH deep, and
 * numbers have at most MAX_DIGITS digits. Every refusal is a ModelError at the offending column.
 */
import type { Int } from '../int.js';
import { ModelError } from '../errors.js';
import * as Q from './rational.js';
import type { Rat } from './rational.js';
import { quoted } from './text.js';

/** A value and the range its writing allows. Exact when lo = hi = value. */
export interface Interval {
  readonly value: Rat;
  readonly lo: Rat;
  readonly hi: Rat;
}

/** A number as written: the digits, the multiplier of its suffix, its precision. */
export interface Literal extends Interval {
  readonly kind: 'num';
  readonly text: string;
  readonly offset: number;
  /** The number before the suffix (0.59 of 0.59M) and half its last digit (0.005). */
  readonly mantissa: Rat;
  readonly half: Rat;
  /** The suffix's power of 1000 (M → 2), or 0 without one. */
  readonly power: number;
  readonly suffix?: string;
  /** A unit word written after the number: 'params', 'macs', 'flops'. */
  readonly unit?: string;
}

/** Arithmetic over numbers, already evaluated. */
export interface Formula extends Interval {
  readonly kind: 'formula';
  readonly offset: number;
  /** The factors of its main product (see `factors`). */
  readonly factors: readonly Int[];
}

export type Expr = Literal | Formula;

/** How deep brackets, powers and minus signs may nest. */
export const MAX_DEPTH = 100;
/** Factors kept for matching a formula to a layer's (more say nothing more). */
const MAX_FACTORS = 64;

const SUFFIX: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, b: 3, t: 4, p: 5 };
const WORDS: Readonly<Record<string, number>> = { thousand: 1, million: 2, mio: 2, billion: 3, bn: 3, trillion: 4 };
const UNITS: Readonly<Record<string, string>> = {
  params: 'params',
  param: 'params',
  parameters: 'params',
  weights: 'params',
  macs: 'macs',
  mac: 'macs',
  'mult-adds': 'macs',
  'multiply-adds': 'macs',
  'multiply-accumulates': 'macs',
  flops: 'flops',
  flop: 'flops',
};

/** True for a word that is part of a number ('million') rather than an annotation. */
const numberWord = (w: string): boolean => WORDS[w.toLowerCase()] !== undefined;

/** A ModelError pointing at a span of the claims text. */
export function claimError(message: string, source: string, offset: number, length = 1, details: readonly string[] = []): ModelError {
  return new ModelError('input', message, { loc: { kind: 'text', offset, length: Math.max(1, length), source }, details });
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\u00a0' || c === '\u2009' || c === '\u202f' || c === '\r';
/** Thousands separators: the comma, the underscore, the apostrophe (Swiss), and spaces (SI). */
const STRICT_SEPARATORS = new Set([',', '_', "'", '’']);
const SPACE_SEPARATORS = new Set([' ', '\u00a0', '\u2009', '\u202f']);
const TIMES = new Set(['*', '×', '·', '⋅', '∙', '✕']);
const WORD = /[ \t\u00a0\u2009\u202f]*([A-Za-z][A-Za-z-]*)/y;

const exactly = (r: Rat): Interval => ({ value: r, lo: r, hi: r });

/**
 * Brackets that hold words are annotations, as in a worked answer: '(weights)', '(biases)', '(x)',
 * '(527.79 MiB at fp32)', '(31.6%)', '(buffers; not parameters in PyTorch (--convention keras counts them))'.
 * Built once per text in one pass: the matching bracket of each '(' and running counts of note words,
 * letters and other characters, so each bracket is classified in constant time.
 */
class Annotations {
  private readonly match: Int32Array;
  private readonly notes: Int32Array;
  private readonly letters: Int32Array;
  private readonly others: Int32Array;

  constructor(text: string) {
    const n = text.length;
    this.match = new Int32Array(n).fill(-1);
    this.notes = new Int32Array(n + 1);
    this.letters = new Int32Array(n + 1);
    this.others = new Int32Array(n + 1);
    const open: number[] = [];
    let wordStart = -1;
    for (let i = 0; i <= n; i++) {
      const c = text[i];
      const letter = isLetter(c);
      if (letter && wordStart < 0) wordStart = i;
      let note = c === '%' ? 1 : 0;
      if (!letter && wordStart >= 0) {
        const len = i - wordStart;
        if (len >= 2 && (len > 12 || !numberWord(text.slice(wordStart, i)))) note = 1;
        wordStart = -1;
      }
      if (i === n) break;
      const other = !letter && !isSpace(c) && c !== '.' && c !== ',' && c !== "'" && c !== '-' && c !== '%' ? 1 : 0;
      this.notes[i + 1] = this.notes[i]! + note;
      this.letters[i + 1] = this.letters[i]! + (letter ? 1 : 0);
      this.others[i + 1] = this.others[i]! + other;
      if (c === '(') open.push(i);
      else if (c === ')' && open.length) this.match[open.pop()!] = i;
    }
  }

  /** The index after the annotation that starts at the '(' at i, or -1 when the bracket is arithmetic. */
  end(i: number): number {
    const j = this.match[i]!;
    if (j < 0) return -1;
    // Counts over the inside, i+1 … j−1; a word ending at j is counted at j+1.
    const notes = this.notes[j + 1]! - this.notes[i + 1]!;
    const letters = this.letters[j]! - this.letters[i + 1]!;
    const others = this.others[j]! - this.others[i + 1]!;
    return notes > 0 || (letters > 0 && others === 0) ? j + 1 : -1;
  }
}

type Token =
  | { readonly t: 'num'; readonly lit: Literal }
  | { readonly t: 'op'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly text: string; readonly offset: number }
  | { readonly t: '(' | ')'; readonly offset: number }
  | { readonly t: 'end'; readonly offset: number };

/** Reads tokens one at a time from `text`, which starts at `base` in the whole claims `source`. */
class Lexer {
  tok: Token;
  prev: Token | undefined;
  private i = 0;
  private notes: Annotations | undefined;
  constructor(
    readonly text: string,
    readonly source: string,
    readonly base: number,
  ) {
    while (isSpace(text[this.i]) || ((text[this.i] === '~' || text[this.i] === '≈') && this.i === 0)) this.i++;
    this.tok = this.read();
  }

  next(): void {
    this.prev = this.tok;
    this.tok = this.read();
  }

  private error(message: string, at: number, length = 1): ModelError {
    return claimError(message, this.source, this.base + at, length);
  }

  private read(): Token {
    const { text } = this;
    for (;;) {
      while (isSpace(text[this.i])) this.i++;
      if (text[this.i] === '(') {
        this.notes ??= new Annotations(text);
        const end = this.notes.end(this.i);
        if (end >= 0) {
          this.i = end;
          continue;
        }
      }
      break;
    }
    const i = this.i;
    const c = text[i];
    if (c === undefined) return { t: 'end', offset: this.base + text.trimEnd().length };
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) return { t: 'num', lit: this.number() };
    const prevValue = this.tok !== undefined && (this.tok.t === 'num' || this.tok.t === ')');
    const op = (o: '+' | '-' | '*' | '/' | '^', n: number): Token => {
      this.i += n;
      return { t: 'op', op: o, text: text.slice(i, i + n), offset: this.base + i };
    };
    if (c === '*' && text[i + 1] === '*') return op('^', 2);
    if (TIMES.has(c)) return op('*', 1);
    if ((c === 'x' || c === 'X') && prevValue) {
      let j = i + 1;
      while (isSpace(text[j])) j++;
      if (isDigit(text[j]) || text[j] === '.' || text[j] === '(') return op('*', 1);
    }
    if (c === '+' || c === '-' || c === '^' || c === '/') return op(c, 1);
    if (c === '−') return op('-', 1);
    if (c === '÷') return op('/', 1);
    if (c === '(' || c === '[') {
      this.i++;
      return { t: '(', offset: this.base + i };
    }
    if (c === ')' || c === ']') {
      this.i++;
      return { t: ')', offset: this.base + i };
    }
    let j = i + 1;
    while (j < text.length && j - i < 40 && !isSpace(text[j]) && !isDigit(text[j]) && !'()*+-/^'.includes(text[j]!)) j++;
    const word = text.slice(i, j);
    throw this.error(`expected a number or an operator (+, -, *, ×, ·, /, ^). Received: '${quoted(word)}'.`, i, word.length);
  }

  /** One number with its separators, decimals, exponent, suffix and unit word. */
  private number(): Literal {
    const { text } = this;
    const start = this.i;
    let j = start;
    let digits = '';
    while (isDigit(text[j])) j++;
    digits = text.slice(start, j);
    let group = digits.length;
    let separator: string | undefined;
    while (digits.length > 0) {
      const s = text[j];
      if (s === undefined || !(STRICT_SEPARATORS.has(s) || SPACE_SEPARATORS.has(s))) break;
      let k = j + 1;
      while (isDigit(text[k])) k++;
      const n = k - j - 1;
      const space = SPACE_SEPARATORS.has(s);
      const sameKind = separator === undefined || separator === s || (space && SPACE_SEPARATORS.has(separator));
      if (n === 0) break;
      if (space && (n !== 3 || group > 3 || !sameKind)) break;
      if (!space && (n !== 3 || group > 3 || !sameKind)) {
        const shown = text.slice(start, Math.min(k, start + 40));
        throw this.error(`a ${s === ',' ? 'comma' : s === '_' ? '_' : 'separator'} in a number separates groups of three digits (138,357,544). Received: '${quoted(shown)}'.`, start, k - start);
      }
      separator = s;
      digits += text.slice(j + 1, k);
      group = 3;
      j = k;
    }
    let decimals = '';
    if (text[j] === '.' && isDigit(text[j + 1])) {
      let k = j + 1;
      while (isDigit(text[k])) k++;
      decimals = text.slice(j + 1, k);
      j = k;
    }
    let exponent = 0;
    let hasExponent = false;
    if ((text[j] === 'e' || text[j] === 'E') && (isDigit(text[j + 1]) || ((text[j + 1] === '+' || text[j + 1] === '-') && isDigit(text[j + 2])))) {
      let k = j + 1;
      if (text[k] === '+' || text[k] === '-') k++;
      const from = k;
      while (isDigit(text[k])) k++;
      if (k - from > 6) throw this.error(`an exponent of ${quoted(text.slice(from, k), 12)} digits: nncalc reads numbers up to 10^${Q.MAX_DIGITS}.`, start, k - start);
      exponent = Number(text.slice(j + 1, k));
      hasExponent = true;
      j = k;
    }
    if (digits.length + decimals.length > Q.MAX_DIGITS || Math.abs(exponent) > Q.MAX_DIGITS) {
      throw this.error(`a number of more than ${Q.MAX_DIGITS} digits: nncalc reads numbers up to 10^${Q.MAX_DIGITS}.`, start, Math.min(j - start, 40));
    }
    let end = j;
    let power = 0;
    let suffix: string | undefined;
    WORD.lastIndex = end;
    const after = WORD.exec(text);
    const word = after?.[1]?.toLowerCase();
    if (word !== undefined && WORDS[word] !== undefined) {
      power = WORDS[word];
      suffix = after![1];
      end = WORD.lastIndex;
    } else if (word !== undefined && SUFFIX[word[0]!] !== undefined && (word.length === 1 || UNITS[word.slice(1)] !== undefined)) {
      power = SUFFIX[word[0]!]!;
      suffix = after![1]!.slice(0, 1);
      end = WORD.lastIndex - (word.length - 1);
    }
    WORD.lastIndex = end;
    const unitMatch = WORD.exec(text);
    const unit = unitMatch ? UNITS[unitMatch[1]!.toLowerCase()] : undefined;
    if (unit !== undefined) end = WORD.lastIndex;
    this.i = end;

    const shift = exponent - decimals.length;
    const mantissa = Q.mul({ n: BigInt(digits + decimals || '0'), d: 1n }, Q.pow10(shift));
    const rounded = decimals.length > 0 || hasExponent;
    const half = rounded ? Q.mul({ n: 1n, d: 2n }, Q.pow10(shift)) : power ? { n: 1n, d: 2n } : Q.ZERO;
    const scale = Q.pow10(3 * power);
    const value = Q.mul(mantissa, scale);
    const spread = Q.mul(half, scale);
    return {
      kind: 'num',
      text: text.slice(start, end).trim(),
      offset: this.base + start,
      value,
      lo: Q.sub(value, spread),
      hi: Q.add(value, spread),
      mantissa,
      half,
      power,
      ...(suffix !== undefined ? { suffix } : {}),
      ...(unit !== undefined ? { unit } : {}),
    };
  }
}

/** A parsed piece: its interval, the factors of its main product, and the literal when it is one number. */
interface Node {
  iv: Interval;
  factors: Int[];
  lit?: Literal;
}

const exactInt = (r: Rat): Int | undefined => Q.toInt(r);

function combine(op: '+' | '-' | '*' | '/' | '^', a: Interval, b: Interval, fail: (message: string) => ModelError): Interval {
  const check = (i: Interval): Interval => {
    if (!Q.fits(i.lo) || !Q.fits(i.hi)) throw fail(`this value has more than ${Q.MAX_DIGITS} digits: nncalc reads numbers up to 10^${Q.MAX_DIGITS}.`);
    return i;
  };
  switch (op) {
    case '+':
      return check({ value: Q.add(a.value, b.value), lo: Q.add(a.lo, b.lo), hi: Q.add(a.hi, b.hi) });
    case '-':
      return check({ value: Q.sub(a.value, b.value), lo: Q.sub(a.lo, b.hi), hi: Q.sub(a.hi, b.lo) });
    case '*': {
      if (Q.cmp(a.lo, a.hi) === 0 && Q.cmp(b.lo, b.hi) === 0) return check(exactly(Q.mul(a.value, b.value)));
      const ends = [Q.mul(a.lo, b.lo), Q.mul(a.lo, b.hi), Q.mul(a.hi, b.lo), Q.mul(a.hi, b.hi)];
      return check({ value: Q.mul(a.value, b.value), lo: ends.reduce(Q.min), hi: ends.reduce(Q.max) });
    }
    case '/': {
      if (Q.sign(b.lo) <= 0 && Q.sign(b.hi) >= 0) throw fail('division by zero.');
      const ends = [Q.div(a.lo, b.lo), Q.div(a.lo, b.hi), Q.div(a.hi, b.lo), Q.div(a.hi, b.hi)];
      return check({ value: Q.div(a.value, b.value), lo: ends.reduce(Q.min), hi: ends.reduce(Q.max) });
    }
    case '^': {
      const n = exactInt(b.value);
      if (Q.cmp(b.lo, b.hi) !== 0 || n === undefined || n < 0 || n > 64) throw fail('an exponent must be a whole number from 0 to 64, written exactly.');
      const power = (x: Rat): Rat => {
        let r: Rat = { n: 1n, d: 1n };
        for (let k = 0; k < Number(n); k++) {
          r = Q.mul(r, x);
          if (!Q.fits(r)) throw fail(`this power has more than ${Q.MAX_DIGITS} digits: nncalc reads numbers up to 10^${Q.MAX_DIGITS}.`);
        }
        return r;
      };
      if (Q.cmp(a.lo, a.hi) === 0) return exactly(power(a.value));
      const ends = [power(a.lo), power(a.hi)];
      const straddles = Q.sign(a.lo) < 0 && Q.sign(a.hi) > 0 && Number(n) % 2 === 0;
      return { value: power(a.value), lo: straddles ? Q.ZERO : ends.reduce(Q.min), hi: ends.reduce(Q.max) };
    }
  }
}

const absCmp = (a: Rat, b: Rat): number => Q.cmp(Q.sign(a) < 0 ? Q.neg(a) : a, Q.sign(b) < 0 ? Q.neg(b) : b);

function pushFactors(into: Int[], from: readonly Int[]): void {
  for (const f of from) {
    if (into.length >= MAX_FACTORS) return;
    into.push(f);
  }
}

/**
 * Parses and evaluates arithmetic. `base` is where `text` starts in `source` (the whole claims text), so
 * errors point at the right line and column.
 */
export function parseExpr(text: string, source: string = text, base = 0): Expr {
  const lx = new Lexer(text, source, base);
  let depth = 0;
  const describe = (tk: Token | undefined): string =>
    tk === undefined || tk.t === 'end' ? 'the end of the claim' : tk.t === 'num' ? `'${quoted(tk.lit.text)}'` : tk.t === 'op' ? `'${tk.text}'` : `'${tk.t}'`;
  const where = (tk: Token): number => (tk.t === 'num' ? tk.lit.offset : tk.offset);
  const deeper = (tk: Token) => {
    if (++depth > MAX_DEPTH) throw claimError(`brackets, powers and minus signs nest more than ${MAX_DEPTH} deep here.`, source, where(tk));
  };

  function atom(): Node {
    const tk = lx.tok;
    if (tk.t === 'num') {
      lx.next();
      const lit = tk.lit;
      const n = Q.cmp(lit.lo, lit.hi) === 0 ? exactInt(lit.value) : undefined;
      return { iv: lit, factors: n !== undefined ? [n] : [], lit };
    }
    if (tk.t === '(') {
      deeper(tk);
      lx.next();
      const inner = sum();
      const close = lx.tok;
      if (close.t !== ')') throw claimError(`expected ')' to close the '(' at column ${tk.offset - base + 1}. Received: ${describe(close)}.`, source, where(close));
      lx.next();
      depth--;
      return inner;
    }
    if (tk.t === 'op' && tk.op === '-') {
      deeper(tk);
      lx.next();
      const arg = power();
      depth--;
      const v = arg.iv;
      return { iv: { value: Q.neg(v.value), lo: Q.neg(v.hi), hi: Q.neg(v.lo) }, factors: arg.factors };
    }
    const after = lx.prev === undefined ? 'at the start' : `after ${describe(lx.prev)}`;
    throw claimError(`expected a number or '(' ${after}. Received: ${describe(tk)}.`, source, where(tk));
  }

  function power(): Node {
    const left = atom();
    const tk = lx.tok;
    if (tk.t !== 'op' || tk.op !== '^') return left;
    deeper(tk);
    lx.next();
    const right = power();
    depth--;
    const iv = combine('^', left.iv, right.iv, (m) => claimError(m, source, tk.offset));
    const n = Number(exactInt(right.iv.value) ?? 0);
    const factors: Int[] = [];
    if (n >= 1 && n <= 8) for (let k = 0; k < n; k++) pushFactors(factors, left.factors);
    return { iv, factors };
  }

  function product(): Node {
    let left = power();
    for (;;) {
      const tk = lx.tok;
      if (tk.t === 'num') throw claimError(`expected an operator (+, -, *, /, ^) between two numbers. Received: '${quoted(tk.lit.text)}'.`, source, tk.lit.offset);
      const implicit = tk.t === '(';
      if (!implicit && (tk.t !== 'op' || (tk.op !== '*' && tk.op !== '/'))) return left;
      const op = implicit ? '*' : (tk as { op: '*' | '/' }).op;
      if (!implicit) lx.next();
      const right = power();
      const iv = combine(op, left.iv, right.iv, (m) => claimError(m, source, where(tk)));
      const factors = op === '*' ? left.factors : [];
      if (op === '*') pushFactors(factors, right.factors);
      left = { iv, factors };
    }
  }

  function sum(): Node {
    let left = product();
    for (;;) {
      const tk = lx.tok;
      if (tk.t !== 'op' || (tk.op !== '+' && tk.op !== '-')) return left;
      lx.next();
      const right = product();
      const iv = combine(tk.op, left.iv, right.iv, (m) => claimError(m, source, tk.offset));
      left = { iv, factors: absCmp(left.iv.value, right.iv.value) >= 0 ? left.factors : right.factors };
    }
  }

  const node = sum();
  const rest = lx.tok;
  if (rest.t !== 'end') throw claimError(rest.t === ')' ? `this ')' closes no '('.` : `expected an operator before ${describe(rest)}.`, source, where(rest));
  if (node.lit) return node.lit;
  return { kind: 'formula', offset: base, value: node.iv.value, lo: node.iv.lo, hi: node.iv.hi, factors: node.factors };
}

/** The value of an expression, with the interval its rounded numbers allow. */
export const evaluate = (e: Expr): Interval => ({ value: e.value, lo: e.lo, hi: e.hi });

/**
 * The factors of the product a formula is built on, for matching it to a layer's formula:
 * (3*3)*(256*256) → [3, 3, 256, 256]; in a sum, the largest term's ((512*7*7)*4096 + 4096 → 512, 7, 7, 4096).
 */
export function factors(e: Expr): Int[] {
  if (e.kind === 'formula') return [...e.factors];
  const n = Q.cmp(e.lo, e.hi) === 0 ? Q.toInt(e.value) : undefined;
  return n !== undefined ? [n] : [];
}

/**
 * An interval's bounds as doubles, widened by far more than the rounding of either side, so that a value outside
 * them is outside the interval exactly: a claim's range is tested against thousands of candidate values.
 */
const rough = new WeakMap<Interval, readonly [number, number]>();

/** True when the interval contains the value (exact; the doubles only turn away values far outside). */
export function contains(i: Interval, v: Int): boolean {
  let b = rough.get(i);
  if (!b) {
    const lo = Q.approx(i.lo);
    const hi = Q.approx(i.hi);
    rough.set(i, (b = [lo - Math.abs(lo) * 1e-9 - 1, hi + Math.abs(hi) * 1e-9 + 1]));
  }
  const x = typeof v === 'number' ? v : Number(v);
  if (x < b[0] || x > b[1]) return false;
  return Q.cmpInt(i.lo, v) <= 0 && Q.cmpInt(i.hi, v) >= 0;
}

/** True when the interval is one exact value. */
export const isExact = (i: Interval): boolean => Q.cmp(i.lo, i.hi) === 0;
