/**
 * @module
 * Results computed once per report or per list of layers (a stage's, a module's, the whole model's), so
 * checking many claims about the same group costs one pass over it, not one per claim.
 */

const store = new WeakMap<object, Map<string, unknown>>();

/** The value of `compute` for this object and key, computed on first use. */
export function memo<T>(owner: object, key: string, compute: () => T): T {
  let m = store.get(owner);
  if (!m) store.set(owner, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}
