/**
 * @module
 * What a claim's key names: a total, a layer, a stage of the explanation ('conv3-64 ×2', 'fc1') or a paper
 * label ('conv3-256', which may be several layers).
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { toNumber } from '../int.js';
import { stages } from '../render/explain.js';
import { distance } from '../suggest.js';
import { claimError } from './expr.js';

export type Quantity = 'params' | 'trainable' | 'nonTrainable' | 'macs' | 'flops';

/** One thing a claim is checked against. */
export interface Target {
  readonly kind: 'total' | 'stage' | 'layer';
  /** 'total', 'conv3-256 ×3', 'features.10'. */
  readonly name: string;
  /** The layers it sums: one for a layer, the stage's for a stage, all for a total. */
  readonly layers: readonly LayerReport[];
  readonly quantity: Quantity;
  readonly value: number;
  /** For a layer found by its paper label: every layer with that label, in order. */
  readonly siblings?: readonly LayerReport[];
}

/** How a claim's key was read. */
export interface Resolution {
  readonly by: 'total' | 'layer' | 'stage' | 'label' | 'value';
  /** The key as nncalc names it: 'conv3-256', 'total', 'features.10'. */
  readonly key: string;
  readonly targets: readonly Target[];
}

/** A layer's value for a quantity. */
export function layerValue(l: LayerReport, q: Quantity): number {
  const v = q === 'params' ? l.params : q === 'trainable' ? l.trainable : q === 'nonTrainable' ? l.nonTrainable : q === 'macs' ? l.macs : l.flops;
  return toNumber(v ?? 0);
}

const TOTAL_NAMES: Readonly<Record<Quantity, string>> = { params: 'total', trainable: 'trainable', nonTrainable: 'non-trainable', macs: 'macs', flops: 'flops' };

export function totalTarget(report: Report, quantity: Quantity): Target {
  return { kind: 'total', name: TOTAL_NAMES[quantity], layers: report.layers, quantity, value: toNumber(report.totals[quantity]) };
}

export function layerTarget(l: LayerReport, quantity: Quantity, siblings?: readonly LayerReport[]): Target {
  return { kind: 'layer', name: l.name, layers: [l], quantity, value: layerValue(l, quantity), ...(siblings && siblings.length > 1 ? { siblings } : {}) };
}

/** 'conv3-64 ×2', 'conv3-64 x 2', '2x conv3-64' → 'conv3-64x2'. */
export const loose = (s: string): string =>
  s
    .toLowerCase()
    .replace(/×/g, 'x')
    .replace(/^(\d+)\s*x\s*(.+)$/, '$2 x$1')
    .replace(/\s+/g, '');

const TOTAL = new Set(['total', 'totals', 'params', 'parameters', 'param', 'all', 'model', 'wholemodel', 'totalparams', 'totalparameters', 'numberofparameters']);
const TRAINABLE = new Set(['trainable', 'trainableparams', 'trainableparameters']);
const FROZEN = new Set(['non-trainable', 'nontrainable', 'non-trainableparams', 'non-trainableparameters', 'nontrainableparams', 'frozen']);
const QUANTITY: readonly [RegExp, Quantity][] = [
  [/^(.*?)(g?macs|mult-adds|multiply-adds|multiply-accumulates)$/, 'macs'],
  [/^(.*?)(g?flops)$/, 'flops'],
  [/^(.*?)(params|parameters)$/, 'params'],
];

/** The stages of the explanation, each a target (one-layer stages become that layer). */
function stageTargets(report: Report, quantity: Quantity): { label: string; target: Target }[] {
  return stages(report).map((s) => ({
    label: s.label,
    target:
      s.layers.filter((l) => (l.params ?? 0) > 0 || l.op === 'linear' || l.op.startsWith('conv')).length === 1
        ? layerTarget(s.layers.find((l) => (l.params ?? 0) > 0 || l.op === 'linear' || l.op.startsWith('conv'))!, quantity)
        : { kind: 'stage', name: s.label, layers: s.layers, quantity, value: s.layers.reduce((n, l) => n + layerValue(l, quantity), 0) },
  }));
}

/** The layers with a paper label, or with a label whose first word is it ('conv5-256' finds 'conv5-256 g2'). */
export function labelled(report: Report, label: string): LayerReport[] {
  const k = loose(label);
  const exact = report.layers.filter((l) => loose(l.label) === k);
  return exact.length ? exact : report.layers.filter((l) => loose(l.label.split(' ')[0]!) === k);
}

