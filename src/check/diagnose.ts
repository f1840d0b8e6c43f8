/**
 * @module
 * Where a number went wrong. Each known mistake is a way of reaching a value from the model (weights
 * without biases, another c_in, a dense instead of a grouped conv, MACs instead of parameters, …); a claim
 * is explained by the fewest mistakes that reach it, and each mistake is said in a sentence with the
 * numbers filled in. All arithmetic is exact.
 */
import { fmt, show } from '../count.js';
import { minus, plus, sum, times, toNumber, type Int } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import type { Claim } from './claims.js';
import { contains, isExact, type Interval } from './expr.js';
import { groupSolvers, groupTruth } from './group.js';
import { memo } from './memo.js';
import * as Q from './rational.js';
import { bnText, d, fixed, solveAmong, type Ctx, type Finding, type Solver, type Variant } from './solve.js';
export type { Code, Diagnosis, Finding } from './solve.js';
import type { Target } from './targets.js';
import { counted, fcInputText, flattenBefore, geometry, isBias, kindWord, percent, plausibleFlat, producer, short, type Geometry } from './words.js';

const channelSets = new WeakMap<Report, ReadonlySet<number>>();

/** Channel counts that occur in the model: the plausible wrong c_in values. */
function channels(report: Report): ReadonlySet<number> {
  let s = channelSets.get(report);
  if (!s) {
    const found = new Set<number>([report.model.input[1] ?? 0]);
    for (const l of report.layers) {
      if (l.outputShape.length >= 3) found.add(l.outputShape[1]!);
      found.add(l.outputShape[l.outputShape.length - 1]!);
    }
    channelSets.set(report, (s = found));
  }
  return s;
}

/** 'The first conv3-256, features.10,' or 'features.10 (conv3-256)'. */
function who(ctx: Ctx, l: LayerReport, g: Geometry): string {
  const sib = ctx.target.siblings;
  if (sib && sib[0] === l && sib.some((s) => geometry(s)?.cin !== g.cin)) return `The first ${l.label}, ${l.name},`;
  return l.label && l.label !== l.op && l.label !== l.name ? `${l.name} (${l.label})` : l.name;
}

function cinSource(ctx: Ctx, l: LayerReport, g: Geometry): string {
  const unit = g.kind === 'fc' ? 'features' : 'channels';
  const p = producer(ctx.report, l, g.cin);
  if (p === 'input') return `: the input ${ctx.report.model.input.length >= 4 ? 'image ' : ''}has ${g.cin} ${unit}`;
  if (p) return `: its input is the output of ${p.name} (${p.label}), which has ${fmt(g.cin)} ${unit}`;
  return '';
}

const missingBias = (g: Geometry): string => `Its ${fmt(g.bias)} biases are missing as well.`;

