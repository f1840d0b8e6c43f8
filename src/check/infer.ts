/**
 * @module
 * A claim without a key ('0.59M = (3*3)*(256*256)'): the targets whose numbers explain it with the fewest
 * mistakes (a right value needs none), and among them those whose weight formula shares the most factors
 * with the claim's formula. When they are layers with one paper label, the claim is read as that label.
 * The candidate targets are built once per report, and each is judged by numbers only; sentences are
 * written for the chosen ones.
 */
import { fmt } from '../count.js';
import type { Int } from '../int.js';
import type { Report } from '../analyze/report.js';
import type { Claim } from './claims.js';
import { diagnose } from './diagnose.js';
import { memo } from './memo.js';
import * as Q from './rational.js';
import { allTargets, layerTarget, type Quantity, type Resolution, type Target } from './targets.js';

/** The numbers of a layer's weight formula: '3·3·128·256' → [3, 3, 128, 256]. */
function termNumbers(t: Target): number[] {
  if (t.kind !== 'layer') return [];
  const terms = t.layers[0]!.weights.find((w) => w.name === 'weight')?.formula?.terms ?? '';
  return terms
    .split(/[^\d,]+/)
    .filter(Boolean)
    .map((x) => Number(x.replace(/,/g, '')));
}

/** How many of a claim's factors the target's formula has (each matched once). */
function overlap(a: readonly Int[], b: readonly number[]): number {
  const rest = new Map<number, number>();
  for (const x of b) rest.set(x, (rest.get(x) ?? 0) + 1);
  let n = 0;
  for (const x of a) {
    const k = rest.get(Number(x)) ?? 0;
    if (k > 0) {
      n++;
      rest.set(Number(x), k - 1);
    }
  }
  return n;
}

/** Layers by paper label, once per report. */
const byLabel = (report: Report): Map<string, Report['layers'][number][]> =>
  memo(report, 'byLabel', () => {
    const m = new Map<string, Report['layers'][number][]>();
    for (const l of report.layers) {
      const list = m.get(l.label);
      if (list) list.push(l);
      else m.set(l.label, [l]);
    }
    return m;
  });

/** The reading of a claim without a key, and a note that says how it was read. */
export function inferTarget(report: Report, c: Claim, shown: string, q: Quantity): { resolution: Resolution; note: string } {
  const scored: { t: Target; mistakes: number; o: number }[] = [];
  let nearest: { t: Target; distance: number } | undefined;
  const v = Q.approx(c.value.value);
  for (const t of allTargets(report, q)) {
    if (t.value === null) continue;
    const f = diagnose(t, c, report, shown, c.value, false);
    if (f.mistakes < Infinity) scored.push({ t, mistakes: f.mistakes, o: overlap(c.factors, termNumbers(t)) });
    else if (scored.length === 0 && t.value > 0) {
      const distance = Math.abs(Math.log(Math.abs(v) / Q.approx(Q.fromInt(t.value)) || Number.MIN_VALUE));
      if (!nearest || distance < nearest.distance) nearest = { t, distance };
    }
  }
  if (scored.length === 0) {
    const targets = nearest ? [nearest.t] : [];
    return {
      resolution: { by: 'value', key: nearest?.t.name ?? 'total', targets, mode: 'any' },
      note: `No key: nothing in ${report.model.name} has ${shown} or reaches it by a known mistake; the nearest is ${nearest ? `${nearest.t.name} (${fmt(nearest.t.value!)})` : 'nothing'}.`,
    };
  }
  let fewest = Infinity;
  for (const s of scored) fewest = Math.min(fewest, s.mistakes);
  const tied = scored.filter((s) => s.mistakes === fewest);
  let most = 0;
  for (const s of tied) most = Math.max(most, s.o);
  const chosen = tied.filter((s) => s.o === most).map((s) => s.t);
  const labels = new Set(chosen.map((t) => (t.kind === 'layer' ? t.layers[0]!.label : `\0${t.name}`)));
  if (labels.size === 1 && chosen[0]!.kind === 'layer') {
    // A number for "a conv3-256 layer" is about every layer with that label: check them all.
    const label = chosen[0]!.layers[0]!.label;
    const group = byLabel(report).get(label)!;
    const resolution: Resolution = { by: 'value', key: label, targets: group.map((l) => layerTarget(report, l, chosen[0]!.quantity, group)), mode: 'any' };
    const which = group.length > 1 ? `the ${group.length} ${label} layers` : `${group[0]!.name} (${label})`;
    return { resolution, note: `No key: read as ${which}, by ${c.factors.length ? 'value and factors' : 'value'}.` };
  }
  const targets = chosen.slice(0, 6);
  const names = targets.map((t) => t.name).join(', ');
  return { resolution: { by: 'value', key: names, targets, mode: 'any' }, note: `No key: read as ${names}, by value.` };
}
