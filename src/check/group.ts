/**
 * @module
 * Mistakes in a sum of layers (a stage such as 'conv3-256 ×3', a module, a role, or the whole model). Each
 * mistake changes every layer the same way (biases left out, FC layers left out, every conv taken as
 * c_out → c_out or as reading the image's channels, BatchNorm statistics counted the other way, a shared
 * matrix counted twice, the embeddings left out), so combinations are enumerated and the smallest one that
 * reaches the claim explains it. A sum of identical layers also invites counting only one of them.
 */
import { fmt, show } from '../count.js';
import { minus, plus, sum, times, type Int } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import { stages } from '../render/explain.js';
import { contains, isExact } from './expr.js';
import { memo } from './memo.js';
import * as Q from './rational.js';
import { bnText, d, fixed, solveAmong, solveExact, type Ctx, type Diagnosis, type Solver } from './solve.js';
import { layerValue, type Target } from './targets.js';
import { counted, fcInputText, flattenBefore, geometry, isBias, numberWord, plausibleFlat, plural, producer } from './words.js';

type Flag = 'noBias' | 'noFC' | 'cinSame' | 'cinInput' | 'bn' | 'tied' | 'noEmbed';
const FLAGS: readonly Flag[] = ['noBias', 'noFC', 'cinSame', 'cinInput', 'bn', 'tied', 'noEmbed'];

/** What each mistake changes in a group, and the layers that show it. */
interface Amounts {
  readonly amount: Readonly<Record<Flag, Int>>;
  readonly fcBias: Int;
  readonly hasConv: boolean;
  readonly biased: readonly { l: LayerReport; bias: Int; fc: boolean }[];
  readonly fcs: readonly { l: LayerReport; params: Int }[];
  readonly cinSame: readonly LayerReport[];
  readonly cinInput: readonly LayerReport[];
  readonly embeds: readonly LayerReport[];
  readonly buffers: Int;
}

const isEmbedding = (l: LayerReport): boolean => l.role === 'embeddings' || l.op === 'embedding';

function amounts(report: Report, layers: readonly LayerReport[], total: boolean): Amounts {
  return memo(layers, `amounts/${report.model.convention}/${total}`, () => {
    const a: Record<Flag, Int> = { noBias: 0, noFC: 0, cinSame: 0, cinInput: 0, bn: 0, tied: total ? report.totals.tied : 0, noEmbed: 0 };
    let fcBias: Int = 0;
    let hasConv = false;
    let buffers: Int = 0;
    const biased: Amounts['biased'][number][] = [];
    const fcs: Amounts['fcs'][number][] = [];
    const cinSame: LayerReport[] = [];
    const cinInput: LayerReport[] = [];
    const embeds: LayerReport[] = [];
    const image = report.model.input.length >= 4 ? report.model.input[1]! : undefined;
    for (const l of layers) {
      const params = l.params ?? 0;
      const fc = l.op === 'linear';
      const bias = sum(counted(report, l).filter((w) => isBias(l, w)).map((w) => w.count));
      buffers = plus(buffers, sum(l.weights.filter((w) => w.buffer).map((w) => w.count)));
      if (bias) biased.push({ l, bias, fc });
      if (fc) {
        fcBias = minus(fcBias, bias);
        a.noFC = minus(a.noFC, params);
        if (params) fcs.push({ l, params });
      } else {
        a.noBias = minus(a.noBias, bias);
        if (params) hasConv = true;
      }
      if (isEmbedding(l) && params) {
        a.noEmbed = minus(a.noEmbed, params);
        embeds.push(l);
      }
      const g = geometry(l);
      if (g && g.kind === 'conv' && g.groups === 1) {
        if (g.cin !== g.cout && producer(report, l, g.cin) !== 'input') {
          a.cinSame = plus(a.cinSame, g.area * g.cout * (g.cout - g.cin));
          cinSame.push(l);
        }
        if (image !== undefined && g.cin !== image) {
          a.cinInput = plus(a.cinInput, g.area * g.cout * (image - g.cin));
          cinInput.push(l);
        }
      }
    }
    a.bn = report.model.convention === 'keras' ? minus(0, buffers) : buffers;
    return { amount: a, fcBias, hasConv, biased, fcs, cinSame, cinInput, embeds, buffers };
  });
}

/** Every non-empty subset of the applicable flags, smallest first. */
function subsets(flags: readonly Flag[]): Flag[][] {
  const out: Flag[][] = [];
  for (let m = 1; m < 1 << flags.length; m++) out.push(flags.filter((_, i) => m & (1 << i)));
  return out.sort((a, b) => a.length - b.length);
}