/** The mistakes one conv or FC layer's count invites: of all its parameters, or of its weights or biases only. */
function layerSolvers(ctx: Ctx, l: LayerReport): Solver[] {
  const { report, shown } = ctx;
  const P = ctx.value;
  const part = ctx.target.quantity;
  const g = geometry(l);
  const solvers: Solver[] = [];
  const weightTerms = l.weights.find((w) => w.name === 'weight')?.formula?.terms;
  const withBiases = part === 'params' ? [true, false] : part === 'weights' ? [false] : [];
  // A wrong input size is believable when it occurs in the model, or when the claim's own formula multiplies to it.
  const product = ctx.claim.factors.reduce<Int>((p, x) => times(p, x), 1);
  const biasTotal = sum(counted(report, l).filter((w) => isBias(l, w)).map((w) => w.count));
  if (biasTotal > 0 && part === 'params') {
    solvers.push(
      fixed(minus(P, biasTotal), 1, () => {
        const what = g ? `a ${fmt(g.cin)}→${fmt(g.cout)} ${kindWord(g)}${weightTerms ? ` (${weightTerms})` : ''}` : l.name;
        return [d('bias', `${shown} is right for the weights of ${what}, but misses its ${fmt(biasTotal)} biases.`)];
      }),
    );
  }
  if (g && g.bias === 0 && (part === 'params' || part === 'biases')) {
    solvers.push(
      fixed(plus(P, g.cout), 1, () => [
        d('bias', `${shown} adds ${fmt(g.cout)} biases that ${l.name} does not have: it is built with bias=False${followedByNorm(report, l) ? ', since the normalisation after it adds its own shift' : ''}.`),
      ]),
    );
  }
  const fc = flattenBefore(report, l);
  if (g && fc) {
    const plausible = plausibleFlat(fc);
    for (const withBias of withBiases) {
      solvers.push((r) => {
        const base = withBias ? g.bias : 0;
        const written = ctx.claim.factors.length > 0 && g.cout > 0 ? Number(product) / g.cout : 0;
        const n = solveAmong(r, base, g.cout, g.cin, plausible) ?? (Number.isSafeInteger(written) ? solveAmong(r, base, g.cout, g.cin, [written]) : undefined);
        if (n === undefined) return undefined;
        return { value: plus(times(n, g.cout), base), count: withBias ? 1 : 2, mistakes: () => [d('fc-input', fcInputText(l, fc, n)), ...(withBias ? [] : [d('bias', missingBias(g))])] };
      });
    }
  } else if (g && g.groups === 1) {
    for (const withBias of withBiases) {
      solvers.push((r) => {
        const base = withBias ? g.bias : 0;
        const step = g.area * g.cout;
        const n = solveAmong(r, base, step, g.cin, channels(report)) ?? solveAmong(r, base, step, g.cin, ctx.claim.factors);
        if (n === undefined) return undefined;
        const main = () => d('c_in', `${who(ctx, l, g)} has ${fmt(g.cin)} input ${g.kind === 'fc' ? 'features' : 'channels'}, not ${fmt(n)}${cinSource(ctx, l, g)}.`);
        return { value: plus(times(g.area * g.cout, n), base), count: withBias ? 1 : 2, mistakes: () => [main(), ...(withBias ? [] : [d('bias', missingBias(g))])] };
      });
    }
  }
  if (g && g.groups > 1 && part !== 'biases') {
    const dense = times(g.area * g.cin, g.cout);
    const k = g.kernel.join('·');
    const text = (bias: Int) =>
      `${l.name} has ${g.groups} groups: each filter sees ${fmt(g.cin)}/${g.groups} = ${fmt(g.cin / g.groups)} input channel${g.cin === g.groups ? '' : 's'}, so its weights are ${weightTerms ?? fmt(g.weight)}; ${shown} counts it as a dense convolution, ${k}·${fmt(g.cin)}·${fmt(g.cout)}${bias ? ` + ${fmt(bias)}` : ''}.`;
    const bias = part === 'params' ? g.bias : 0;
    solvers.push(fixed(plus(dense, bias), 1, () => [d('grouped', text(bias))]));
    if (bias) solvers.push(fixed(dense, 2, () => [d('grouped', text(0)), d('bias', missingBias(g))]));
  }
  const buffers = sum(l.weights.filter((w) => w.buffer).map((w) => w.count));
  if (buffers && part === 'params') solvers.push(fixed(report.model.convention === 'keras' ? minus(P, buffers) : plus(P, buffers), 1, () => [d('bn-buffers', bnText(report, buffers, shown))]));
  if (l.tied && part !== 'biases') {
    const to = l.weights.find((w) => w.tiedTo !== undefined)!.tiedTo!;
    solvers.push(fixed(plus(P, l.tied), 1, () => [d('tied', `${l.name}'s weight is ${to}, the same ${fmt(l.tied)} numbers, counted once where they first appear; ${l.name} adds ${fmt(P)} parameters of its own.`)]));
  }
  if (l.weights.length === 0) {
    solvers.push((r) => (contains(r, 0) ? undefined : { value: Q.round(r.value), count: 1, mistakes: () => [d('param-free', `${l.name} (${l.type}) has no parameters: ${freeReason(l)}.`)] }));
  }
  return solvers;
}

const nextLayer = new WeakMap<Report, Map<LayerReport, LayerReport>>();

function followedByNorm(report: Report, l: LayerReport): boolean {
  let next = nextLayer.get(report);
  if (!next) {
    next = new Map();
    for (let i = 0; i + 1 < report.layers.length; i++) next.set(report.layers[i]!, report.layers[i + 1]!);
    nextLayer.set(report, next);
  }
  return /norm/.test(next.get(l)?.op ?? '');
}

