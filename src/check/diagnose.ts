/**
 * @module
 * Where a number went wrong. Each known mistake is a way of reaching a value from the model (weights
 * without biases, another c_in, a dense instead of a grouped conv, MACs instead of parameters, …); a claim
 * is explained by the fewest mistakes that reach it, and each mistake is said in a sentence with the
 * numbers filled in.
 */
import { fmt, show } from '../count.js';
import { toNumber, type Int } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import type { Claim } from './claims.js';
import { contains, type Interval } from './expr.js';
import { groupSolvers, groupTruth } from './group.js';
import { bnText, d, fixed, solveInteger, type Ctx, type Finding, type Solver, type Variant } from './solve.js';
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

const exactRange = (r: Interval): boolean => r.lo === r.hi;

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

/** The mistakes one conv or FC layer's parameter count invites. */
function layerSolvers(ctx: Ctx, l: LayerReport): Solver[] {
  const { report, shown } = ctx;
  const P = ctx.target.value;
  const g = geometry(l);
  const solvers: Solver[] = [];
  const weightTerms = l.weights.find((w) => w.name === 'weight')?.formula?.terms;
  // A wrong input size is believable when it occurs in the model, or when the claim's own formula multiplies to it.
  const product = ctx.claim.factors.reduce((p, x) => p * x, 1);
  const written = (weights: number) => ctx.claim.factors.length > 0 && product === weights;
  const biasTotal = counted(report, l).filter((w) => isBias(l, w)).reduce((s, w) => s + toNumber(w.count), 0);
  if (biasTotal > 0) {
    const what = g ? `a ${fmt(g.cin)}→${fmt(g.cout)} ${kindWord(g)}${weightTerms ? ` (${weightTerms})` : ''}` : l.name;
    solvers.push(fixed(P - biasTotal, d('bias', `${shown} is right for the weights of ${what}, but misses its ${fmt(biasTotal)} biases.`)));
  }
  if (g && g.bias === 0) {
    solvers.push(fixed(P + g.cout, d('bias', `${shown} adds ${fmt(g.cout)} biases that ${l.name} does not have: it is built with bias=False${followedByNorm(report, l) ? ', since the normalisation after it adds its own shift' : ''}.`)));
  }
  const fc = flattenBefore(report, l);
  if (g && fc) {
    const plausible = plausibleFlat(fc);
    for (const withBias of [true, false]) {
      solvers.push((r) => {
        const n = solveInteger(r, withBias ? g.bias : 0, g.cout, g.cin).find((x) => plausible.has(x) || written(x * g.cout));
        if (n === undefined) return undefined;
        const main = d('fc-input', fcInputText(l, fc, n));
        return { value: n * g.cout + (withBias ? g.bias : 0), mistakes: withBias ? [main] : [main, d('bias', missingBias(g))] };
      });
    }
  } else if (g && g.groups === 1) {
    const known = new Set([...channels(report), ...ctx.claim.factors]);
    for (const withBias of [true, false]) {
      solvers.push((r) => {
        const n = solveInteger(r, withBias ? g.bias : 0, g.area * g.cout, g.cin).find((x) => known.has(x));
        if (n === undefined) return undefined;
        const main = d('c_in', `${who(ctx, l, g)} has ${fmt(g.cin)} input ${g.kind === 'fc' ? 'features' : 'channels'}, not ${fmt(n)}${cinSource(ctx, l, g)}.`);
        return { value: g.area * n * g.cout + (withBias ? g.bias : 0), mistakes: withBias ? [main] : [main, d('bias', missingBias(g))] };
      });
    }
  }
  if (g && g.groups > 1) {
    const dense = g.area * g.cin * g.cout;
    const k = g.kernel.join('·');
    const text = (bias: number) =>
      `${l.name} has ${g.groups} groups: each filter sees ${fmt(g.cin)}/${g.groups} = ${fmt(g.cin / g.groups)} input channel${g.cin === g.groups ? '' : 's'}, so its weights are ${weightTerms ?? fmt(g.weight)}; ${shown} counts it as a dense convolution, ${k}·${fmt(g.cin)}·${fmt(g.cout)}${bias ? ` + ${fmt(bias)}` : ''}.`;
    solvers.push(fixed(dense + g.bias, d('grouped', text(g.bias))));
    if (g.bias) solvers.push(fixed(dense, d('grouped', text(0)), d('bias', missingBias(g))));
  }
  const buffers = l.weights.filter((w) => w.buffer).reduce((s, w) => s + toNumber(w.count), 0);
  if (buffers) solvers.push(fixed(report.model.convention === 'keras' ? P - buffers : P + buffers, d('bn-buffers', bnText(ctx, buffers))));
  if (l.tied) {
    const to = l.weights.find((w) => w.tiedTo !== undefined)!.tiedTo!;
    solvers.push(fixed(P + toNumber(l.tied), d('tied', `${l.name}'s weight is ${to}, the same ${fmt(l.tied)} numbers, counted once where they first appear; ${l.name} adds ${fmt(P)} parameters of its own.`)));
  }
  if (l.weights.length === 0) solvers.push((r) => (contains(r, 0) ? undefined : { value: r.value, mistakes: [d('param-free', `${l.name} (${l.type}) has no parameters: ${freeReason(l)}.`)] }));
  return solvers;
}

