/**
 * @module
 * Why two reports differ, derived from the paired layers: which attribute differs (groups, widths), whether
 * only the input changed (and which layers depend on its size), the convention, the batch, layers only one
 * side has. Each clause carries the numbers it explains.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { cmp, minus, plus, times, toNumber, type Int } from '../int.js';
import { bytes, count } from '../render/format.js';
import type { Shape } from '../types.js';
import { causes, inputText, type Pair } from './align.js';
import type { DiffSide } from './index.js';

/** '+1,234' or '−1,234'. */
export const signed = (n: Int): string => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(minus(0, n))}` : '0');

/** 'a, b and c', or 'a, b, c and 4 more'. */
export function names(items: readonly string[], max = 4): string {
  const shown = items.length > max ? [...items.slice(0, max - 1), `${items.length - max + 1} more`] : items;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

const sum = (xs: readonly (Int | null | undefined)[]): Int => xs.reduce<Int>((s, x) => plus(s, x ?? 0), 0);
const dParams = (p: Pair): Int => minus(p.b?.params ?? 0, p.a?.params ?? 0);
const dMacs = (p: Pair): Int => minus(p.b?.macs ?? 0, p.a?.macs ?? 0);
const abs = (n: Int): Int => (n < 0 ? minus(0, n) : n);
const fmtRatio = (r: number): string => `${Number(r.toFixed(2))}×`;
const spatial = (s: Shape): number[] => (s.length >= 3 ? s.slice(2) : []);

/** '384²/224²' or '(384·512)/(224·224)'. */
function areaText(a: readonly number[], b: readonly number[]): string {
  const square = (s: readonly number[]) => s.every((x) => x === s[0]);
  if (square(a) && square(b) && a.length === 2) return `${b[0]}²/${a[0]}²`;
  return `(${b.join('·')})/(${a.join('·')})`;
}

const fraction = (g: number): string => (g === 2 ? 'half' : g === 3 ? 'a third of' : g === 4 ? 'a quarter of' : `1/${g} of`);

/** An attribute value as a reader writes it: 2 for [2, 2], 3×5 for [3, 5]. */
function valueText(v: unknown): string {
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) return v.every((x) => x === v[0]) ? `${v[0]}` : v.join('×');
  return v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** One clause per set of attributes that differ, e.g. the groups of AlexNet's two-GPU convolutions. */
function attributeClauses(pairs: readonly Pair[], sides: { a: DiffSide; b: DiffSide }): string[] {
  const groups = new Map<string, Pair[]>();
  for (const p of pairs) {
    const cs = causes(p);
    const keys = cs.filter((c) => c !== 'input' && c !== 'weights');
    const sig = `${keys.join(',')}${cs.includes('input') ? '+input' : ''}`;
    if (keys.length && (dParams(p) !== 0 || dMacs(p) !== 0)) groups.set(sig, [...(groups.get(sig) ?? []), p]);
  }
  const out: string[] = [];
  for (const [sig, ps] of groups) {
    const withInput = sig.endsWith('+input');
    const keys = sig.replace(/\+input$/, '').split(',');
    const one = ps.length === 1;
    const list = names(ps.map((p) => p.b!.name));
    const dp = sum(ps.map(dParams));
    const dm = sum(ps.map(dMacs));
    const values = (side: 'a' | 'b') => new Set(ps.map((p) => JSON.stringify(keys.map((k) => p[side]!.attrs[k]))));
    const uniform = values('a').size === 1 && values('b').size === 1;
    const ga = ps[0]!.a!.attrs['groups'];
    const gb = ps[0]!.b!.attrs['groups'];
    if (sig === 'groups' && uniform && typeof ga === 'number' && typeof gb === 'number' && Math.min(ga, gb) === 1) {
      const g = Math.max(ga, gb);
      const side = ga > 1 ? sides.a : sides.b;
      out.push(
        `${list} ${one ? 'is' : 'are'} grouped (g = ${g}) in ${side.label}: each filter sees ${fraction(g)} the input channels, so ${one ? 'its' : 'their'} weights ` +
          `${g === 2 ? 'halve' : `shrink ${g}×`}: ${count(abs(dp))} parameters in all (and ${count(abs(dm))} MACs)`,
      );
      continue;
    }
    const show = (p: Pair, side: 'a' | 'b') => keys.map((k) => `${k} = ${valueText(p[side]!.attrs[k])}`).join(', ');
    const what = uniform
      ? `${one ? 'has' : 'have'} ${show(ps[0]!, 'a')} in ${sides.a.label} and ${show(ps[0]!, 'b')} in ${sides.b.label}`
      : `${one ? 'has a' : 'have'} different ${names(keys)} (${names(ps.map((p) => `${p.b!.name}: ${keys.map((k) => `${valueText(p.a!.attrs[k])} → ${valueText(p.b!.attrs[k])}`).join(', ')}`), 3)})`;
    const inputs = withInput ? `, and ${one ? 'reads a differently shaped input' : 'read differently shaped inputs'}` : '';
    const macsKnown = ps.every((p) => p.a!.macs !== null && p.b!.macs !== null);
    out.push(`${list} ${what}${inputs}: ${signed(dp)} parameters${macsKnown ? `, ${signed(dm)} MACs` : ''}`);
  }
  return out;
}

/** The flatten whose output a layer reads, found by shape: '512·7·7 = 25,088'. */
function viaFlatten(report: Report, layer: LayerReport): string | undefined {
  const i = report.layers.indexOf(layer);
  const f = report.layers
    .slice(0, i)
    .reverse()
    .find((l) => l.op === 'flatten');
  const shape = f?.inputShapes[0];
  if (!f || !shape || JSON.stringify(f.outputShape) !== JSON.stringify(layer.inputShapes[0])) return undefined;
  const rest = shape.slice(1);
  return `${rest.join('·')} = ${count(rest.reduce((p, d) => p * d, 1))}`;
}

/** Layers whose weights change only because what they read changed shape. */
function inputClauses(a: Report, b: Report, pairs: readonly Pair[], settings: boolean): string[] {
  const ps = pairs.filter((p) => p.a && p.b && dParams(p) !== 0 && causes(p).every((c) => c === 'input' || c === 'weights') && causes(p).includes('input'));
  if (ps.length === 0) return [];
  const dp = sum(ps.map(dParams));
  const each = ps.map((p) => {
    const fa = viaFlatten(a, p.a!);
    const fb = viaFlatten(b, p.b!);
    return fa && fb ? `${p.b!.name} via the flatten: ${fa} → ${fb} inputs` : `${p.b!.name}: input [${p.a!.inputShapes[0]!.join(', ')}] → [${p.b!.inputShapes[0]!.join(', ')}]`;
  });
  return settings
    ? [`parameters are unchanged except layers whose weights depend on the input's size (${names(each, 3)}): ${signed(dp)}`]
    : [`${names(ps.map((p) => p.b!.name))} ${ps.length === 1 ? 'reads a differently shaped input from the layers before it' : 'read differently shaped inputs from the layers before them'} (${names(each, 3)}): ${signed(dp)} parameters`];
}

