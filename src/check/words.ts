/**
 * @module
 * Small pieces of wording shared by the diagnoses: short numbers, number words, percentages, and the
 * facts about a layer a teacher would point at (its channels, where they come from, the spatial chain).
 */
import { fmt } from '../count.js';
import { toNumber } from '../int.js';
import type { LayerReport, Report, WeightReport } from '../analyze/report.js';

/** 138357544 → '138.4M', 38720 → '38.7K', 512 → '512', 6738415616 → '6.7B'. M = 10^6. */
export function short(n: number): string {
  // B for 10^9, as parameter counts are written (Llama-2-7B).
  const units = ['', 'K', 'M', 'B', 'T'];
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

/** 0.2577 → '0.26%', 12.3 → '12%'. */
export function percent(fraction: number): string {
  const p = Math.abs(fraction) * 100;
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
  readonly weight: number;
  readonly bias: number;
  /** k_h·k_w (1 for FC). */
  readonly area: number;
}

export function geometry(l: LayerReport): Geometry | undefined {
  const w = l.weights.find((x) => x.name === 'weight' && x.tiedTo === undefined);
  if (!w) return undefined;
  const bias = toNumber(l.weights.find((x) => x.name === 'bias')?.count ?? 0);
  const input = l.inputShapes[0];
  const out = Number(l.attrs.out);
  if (!input || !Number.isInteger(out)) return undefined;
  let g: Geometry;
  if (l.op === 'linear') g = { kind: 'fc', kernel: [], cin: input[input.length - 1]!, cout: out, groups: 1, weight: toNumber(w.count), bias, area: 1 };
  else if (/^conv[123]d$/.test(l.op)) {
    const k = l.attrs.kernel;
    const kernel = Array.isArray(k) ? (k as number[]) : [Number(k)];
    const area = kernel.reduce((p, x) => p * x, 1);
    g = { kind: 'conv', kernel, cin: input[1]!, cout: out, groups: Number(l.attrs.groups ?? 1), weight: toNumber(w.count), bias, area };
  } else return undefined;
  return g.area * (g.cin / g.groups) * g.cout === g.weight ? g : undefined;
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

/** The flatten that feeds an FC layer, with the spatial chain before it: 224 → 112 → … → 7. */
export function flattenBefore(report: Report, l: LayerReport): { flatten: LayerReport; pool?: LayerReport; chain: number[] } | undefined {
  if (l.op !== 'linear') return undefined;
  const i = report.layers.indexOf(l);
  const before = report.layers.slice(0, i);
  const fi = before.map((x) => x.op).lastIndexOf('flatten');
  if (fi < 0 || before.slice(fi + 1).some((x) => x.op === 'linear')) return undefined;
  const flatten = before[fi]!;
  if ((flatten.inputShapes[0]?.length ?? 0) < 4 || flatten.outputShape.join() !== l.inputShapes[0]?.join()) return undefined;
  const chain = report.model.input.length >= 4 ? [report.model.input[2]!] : [];
  for (const x of before.slice(0, fi)) {
    const h = x.outputShape.length >= 4 ? x.outputShape[2] : undefined;
    if (h !== undefined && chain.length && h !== chain[chain.length - 1]) chain.push(h);
  }
  // The pooling that last shrank the maps tells the story (VGG's adaptive 7×7 pooling after it changes nothing).
  const pools = before.slice(0, fi).reverse().filter((x) => x.op.includes('pool'));
  const pool = pools.find((x) => x.outputShape[2] !== x.inputShapes[0]?.[2]) ?? pools[0];
  return { flatten, ...(pool ? { pool } : {}), chain };
}

/** Why an FC layer after a flatten has the inputs it has, for a wrong input size n. */
export function fcInputText(l: LayerReport, fc: NonNullable<ReturnType<typeof flattenBefore>>, n: number): string {
  const [, C = 1, H = 1, W = 1] = fc.flatten.inputShapes[0]!;
  const cin = C * H * W;
  const s = Math.sqrt(n / C);
  const as = n === C ? ` (the ${C} maps without their ${H}×${W} size)` : Number.isInteger(s) && n !== cin ? ` (${C}·${s}·${s})` : '';
  const pool = fc.pool ? `the last pooling, ${fc.pool.name}, leaves ${C} feature maps of ${H}×${W}` : `the flatten turns ${C} feature maps of ${H}×${W} into one vector`;
  const chain = fc.chain.length > 1 ? `: the size goes ${fc.chain.join(' → ')}` : '';
  return `${l.name} takes ${C}·${H}·${W} = ${fmt(cin)} inputs, not ${fmt(n)}${as}: ${pool}${chain}.`;
}

/** The input sizes a user may wrongly flatten into an FC layer: C·s·s for every size of the spatial chain, and C. */
export function plausibleFlat(fc: NonNullable<ReturnType<typeof flattenBefore>>): Set<number> {
  const C = fc.flatten.inputShapes[0]![1]!;
  return new Set([...fc.chain, 1].map((s) => C * s * s));
}