function freeReason(l: LayerReport): string {
  if (l.op.includes('pool')) return `it takes the ${l.op.includes('max') ? 'maximum' : 'mean'} of each window, so nothing is learned`;
  if (/relu|gelu|sigmoid|tanh|silu|elu|softmax|hardswish|mish/.test(l.op)) return `${l.type} is a fixed function of its input, so nothing is learned`;
  if (l.op === 'dropout') return 'it zeroes random activations during training, so nothing is learned';
  if (l.op === 'flatten' || l.op === 'reshape') return 'it only reshapes the tensor';
  if (l.op === 'lrn') return 'its constants (size, α, β, k) are fixed, not learned';
  return 'nothing in it is learned';
}

/** MACs, FLOPs and parameters mistaken for one another. */
function quantitySolvers(ctx: Ctx): Solver[] {
  const { target: t, shown, report } = ctx;
  const whose = t.kind === 'total' ? `the model's` : `${t.name}'s`;
  const { macs, flops, params } = memo(t.layers, 'quantities', () => {
    const total = (f: (l: LayerReport) => Int | null): Int => sum(t.layers.map((l) => f(l) ?? 0));
    return { macs: total((l) => l.macs), flops: total((l) => l.flops), params: total((l) => l.params) };
  });
  const flopWords = 'FLOPs count each multiply-accumulate as 2 operations (a multiply and an add), plus bias adds, activations and pooling';
  if (t.quantity === 'params' || t.quantity === 'weights') {
    const text = `${shown} is ${whose} MACs (multiply-accumulates in one forward pass at batch ${report.model.input[0]}), not ${t.kind === 'total' ? 'its parameter count' : 'its parameters'}.`;
    return macs > 0 && macs !== params ? [fixed(macs, 1, () => [d('macs', text)])] : [];
  }
  if (t.quantity === 'macs') {
    return [
      fixed(params, 1, () => [d('params', `${shown} is ${whose} parameter count, not its MACs.`)]),
      fixed(flops, 1, () => [d('flops', `${shown} is ${whose} FLOPs, not its MACs: ${flopWords}.`)]),
      fixed(times(2, macs), 1, () => [d('flops', `${shown} is 2·MACs, a FLOP count; MACs count a multiply-accumulate once.`)]),
    ];
  }
  if (t.quantity === 'flops') {
    return [
      fixed(macs, 1, () => [d('macs', `${shown} is ${whose} MAC count; ${flopWords}.`)]),
      fixed(times(2, macs), 1, () => [d('flops', `${shown} is 2·MACs; nncalc's FLOPs also count bias adds, activations and pooling (${fmt(minus(flops, times(2, macs)))} more).`)]),
      fixed(params, 1, () => [d('params', `${shown} is ${whose} parameter count, not its FLOPs.`)]),
    ];
  }
  if (t.quantity === 'nonTrainable' && t.kind === 'total') {
    const buffers = sum(report.layers.flatMap((l) => l.weights.filter((w) => w.buffer).map((w) => w.count)));
    if (buffers) return [fixed(report.model.convention === 'keras' ? minus(ctx.value, buffers) : plus(ctx.value, buffers), 1, () => [d('bn-buffers', bnText(report, buffers, shown))])];
  }
  return [];
}

const BINARY: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4 };

/** The claim read with K, M, G as powers of 1024, when it has such a suffix. */
function binaryRange(claim: Claim): { range: Interval; p: number; suffix: string } | undefined {
  const lit = claim.literal;
  const p = lit?.suffix !== undefined ? BINARY[lit.suffix.toLowerCase()] : undefined;
  if (!lit || p === undefined || claim.formula) return undefined;
  const s = Q.fromInt(1024n ** BigInt(p));
  return { range: { value: Q.mul(lit.mantissa, s), lo: Q.mul(Q.sub(lit.mantissa, lit.half), s), hi: Q.mul(Q.add(lit.mantissa, lit.half), s) }, p, suffix: lit.suffix! };
}

function best(solvers: readonly Solver[], r: Interval): Variant | undefined {
  let found: Variant | undefined;
  for (const s of solvers) {
    const v = s(r);
    if (v && (!found || v.count < found.count)) found = v;
  }
  return found;
}

