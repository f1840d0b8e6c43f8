/**
 * @module
 * Claims as a user writes them (forms.ts finds them: lines, lists, tables, CSV), with their numbers read:
 *
 *   conv3-256: 589824              a key and a number
 *   fc1: (512*7*7)*4096 + 4096     a key and a formula
 *   conv3-256: 0.59M = 3*3*256*256 a key, a number and the formula it came from
 *   fc1 weights: 25088*4096        a part of a layer
 *   0.59M = (3*3)*(256*256)        no key: matched by value and factors
 *
 * A claim that cannot be read is reported at its line and column, and the others are still read.
 */
import type { Int } from '../int.js';
import { ModelError } from '../errors.js';
import { claimError, isExact, parseExpr, type Expr, type Interval, type Literal } from './expr.js';
import { readForms } from './forms.js';
import { lineStarts, locate, type ClaimQuantity, type Problem, type RawClaim, type RawSide } from './lines.js';
import * as Q from './rational.js';

export type { ClaimQuantity } from './lines.js';

/** One side of a claim's '=': a lone number or a formula. */
export interface Side {
  readonly text: string;
  readonly offset: number;
  readonly expr: Expr;
  readonly value: Interval;
}

/** One claim, located in the claims text. */
export interface Claim {
  /** The claim as written (a table row as 'key: value = formula'). */
  readonly text: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** What the claim is about ('conv3-256', 'total'), when it names it. */
  readonly key?: { readonly text: string; readonly offset: number };
  /** The quantity its key or column names: 'fc1 weights', a MACs column. */
  readonly quantity?: ClaimQuantity;
  /** Read the key as a stage first (it sits in a table's 'stage' column). */
  readonly hint?: 'stage';
  /** Every side of the '=' chain, as written. Each is checked. */
  readonly sides: readonly Side[];
  /** The claimed value: the most precise side (a formula of exact numbers beats a rounded number). */
  readonly value: Interval;
  /** The first side that is arithmetic rather than one number. */
  readonly formula?: Side;
  /** The number, when the claimed value is one written number (0.59M), for reading its suffix. */
  readonly literal?: Literal;
  /** Factors of the formula's main product: [3, 3, 256, 256]. */
  readonly factors: readonly Int[];
  /** 'params', 'macs' or 'flops' when a unit word follows the number (15.5 GMACs). */
  readonly unit?: string;
}

/** A line or cell that could not be read, where it is. */
export interface Unread {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly details: readonly string[];
}

