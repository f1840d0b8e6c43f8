/**
 * @module
 * Reading a claim's key. In order: a total ('total', 'trainable', 'macs', the model's name), a layer name
 * ('features.10'), a module path ('layer1', 'classifier'), a common name of a plain stack ('conv3_1',
 * 'block3_conv1', 'fc6'), a stage of the explanation ('conv3-64 ×2'), a paper label ('conv3-256', every layer
 * with it), a role ('attention', 'mlp'). When a later reading names other layers, the result says which
 * reading was taken. Lookups go through one index per report, so a key costs the same on 100,000 layers.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { stages } from '../render/explain.js';
import { distance } from '../suggest.js';
import { commonNames } from './aliases.js';
import { groupTarget, layerTarget, stageTargets, totalTarget, type Quantity, type Resolution, type Target } from './targets.js';

/** Everything a key can name, looked up by its loose form. */
interface KeyIndex {
  readonly layers: Map<string, LayerReport>;
  readonly modules: Map<string, { path: string; layers: LayerReport[] }>;
  readonly aliases: Map<string, LayerReport>;
  readonly labels: Map<string, LayerReport[]>;
  readonly labelHeads: Map<string, LayerReport[]>;
  readonly roles: Map<string, { role: string; layers: LayerReport[] }>;
  stages?: Map<string, string>;
  suggestions?: Map<number, string[]>;
}

/** 'Conv3-64 ×2', 'conv3-64 x 2', '2x conv3-64' → 'conv3-64x2'; spaces and case never matter. */
export function loose(s: string): string {
  let t = '';
  for (const c of s.toLowerCase()) if (!/\s/.test(c)) t += c === '×' ? 'x' : c;
  // '2xconv3-64' → 'conv3-64x2'
  let i = 0;
  while (i < t.length && t[i]! >= '0' && t[i]! <= '9') i++;
  if (i > 0 && t[i] === 'x' && i + 1 < t.length) t = `${t.slice(i + 1)}x${t.slice(0, i)}`;
  return t;
}