/** The ways a stage's or the model's parameter count goes wrong. */
export function groupSolvers(ctx: Ctx): Solver[] {
  const { report, target: t, shown } = ctx;
  const solvers: Solver[] = [];
  const unit = t.kind === 'stage' ? repeatingUnit(report, t) : undefined;
  if (unit) {
    const { n, layers, value } = unit;
    const what = layers.length === 1 ? `${t.name}'s ${n} identical layers (${layers[0]!.name})` : `${t.name}'s ${n} identical blocks (${layers[0]!.name} … ${layers[layers.length - 1]!.name})`;
    solvers.push(fixed(value, 1, () => [d('one-layer', `${shown} is one of ${what}; the ${n} together hold ${n}·${fmt(value)} = ${fmt(ctx.value)}.`)]));
  }
  if (t.quantity !== 'params') return solvers;
  const A = amounts(report, t.layers, t.kind === 'total');
  const applicable = FLAGS.filter((f) => {
    if (f === 'noBias') return plus(A.amount.noBias, A.fcBias) !== 0;
    if (f === 'noFC') return A.amount.noFC !== 0 && A.hasConv;
    return A.amount[f] !== 0;
  });
  // The value each combination of mistakes gives, smallest combinations first; the same for every claim.
  const variants = memo(t.layers, `variants/${report.model.convention}/${t.kind}`, () => {
    const out: { value: Int; flags: Flag[] }[] = [];
    for (const flags of subsets(applicable)) {
      if (flags.includes('cinSame') && flags.includes('cinInput')) continue;
      // Biases of FC layers are only "forgotten" when the FC layers are counted at all.
      let value = ctx.value;
      for (const f of flags) value = plus(value, A.amount[f]);
      if (flags.includes('noBias') && !flags.includes('noFC')) value = plus(value, A.fcBias);
      out.push({ value, flags });
    }
    return out;
  });
  solvers.push((r) => {
    const hit = variants.find((v) => contains(r, v.value));
    return hit && { value: hit.value, count: hit.flags.length, mistakes: () => hit.flags.map((f, i) => say(ctx, A, f, hit.flags, i === 0 ? shown : 'It also')) };
  });
  const fcLayer = t.kind === 'total' ? memo(t.layers, 'firstFlattenFc', () => t.layers.find((l) => flattenBefore(report, l))) : undefined;
  const g = fcLayer && geometry(fcLayer);
  if (fcLayer && g) {
    const fc = flattenBefore(report, fcLayer)!;
    const base = minus(ctx.value, times(g.cin, g.cout));
    const plausible = plausibleFlat(fc);
    solvers.push((r) => {
      const v = isExact(r) ? Q.toInt(r.value) : undefined;
      const exact = v !== undefined ? solveExact(v, base, g.cout) : undefined;
      const n = exact !== undefined && exact !== g.cin ? exact : solveAmong(r, base, g.cout, g.cin, plausible);
      return n === undefined ? undefined : { value: plus(base, times(n, g.cout)), count: 1, mistakes: () => [d('fc-input', fcInputText(fcLayer, fc, n))] };
    });
  }
  return solvers;
}

/**
 * The unit a group repeats, when its layers with a value are n ≥ 2 copies of one run of values: GPT-2's
 * mlp role is 12 times c_fc + c_proj. Found once per group.
 */
export function repeatingUnit(report: Report, t: Target): { n: number; layers: LayerReport[]; value: Int } | undefined {
  return memo(t.layers, `unit/${t.quantity}`, () => {
    const layers = t.layers.filter((l) => (layerValue(report, l, t.quantity) ?? 0) > 0);
    const values = layers.map((l) => layerValue(report, l, t.quantity)!);
    const len = values.length;
    for (let p = 1; p <= len / 2; p++) {
      if (len % p) continue;
      let periodic = true;
      for (let i = p; i < len && periodic; i++) periodic = values[i] === values[i - p];
      if (periodic) return { n: len / p, layers: layers.slice(0, p), value: sum(values.slice(0, p)) };
    }
    return undefined;
  });
}

