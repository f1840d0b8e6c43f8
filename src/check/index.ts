/**
 * @module
 * `checkClaims(report, claims)`: is each number a user wrote right for the model, and if not, which
 * mistake explains it. The answer a teacher gives to "where is my calculation wrong?".
 */
import { fmt } from '../count.js';
import { toNumber } from '../int.js';
import type { Report } from '../analyze/report.js';
import { stages } from '../render/explain.js';
import { parseClaims, type Claim } from './claims.js';
import { diagnose, type Diagnosis, type Finding } from './diagnose.js';
import { allTargets, labelled, layerTarget, resolveKey, type Quantity, type Resolution, type Target } from './targets.js';
import { geometry, plural, short } from './words.js';

export { parseClaims, type Claim } from './claims.js';
export type { Code, Diagnosis } from './diagnose.js';

export type Verdict = 'exact' | 'rounded' | 'wrong';

/** A claim judged against one layer (or several identical ones), a stage or a total. */
export interface TargetResult {
  readonly kind: Target['kind'];
  /** 'features.12, features.14', 'fc1 (classifier.0)', 'conv3-256 ×3', 'total'. */
  readonly name: string;
  readonly layers: readonly string[];
  readonly quantity: Quantity;
  readonly value: number;
  /** '256 → 256' for a conv or FC layer. */
  readonly channels?: string;
  /** The true value: formula = numbers = value. */
  readonly truth: string;
  readonly verdict: Verdict;
  readonly diagnoses: readonly Diagnosis[];
}

/** One claim and what nncalc found. */
export interface ClaimResult {
  readonly claim: Claim;
  /** How the key was read ('value' when the claim had none). */
  readonly by: Resolution['by'];
  readonly key: string;
  /** Right when it is right for at least one target (a label may name layers that differ). */
  readonly verdict: Verdict;
  readonly targets: readonly TargetResult[];
  /** Arithmetic slips, how the claim was read. */
  readonly notes: readonly string[];
}

export interface CheckResult {
  readonly model: { readonly name: string; readonly convention: Report['model']['convention']; readonly params: number };
  readonly claims: readonly ClaimResult[];
  /** Where the parameters are, in a line or two. */
  readonly context: readonly string[];
  readonly right: number;
  readonly wrong: number;
}

/** The claimed value as the user wrote it: '0.59M', or the value of a formula ('589,824'). */
function shownValue(c: Claim): string {
  if ((c.formula || c.literal?.power === 0) && c.value.lo === c.value.hi) return fmt(c.value.value);
  return c.literal?.text ?? fmt(Math.round(c.value.value));
}

/** '(3*3)*(256*256) = 589,824, not 0.69M.' for sides of a claim that disagree. */
function slips(c: Claim): string[] {
  const best = c.sides.find((s) => s.value === c.value) ?? c.sides[0]!;
  return c.sides
    .filter((s) => s !== best && (s.value.hi < c.value.lo || s.value.lo > c.value.hi))
    .map((s) => `Arithmetic: ${best.text} = ${fmt(Math.round(best.value.value))}, not ${s.text}; checking ${fmt(Math.round(best.value.value))}.`);
}

/** The numbers of a layer's weight formula: '3·3·128·256' → [3, 3, 128, 256]. */
function termNumbers(t: Target): number[] {
  if (t.kind !== 'layer') return [];
  const terms = t.layers[0]!.weights.find((w) => w.name === 'weight')?.formula?.terms ?? '';
  return terms.split(/[^\d,]+/).filter(Boolean).map((x) => Number(x.replace(/,/g, '')));
}

function overlap(a: readonly number[], b: readonly number[]): number {
  const rest = [...b];
  let n = 0;
  for (const x of a) {
    const i = rest.indexOf(x);
    if (i >= 0) {
      n++;
      rest.splice(i, 1);
    }
  }
  return n;
}

