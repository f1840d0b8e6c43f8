/**
 * @module
 * Small pieces of wording shared by the diagnoses: short numbers, number words, percentages, and the
 * facts about a layer a teacher would point at (its channels, where they come from, the spatial chain).
 */
import { fmt } from '../count.js';
import { toNumber, type Int } from '../int.js';
import type { LayerReport, Report, WeightReport } from '../analyze/report.js';

/** 138357544 → '138.4M', 38720 → '38.7K', 512 → '512', 6738415616 → '6.7B'. M = 10^6. A display size, never an exact count. */
export function short(value: Int): string {
  const n = toNumber(value);
  if (Math.abs(n) < 1000) return fmt(value);
  // B for 10^9, as parameter counts are written (Llama-2-7B).
  const units = ['', 'K', 'M', 'B', 'T', 'P', 'E', 'Z'];
  let i = 0;
  let v = Math.abs(n);
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const text = i === 0 ? fmt(Math.round(v)) : `${v.toFixed(1)}${units[i]}`;
  return n < 0 ? `-${text}` : text;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** 3 → 'three'; past twelve the digits. */
export const numberWord = (n: number): string => NUMBER_WORDS[n] ?? fmt(n);

/** 'layer' / 'layers'. */
export const plural = (n: number, word: string): string => `${numberWord(n)} ${word}${n === 1 ? '' : 's'}`;

/** 0.2577 → '0.26%', 12.3 → '12%'; past 100,000% the factor ('1.2e+300 times'). */
export function percent(fraction: number): string {
  const p = Math.abs(fraction) * 100;
  if (!Number.isFinite(p) || p >= 1e5) return Number.isFinite(p) ? `${Number((p / 100).toPrecision(2))} times the true value` : 'more than 10^300 times the true value';
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${p.toFixed(1)}%`;
  return p < 0.001 ? '< 0.001%' : `${Number(p.toPrecision(2))}%`;
}

/** Biases are a layer's additive vectors; a norm's shift β is not what "forgot the bias" means. */
export const isBias = (l: LayerReport, w: WeightReport): boolean => !/norm/.test(l.op) && /(^|\.)bias($|_)/.test(w.name);

/** The weights a report counts as parameters under its convention. */
export const counted = (report: Report, l: LayerReport): WeightReport[] =>
  l.weights.filter((w) => w.tiedTo === undefined && (report.model.convention === 'keras' || !w.buffer));

/** The sizes of a conv or FC layer, when its weight tensor is the usual one. */
export interface Geometry {
  readonly kind: 'conv' | 'fc';
  readonly kernel: readonly number[];
  readonly cin: number;
  readonly cout: number;
  readonly groups: number;
  readonly weight: Int;
  readonly bias: Int;
  /** k_h·k_w (1 for FC). */
  readonly area: number;
}

const geometries = new WeakMap<LayerReport, Geometry | null>();

/** A conv or FC layer's sizes, when its weight tensor is the usual one (computed once per layer). */
export function geometry(l: LayerReport): Geometry | undefined {
  let g = geometries.get(l);
  if (g === undefined) geometries.set(l, (g = readGeometry(l) ?? null));
  return g ?? undefined;
}

function readGeometry(l: LayerReport): Geometry | undefined {
  const w = l.weights.find((x) => x.name === 'weight' && x.tiedTo === undefined);
  if (!w) return undefined;
  const bias = l.weights.find((x) => x.name === 'bias' && x.tiedTo === undefined)?.count ?? 0;
  const input = l.inputShapes[0];
  const out = Number(l.attrs.out);
  if (!input || !Number.isInteger(out)) return undefined;
  let g: Geometry;
  if (l.op === 'linear') g = { kind: 'fc', kernel: [], cin: input[input.length - 1]!, cout: out, groups: 1, weight: w.count, bias, area: 1 };
  else if (/^conv[123]d$/.test(l.op)) {
    const k = l.attrs.kernel;
    const kernel = Array.isArray(k) ? (k as number[]) : [Number(k)];
    const area = kernel.reduce((p, x) => p * x, 1);
    g = { kind: 'conv', kernel, cin: input[1]!, cout: out, groups: Number(l.attrs.groups ?? 1), weight: w.count, bias, area };
  } else return undefined;
  const product = g.area * (g.cin / g.groups) * g.cout;
  return Number.isSafeInteger(product) && product === g.weight ? g : undefined;
}

/** 'conv3', 'conv1×7', 'FC layer'. */
export const kindWord = (g: Geometry): string =>
  g.kind === 'fc' ? 'FC layer' : g.kernel.every((k) => k === g.kernel[0]) ? `conv${g.kernel[0]}` : `conv${g.kernel.join('×')}`;

const names = new WeakMap<Report, ReadonlyMap<string, LayerReport>>();

/**
 * The conv or FC layer whose outputs are `l`'s input channels, following the graph back through layers
 * that keep the channels (ReLU, pooling, BatchNorm); 'input' for the network input; undefined at a merge
 * (a concat or a residual add has several producers) or when the count does not match.
 */
export function producer(report: Report, l: LayerReport, channels: number): LayerReport | 'input' | undefined {
  let byName = names.get(report);
  if (!byName) names.set(report, (byName = new Map(report.layers.map((x) => [x.name, x]))));
  let ref = l.inputs[0];
  for (let steps = 0; ref !== undefined && steps < 100; steps++) {
    const x = byName.get(ref.split(':')[0]!);
    if (!x) return l.inputs.length === 1 && report.model.input[1] === channels ? 'input' : undefined;
    if (x.op.startsWith('conv') || x.op === 'linear') {
      return x.outputShape[1] === channels || x.outputShape[x.outputShape.length - 1] === channels ? x : undefined;
    }
    if (x.inputs.length !== 1) return undefined;
    ref = x.inputs[0];
  }
  return undefined;
}

/** The flatten that feeds an FC layer, the pooling before it and the spatial chain: 224 → 112 → … → 7. */
export interface FlattenInfo {
  readonly flatten: LayerReport;
  readonly pool?: LayerReport;
  readonly chain: readonly number[];
}

const flattens = new WeakMap<Report, Map<LayerReport, FlattenInfo>>();
/** The longest spatial chain told (the last sizes, which lead to the flatten). */
const CHAIN = 16;

/** The FC layers fed directly by a flatten of a spatial tensor, found in one pass over the layers. */
function flattenMap(report: Report): Map<LayerReport, FlattenInfo> {
  const hit = flattens.get(report);
  if (hit) return hit;
  const out = new Map<LayerReport, FlattenInfo>();
  const chain: number[] = report.model.input.length >= 4 ? [report.model.input[2]!] : [];
  let shrinking: LayerReport | undefined;
  let lastPool: LayerReport | undefined;
  let open: FlattenInfo | undefined;
  for (const x of report.layers) {
    if (x.op === 'linear') {
      if (open && open.flatten.outputShape.join() === x.inputShapes[0]?.join()) out.set(x, open);
      open = undefined;
    } else if (x.op === 'flatten') {
      const pool = shrinking ?? lastPool;
      open = (x.inputShapes[0]?.length ?? 0) >= 4 ? { flatten: x, ...(pool ? { pool } : {}), chain: chain.slice(-CHAIN) } : undefined;
    }
    if (x.op.includes('pool')) {
      lastPool = x;
      if (x.outputShape[2] !== x.inputShapes[0]?.[2]) shrinking = x;
    }
    const h = x.outputShape.length >= 4 ? x.outputShape[2] : undefined;
    if (h !== undefined && chain.length && h !== chain[chain.length - 1]) chain.push(h);
  }
  flattens.set(report, out);
  return out;
}

/** The flatten that feeds an FC layer, with the spatial chain before it; undefined for other layers. */
export const flattenBefore = (report: Report, l: LayerReport): FlattenInfo | undefined => (l.op === 'linear' ? flattenMap(report).get(l) : undefined);

/** Why an FC layer after a flatten has the inputs it has, for a wrong input size n. */
export function fcInputText(l: LayerReport, fc: FlattenInfo, n: Int): string {
  const [, C = 1, H = 1, W = 1] = fc.flatten.inputShapes[0]!;
  const cin = C * H * W;
  const s = Math.sqrt(toNumber(n) / C);
  const as = n === C ? ` (the ${C} maps without their ${H}×${W} size)` : Number.isInteger(s) && n !== cin ? ` (${C}·${s}·${s})` : '';
  const pool = fc.pool ? `the last pooling, ${fc.pool.name}, leaves ${C} feature maps of ${H}×${W}` : `the flatten turns ${C} feature maps of ${H}×${W} into one vector`;
  const chain = fc.chain.length > 1 ? `: the size goes ${fc.chain.join(' → ')}` : '';
  return `${l.name} takes ${C}·${H}·${W} = ${fmt(cin)} inputs, not ${fmt(n)}${as}: ${pool}${chain}.`;
}

/** The input sizes a user may wrongly flatten into an FC layer: C·s·s for every size of the spatial chain, and C. */
export function plausibleFlat(fc: FlattenInfo): Set<number> {
  const C = fc.flatten.inputShapes[0]![1]!;
  return new Set([...fc.chain, 1].map((s) => C * s * s));
}