/** One mistake of a sum, in words; `lead` is the claim for the first mistake, 'It also' after. */
function say(ctx: Ctx, A: Amounts, flag: Flag, flags: readonly Flag[], lead: string): Diagnosis {
  const { report, target: t } = ctx;
  switch (flag) {
    case 'noBias': {
      const withBias = A.biased.filter((p) => !(p.fc && flags.includes('noFC')));
      const kinds = [...new Set(withBias.map((p) => (p.fc ? 'FC' : 'conv')))].join(' and ');
      const per = kinds === 'FC' ? 'output' : 'output channel';
      return d('bias', `${lead} leaves out the biases: ${fmt(sum(withBias.map((p) => p.bias)))} of them, one per ${per} of each ${kinds} layer.`);
    }
    case 'noFC':
      return d('fc-left-out', `${lead} leaves out the ${plural(A.fcs.length, 'FC layer')}, which hold ${fmt(sum(A.fcs.map((p) => p.params)))} of the ${fmt(ctx.value)} parameters.`);
    case 'cinSame': {
      const e = A.cinSame[0]!;
      const g = geometry(e)!;
      const formula = e.formulas.params ? show(e.formulas.params) : fmt(e.params ?? 0);
      const src = producer(report, e, g.cin);
      const from = src && src !== 'input' ? `, the outputs of ${src.name} (${src.label})` : '';
      const more = A.cinSame.length > 1 ? `; so do ${numberWord(A.cinSame.length - 1)} more` : '';
      const what = t.kind === 'stage' ? `every ${e.label} layer as ${g.cout}→${g.cout}` : 'every conv as c_out→c_out';
      return d('c_in', `${lead} counts ${what}, but the first ${e.label}, ${e.name}, has ${fmt(g.cin)} input channels${from}: ${formula}${more}.`);
    }
    case 'cinInput': {
      const image = report.model.input[1]!;
      const e = A.cinInput[0]!;
      const g = geometry(e)!;
      const formula = e.formulas.params ? show(e.formulas.params) : fmt(e.params ?? 0);
      const more = A.cinInput.length > 1 ? `; the other ${plural(A.cinInput.length - 1, 'conv')} also read the channels of the layer before them, not the image's ${image}` : '';
      return d('c_in', `${lead} takes c_in = ${image}, the image's channels, for every conv, but only the first conv reads the image: ${e.name} (${e.label}) reads ${fmt(g.cin)} channels, ${formula}${more}.`);
    }
    case 'bn':
      return d('bn-buffers', bnText(report, A.buffers, lead));
    case 'tied': {
      const sharing = report.layers.filter((l) => l.tied > 0);
      const to = [...new Set(sharing.flatMap((l) => l.weights.filter((w) => w.tiedTo).map((w) => w.tiedTo!)))].join(', ');
      return d(
        'tied',
        `${lead} counts a shared matrix twice: ${sharing.map((l) => l.name).join(', ')} ${sharing.length === 1 ? 'uses' : 'use'} ${to} (${fmt(report.totals.tied)} numbers), stored once. Unique parameters: ${fmt(report.totals.params)}; as used: ${fmt(plus(report.totals.params, report.totals.tied))}.`,
      );
    }
    case 'noEmbed': {
      const held = sum(A.embeds.map((l) => l.params ?? 0));
      return d(
        'embeddings',
        `${lead} leaves out the embeddings (${A.embeds.map((l) => l.name).join(', ')}: ${fmt(held)} parameters): it is the count without embeddings, as scaling-law papers count a model's size. With them: ${fmt(ctx.value)}.`,
      );
    }
  }
}

/** '295,168 + 2·590,080 = 1,475,328': a sum with runs of equal values folded. */
function folded(values: readonly Int[], total: Int): string {
  const runs: [Int, number][] = [];
  for (const v of values) {
    const last = runs[runs.length - 1];
    if (last && last[0] === v) last[1]++;
    else runs.push([v, 1]);
  }
  if (runs.length > 12) return `Σ of ${values.length} layers = ${fmt(total)}`;
  const terms = runs.map(([v, n]) => (n > 1 ? `${n}·${fmt(v)}` : fmt(v)));
  return terms.length > 1 || runs[0]?.[1] !== 1 ? `${terms.join(' + ')} = ${fmt(total)}` : fmt(total);
}

/** The true value of a stage or total, as the sum of its parts. */
export function groupTruth(t: Target, value: Int, report: Report): string {
  if (t.kind === 'stage') {
    const unit = repeatingUnit(report, t);
    if (unit && unit.layers.length > 1 && unit.layers.length <= 8) {
      return `${unit.n}·(${unit.layers.map((l) => fmt(layerValue(report, l, t.quantity)!)).join(' + ')}) = ${fmt(value)}`;
    }
    const values = t.layers.map((l) => layerValue(report, l, t.quantity) ?? 0).filter((v) => v > 0);
    return folded(values, value);
  }
  if (t.quantity === 'params') {
    const st = memo(report, 'stages', () => stages(report));
    // Stages without parameters of their own (a head tied to the embedding) add nothing to the sum shown.
    if (st.length <= 12 && sum(st.map((x) => x.params)) === value) return folded(st.map((x) => x.params).filter((p) => p !== 0), value);
    return `Σ of ${report.layers.filter((l) => (l.params ?? 0) > 0).length} layers = ${fmt(value)} (nncalc ${report.model.name} --explain lists them)`;
  }
  const what = { trainable: 'trainable parameters', nonTrainable: 'non-trainable parameters', macs: 'MACs', flops: 'FLOPs', weights: 'weights', biases: 'biases', tied: 'shared weights', buffers: 'buffers', params: 'parameters' }[t.quantity];
  return `Σ of the layers' ${what} = ${fmt(value)}`;
}
