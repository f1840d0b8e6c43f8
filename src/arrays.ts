/**
 * @module
 * Array helpers that stay safe at any length. Spreading an array into a call (`Math.max(...xs)`,
 * `out.push(...xs)`) passes every element as an argument and overflows the stack for a few hundred thousand
 * elements; a model's layers, a table's rows and a claims file's lines can all be that long.
 */

/** The largest value, or `empty` for an empty list. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let m = empty;
  let any = false;
  for (const v of values) {
    if (!any || v > m) m = v;
    any = true;
  }
  return m;
}

/** The smallest value, or `empty` for an empty list. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let m = empty;
  let any = false;
  for (const v of values) {
    if (!any || v < m) m = v;
    any = true;
  }
  return m;
}

/** Appends every item to `out` (a loop, not a spread) and returns it. */
export function append<T>(out: T[], items: Iterable<T>): T[] {
  for (const x of items) out.push(x);
  return out;
}