function followedByNorm(report: Report, l: LayerReport): boolean {
  return /norm/.test(report.layers[report.layers.indexOf(l) + 1]?.op ?? '');
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
  const { target: t, shown } = ctx;
  const whose = t.kind === 'total' ? `the model's` : `${t.name}'s`;
  const sum = (f: (l: LayerReport) => Int | null) => t.layers.reduce((s, l) => s + toNumber(f(l) ?? 0), 0);
  const macs = sum((l) => l.macs);
  const flops = sum((l) => l.flops);
  const params = sum((l) => l.params);
  const flopWords = 'FLOPs count each multiply-accumulate as 2 operations (a multiply and an add), plus bias adds, activations and pooling';
  if (t.quantity === 'params') {
    const text = `${shown} is ${whose} MACs (multiply-accumulates in one forward pass at batch ${ctx.report.model.input[0]}), not ${t.kind === 'total' ? 'its parameter count' : 'its parameters'}.`;
    return macs > 0 && macs !== params ? [fixed(macs, d('macs', text))] : [];
  }
  if (t.quantity === 'macs') {
    return [fixed(params, d('params', `${shown} is ${whose} parameter count, not its MACs.`)), fixed(flops, d('flops', `${shown} is ${whose} FLOPs, not its MACs: ${flopWords}.`)), fixed(2 * macs, d('flops', `${shown} is 2·MACs, a FLOP count; MACs count a multiply-accumulate once.`))];
  }
  if (t.quantity === 'flops') {
    return [
      fixed(macs, d('macs', `${shown} is ${whose} MAC count; ${flopWords}.`)),
      fixed(2 * macs, d('flops', `${shown} is 2·MACs; nncalc's FLOPs also count bias adds, activations and pooling (${fmt(flops - 2 * macs)} more).`)),
      fixed(params, d('params', `${shown} is ${whose} parameter count, not its FLOPs.`)),
    ];
  }
  if (t.quantity === 'nonTrainable' && t.kind === 'total') {
    const buffers = ctx.report.layers.reduce((s, l) => s + l.weights.filter((w) => w.buffer).reduce((a, w) => a + toNumber(w.count), 0), 0);
    if (buffers) return [fixed(ctx.report.model.convention === 'keras' ? t.value - buffers : t.value + buffers, d('bn-buffers', bnText(ctx, buffers)))];
  }
  return [];
}

const BINARY: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4 };

/** The claim read with K, M, G as powers of 1024, when it has such a suffix. */
function binaryRange(claim: Claim): { range: Interval; p: number; suffix: string } | undefined {
  const lit = claim.literal;
  const p = lit?.suffix !== undefined ? BINARY[lit.suffix.toLowerCase()] : undefined;
  if (!lit || p === undefined || claim.formula) return undefined;
  const s = 1024 ** p;
  return { range: { value: lit.mantissa * s, lo: (lit.mantissa - lit.half) * s, hi: (lit.mantissa + lit.half) * s }, p, suffix: lit.suffix! };
}

function best(solvers: readonly Solver[], r: Interval): Variant | undefined {
  let found: Variant | undefined;
  for (const s of solvers) {
    const v = s(r);
    if (v && (!found || v.mistakes.length < found.mistakes.length)) found = v;
  }
  return found;
}

/** The true value of a target, as formula = numbers = value. */
export function truthLine(t: Target, report: Report): string {
  if (t.kind !== 'layer') return groupTruth(t, report);
  const l = t.layers[0]!;
  const f = t.quantity === 'macs' ? l.formulas.macs : t.quantity === 'flops' ? l.formulas.flops : t.quantity === 'params' ? l.formulas.params : undefined;
  if (f && f.value === t.value) return show(f);
  if (t.quantity === 'params' && l.tied && t.value === 0) return `0 (its weight is ${l.weights.find((w) => w.tiedTo)?.tiedTo}, counted there)`;
  if (t.quantity === 'params' && l.weights.length === 0) return '0: it has no parameters';
  return fmt(t.value);
}

/**
 * Judges a claim against one target: right (exactly or as rounded), or wrong with the fewest known
 * mistakes that explain it, or else by how much it is off.
 */
export function diagnose(target: Target, claim: Claim, report: Report, shown: string): Finding {
  const truth = truthLine(target, report);
  const r = claim.value;
  if (contains(r, target.value)) return { verdict: exactRange(r) ? 'exact' : 'rounded', diagnoses: [], mistakes: 0, truth };
  const ctx: Ctx = { report, claim, shown, target };
  const solvers = [
    ...(target.quantity === 'params' ? (target.kind === 'layer' ? layerSolvers(ctx, target.layers[0]!) : groupSolvers(ctx)) : []),
    ...quantitySolvers(ctx),
  ];
  const found = best(solvers, r);
  if (found) return { verdict: 'wrong', diagnoses: found.mistakes, mistakes: found.mistakes.length, truth };
  const bin = binaryRange(claim);
  if (bin) {
    const unit = `2^${10 * bin.p} = ${fmt(1024 ** bin.p)}`;
    const value = (v: number) => `${fmt(v)}/${fmt(1024 ** bin.p)} = ${Number((v / 1024 ** bin.p).toFixed(3))}`;
    const what = target.quantity === 'macs' || target.quantity === 'flops' ? 'Operation counts' : 'Parameter counts';
    const mebi = (v: number) => d('mebi', `${claim.literal!.text} reads ${bin.suffix} as ${unit} (${value(v)}). ${what} use ${bin.suffix} = 10^${3 * bin.p}: ${fmt(v)} = ${short(v)}.`);
    if (contains(bin.range, target.value)) return { verdict: 'wrong', diagnoses: [mebi(target.value)], mistakes: 1, truth };
    const other = best(solvers, bin.range);
    if (other) return { verdict: 'wrong', diagnoses: [mebi(other.value), ...other.mistakes], mistakes: other.mistakes.length + 1, truth };
  }
  const off = r.value - target.value;
  const message = `${shown} is ${fmt(Math.abs(Math.round(off)))} (${percent(off / (target.value || 1))}) too ${off > 0 ? 'high' : 'low'}.`;
  return { verdict: 'wrong', diagnoses: [d('off', message)], mistakes: Infinity, truth };
}
