/**
 * @module
 * Arithmetic as people write it in notes and forum posts: 138,357,544 · 0.59M · 138 million · 1.38e8 ·
 * (3*3)*(256*256) · (512x7x7)x4,096 (weights) + 4,096 (biases) · 2^20 · 3**2.
 *
 * Every value is an interval: a number carries the precision it was written with (138M is
 * 138,000,000 ± 500,000; 138,357,544 is exact), and arithmetic carries the intervals along, so a claim
 * can be "right, as rounded" without guessing a tolerance.
 */
import { ModelError } from '../errors.js';

/** A value and the range the way it was written allows. Exact when lo = hi = value. */
export interface Interval {
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
}

/** A number as written: the digits, the multiplier of its suffix, its precision. */
export interface Literal extends Interval {
  readonly kind: 'num';
  readonly text: string;
  readonly offset: number;
  /** The number before the suffix (0.59 of 0.59M) and half its last digit (0.005). */
  readonly mantissa: number;
  readonly half: number;
  /** The suffix's power of 1000 (M → 2), or 0 without one. */
  readonly power: number;
  readonly suffix?: string;
  /** A unit word written after the number: 'params', 'macs', 'flops'. */
  readonly unit?: string;
}

export type Expr =
  | Literal
  | { readonly kind: 'op'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly left: Expr; readonly right: Expr; readonly offset: number }
  | { readonly kind: 'neg'; readonly arg: Expr; readonly offset: number };

const SUFFIX: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, b: 3, t: 4 };
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
  flops: 'flops',
  flop: 'flops',
};

type Token =
  | { readonly t: 'lit'; readonly lit: Literal }
  | { readonly t: 'op'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly text: string; readonly offset: number }
  | { readonly t: '(' | ')'; readonly offset: number };

/** A ModelError pointing at a span of the claims text. */
export function claimError(message: string, source: string, offset: number, length = 1, details: readonly string[] = []): ModelError {
  return new ModelError('input', message, { loc: { kind: 'text', offset, length: Math.max(1, length), source }, details });
}

