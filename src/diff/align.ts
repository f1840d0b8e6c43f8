/**
 * @module
 * Pairing the layers of two reports: by name when the two share their names, otherwise by position among
 * layers of the same op kind; and what differs within a pair.
 */
import type { LayerReport } from '../analyze/report.js';
import type { Shape } from '../types.js';

/** A pair of full layer reports, for the reasons. */
export interface Pair {
  readonly a?: LayerReport;
  readonly b?: LayerReport;
}

export const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

/** Pairs layers by name when at least half of the smaller model's layers find a namesake of the same op. */
export function align(a: readonly LayerReport[], b: readonly LayerReport[]): { alignment: 'name' | 'position'; pairs: Pair[] } {
  const bByName = new Map(b.map((l, i) => [l.name, i]));
  const byName = new Map<number, number>();
  a.forEach((l, i) => {
    const j = bByName.get(l.name);
    if (j !== undefined && b[j]!.op === l.op) byName.set(i, j);
  });
  const alignment = byName.size >= Math.min(a.length, b.length) / 2 && byName.size > 0 ? 'name' : 'position';
  let match = byName;
  if (alignment === 'position') {
    match = new Map();
    const seen = new Map<string, number[]>();
    b.forEach((l, j) => {
      const list = seen.get(l.op);
      if (list) list.push(j);
      else seen.set(l.op, [j]);
    });
    const used = new Map<string, number>();
    a.forEach((l, i) => {
      const k = used.get(l.op) ?? 0;
      const j = seen.get(l.op)?.[k];
      used.set(l.op, k + 1);
      if (j !== undefined) match.set(i, j);
    });
  }
  // Rows follow a's order; layers only b has go just before the next layer that both have.
  const pairs: Pair[] = [];
  const matchedB = new Set(match.values());
  let next = 0;
  const flushB = (until: number) => {
    for (; next < until; next++) if (!matchedB.has(next)) pairs.push({ b: b[next]! });
  };
  a.forEach((l, i) => {
    const j = match.get(i);
    if (j === undefined) return void pairs.push({ a: l });
    flushB(j);
    next = Math.max(next, j + 1);
    pairs.push({ a: l, b: b[j]! });
  });
  flushB(b.length);
  return { alignment, pairs };
}

/** What differs between two paired layers. */
export function causes(p: Pair): string[] {
  if (!p.a || !p.b) return [];
  const keys = new Set([...Object.keys(p.a.attrs), ...Object.keys(p.b.attrs)]);
  const out = [...keys].filter((k) => !same(p.a!.attrs[k], p.b!.attrs[k]));
  if (!same(p.a.inputShapes, p.b.inputShapes)) out.push('input');
  const tensors = (l: LayerReport) => l.weights.map((w) => [w.name, w.shape]);
  if (!same(tensors(p.a), tensors(p.b))) out.push('weights');
  return out;
}

/** H×W×C for an image input (the paper's way), else the shape. */
export function inputText(s: Shape): string {
  return s.length === 4 ? `${s[2]}×${s[3]}×${s[1]}` : s.length === 0 ? '?' : `[${s.join(', ')}]`;
}

