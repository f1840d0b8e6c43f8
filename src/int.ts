/**
 * @module
 * Exact integers of any size. An `Int` is a plain number while it is a safe integer (|n| < 2^53) and a
 * bigint beyond, so everyday models pay nothing for exactness, and a count past 2^53 (a 70B model's MACs at
 * a long context and a large batch) stays exact instead of being rounded. Every arithmetic helper tries the
 * number first and redoes the operation in bigint only when the result would not be safe.
 *
 * Rules: never apply + − · to an Int directly; use these helpers. `toNumber` is for ratios and display only.
 * A non-integer number (a scale factor of 1.5) passes through as a float: it was never exact.
 */

/** An exact integer: a safe number, or a bigint when it is not safe. Never a bigint that would fit a number. */
export type Int = number | bigint;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/** The canonical form: a number when safe, else a bigint. */
export function norm(n: bigint): Int {
  return n <= MAX && n >= MIN ? Number(n) : n;
}

/** An Int from a number that must be an integer (throws a bug error otherwise: callers validate input first). */
export function int(n: number | bigint): Int {
  if (typeof n === 'bigint') return norm(n);
  if (!Number.isInteger(n)) throw new RangeError(`bug: ${n} is not an integer`);
  return Number.isSafeInteger(n) ? n : BigInt(n);
}

const big = (n: Int): bigint => (typeof n === 'bigint' ? n : BigInt(n));

/** a + b, exact. */
export function plus(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
  }
  return norm(big(a) + big(b));
}

/** a − b, exact. */
export function minus(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
  }
  return norm(big(a) - big(b));
}

/** a · b, exact. A float product that is a safe integer is exact, so the bigint path runs only past 2^53. */
export function times(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
  }
  return norm(big(a) * big(b));
}

/** Σ of a list, exact. */
export function sum(values: Iterable<Int>): Int {
  let s: Int = 0;
  for (const v of values) s = plus(s, v);
  return s;
}

/** Π of a list, exact. */
export function prod(values: Iterable<Int>): Int {
  let p: Int = 1;
  for (const v of values) p = times(p, v);
  return p;
}

/** ⌊a/b⌋ or ⌈a/b⌉ for b ≠ 0, exact. */
export function div(a: Int, b: Int, round: 'floor' | 'ceil'): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const q = a / b;
    // Exact when the quotient is well inside the safe range (float division of safe integers rounds once).
    if (Math.abs(q) < 2 ** 52) {
      const f = round === 'floor' ? Math.floor(q) : Math.ceil(q);
      // Guard the one rounding: confirm with the remainder.
      const r = a - f * b;
      const ok = round === 'floor' ? (b > 0 ? r >= 0 && r < b : r <= 0 && r > b) : b > 0 ? r <= 0 && r > -b : r >= 0 && r < -b;
      if (ok) return f === 0 ? 0 : f; // never −0
    }
  }
  const x = big(a);
  const y = big(b);
  let q = x / y; // truncates toward zero
  const r = x - q * y;
  if (r !== 0n) {
    const negative = r < 0n !== y < 0n;
    if (round === 'floor' && negative) q -= 1n;
    if (round === 'ceil' && !negative) q += 1n;
  }
  return norm(q);
}

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function cmp(a: Int, b: Int): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = big(a);
  const y = big(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a = b (a number and a bigint are never equal in canonical form, but compare by value anyway). */
export const eq = (a: Int, b: Int): boolean => cmp(a, b) === 0;

/** The nearest double: for ratios, percentages and compact display (15.47 G), never for a printed exact count. */
export const toNumber = (n: Int): number => (typeof n === 'number' ? n : Number(n));

/** True when the value is an Int (a safe integer number or a bigint). */
export const isInt = (v: unknown): v is Int => (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'bigint';

/** Decimal digits without separators: '138357544', '-12', '123456789012345678901'. */
export const digits = (n: Int): string => String(n);

/** 1234567 → '1,234,567', exact at any size. */
export function grouped(n: Int): string {
  const s = String(n);
  const neg = s.startsWith('-');
  const d = neg ? s.slice(1) : s;
  if (d.length <= 3) return s;
  let out = d.slice(0, ((d.length - 1) % 3) + 1);
  for (let i = out.length; i < d.length; i += 3) out += `,${d.slice(i, i + 3)}`;
  return neg ? `-${out}` : out;
}

/**
 * The JSON form of an Int: a number when safe, else its exact decimal string (docs/json-schema.md).
 * Use as JSON.stringify's replacer so bigints anywhere in a report serialise exactly.
 */
export const jsonReplacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