/** Running statistics that one convention counts and the other does not. */
function conventionClauses(pairs: readonly Pair[], keras: DiffSide): string[] {
  const stats = pairs.filter((p) => p.a && p.b && dParams(p) !== 0 && causes(p).length === 0);
  if (stats.length === 0) return [];
  const buffers = (l: LayerReport) => l.weights.filter((w) => w.buffer && w.tiedTo === undefined);
  const perLayer = new Set(stats.map((p) => buffers(p.a!).length));
  const vectors = stats.every((p) => buffers(p.a!).every((w) => w.shape.length === 1));
  const k = perLayer.size === 1 && vectors ? `${[...perLayer][0]}·C ` : '';
  const types = [...new Set(stats.map((p) => p.a!.type.replace(/\d+d$/, '')))].join(', ');
  const n = stats.length;
  return [
    `${keras.label === 'keras' ? 'Keras' : `${keras.label} (Keras convention)`} counts the ${k}${types} running statistics of ${n} layer${n === 1 ? '' : 's'} ` +
      `as non-trainable parameters, where PyTorch keeps them as buffers: ${count(abs(sum(stats.map(dParams))))}`,
  ];
}

/** What the input, batch or sequence length does to the MACs. */
function sizeClauses(a: Report, b: Report, sides: { a: DiffSide; b: DiffSide }): string[] {
  const [x, y] = [a.model.input, b.model.input];
  const out: string[] = [];
  const macs = a.totals.macs ? toNumber(b.totals.macs) / toNumber(a.totals.macs) : NaN;
  const total = Number.isFinite(macs) && cmp(a.totals.macs, b.totals.macs) !== 0 ? `: ${count(a.totals.macs)} → ${count(b.totals.macs)} (×${Number(macs.toFixed(2))} in all)` : '';
  if (x[0] !== y[0]) {
    const r = y[0]! / x[0]!;
    out.push(`parameters do not depend on the batch; MACs, FLOPs and activations scale with it (${y[0]}/${x[0]} = ${fmtRatio(r)})`);
  }
  const [sa, sb] = [spatial(x), spatial(y)];
  if (a.model.name !== b.model.name) return out;
  if (x.length === y.length && x.length >= 4 && JSON.stringify(sa) !== JSON.stringify(sb)) {
    const area = sb.reduce((p, d) => p * d, 1) / sa.reduce((p, d) => p * d, 1);
    out.push(`MACs of the convolutions ${area >= 1 ? 'grow' : 'shrink'} with the spatial area (${areaText(sa, sb)} = ${fmtRatio(area)})${total}`);
  } else if (x.length === y.length && x.length < 4 && JSON.stringify(x.slice(1)) !== JSON.stringify(y.slice(1))) {
    const r = y.slice(1).reduce((p, d) => p * d, 1) / x.slice(1).reduce((p, d) => p * d, 1);
    const squared = [...a.layers, ...b.layers].some((l) => /attention|transformer/.test(l.op));
    const how = squared && macs > r * 1.001 ? 'MACs grow faster than the length, as attention compares every pair of positions' : 'MACs grow with it';
    out.push(`the input is ${fmtRatio(r)} as long (${sides.a.label} → ${sides.b.label}): ${how}${total}`);
  }
  return out;
}