/** A claim without a key: the targets whose numbers explain it with the fewest mistakes. */
function infer(report: Report, c: Claim, shown: string): { resolution: Resolution; note: string } {
  const scored = allTargets(report, c.unit).map((t) => ({ t, f: diagnose(t, c, report, shown), o: overlap(c.factors, termNumbers(t)) }));
  const explained = scored.filter((s) => s.f.mistakes < Infinity);
  if (explained.length === 0) {
    const v = c.value.value;
    const near = scored.filter((s) => s.t.value > 0).sort((a, b) => Math.abs(Math.log(v / a.t.value)) - Math.abs(Math.log(v / b.t.value)))[0];
    const targets = near ? [near.t] : [];
    return {
      resolution: { by: 'value', key: near?.t.name ?? 'total', targets },
      note: `No key: nothing in ${report.model.name} has ${shown} or reaches it by a known mistake; the nearest is ${near ? `${near.t.name} (${fmt(near.t.value)})` : 'nothing'}.`,
    };
  }
  const fewest = Math.min(...explained.map((s) => s.f.mistakes));
  const tied = explained.filter((s) => s.f.mistakes === fewest);
  const most = Math.max(...tied.map((s) => s.o));
  const chosen = tied.filter((s) => s.o === most).map((s) => s.t);
  const labels = new Set(chosen.map((t) => (t.kind === 'layer' ? t.layers[0]!.label : `\0${t.name}`)));
  if (labels.size === 1 && chosen[0]!.kind === 'layer') {
    // A number for "a conv3-256 layer" is about every layer with that label: check them all.
    const label = chosen[0]!.layers[0]!.label;
    const group = labelled(report, label);
    const resolution: Resolution = { by: 'value', key: label, targets: group.map((l) => layerTarget(l, chosen[0]!.quantity, group)) };
    const which = group.length > 1 ? `the ${group.length} ${label} layers` : `${group[0]!.name} (${label})`;
    return { resolution, note: `No key: read as ${which}, by ${c.factors.length ? 'value and factors' : 'value'}.` };
  }
  const targets = chosen.slice(0, 6);
  return { resolution: { by: 'value', key: targets.map((t) => t.name).join(', '), targets }, note: `No key: read as ${targets.map((t) => t.name).join(', ')}, by value.` };
}

function channelsOf(t: Target): string | undefined {
  const g = t.kind === 'layer' ? geometry(t.layers[0]!) : undefined;
  return g ? `${fmt(g.cin)} → ${fmt(g.cout)}${g.groups > 1 ? `, ${g.groups} groups` : ''}` : undefined;
}

const rank = (v: Verdict): number => (v === 'wrong' ? 1 : 0);

/** Judges one claim. */
export function checkClaim(report: Report, c: Claim, source?: string): ClaimResult {
  const shown = shownValue(c);
  const notes = slips(c);
  let resolution: Resolution;
  // Without the whole claims text, errors point into the claim itself.
  if (c.key) resolution = source !== undefined ? resolveKey(report, c.key.text, source, c.key.offset, c.unit) : resolveKey(report, c.key.text, c.text, c.key.offset - c.offset, c.unit);
  else {
    const inferred = infer(report, c, shown);
    resolution = inferred.resolution;
    notes.push(inferred.note);
  }
  const judged: { t: Target; f: Finding }[] = resolution.targets.map((t) => ({ t, f: diagnose(t, c, report, shown) }));
  const merged: (TargetResult & { mistakes: number })[] = [];
  for (const { t, f } of judged) {
    const same = merged.find(
      (m) => t.kind === 'layer' && m.kind === 'layer' && m.value === t.value && m.truth === f.truth && m.verdict === f.verdict && m.diagnoses.map((x) => x.message).join() === f.diagnoses.map((x) => x.message).join(),
    );
    if (same) {
      (same.layers as string[]).push(t.layers[0]!.name);
      continue;
    }
    const stageAlias = resolution.by === 'stage' && t.kind === 'layer' ? `${resolution.key} (${t.name})` : t.name;
    const channels = channelsOf(t);
    merged.push({
      kind: t.kind,
      name: stageAlias,
      layers: t.layers.map((l) => l.name),
      quantity: t.quantity,
      value: t.value,
      ...(channels ? { channels } : {}),
      truth: f.truth,
      verdict: f.verdict,
      diagnoses: f.diagnoses,
      mistakes: f.mistakes,
    });
  }
  const targets: TargetResult[] = merged
    .map((m) => (m.kind === 'layer' && m.layers.length > 1 ? { ...m, name: m.layers.join(', ') } : m))
    .sort((a, b) => rank(a.verdict) - rank(b.verdict) || a.mistakes - b.mistakes)
    .map(({ mistakes: _m, ...t }) => t);
  const verdict: Verdict = targets.some((t) => t.verdict === 'exact') ? 'exact' : targets.some((t) => t.verdict === 'rounded') ? 'rounded' : 'wrong';
  if (c.key && resolution.by === 'label' && resolution.targets.length > 1) {
    notes.push(`${resolution.key} is ${resolution.targets.length} layers of ${report.model.name}: ${resolution.targets.map((t) => t.name).join(', ')}.`);
  }
  return { claim: c, by: resolution.by, key: resolution.key, verdict, targets, notes };
}