/** The key without bracketed remarks ('features.0 (Conv2d)', 'fc1 (x)'), in one pass. */
export function bare(key: string): string {
  let out = '';
  let depth = 0;
  for (const c of key) {
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out.replace(/\s+/g, ' ').trim() || key.trim();
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

const indexes = new WeakMap<Report, KeyIndex>();

function index(report: Report): KeyIndex {
  const hit = indexes.get(report);
  if (hit) return hit;
  const layers = new Map<string, LayerReport>();
  const modules = new Map<string, { path: string; layers: LayerReport[] }>();
  const labels = new Map<string, LayerReport[]>();
  const labelHeads = new Map<string, LayerReport[]>();
  const roles = new Map<string, { role: string; layers: LayerReport[] }>();
  for (const l of report.layers) {
    const k = loose(l.name);
    if (!layers.has(k)) layers.set(k, l);
    for (let dot = l.name.indexOf('.'); dot > 0; dot = l.name.indexOf('.', dot + 1)) {
      const path = l.name.slice(0, dot);
      const m = modules.get(loose(path));
      if (m) m.layers.push(l);
      else modules.set(loose(path), { path, layers: [l] });
    }
    push(labels, loose(l.label), l);
    push(labelHeads, loose(l.label.split(' ')[0]!), l);
    if (l.role) {
      const r = roles.get(l.role) ?? { role: l.role, layers: [] };
      r.layers.push(l);
      roles.set(l.role, r);
      roles.set(l.role.endsWith('s') ? l.role.slice(0, -1) : `${l.role}s`, r);
    }
  }
  const aliases = new Map<string, LayerReport>();
  for (const [name, l] of commonNames(report)) aliases.set(loose(name), l);
  const made: KeyIndex = { layers, modules, aliases, labels, labelHeads, roles };
  indexes.set(report, made);
  return made;
}

const TOTAL = new Set(['total', 'totals', '', 'all', 'model', 'wholemodel', 'themodel', 'numberof', 'count', 'sum', 'network', 'net']);
const TRAINABLE = new Set(['trainable', 'learnable']);
const FROZEN = new Set(['non-trainable', 'nontrainable', 'frozen', 'untrainable']);
const SHARED = new Set(['shared', 'tied', 'sharedweights', 'tiedweights']);
const BUFFERS = new Set(['buffers', 'runningstatistics', 'bnbuffers']);

/** One reading of a key. */
interface Reading {
  readonly by: Resolution['by'];
  readonly key: string;
  readonly targets: Target[];
  readonly mode: Resolution['mode'];
}

/** Every reading of a key, in the order of precedence. */
function readings(report: Report, key: string, q: Quantity, hint?: 'stage'): Reading[] {
  const ix = index(report);
  const k = loose(key);
  const out: Reading[] = [];
  const layer = ix.layers.get(k);
  if (layer) out.push({ by: 'layer', key: layer.name, targets: [layerTarget(report, layer, q)], mode: 'all' });
  const mod = ix.modules.get(k);
  if (mod) out.push({ by: 'module', key: mod.path, targets: [groupTarget(report, mod.path, mod.layers, q)], mode: 'all' });
  const alias = ix.aliases.get(k);
  if (alias) out.push({ by: 'alias', key: alias.name, targets: [layerTarget(report, alias, q)], mode: 'all' });
  // A stage named like a paper label ('conv3-64' in a ResNet) is read as the label, unless a table's
  // 'stage' column says otherwise.
  let stage: Reading | undefined;
  {
    ix.stages ??= new Map(stages(report).map((s) => [loose(s.label), s.label]));
    if (ix.stages.has(k)) {
      const st = stageTargets(report, q).filter((s) => loose(s.label) === k);
      // Two stages may share a label (VGG-16's two conv3-512 ×3): each is named by its layers.
      const named = st.map((s) => {
        const ls = s.target.layers;
        return st.length > 1 && s.target.kind === 'stage' ? { ...s.target, name: `${s.label} (${ls[0]!.name} … ${ls[ls.length - 1]!.name})` } : s.target;
      });
      stage = { by: 'stage', key: st[0]!.label, targets: named, mode: 'any' };
    }
  }
  if (stage && (hint === 'stage' || !ix.labels.has(k))) out.push(stage);
  const group = ix.labels.get(k) ?? ix.labelHeads.get(k);
  if (group) out.push({ by: 'label', key: group[0]!.label, targets: group.map((l) => layerTarget(report, l, q, group)), mode: 'all' });
  if (stage && hint !== 'stage' && ix.labels.has(k)) out.push(stage);
  const role = ix.roles.get(k);
  if (role) out.push({ by: 'role', key: role.role, targets: [groupTarget(report, role.role, role.layers, q)], mode: 'all' });
  if (hint === 'stage') out.sort((a, b) => Number(b.by === 'stage') - Number(a.by === 'stage'));
  return out;
}

const WORDS: Readonly<Record<Resolution['by'], string>> = {
  total: 'a total',
  layer: 'the layer',
  module: 'the module',
  alias: 'the common name of',
  stage: 'the stage',
  label: 'the layers labelled',
  role: 'the role',
  value: 'the value',
};

const layerSet = (r: Reading): string =>
  r.targets
    .flatMap((t) => t.layers.map((l) => l.name))
    .sort()
    .join();

/**
 * Reads a key against a report; undefined when it names nothing. The key's quantity word was already
 * taken off ('fc1 weights' → 'fc1', weights).
 * @example resolveKey(summarize('vgg16'), 'conv3-256', 'params').targets.length // 3
 */
export function resolveKey(report: Report, text: string, quantity: Quantity, hint?: 'stage'): Resolution | undefined {
  const key = bare(text);
  const squash = loose(key).replace(/[_-]/g, '');
  if (TOTAL.has(squash) || squash === loose(report.model.name).replace(/[_-]/g, '') || squash === 'params' || squash === 'parameters') {
    return { by: 'total', key: quantity === 'params' ? 'total' : totalName(quantity), targets: [totalTarget(report, quantity)], mode: 'all' };
  }
  if (TRAINABLE.has(squash)) return { by: 'total', key: 'trainable', targets: [totalTarget(report, 'trainable')], mode: 'all' };
  if (FROZEN.has(squash)) return { by: 'total', key: 'non-trainable', targets: [totalTarget(report, 'nonTrainable')], mode: 'all' };
  if (SHARED.has(squash) || (squash === 'shared' && quantity === 'weights')) return { by: 'total', key: 'shared weights', targets: [totalTarget(report, 'tied')], mode: 'all' };
  if (BUFFERS.has(squash)) return { by: 'total', key: 'buffers', targets: [totalTarget(report, 'buffers')], mode: 'all' };
  const found = readings(report, key, quantity, hint);
  const first = found[0];
  if (!first) return undefined;
  const others = found.slice(1).filter((r) => layerSet(r) !== layerSet(first));
  const alias = first.by === 'alias' ? `${key} is the common name of ${first.key}.` : undefined;
  const ambiguous = others.length
    ? `'${key}' is read as ${WORDS[first.by]} ${first.key}; it is also ${others.map((r) => `${WORDS[r.by]} ${r.key}`).join(' and ')}.`
    : undefined;
  const note = [alias, ambiguous].filter(Boolean).join(' ');
  return { by: first.by, key: first.key, targets: first.targets, mode: first.mode, ...(note ? { note } : {}) };
}

const totalName = (q: Quantity): string => ({ params: 'total', trainable: 'trainable', nonTrainable: 'non-trainable', macs: 'macs', flops: 'flops', weights: 'weights', biases: 'biases', tied: 'shared weights', buffers: 'buffers' })[q];

/** Keys a claim may use, for suggestions, bucketed by length. */
function candidates(report: Report): Map<number, string[]> {
  const ix = index(report);
  if (ix.suggestions) return ix.suggestions;
  const all = new Set<string>(['total', 'trainable', 'non-trainable', 'macs', 'flops']);
  for (const l of report.layers) all.add(l.name).add(l.label);
  for (const m of ix.modules.values()) all.add(m.path);
  for (const s of stages(report)) all.add(s.label);
  for (const [name] of commonNames(report)) all.add(name);
  for (const r of ix.roles.values()) all.add(r.role);
  const byLength = new Map<number, string[]>();
  for (const c of all) push(byLength, c.length, c);
  ix.suggestions = byLength;
  return byLength;
}

/** A budget of edit-distance work for one check, so suggestions stay bounded on huge models and files. */
export interface Budget {
  cells: number;
}

/**
 * The nearest key to a misspelt one, within a distance that grows with its length. Swapped digits
 * ('conv3-265') cost two edits, as much as a shorter label ('conv3-64'), so ties go to the candidate of the
 * same length, then to the longer shared prefix. Only keys of a similar length are compared, and the work
 * is charged to `budget`; when it runs out there is no suggestion.
 */
export function nearestKey(report: Report, word: string, budget: Budget): string | undefined {
  const w = bare(word).toLowerCase();
  if (w.length > 80) return undefined;
  const limit = Math.max(2, Math.floor(w.length / 3));
  const byLength = candidates(report);
  const prefix = (c: string) => {
    let i = 0;
    while (i < c.length && c[i] === w[i]) i++;
    return i;
  };
  let best: { c: string; d: number; p: number } | undefined;
  for (let len = Math.max(1, w.length - limit); len <= w.length + limit; len++) {
    for (const c of byLength.get(len) ?? []) {
      budget.cells -= (w.length + 1) * (len + 1);
      if (budget.cells < 0) return best?.c;
      const lc = c.toLowerCase();
      const d = distance(w, lc);
      if (d > limit) continue;
      const p = prefix(lc);
      const better = !best || d < best.d || (d === best.d && (Number(len !== w.length) < Number(best.c.length !== w.length) || (len === best.c.length && p > best.p)));
      if (better) best = { c, d, p };
    }
  }
  return best?.c;
}