/** Layers after which nothing changes although their inputs did (an adaptive pooling to a fixed size). */
function stopClause(pairs: readonly Pair[], sides: { a: DiffSide; b: DiffSide }): string[] {
  let last = -1;
  pairs.forEach((p, i) => {
    if (p.a && p.b && causes(p).includes('input') && JSON.stringify(p.a.outputShape) === JSON.stringify(p.b.outputShape)) last = i;
  });
  if (last < 0) return [];
  const after = pairs.slice(last + 1);
  if (after.some((p) => !p.a || !p.b || causes(p).length > 0)) return [];
  const p = pairs[last]!;
  const [ia, ib, o] = [spatial(p.a!.inputShapes[0]!), spatial(p.b!.inputShapes[0]!), spatial(p.a!.outputShape)];
  if (!ia.length || !o.length) return [];
  return [`${p.b!.name} (${p.b!.type}) turns the ${ia.join('×')} maps of ${sides.a.label} and the ${ib.join('×')} maps of ${sides.b.label} alike into ${o.join('×')}, so no layer after it changes`];
}

/** The storage types of the two sides, when they differ: what changes memory without changing a count. */
function storageClause(a: Report, b: Report, sides: { a: DiffSide; b: DiffSide }): string | undefined {
  const [x, y] = [a.memory, b.memory];
  if (!x || !y) return undefined;
  const parts: string[] = [];
  if (x.dtype !== y.dtype) parts.push(`weights in ${x.dtype} in ${sides.a.label} and ${y.dtype} in ${sides.b.label} (${bytes(x.weights.bytes)} → ${bytes(y.weights.bytes)})`);
  if (x.activationDtype !== y.activationDtype) parts.push(`activations in ${x.activationDtype} and ${y.activationDtype}`);
  if (x.kv && y.kv && x.kv.dtype !== y.kv.dtype) parts.push(`the KV cache in ${x.kv.dtype} and ${y.kv.dtype}`);
  if (!parts.length) return undefined;
  const sameCounts = cmp(a.totals.params, b.totals.params) === 0 && cmp(a.totals.macs, b.totals.macs) === 0;
  return `the storage types differ: ${parts.join('; ')}${sameCounts ? ', which changes the memory, not the counts' : ''}`;
}