/** Where a model's parameters are, in a line or two. */
export function context(report: Report): string[] {
  const t = report.totals;
  const P = toNumber(t.params);
  if (P <= 0) return [];
  const lines: string[] = [];
  const withParams = report.layers.filter((l) => (l.params ?? 0) > 0);
  if (t.roles) {
    const parts = Object.entries(t.roles).map(([r, n]) => [r, toNumber(n)] as const).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
    lines.push(`Of the ${short(P)} parameters: ${parts.map(([role, n]) => `${role} ${short(n)}`).join(', ')}.`);
  } else {
    const fcs = withParams.filter((l) => l.op === 'linear');
    const fc = fcs.reduce((s, l) => s + toNumber(l.params!), 0);
    if (fcs.length && 2 * fc >= P) {
      const big = fcs.reduce((a, b) => (b.params! > a.params! ? b : a));
      const label = stages(report).find((s) => s.layers.length === 1 && s.layers[0] === big)?.label ?? big.name;
      const where = fcs.length > 1 ? `the ${plural(fcs.length, 'FC layer')} (${label} alone: ${short(toNumber(big.params!))})` : `its FC layer, ${big.name}`;
      lines.push(`${short(fc)} of the ${short(P)} parameters are in ${where}.`);
    } else if (fcs.length) {
      const rest = report.layers.some((l) => l.op.startsWith('conv')) ? 'the convolutions' : 'the other layers';
      lines.push(`${short(P - fc)} of the ${short(P)} parameters are in ${rest}; the ${plural(fcs.length, 'FC layer').replace(/^one /, '')} ${fcs.length === 1 ? 'holds' : 'hold'} ${short(fc)}.`);
    } else if (withParams.length) {
      const big = withParams.reduce((a, b) => (b.params! > a.params! ? b : a));
      lines.push(`The largest layer, ${big.name} (${big.label}), holds ${short(toNumber(big.params!))} of the ${short(P)} parameters.`);
    }
  }
  if (toNumber(t.tied)) {
    const sharing = report.layers.filter((l) => l.tied > 0);
    const to = [...new Set(sharing.flatMap((l) => l.weights.filter((w) => w.tiedTo).map((w) => w.tiedTo!)))];
    lines.push(`${sharing.map((l) => l.name).join(', ')} reuse${sharing.length === 1 ? 's' : ''} the ${short(toNumber(t.tied))} numbers of ${to.join(', ')}, counted once.`);
  } else if (t.buffers) {
    lines.push(`Not counted: ${fmt(t.buffers)} BatchNorm running statistics, buffers in PyTorch (--convention keras counts them).`);
  }
  return lines;
}

/**
 * Checks claims about a model's numbers.
 * @example checkClaims(summarize('vgg16'), 'conv3-256: 0.59M = (3*3)*(256*256)').claims[0].verdict // 'wrong'
 */
export function checkClaims(report: Report, claims: string | readonly Claim[]): CheckResult {
  const source = typeof claims === 'string' ? claims : undefined;
  const list = typeof claims === 'string' ? parseClaims(claims) : claims;
  const results = list.map((c) => checkClaim(report, c, source));
  const right = results.filter((r) => r.verdict !== 'wrong').length;
  return {
    model: { name: report.model.name, convention: report.model.convention, params: toNumber(report.totals.params) },
    claims: results,
    context: context(report),
    right,
    wrong: results.length - right,
  };
}