/** The true value of a target, as formula = numbers = value. */
export function truthLine(t: Target, report: Report): string {
  if (t.value === null) return `unknown: ${t.layers.filter((l) => l.params === null || l.macs === null).map((l) => l.name).slice(0, 3).join(', ')} cannot be counted`;
  if (t.kind !== 'layer') return groupTruth(t, t.value, report);
  const l = t.layers[0]!;
  const f = t.quantity === 'macs' ? l.formulas.macs : t.quantity === 'flops' ? l.formulas.flops : t.quantity === 'params' ? l.formulas.params : undefined;
  if (f && f.value === t.value) return show(f);
  if (t.quantity === 'weights' || t.quantity === 'biases') {
    const parts = counted(report, l).filter((w) => isBias(l, w) === (t.quantity === 'biases'));
    if (parts.length === 1 && parts[0]!.formula) return show(parts[0]!.formula);
  }
  if (t.quantity === 'params' && l.tied && t.value === 0) return `0 (its weight is ${l.weights.find((w) => w.tiedTo)?.tiedTo}, counted there)`;
  if (t.quantity === 'params' && l.weights.length === 0) return '0: it has no parameters';
  return fmt(t.value);
}

/** 'is 1,234 (0.9%) too high' for a value nothing explains. */
function offBy(shown: string, r: Interval, value: Int): string {
  const off = Q.sub(r.value, Q.fromInt(value));
  const size = Q.sign(off) < 0 ? Q.neg(off) : off;
  const ratio = value === 0 ? Infinity : Q.approx(Q.div(size, Q.fromInt(value)));
  if (ratio >= 1000 && Q.sign(off) > 0) {
    const times = Number.isFinite(ratio) ? `about ${Number((ratio + 1).toPrecision(2)).toExponential(1).replace('e+', '·10^')}` : 'more than 10^300';
    return `${shown} is ${times} times the true value.`;
  }
  return `${shown} is ${Q.decimal(size, fmt, 0)} (${percent(ratio)}) too ${Q.sign(off) > 0 ? 'high' : 'low'}.`;
}

/** Judges one range against one target. */
function judge(target: Target, claim: Claim, r: Interval, report: Report, shown: string, withTruth: boolean): Finding {
  const truth = withTruth ? truthLine(target, report) : '';
  if (target.value === null) return { verdict: 'unknown', diagnoses: [], mistakes: Infinity, truth };
  if (contains(r, target.value)) return { verdict: isExact(r) ? 'exact' : 'rounded', diagnoses: [], mistakes: 0, truth };
  const ctx: Ctx = { report, claim, shown, target, value: target.value };
  const perPart = target.quantity === 'params' || target.quantity === 'weights' || target.quantity === 'biases';
  const solvers = [...(perPart ? (target.kind === 'layer' ? layerSolvers(ctx, target.layers[0]!) : groupSolvers(ctx)) : []), ...quantitySolvers(ctx)];
  const found = best(solvers, r);
  if (found) return { verdict: 'wrong', diagnoses: found.mistakes(), mistakes: found.count, truth };
  const bin = binaryRange(claim);
  if (bin && r === claim.value) {
    const unit = `2^${10 * bin.p} = ${fmt(1024n ** BigInt(bin.p))}`;
    const what = target.quantity === 'macs' || target.quantity === 'flops' ? 'Operation counts' : 'Parameter counts';
    const mebi = (v: Int) => {
      const quotient = Number((toNumber(v) / 1024 ** bin.p).toFixed(3));
      return d('mebi', `${claim.literal!.text} reads ${bin.suffix} as ${unit} (${fmt(v)}/${fmt(1024n ** BigInt(bin.p))} = ${quotient}). ${what} use ${bin.suffix} = 10^${3 * bin.p}: ${fmt(v)} = ${short(v)}.`);
    };
    if (contains(bin.range, target.value)) return { verdict: 'wrong', diagnoses: [mebi(target.value)], mistakes: 1, truth };
    const other = best(solvers, bin.range);
    if (other) return { verdict: 'wrong', diagnoses: [mebi(other.value), ...other.mistakes()], mistakes: other.count + 1, truth };
  }
  return { verdict: 'wrong', diagnoses: withTruth ? [d('off', offBy(shown, r, target.value))] : [], mistakes: Infinity, truth };
}

/**
 * Judges a claim against one target: right (exactly or as rounded), or wrong with the fewest known
 * mistakes that explain it, or else by how much it is off. `range` defaults to the claim's value.
 */
export function diagnose(target: Target, claim: Claim, report: Report, shown: string, range: Interval = claim.value, withTruth = true): Finding {
  return judge(target, claim, range, report, shown, withTruth);
}