/**
 * The nearest key to a misspelt one. Swapped digits ('conv3-265') cost two edits, as much as a shorter
 * label does ('conv3-64'), so ties go to the candidate of the same length, then the longer shared prefix.
 */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  const prefix = (c: string) => [...c].findIndex((ch, i) => ch !== w[i]) >>> 0;
  const scored = candidates.map((c) => ({ c, d: distance(w, c.toLowerCase()) })).filter((x) => x.d <= limit);
  scored.sort((a, b) => a.d - b.d || Number(a.c.length !== w.length) - Number(b.c.length !== w.length) || prefix(b.c.toLowerCase()) - prefix(a.c.toLowerCase()));
  return scored[0]?.c;
}

/** Every key a claim may use, for suggestions. */
function keys(report: Report): string[] {
  return ['total', 'trainable', 'non-trainable', 'macs', 'flops', ...report.layers.map((l) => l.name), ...new Set(report.layers.map((l) => l.label)), ...stages(report).map((s) => s.label)];
}

/**
 * Reads a key against a report. Throws a ModelError at the key, with a did-you-mean, when it names nothing.
 * @example resolveKey(summarize('vgg16'), 'conv3-256', src, 0).targets.length // 3
 */
export function resolveKey(report: Report, text: string, source: string, offset: number, unit?: string): Resolution {
  const bare = text.replace(/\s*\([^)]*\)\s*/g, ' ').trim() || text;
  let k = bare.toLowerCase().replace(/\s+/g, ' ');
  const squash = (s: string) => s.replace(/[\s_]/g, '');
  const unitQuantity = unit === 'macs' || unit === 'flops' ? unit : 'params';
  if (TOTAL.has(squash(k)) || squash(k) === squash(report.model.name.toLowerCase())) return { by: 'total', key: 'total', targets: [totalTarget(report, unitQuantity)] };
  if (TRAINABLE.has(squash(k))) return { by: 'total', key: 'trainable', targets: [totalTarget(report, 'trainable')] };
  if (FROZEN.has(squash(k))) return { by: 'total', key: 'non-trainable', targets: [totalTarget(report, 'nonTrainable')] };
  let quantity: Quantity = unitQuantity;
  for (const [re, q] of QUANTITY) {
    const m = re.exec(k);
    if (m && (m[1] === '' || m[1]!.endsWith(' '))) {
      quantity = q;
      k = m[1]!.trim();
      break;
    }
  }
  if (k === '' || TOTAL.has(squash(k))) return { by: 'total', key: quantity === 'params' ? 'total' : quantity, targets: [totalTarget(report, quantity)] };

  const name = bare.replace(/\s+(g?macs|g?flops|params|parameters|mult-adds)$/i, '');
  const layer = report.layers.find((l) => l.name === name) ?? report.layers.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (layer) return { by: 'layer', key: layer.name, targets: [layerTarget(layer, quantity)] };

  const labels = new Set(report.layers.map((l) => loose(l.label)));
  const staged = stageTargets(report, quantity).filter((s) => loose(s.label) === loose(k) && !labels.has(loose(s.label)));
  if (staged.length) return { by: 'stage', key: staged[0]!.label, targets: staged.map((s) => s.target) };

  const group = labelled(report, k);
  if (group.length) return { by: 'label', key: group[0]!.label, targets: group.map((l) => layerTarget(l, quantity, group)) };

  const guess = nearest(bare, keys(report));
  throw claimError(`'${bare}' is not a layer, stage or total of ${report.model.name}.${guess ? ` Did you mean '${guess}'?` : ''}`, source, offset, text.length, [
    `Keys: total, trainable, non-trainable, macs, flops; a layer (${report.layers[0]?.name ?? 'features.0'}); a paper label (${report.layers.find((l) => (l.params ?? 0) > 0)?.label ?? 'conv3-64'}); a stage (${stages(report)[0]?.label ?? 'fc1'}).`,
  ]);
}

/** Every target an unkeyed claim may mean: totals, stages of several layers, layers with parameters. */
export function allTargets(report: Report, unit?: string): Target[] {
  const q: Quantity = unit === 'macs' || unit === 'flops' ? unit : 'params';
  const totals: Target[] =
    q === 'params'
      ? [totalTarget(report, 'params'), ...(toNumber(report.totals.trainable) !== toNumber(report.totals.params) ? [totalTarget(report, 'trainable')] : []), ...(unit ? [] : [totalTarget(report, 'macs'), totalTarget(report, 'flops')])]
      : [totalTarget(report, q)];
  const multi = stageTargets(report, q).filter((s) => s.target.kind === 'stage').map((s) => s.target);
  const byLabel = new Map<string, LayerReport[]>();
  for (const l of report.layers) byLabel.set(l.label, [...(byLabel.get(l.label) ?? []), l]);
  const layers = report.layers.filter((l) => layerValue(l, q) > 0).map((l) => layerTarget(l, q, byLabel.get(l.label)));
  return [...totals, ...multi, ...layers];
}
