/**
 * @module
 * Mistakes in a sum of layers (a stage such as 'conv3-256 ×3', or the whole model). Each mistake changes
 * every layer the same way (biases left out, FC layers left out, every conv taken as c_out → c_out,
 * BatchNorm statistics counted the other way, a shared matrix counted twice), so combinations are
 * enumerated and the smallest one that reaches the claim explains it.
 */
import { fmt, show } from '../count.js';
import { toNumber } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import { stages } from '../render/explain.js';
import { bnText, fixed, solveInteger, type Ctx, type Diagnosis, type Solver } from './solve.js';
import { layerValue, type Target } from './targets.js';
import { counted, fcInputText, flattenBefore, geometry, isBias, numberWord, plausibleFlat, plural, producer } from './words.js';

type Flag = 'noBias' | 'noFC' | 'cinSame' | 'bn' | 'tied';
const FLAGS: readonly Flag[] = ['noBias', 'noFC', 'cinSame', 'bn', 'tied'];

/** One layer's share of each mistake. */
interface Part {
  readonly l: LayerReport;
  readonly params: number;
  readonly bias: number;
  readonly buffers: number;
  readonly fc: boolean;
  /** Extra weights if its c_in were its c_out. */
  readonly cinSame: number;
}

function parts(report: Report, layers: readonly LayerReport[]): Part[] {
  return layers.map((l) => {
    const g = geometry(l);
    const firstConv = g && producer(report, l, g.cin) === 'input';
    return {
      l,
      params: toNumber(l.params ?? 0),
      bias: counted(report, l).filter((w) => isBias(l, w)).reduce((s, w) => s + toNumber(w.count), 0),
      buffers: l.weights.filter((w) => w.buffer).reduce((s, w) => s + toNumber(w.count), 0),
      fc: l.op === 'linear',
      cinSame: g && g.kind === 'conv' && g.groups === 1 && !firstConv ? g.area * g.cout * (g.cout - g.cin) : 0,
    };
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
  const ps = parts(report, t.layers);
  const sum = (f: (p: Part) => number) => ps.reduce((s, p) => s + f(p), 0);
  const keras = report.model.convention === 'keras';
  const amount: Record<Flag, number> = {
    noBias: -sum((p) => (p.fc ? 0 : p.bias)),
    noFC: -sum((p) => (p.fc ? p.params : 0)),
    cinSame: sum((p) => p.cinSame),
    bn: keras ? -sum((p) => p.buffers) : sum((p) => p.buffers),
    tied: t.kind === 'total' ? toNumber(report.totals.tied) : 0,
  };
  const fcBias = -sum((p) => (p.fc ? p.bias : 0));
  const hasConv = ps.some((p) => !p.fc && p.params > 0);
  const applicable = FLAGS.filter((f) => (f === 'noBias' ? amount.noBias + fcBias !== 0 : f === 'noFC' ? amount.noFC !== 0 && hasConv : amount[f] !== 0));
  const solvers: Solver[] = subsets(applicable).map((flags) => {
    // Biases of FC layers are only "forgotten" when the FC layers are counted at all.
    const value = t.value + flags.reduce((s, f) => s + amount[f], 0) + (flags.includes('noBias') && !flags.includes('noFC') ? fcBias : 0);
    return fixed(value, ...flags.map((f, i) => say(ctx, ps, f, flags, i === 0 ? shown : 'It also')));
  });
  const fcLayer = t.kind === 'total' ? t.layers.find((l) => flattenBefore(report, l)) : undefined;
  const g = fcLayer && geometry(fcLayer);
  if (fcLayer && g) {
    const fc = flattenBefore(report, fcLayer)!;
    const plausible = plausibleFlat(fc);
    solvers.push((r) => {
      const n = solveInteger(r, t.value - g.cin * g.cout, g.cout, g.cin).find((x) => r.lo === r.hi || plausible.has(x));
      return n === undefined ? undefined : { value: t.value + (n - g.cin) * g.cout, mistakes: [{ code: 'fc-input', message: fcInputText(fcLayer, fc, n) }] };
    });
  }
  return solvers;
}

/** One mistake of a sum, in words; `lead` is the claim for the first mistake, 'It also' after. */
function say(ctx: Ctx, ps: readonly Part[], flag: Flag, flags: readonly Flag[], lead: string): Diagnosis {
  const { report, target: t } = ctx;
  const fcs = ps.filter((p) => p.fc && p.params > 0);
  switch (flag) {
    case 'noBias': {
      const withBias = ps.filter((p) => p.bias > 0 && !(p.fc && flags.includes('noFC')));
      const kinds = [...new Set(withBias.map((p) => (p.fc ? 'FC' : 'conv')))].join(' and ');
      const per = kinds === 'FC' ? 'output' : 'output channel';
      return { code: 'bias', message: `${lead} leaves out the biases: ${fmt(withBias.reduce((s, p) => s + p.bias, 0))} of them, one per ${per} of each ${kinds} layer.` };
    }
    case 'noFC':
      return { code: 'fc-left-out', message: `${lead} leaves out the ${plural(fcs.length, 'FC layer')}, which hold ${fmt(fcs.reduce((s, p) => s + p.params, 0))} of the ${fmt(t.value)} parameters.` };
    case 'cinSame': {
      const firsts = ps.filter((p) => p.cinSame !== 0);
      const e = firsts[0]!;
      const g = geometry(e.l)!;
      const formula = e.l.formulas.params ? show(e.l.formulas.params) : fmt(e.params);
      const src = producer(report, e.l, g.cin);
      const from = src && src !== 'input' ? `, the outputs of ${src.name} (${src.label})` : '';
      const more = firsts.length > 1 ? `; so do ${numberWord(firsts.length - 1)} more` : '';
      const what = t.kind === 'stage' ? `every ${e.l.label} layer as ${g.cout}→${g.cout}` : 'every conv as c_out→c_out';
      return { code: 'c_in', message: `${lead} counts ${what}, but the first ${e.l.label}, ${e.l.name}, has ${fmt(g.cin)} input channels${from}: ${formula}${more}.` };
    }
    case 'bn':
      return { code: 'bn-buffers', message: bnText(ctx, ps.reduce((s, p) => s + p.buffers, 0), lead) };
    case 'tied': {
      const sharing = report.layers.filter((l) => l.tied > 0);
      const to = [...new Set(sharing.flatMap((l) => l.weights.filter((w) => w.tiedTo).map((w) => w.tiedTo!)))].join(', ');
      return {
        code: 'tied',
        message: `${lead} counts a shared matrix twice: ${sharing.map((l) => l.name).join(', ')} ${sharing.length === 1 ? 'uses' : 'use'} ${to} (${fmt(toNumber(report.totals.tied))} numbers), stored once. Unique parameters: ${fmt(toNumber(report.totals.params))}; as used: ${fmt(toNumber(report.totals.params) + toNumber(report.totals.tied))}.`,
      };
    }
  }
}

/** '295,168 + 2·590,080 = 1,475,328': a sum with runs of equal values folded. */
function folded(values: readonly number[], total: number): string {
  const runs: [number, number][] = [];
  for (const v of values) {
    const last = runs[runs.length - 1];
    if (last && last[0] === v) last[1]++;
    else runs.push([v, 1]);
  }
  const terms = runs.map(([v, n]) => (n > 1 ? `${n}·${fmt(v)}` : fmt(v)));
  return terms.length > 1 || runs[0]?.[1] !== 1 ? `${terms.join(' + ')} = ${fmt(total)}` : fmt(total);
}

/** The true value of a stage or total, as the sum of its parts. */
export function groupTruth(t: Target, report: Report): string {
  if (t.kind === 'stage') return folded(t.layers.map((l) => layerValue(l, t.quantity)).filter((v) => v > 0), t.value);
  if (t.quantity === 'params') {
    const st = stages(report);
    if (st.length <= 12 && st.reduce((s, x) => s + toNumber(x.params), 0) === t.value) return folded(st.map((x) => toNumber(x.params)), t.value);
    return `Σ of ${report.layers.filter((l) => (l.params ?? 0) > 0).length} layers = ${fmt(t.value)} (nncalc ${report.model.name} --explain lists them)`;
  }
  const what = { trainable: 'trainable parameters', nonTrainable: 'non-trainable parameters', macs: 'MACs', flops: 'FLOPs' }[t.quantity];
  return `Σ of the layers' ${what} = ${fmt(t.value)}`;
}
