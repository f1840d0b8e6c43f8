/**
 * @module
 * Exact rational numbers for claims. A claim is written in decimals and suffixes (0.59M, 1.38e8), may
 * divide (96/2) and may be larger than 2^53 (a MACs count at a large batch), so its value and the range its
 * precision allows are kept as fractions of bigints: a claim that is off by one is off by one at any size.
 *
 * Sizes are bounded: a value of more than MAX_DIGITS digits (numerator or denominator) is refused by the
 * caller with a located error, so no claim can make the arithmetic run long or exhaust memory.
 */
import { norm, type Int } from '../int.js';

/** n/d with d > 0 and gcd(n, d) = 1. */
export interface Rat {
  readonly n: bigint;
  readonly d: bigint;
}

/** The largest number of decimal digits a claim's numbers may have (a 1,000-digit claim is still read). */
export const MAX_DIGITS = 1200;
const LIMIT = 10n ** BigInt(MAX_DIGITS);

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** True when the fraction stays within MAX_DIGITS digits. */
export const fits = (r: Rat): boolean => abs(r.n) < LIMIT && r.d < LIMIT;

/** A reduced fraction; d must not be 0. */
export function rat(n: bigint, d = 1n): Rat {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (d === 1n) return { n, d };
  const g = gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export const ZERO: Rat = { n: 0n, d: 1n };

/** An Int (or a safe integer) as a fraction. */
export const fromInt = (v: Int): Rat => ({ n: BigInt(v), d: 1n });

export const add = (a: Rat, b: Rat): Rat => (a.d === 1n && b.d === 1n ? { n: a.n + b.n, d: 1n } : rat(a.n * b.d + b.n * a.d, a.d * b.d));
export const sub = (a: Rat, b: Rat): Rat => add(a, neg(b));
export const neg = (a: Rat): Rat => ({ n: -a.n, d: a.d });
export const mul = (a: Rat, b: Rat): Rat => (a.d === 1n && b.d === 1n ? { n: a.n * b.n, d: 1n } : rat(a.n * b.n, a.d * b.d));
/** a/b; b must not be 0. */
export const div = (a: Rat, b: Rat): Rat => rat(a.n * b.d, a.d * b.n);

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function cmp(a: Rat, b: Rat): -1 | 0 | 1 {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Compares a fraction with an Int (without bigint arithmetic when both are safe integers). */
export function cmpInt(a: Rat, v: Int): -1 | 0 | 1 {
  if (a.d === 1n && typeof v === 'number' && a.n <= SAFE && a.n >= -SAFE) {
    const x = Number(a.n);
    return x < v ? -1 : x > v ? 1 : 0;
  }
  const y = BigInt(v) * a.d;
  return a.n < y ? -1 : a.n > y ? 1 : 0;
}

export const min = (a: Rat, b: Rat): Rat => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Rat, b: Rat): Rat => (cmp(a, b) >= 0 ? a : b);
export const isInteger = (a: Rat): boolean => a.d === 1n;
export const sign = (a: Rat): -1 | 0 | 1 => (a.n < 0n ? -1 : a.n > 0n ? 1 : 0);

/** ⌊a⌋ and ⌈a⌉ as bigints. */
export function floor(a: Rat): bigint {
  const q = a.n / a.d;
  return a.n < 0n && q * a.d !== a.n ? q - 1n : q;
}
export function ceil(a: Rat): bigint {
  const q = a.n / a.d;
  return a.n > 0n && q * a.d !== a.n ? q + 1n : q;
}

/** The value as an Int when it is an integer. */
export const toInt = (a: Rat): Int | undefined => (a.d === 1n ? norm(a.n) : undefined);

/** The nearest integer (halves away from zero), as an Int. */
export function round(a: Rat): Int {
  const twice = floor({ n: 2n * abs(a.n) + a.d, d: 2n * a.d });
  return norm(a.n < 0n ? -twice : twice);
}

const bits = (x: bigint): number => abs(x).toString(16).length * 4;

/** The nearest double, for ratios and percentages only: never for a value that is printed as exact. */
export function approx(a: Rat): number {
  if (a.n <= SAFE && a.n >= -SAFE && a.d <= SAFE) return Number(a.n) / Number(a.d);
  const sn = Math.max(0, bits(a.n) - 900);
  const sd = Math.max(0, bits(a.d) - 900);
  let x = Number(a.n >> BigInt(sn)) / Number(a.d >> BigInt(sd));
  for (let e = sn - sd; e !== 0 && Number.isFinite(x) && x !== 0; ) {
    const step = Math.max(-1000, Math.min(1000, e));
    x *= 2 ** step;
    e -= step;
  }
  return x;
}

/** A decimal text: exact for an integer ('138,357,544' when grouped), else up to `places` decimals ('333.333'). */
export function decimal(a: Rat, group: (v: Int) => string = String, places = 3): string {
  const whole = a.n < 0n ? -(abs(a.n) / a.d) : a.n / a.d;
  if (a.d === 1n) return group(norm(a.n));
  const scale = 10n ** BigInt(places);
  let frac = ((abs(a.n) % a.d) * scale + a.d / 2n) / a.d;
  let w = abs(whole);
  if (frac >= scale) {
    w += 1n;
    frac -= scale;
  }
  const digits = frac.toString().padStart(places, '0').replace(/0+$/, '');
  const sign = a.n < 0n ? '-' : '';
  return `${sign}${group(norm(w))}${digits ? `.${digits}` : ''}`;
}

/** The exact text of a fraction: '1792', '1000/3'. */
export const exactText = (a: Rat): string => (a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`);

/** 10^k as a fraction (k may be negative). */
export const pow10 = (k: number): Rat => (k >= 0 ? { n: 10n ** BigInt(k), d: 1n } : { n: 1n, d: 10n ** BigInt(-k) });
