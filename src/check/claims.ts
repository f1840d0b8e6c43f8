/**
 * @module
 * Claims as a user writes them: one per line or separated by ';', '#' starts a comment.
 *
 *   conv3-256: 589824              a key and a number
 *   fc1: (512*7*7)*4096 + 4096     a key and a formula
 *   conv3-256: 0.59M = 3*3*256*256 a key, a number and the formula it came from
 *   0.59M = (3*3)*(256*256)        no key: matched by value and factors
 */
import { lineColumn } from '../errors.js';
import { claimError, evaluate, factors, parseExpr, type Expr, type Interval, type Literal } from './expr.js';

/** One side of a claim's '=': a lone number or a formula. */
export interface Side {
  readonly text: string;
  readonly offset: number;
  readonly expr: Expr;
  readonly value: Interval;
}

/** One claim, located in the claims text. */
export interface Claim {
  /** The claim as written. */
  readonly text: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** What the claim is about ('conv3-256', 'total'), when it names it. */
  readonly key?: { readonly text: string; readonly offset: number };
  /** Every side of the '=' chain, as written. */
  readonly sides: readonly Side[];
  /** The claimed value: the most precise side (a formula of exact numbers beats a rounded number). */
  readonly value: Interval;
  /** The first side that is arithmetic rather than one number. */
  readonly formula?: Side;
  /** The number, when the claimed value is one written number (0.59M), for reading its suffix. */
  readonly literal?: Literal;
  /** Factors of the formula's main product: [3, 3, 256, 256]. */
  readonly factors: readonly number[];
  /** 'params', 'macs' or 'flops' when a unit word follows the number (15.5 GMACs). */
  readonly unit?: string;
}

const width = (i: Interval): number => i.hi - i.lo;

/** Splits a text into trimmed pieces at a separator, keeping each piece's offset. */
function pieces(text: string, at: RegExp, base: number): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim()) out.push({ text: raw.trim(), offset: base + start + lead });
  };
  for (let m = at.exec(text); m; m = at.exec(text)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(text.length);
  at.lastIndex = 0;
  return out;
}

/** Parses one claim (no comments, no separators) that starts at `offset` in `source`. */
export function parseClaim(text: string, source: string, offset: number): Claim {
  let body = text.replace(/^[-*•]\s+(?=[A-Za-z])/, '');
  let at = offset + (text.length - body.length);
  let key: Claim['key'];
  const colon = body.indexOf(':');
  if (colon >= 0) {
    const k = body.slice(0, colon).trim();
    if (!k) throw claimError(`expected a layer, stage or total before ':'. Received: nothing.`, source, at + colon);
    key = { text: k, offset: at + body.indexOf(k) };
    at += colon + 1;
    body = body.slice(colon + 1);
  } else {
    // 'fc1 = 102764544': a key before '=' when it starts with a letter and is not a number word.
    const eq = /^\s*([A-Za-z][^=]*?)\s*=/.exec(body);
    if (eq && !/^(about|approx\.?|approximately|around|roughly)\b/i.test(eq[1]!)) {
      key = { text: eq[1]!, offset: at + body.indexOf(eq[1]!) };
      at += eq[0].length;
      body = body.slice(eq[0].length);
    }
  }
  const words = /^\s*(about|approx\.?|approximately|around|roughly|≈|~)\s*/i.exec(body);
  if (words) {
    at += words[0].length;
    body = body.slice(words[0].length);
  }
  // A sentence's full stop is not part of the number: 'total: 138M.'
  body = body.replace(/\.\s*$/, '');
  if (!body.trim()) {
    throw claimError(`expected a number or a formula${key ? ` after '${key.text}:'` : ''}. Received: nothing.`, source, at + body.length, 1, [
      'Examples: conv3-256: 590,080 · fc1: (512*7*7)*4096 + 4096 · total: 138M',
    ]);
  }
  const sides: Side[] = pieces(body, /[=≈]/g, at).map((p) => {
    const expr = parseExpr(p.text, source, p.offset);
    return { text: p.text, offset: p.offset, expr, value: evaluate(expr, source) };
  });
  const best = sides.reduce((a, b) => (width(b.value) < width(a.value) ? b : a));
  const formula = sides.find((s) => s.expr.kind !== 'num');
  const lone = best.expr.kind === 'num' ? best.expr : undefined;
  const unit = sides.map((s) => (s.expr.kind === 'num' ? s.expr.unit : undefined)).find((u) => u !== undefined);
  const { line, column } = lineColumn(source, offset);
  return {
    text,
    offset,
    line,
    column,
    ...(key ? { key } : {}),
    sides,
    value: best.value,
    ...(formula ? { formula } : {}),
    ...(lone ? { literal: lone } : {}),
    factors: formula ? factors(formula.expr) : [],
    ...(unit !== undefined ? { unit } : {}),
  };
}

/**
 * Parses a claims text: one claim per line or ';'-separated, '#' comments, blank lines ignored.
 * Throws a ModelError with the line and column of the first claim it cannot read.
 * @example parseClaims('conv3-256: 0.59M = (3*3)*(256*256)')[0].value.value // 589824
 */
export function parseClaims(source: string): Claim[] {
  const claims: Claim[] = [];
  let offset = 0;
  for (const line of source.split('\n')) {
    const code = line.replace(/#.*$/, '').replace(/\r$/, '');
    for (const p of pieces(code, /;/g, offset)) claims.push(parseClaim(p.text, source, p.offset));
    offset += line.length + 1;
  }
  if (claims.length === 0) {
    throw claimError('no claims to check. Write one per line, such as: conv3-256: 590,080 or total: 138M.', source, 0);
  }
  return claims;
}