/** Why b differs from a, as clauses, computed from the paired layers. */
export function explainWhy(a: Report, b: Report, pairs: readonly Pair[], sides: { a: DiffSide; b: DiffSide }): string[] {
  const settings = a.model.name === b.model.name;
  const out: string[] = [];
  if (a.model.convention !== b.model.convention) out.push(...conventionClauses(pairs, a.model.convention === 'keras' ? sides.a : sides.b));
  out.push(...attributeClauses(pairs, sides));
  const inputs = inputClauses(a, b, pairs, settings);
  out.push(...inputs);
  const extra = (ls: readonly LayerReport[], x: DiffSide, y: DiffSide, sign: number): string => {
    const p = sum(ls.map((l) => l.params));
    const types = names([...new Set(ls.map((l) => l.type))]);
    return `${x.label} has ${ls.length} ${types} layer${ls.length === 1 ? '' : 's'} that ${y.label} lacks (${names(ls.map((l) => l.name))}): ${p ? `${signed(times(sign, p))} parameters` : 'no parameters'}`;
  };
  const [only, gone] = [pairs.filter((p) => !p.a).map((p) => p.b!), pairs.filter((p) => !p.b).map((p) => p.a!)];
  if (only.length) out.push(extra(only, sides.b, sides.a, 1));
  if (gone.length) out.push(extra(gone, sides.a, sides.b, -1));
  const inputsDiffer = JSON.stringify(a.model.input.slice(1)) !== JSON.stringify(b.model.input.slice(1));
  if (!settings && inputsDiffer) out.push(`the inputs differ: ${inputText(a.model.input)} in ${sides.a.label}, ${inputText(b.model.input)} in ${sides.b.label}`);
  if (a.totals.params === b.totals.params && out.length === 0 && inputsDiffer) {
    out.push(`parameters are identical: no weight depends on the input's size`, ...stopClause(pairs, sides));
  }
  out.push(...sizeClauses(a, b, sides));
  const unknown = [...new Set([...a.layers, ...b.layers].filter((l) => l.params === null || l.macs === null).map((l) => l.name))];
  const paramsUnknown = [...a.layers, ...b.layers].some((l) => l.params === null);
  const sidesText = a.totals.unknown && b.totals.unknown ? 'both sides' : 'one side';
  if (unknown.length && paramsUnknown) out.push(`nncalc cannot count ${names(unknown)}, so the totals on ${sidesText} are lower bounds`);
  // Weights read from a file: parameters are known, what the layers compute is not.
  else if (unknown.length) out.push(`nncalc cannot count the MACs of ${names(unknown)}, so the MACs on ${sidesText} are unknown or lower bounds`);
  const storage = storageClause(a, b, sides);
  if (storage) out.push(storage);
  if (out.length === 0) {
    const differ = pairs.some((p) => !p.a || !p.b || causes(p).length > 0);
    out.push(differ ? 'the layers differ in settings that change no count' : 'the two are the same: same layers, shapes, parameters and MACs');
  }
  return out;
}