const NUMBER = /^(?:\d[\d,_]*)?(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const GROUPED = /^(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)$/;

/** Reads one number with its suffix and unit word at `i`. */
function readNumber(text: string, i: number, source: string, base: number): { lit: Literal; end: number } {
  const digits = NUMBER.exec(text.slice(i))?.[0] ?? '';
  let end = i + digits.length;
  const whole = /^[\d,_]*/.exec(digits)![0];
  if (whole && !GROUPED.test(whole)) {
    throw claimError(`a comma or _ in a number separates groups of three digits (138,357,544). Received: '${whole}'.`, source, base + i, whole.length);
  }
  const plain = digits.replace(/[,_]/g, '');
  const mantissa = Number(plain);
  const [, decimals = ''] = /\.(\d+)/.exec(plain.replace(/[eE].*$/, '')) ?? [];
  const exponent = Number(/[eE]([+-]?\d+)$/.exec(plain)?.[1] ?? 0);
  // A plain integer is exact; a decimal, an exponent or a suffix means the last digit was rounded.
  let half = decimals.length || exponent ? 0.5 * 10 ** (exponent - decimals.length) : 0;
  let power = 0;
  let suffix: string | undefined;
  const after = /^\s*([A-Za-z][A-Za-z-]*)/.exec(text.slice(end));
  const word = after?.[1]?.toLowerCase();
  if (word !== undefined && WORDS[word] !== undefined) {
    power = WORDS[word];
    suffix = after![1];
    end += after![0].length;
  } else if (word !== undefined && (SUFFIX[word[0]!] !== undefined) && (word.length === 1 || UNITS[word.slice(1)] !== undefined)) {
    power = SUFFIX[word[0]!]!;
    suffix = after![1]!.slice(0, 1);
    end += after![0].length - (word.length - 1);
  }
  if (power && !decimals.length && !exponent) half = 0.5;
  const unitMatch = /^\s*([A-Za-z][A-Za-z-]*)/.exec(text.slice(end));
  const unit = unitMatch ? UNITS[unitMatch[1]!.toLowerCase()] : undefined;
  if (unit !== undefined) end += unitMatch![0].length;
  const scale = 1000 ** power;
  const value = mantissa * scale;
  const lit: Literal = {
    kind: 'num',
    text: text.slice(i, end).trim(),
    offset: base + i,
    value,
    lo: (mantissa - half) * scale,
    hi: (mantissa + half) * scale,
    mantissa,
    half,
    power,
    ...(suffix !== undefined ? { suffix } : {}),
    ...(unit !== undefined ? { unit } : {}),
  };
  return { lit, end };
}

const TIMES = new Set(['*', '×', '·', '⋅', '∙', '✕']);

/** Splits arithmetic into tokens; `base` is the text's offset in the whole claims source. */
function tokenize(text: string, source: string, base: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const prevIsValue = () => {
    const p = tokens[tokens.length - 1];
    return p !== undefined && (p.t === 'lit' || p.t === ')');
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c) || ((c === '~' || c === '≈') && tokens.length === 0)) {
      i++;
      continue;
    }
    // '(weights)', '(biases)', '(x)': words in brackets annotate a term, as in a worked answer.
    const note = c === '(' ? /^\(\s*[A-Za-z][A-Za-z\s.,'-]*\)/.exec(text.slice(i)) : null;
    if (note) {
      i += note[0].length;
      continue;
    }
    if (/[\d.]/.test(c)) {
      if (prevIsValue() && tokens[tokens.length - 1]!.t === 'lit') {
        throw claimError(`expected an operator (+, -, *, /, ^) between two numbers. Received: '${text.slice(i).split(/\s/)[0]}'.`, source, base + i);
      }
      const { lit, end } = readNumber(text, i, source, base);
      if (end === i || !/\d/.test(lit.text)) throw claimError(`expected a number. Received: '${c}'.`, source, base + i);
      tokens.push({ t: 'lit', lit });
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '**') {
      tokens.push({ t: 'op', op: '^', text: '**', offset: base + i });
      i += 2;
    } else if (TIMES.has(c) || ((c === 'x' || c === 'X') && prevIsValue() && /^[xX]\s*[\d.(]/.test(text.slice(i)))) {
      tokens.push({ t: 'op', op: '*', text: c, offset: base + i });
      i++;
    } else if (c === '+' || c === '-' || c === '−' || c === '/' || c === '÷' || c === '^') {
      const op = c === '−' ? '-' : c === '÷' ? '/' : c;
      tokens.push({ t: 'op', op, text: c, offset: base + i });
      i++;
    } else if (c === '(' || c === '[') {
      tokens.push({ t: '(', offset: base + i });
      i++;
    } else if (c === ')' || c === ']') {
      tokens.push({ t: ')', offset: base + i });
      i++;
    } else {
      const word = /^[^\s\d()*+\-/^]+/.exec(text.slice(i))?.[0] ?? c;
      throw claimError(`expected a number or an operator (+, -, *, ×, ·, /, ^). Received: '${word}'.`, source, base + i, word.length);
    }
  }
  return tokens;
}

/**
 * Parses arithmetic. `base` is where `text` starts in `source` (the whole claims text), so errors point
 * at the right line and column.
 */
export function parseExpr(text: string, source: string = text, base = 0): Expr {
  const tokens = tokenize(text, source, base);
  let k = 0;
  const end = base + text.trimEnd().length;
  const describe = (tk: Token | undefined): string => (tk === undefined ? 'the end of the claim' : tk.t === 'lit' ? `'${tk.lit.text}'` : tk.t === 'op' ? `'${tk.text}'` : `'${tk.t}'`);
  const where = (tk: Token | undefined): number => (tk === undefined ? end : tk.t === 'lit' ? tk.lit.offset : tk.offset);

  function atom(after: string): Expr {
    const tk = tokens[k];
    if (tk?.t === 'lit') {
      k++;
      return tk.lit;
    }
    if (tk?.t === '(') {
      k++;
      const inner = sum();
      const close = tokens[k];
      if (close?.t !== ')') throw claimError(`expected ')' to close the '(' at column ${tk.offset - base + 1}. Received: ${describe(close)}.`, source, where(close));
      k++;
      return inner;
    }
    if (tk?.t === 'op' && tk.op === '-') {
      k++;
      return { kind: 'neg', arg: power(), offset: tk.offset };
    }
    throw claimError(`expected a number or '(' ${after}. Received: ${describe(tk)}.`, source, where(tk));
  }
  function power(): Expr {
    const left = atom(k === 0 ? 'at the start' : `after ${describe(tokens[k - 1])}`);
    const tk = tokens[k];
    if (tk?.t === 'op' && tk.op === '^') {
      k++;
      return { kind: 'op', op: '^', left, right: power(), offset: tk.offset };
    }
    return left;
  }
  function product(): Expr {
    let left = power();
    for (;;) {
      const tk = tokens[k];
      if (tk?.t === 'op' && (tk.op === '*' || tk.op === '/')) {
        k++;
        left = { kind: 'op', op: tk.op, left, right: power(), offset: tk.offset };
      } else if (tk?.t === '(') {
        left = { kind: 'op', op: '*', left, right: power(), offset: tk.offset };
      } else return left;
    }
  }
  function sum(): Expr {
    let left = product();
    for (;;) {
      const tk = tokens[k];
      if (tk?.t !== 'op' || (tk.op !== '+' && tk.op !== '-')) return left;
      k++;
      left = { kind: 'op', op: tk.op, left, right: product(), offset: tk.offset };
    }
  }
  const e = sum();
  if (k < tokens.length) {
    const tk = tokens[k]!;
    throw claimError(tk.t === ')' ? `this ')' closes no '('.` : `expected an operator before ${describe(tk)}.`, source, where(tk));
  }
  return e;
}

const exact = (v: number): Interval => ({ value: v, lo: v, hi: v });

/** The value of an expression, with the interval its rounded numbers allow. */
export function evaluate(e: Expr, source = ''): Interval {
  if (e.kind === 'num') return e;
  if (e.kind === 'neg') {
    const a = evaluate(e.arg, source);
    return { value: -a.value, lo: -a.hi, hi: -a.lo };
  }
  const a = evaluate(e.left, source);
  const b = evaluate(e.right, source);
  switch (e.op) {
    case '+':
      return { value: a.value + b.value, lo: a.lo + b.lo, hi: a.hi + b.hi };
    case '-':
      return { value: a.value - b.value, lo: a.lo - b.hi, hi: a.hi - b.lo };
    case '*': {
      const ends = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
      return { value: a.value * b.value, lo: Math.min(...ends), hi: Math.max(...ends) };
    }
    case '/': {
      if (b.lo <= 0 && b.hi >= 0) throw claimError('division by zero.', source, e.offset);
      const ends = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
      return { value: a.value / b.value, lo: Math.min(...ends), hi: Math.max(...ends) };
    }
    case '^': {
      if (b.lo !== b.hi || !Number.isInteger(b.value) || b.value < 0 || b.value > 64) {
        throw claimError('an exponent must be a whole number from 0 to 64, written exactly.', source, e.offset);
      }
      if (a.lo === a.hi) return exact(a.value ** b.value);
      const ends = [a.lo ** b.value, a.hi ** b.value];
      return { value: a.value ** b.value, lo: Math.min(...ends), hi: Math.max(...ends) };
    }
  }
}

/**
 * The factors of the product a formula is built on, for matching it to a layer's formula:
 * (3*3)*(256*256) → [3, 3, 256, 256]; in a sum, the largest product term ((512*7*7)*4096 + 4096 → 512, 7, 7, 4096).
 */
export function factors(e: Expr): number[] {
  if (e.kind === 'num') return e.lo === e.hi ? [e.value] : [];
  if (e.kind === 'neg') return factors(e.arg);
  if (e.op === '*') return [...factors(e.left), ...factors(e.right)];
  if (e.op === '^') {
    const n = evaluate(e.right).value;
    const base = factors(e.left);
    return n >= 1 && n <= 8 ? Array.from({ length: n }, () => base).flat() : [];
  }
  if (e.op === '+' || e.op === '-') {
    const l = evaluate(e.left).value;
    const r = evaluate(e.right).value;
    return Math.abs(l) >= Math.abs(r) ? factors(e.left) : factors(e.right);
  }
  return [];
}

/** True when the interval contains the number. */
export const contains = (i: Interval, n: number): boolean => i.lo <= n && n <= i.hi;
