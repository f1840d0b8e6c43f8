/**
 * @module
 * What a claim is checked against: a total, a layer, or a sum of layers (a stage, a module, a role), for
 * one quantity (parameters, weights or biases only, MACs, FLOPs). Values are exact Ints.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { plus, sum, type Int } from '../int.js';
import { stages } from '../render/explain.js';
import { counted, isBias } from './words.js';

export type Quantity = 'params' | 'trainable' | 'nonTrainable' | 'macs' | 'flops' | 'weights' | 'biases' | 'tied' | 'buffers';

/** One thing a claim is checked against. */
export interface Target {
  readonly kind: 'total' | 'stage' | 'layer';
  /** 'total', 'conv3-256 ×3', 'layer1', 'features.10'. */
  readonly name: string;
  /** The layers it sums: one for a layer, the stage's for a stage, all for a total. */
  readonly layers: readonly LayerReport[];
  readonly quantity: Quantity;
  /** The true value; null when a layer's count is unknown (an op nncalc cannot count). */
  readonly value: Int | null;
  /** For a layer found by its paper label: every layer with that label, in order. */
  readonly siblings?: readonly LayerReport[];
}

/** How a claim's key was read. */
export interface Resolution {
  readonly by: 'total' | 'layer' | 'module' | 'alias' | 'stage' | 'label' | 'role' | 'value';
  /** The key as nncalc names it: 'conv3-256', 'total', 'features.10'. */
  readonly key: string;
  readonly targets: readonly Target[];
  /** 'all': the claim speaks of each target (every conv3-256 layer); 'any': the key may mean either (two stages share a label). */
  readonly mode: 'all' | 'any';
  /** How an ambiguous key was read, or what a common name stands for. */
  readonly note?: string;
}

/** The Σ of the weights of a layer that `pick` selects, under the report's convention. */
const weightSum = (report: Report, l: LayerReport, pick: (bias: boolean) => boolean): Int => sum(counted(report, l).filter((w) => pick(isBias(l, w))).map((w) => w.count));

/** A layer's value for a quantity; null when unknown. */
export function layerValue(report: Report, l: LayerReport, q: Quantity): Int | null {
  switch (q) {
    case 'params':
      return l.params;
    case 'trainable':
      return l.trainable;
    case 'nonTrainable':
      return l.nonTrainable;
    case 'macs':
      return l.macs;
    case 'flops':
      return l.flops;
    case 'weights':
      return l.params === null ? null : weightSum(report, l, (b) => !b);
    case 'biases':
      return l.params === null ? null : weightSum(report, l, (b) => b);
    case 'tied':
      return l.tied;
    case 'buffers':
      return l.buffers;
  }
}

/** Σ of the layers' values; null when any is unknown. */
export function sumValue(report: Report, layers: readonly LayerReport[], q: Quantity): Int | null {
  let s: Int = 0;
  for (const l of layers) {
    const v = layerValue(report, l, q);
    if (v === null) return null;
    s = plus(s, v);
  }
  return s;
}

const TOTAL_NAMES: Readonly<Record<Quantity, string>> = {
  params: 'total',
  trainable: 'trainable',
  nonTrainable: 'non-trainable',
  macs: 'macs',
  flops: 'flops',
  weights: 'weights',
  biases: 'biases',
  tied: 'shared weights',
  buffers: 'buffers',
};

export function totalTarget(report: Report, quantity: Quantity): Target {
  const t = report.totals;
  const direct: Partial<Record<Quantity, Int>> = { params: t.params, trainable: t.trainable, nonTrainable: t.nonTrainable, macs: t.macs, flops: t.flops, tied: t.tied, buffers: t.buffers };
  const value = direct[quantity] ?? sumValue(report, report.layers, quantity);
  const unknown = t.unknown > 0 && quantity !== 'tied' && quantity !== 'buffers';
  return { kind: 'total', name: TOTAL_NAMES[quantity], layers: report.layers, quantity, value: unknown ? null : value };
}

export function layerTarget(report: Report, l: LayerReport, quantity: Quantity, siblings?: readonly LayerReport[]): Target {
  return { kind: 'layer', name: l.name, layers: [l], quantity, value: layerValue(report, l, quantity), ...(siblings && siblings.length > 1 ? { siblings } : {}) };
}

export function groupTarget(report: Report, name: string, layers: readonly LayerReport[], quantity: Quantity): Target {
  return { kind: 'stage', name, layers, quantity, value: sumValue(report, layers, quantity) };
}

/** A layer that holds parameters or is a conv or FC layer: what a stage is made of. */
const counts = (l: LayerReport): boolean => (l.params ?? 0) > 0 || l.op === 'linear' || l.op.startsWith('conv');

/** The stages of the explanation, each a target (a stage of one counted layer becomes that layer). */
export function stageTargets(report: Report, quantity: Quantity): { label: string; target: Target }[] {
  return stages(report).map((s) => {
    const main = s.layers.filter(counts);
    return { label: s.label, target: main.length === 1 ? layerTarget(report, main[0]!, quantity) : groupTarget(report, s.label, s.layers, quantity) };
  });
}

const cache = new WeakMap<Report, Map<Quantity, Target[]>>();

/** Every target a claim without a key may mean: totals, stages of several layers, layers with a value. Built once per report and quantity. */
export function allTargets(report: Report, q: Quantity): readonly Target[] {
  let byQ = cache.get(report);
  if (!byQ) cache.set(report, (byQ = new Map()));
  const hit = byQ.get(q);
  if (hit) return hit;
  const totals: Target[] = [totalTarget(report, q)];
  if (q === 'params') {
    if (report.totals.trainable !== report.totals.params) totals.push(totalTarget(report, 'trainable'));
  }
  const multi = stageTargets(report, q).filter((s) => s.target.kind === 'stage').map((s) => s.target);
  const byLabel = new Map<string, LayerReport[]>();
  for (const l of report.layers) {
    const list = byLabel.get(l.label);
    if (list) list.push(l);
    else byLabel.set(l.label, [l]);
  }
  const layers: Target[] = [];
  for (const l of report.layers) {
    const v = layerValue(report, l, q);
    if (v !== null && v > 0) layers.push(layerTarget(report, l, q, byLabel.get(l.label)));
  }
  const all = [...totals, ...multi, ...layers];
  byQ.set(q, all);
  return all;
}