/** A line deliberately not checked. */
export interface Skipped {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface ClaimsRead {
  readonly claims: Claim[];
  readonly unread: Unread[];
  readonly skipped: Skipped[];
}

const width = (i: Interval): Rat => Q.sub(i.hi, i.lo);
type Rat = Q.Rat;

/** A side's expression: one piece, or the sum of the pieces of an explanation's formula cell. */
function sideExpr(s: RawSide, source: string): Expr {
  const exprs = s.parts.map((p) => parseExpr(p.text, source, p.offset));
  if (exprs.length === 1) return exprs[0]!;
  const sum = (f: (e: Expr) => Rat) => exprs.reduce((a, e) => Q.add(a, f(e)), Q.ZERO);
  const largest = exprs.reduce((a, b) => (Q.cmp(b.value, a.value) > 0 ? b : a));
  const factors = largest.kind === 'formula' ? largest.factors : isExact(largest) && Q.toInt(largest.value) !== undefined ? [Q.toInt(largest.value)!] : [];
  return { kind: 'formula', offset: s.parts[0]!.offset, value: sum((e) => e.value), lo: sum((e) => e.lo), hi: sum((e) => e.hi), factors };
}

/** A lone number under a key or column that gives the unit: 3.41 under 'Total mult-adds (M)' is 3.41M. */
function scaled(e: Expr, power: number | undefined): Expr {
  if (!power || e.kind !== 'num' || e.power) return e;
  const f = Q.pow10(3 * power);
  const half = Q.isInteger(e.half) && Q.sign(e.half) === 0 && e.text.includes('.') === false ? { n: 1n, d: 2n } : e.half;
  const spread = Q.mul(half, f);
  const value = Q.mul(e.value, f);
  return { ...e, value, lo: Q.sub(value, spread), hi: Q.add(value, spread), half, power, suffix: ['', 'K', 'M', 'G', 'T'][power] ?? '' };
}

/** Reads one raw claim's numbers. Throws a ModelError at the first number it cannot read. */
export function parseClaim(raw: RawClaim, source: string, starts: readonly number[] = [0]): Claim {
  const sides: Side[] = [];
  for (const s of raw.sides) {
    let expr: Expr;
    try {
      expr = scaled(sideExpr(s, source), raw.scale);
    } catch (e) {
      // A symbolic formula column ('k·k·c_in·c_out') says how, not how much: it is not a claim.
      if (s.optional && /[A-Za-z]/.test(s.text)) continue;
      throw e;
    }
    sides.push({ text: s.text, offset: s.parts[0]!.offset, expr, value: { value: expr.value, lo: expr.lo, hi: expr.hi } });
  }
  const best = sides.reduce((a, b) => (Q.cmp(width(b.value), width(a.value)) < 0 ? b : a));
  const formula = sides.find((s) => s.expr.kind !== 'num');
  const text = sides.length === raw.sides.length ? raw.text : raw.text.slice(0, raw.text.indexOf(' = ') >= 0 ? raw.text.indexOf(' = ') : undefined);
  const lone = best.expr.kind === 'num' ? best.expr : undefined;
  const unit = sides.map((s) => (s.expr.kind === 'num' ? s.expr.unit : undefined)).find((u) => u !== undefined);
  const { line, column } = locate(starts, raw.offset);
  return {
    text,
    offset: raw.offset,
    line,
    column,
    ...(raw.key ? { key: raw.key } : {}),
    ...(raw.quantity ? { quantity: raw.quantity } : {}),
    ...(raw.hint ? { hint: raw.hint } : {}),
    sides,
    value: best.value,
    ...(formula ? { formula } : {}),
    ...(lone ? { literal: lone } : {}),
    factors: formula?.expr.kind === 'formula' ? formula.expr.factors : [],
    ...(unit !== undefined ? { unit } : {}),
  };
}

const unread = (p: Problem, starts: readonly number[]): Unread => ({ ...p, ...locate(starts, p.offset) });

/**
 * Reads a claims text leniently: every claim that can be read, and each line that cannot, at its place.
 * @example readClaims('total: 138M\nconv3-256: 3**').unread[0].line // 2
 */
export function readClaims(source: string): ClaimsRead {
  const starts = lineStarts(source);
  const found = readForms(source);
  const claims: Claim[] = [];
  const problems: Unread[] = found.problems.map((p) => unread(p, starts));
  for (const raw of found.claims) {
    try {
      claims.push(parseClaim(raw, source, starts));
    } catch (e) {
      if (!(e instanceof ModelError) || e.loc?.kind !== 'text') throw e;
      problems.push(unread({ offset: e.loc.offset, length: e.loc.length, message: e.message, details: e.details }, starts));
    }
  }
  problems.sort((a, b) => a.offset - b.offset);
  const skipped = found.skipped.map((s) => ({ line: locate(starts, s.offset).line, text: s.text, reason: s.reason }));
  return { claims, unread: problems, skipped };
}

/** The ModelError for an unread line, pointing into the claims text. */
export const unreadError = (u: Unread, source: string): ModelError => claimError(u.message, source, u.offset, u.length, u.details);

/**
 * Reads a claims text strictly: throws a ModelError with the line and column of the first claim it cannot
 * read, or when there is nothing to check.
 * @example parseClaims('conv3-256: 0.59M = (3*3)*(256*256)')[0].value.value // { n: 589824n, d: 1n }
 */
export function parseClaims(source: string): Claim[] {
  const read = readClaims(source);
  if (read.unread.length) throw unreadError(read.unread[0]!, source);
  if (read.claims.length === 0) throw noClaims(source);
  return read.claims;
}

export const noClaims = (source: string): ModelError =>
  claimError('no claims to check. Write one per line, such as: conv3-256: 590,080 or total: 138M.', source, 0);
