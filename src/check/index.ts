/**
 * @module
 * `checkClaims(report, claims)`: is each number a user wrote right for the model, and if not, which
 * mistake explains it. The answer a teacher gives to "where is my calculation wrong?". Every side of a
 * claim is checked (a right number with a wrong formula is wrong), a claim about several layers is right
 * only when it is right for each, and a line that cannot be read is reported at its place while every
 * other claim is still checked.
 */
import { fmt } from '../count.js';
import type { Int } from '../int.js';
import type { Report } from '../analyze/report.js';
import { noClaims, readClaims, unreadError, type Claim, type Skipped, type Unread } from './claims.js';
import { context } from './context.js';
import { diagnose } from './diagnose.js';
import { ModelError } from '../errors.js';
import { claimError } from './expr.js';
import { lineStarts, locate } from './lines.js';
import { inferTarget } from './infer.js';
import { memo } from './memo.js';
import { nearestKey, resolveKey, type Budget } from './keys.js';
import { judgeSides, shownValue, slips } from './sides.js';
import type { Diagnosis, Finding } from './solve.js';
import type { Quantity, Resolution, Target } from './targets.js';
import { quoted } from './text.js';
import { flattenBefore, geometry } from './words.js';

export { parseClaims, readClaims, type Claim, type Unread, type Skipped } from './claims.js';
export type { Code, Diagnosis } from './diagnose.js';
export { context } from './context.js';

export type Verdict = 'exact' | 'rounded' | 'wrong' | 'unknown';

/** A claim judged against one layer (or several identical ones), a stage or a total. */
export interface TargetResult {
  readonly kind: Target['kind'];
  /** 'features.12, features.14', 'fc1 (classifier.0)', 'conv3-256 ×3', 'total'. */
  readonly name: string;
  readonly layers: readonly string[];
  readonly quantity: Quantity;
  /** The true value; null when nncalc cannot count it. */
  readonly value: Int | null;
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
  /** For a claim about several things: right only when right for each; for an ambiguous key or no key: right when right for one. */
  readonly verdict: Verdict;
  readonly targets: readonly TargetResult[];
  /** 'right for features.0; wrong for features.2' when the targets differ. */
  readonly headline?: string;
  /** Arithmetic slips, how the claim was read. */
  readonly notes: readonly string[];
}

export interface CheckResult {
  readonly model: { readonly name: string; readonly convention: Report['model']['convention']; readonly params: Int };
  readonly claims: readonly ClaimResult[];
  /** Lines that could not be read (every other claim was still checked). */
  readonly unread: readonly Unread[];
  /** Lines read but not checked (memory figures). */
  readonly skipped: readonly Skipped[];
  /** Where the parameters are, in a line or two. */
  readonly context: readonly string[];
  readonly right: number;
  readonly wrong: number;
  readonly unknown: number;
}

const QUANTITIES: Readonly<Record<string, Quantity>> = { params: 'params', weights: 'weights', biases: 'biases', macs: 'macs', flops: 'flops' };

/** The quantity a claim speaks of: its key's or column's word, else the unit after its number. */
const quantityOf = (c: Claim): Quantity => QUANTITIES[c.quantity ?? c.unit ?? 'params'] ?? 'params';

function channelsOf(t: Target): string | undefined {
  const g = t.kind === 'layer' ? geometry(t.layers[0]!) : undefined;
  return g ? `${fmt(g.cin)} → ${fmt(g.cout)}${g.groups > 1 ? `, ${g.groups} groups` : ''}` : undefined;
}

const rank = (v: Verdict): number => (v === 'wrong' ? 2 : v === 'unknown' ? 1 : 0);

/** The verdict of several targets: all must hold ('all'), or one ('any'). */
function overall(verdicts: readonly Verdict[], mode: Resolution['mode']): Verdict {
  const has = (v: Verdict) => verdicts.includes(v);
  if (mode === 'any') return has('exact') ? 'exact' : has('rounded') ? 'rounded' : has('unknown') ? 'unknown' : 'wrong';
  return has('wrong') ? 'wrong' : has('unknown') ? 'unknown' : has('rounded') ? 'rounded' : 'exact';
}

/** 'right for features.0; wrong for features.2' when the targets' verdicts differ. */
function headline(targets: readonly TargetResult[]): string | undefined {
  const right = targets.filter((t) => t.verdict === 'exact' || t.verdict === 'rounded');
  const wrong = targets.filter((t) => t.verdict === 'wrong');
  if (!right.length || !wrong.length) return undefined;
  const names = (ts: readonly TargetResult[]) => ts.map((t) => t.name).join(', ');
  return `right for ${names(right)}; wrong for ${names(wrong)}`;
}

/** Judges one claim. Throws a ModelError at the key when it names nothing. */
export function checkClaim(report: Report, c: Claim, source: string = c.text, budget: Budget = { cells: 2_000_000 }): ClaimResult {
  const shown = shownValue(c);
  const notes = slips(c);
  const quantity = quantityOf(c);
  let resolution: Resolution;
  if (c.key) {
    const found = resolveKey(report, c.key.text, quantity, c.hint);
    if (!found) {
      const guess = nearestKey(report, c.key.text, budget);
      const offset = source === c.text ? c.key.offset - c.offset : c.key.offset;
      throw claimError(`'${quoted(c.key.text)}' is not a layer, module, stage or total of ${report.model.name}.${guess ? ` Did you mean '${guess}'?` : ''}`, source, offset, c.key.text.length, [keyExamples(report)]);
    }
    resolution = found;
    if (found.note) notes.push(found.note);
  } else {
    const inferred = inferTarget(report, c, shown, quantity);
    resolution = inferred.resolution;
    notes.push(inferred.note);
  }
  // Layers with the same numbers are judged alike: each class is judged once, and in a large class
  // (a label on 50,000 layers) the first layer speaks for the rest.
  const classes = new Map<string, Target[]>();
  resolution.targets.forEach((t, i) => {
    const key = t.kind === 'layer' ? signature(report, t) : `#${i}`;
    const list = classes.get(key);
    if (list) list.push(t);
    else classes.set(key, [t]);
  });
  const merged: (TargetResult & { mistakes: number })[] = [];
  const add = (t: Target, f: Finding, members: readonly Target[]) => {
    const alias = (resolution.by === 'stage' || resolution.by === 'alias') && t.kind === 'layer' && resolution.targets.length === 1 ? `${bareKey(c)} (${t.name})` : t.name;
    const channels = channelsOf(t);
    merged.push({
      kind: t.kind,
      name: members.length > 1 ? listNames(members.map((m) => m.name)) : alias,
      layers: members.flatMap((m) => m.layers.map((l) => l.name)),
      quantity: t.quantity,
      value: t.value,
      ...(channels ? { channels } : {}),
      truth: f.truth,
      verdict: f.verdict,
      diagnoses: f.diagnoses,
      mistakes: f.mistakes,
    });
  };
  for (const members of classes.values()) {
    if (members.length > SPEAKS_FOR_ALL) {
      add(members[0]!, judgeSides(members[0]!, c, report, shown), members);
      continue;
    }
    const found: { t: Target; f: Finding; members: Target[] }[] = [];
    for (const t of members) {
      const f = judgeSides(t, c, report, shown);
      const same = found.find((x) => x.f.truth === f.truth && x.f.verdict === f.verdict && x.f.diagnoses.map((d) => d.message).join() === f.diagnoses.map((d) => d.message).join());
      if (same) same.members.push(t);
      else found.push({ t, f, members: [t] });
    }
    for (const x of found) add(x.t, x.f, x.members);
  }
  const targets: TargetResult[] = merged.sort((a, b) => rank(a.verdict) - rank(b.verdict) || a.mistakes - b.mistakes).map(({ mistakes: _m, ...t }) => t);
  const verdict = overall(
    targets.map((t) => t.verdict),
    resolution.mode,
  );
  if (c.key && resolution.by === 'label' && resolution.targets.length > 1) {
    notes.push(`${resolution.key} is ${fmt(resolution.targets.length)} layers of ${report.model.name}: ${listNames(resolution.targets.map((t) => t.name))}.`);
  }
  if (c.key && resolution.by === 'stage' && resolution.targets.length > 1) {
    notes.push(`${resolution.targets.length} stages of ${report.model.name} are called ${resolution.key}; the claim is right when it is right for one of them.`);
  }
  const head = resolution.targets.length > 1 ? headline(targets) : undefined;
  return { claim: c, by: resolution.by, key: resolution.key, verdict, targets, ...(head ? { headline: head } : {}), notes };
}

/** The kinds of key this model has, each with an example of its own. */
function keyExamples(report: Report): string {
  return memo(report, 'keyExamples', () => examples(report));
}

function examples(report: Report): string {
  const first = report.layers.find((l) => (l.params ?? 0) > 0) ?? report.layers[0];
  const module = report.layers.find((l) => l.name.includes('.'))?.name.split('.')[0];
  const role = report.layers.find((l) => l.role)?.role;
  const kinds = [
    'total, trainable, macs, flops',
    first ? `a layer (${first.name})` : undefined,
    module ? `a module (${module})` : undefined,
    first && first.label !== first.name ? `a paper label (${first.label})` : undefined,
    'a stage of --explain',
    role ? `a role (${role})` : undefined,
  ];
  return `Keys: ${kinds.filter(Boolean).join('; ')}.`;
}

/** A class larger than this is judged by its first layer. */
const SPEAKS_FOR_ALL = 8;

/** The numbers that decide how a layer is judged; layers that share them are judged alike. */
function signature(report: Report, t: Target): string {
  const l = t.layers[0]!;
  const g = geometry(l);
  const bias = l.weights.filter((w) => w.name === 'bias').length;
  return [t.value, l.op, l.label, g ? `${g.cin}/${g.cout}/${g.groups}/${g.area}` : '', bias, l.tied, l.buffers, l.weights.length, flattenBefore(report, l) ? 'flat' : ''].join('|');
}

/** 'a, b, c' for a few names; 'a, b, …, z (50,000 layers)' for many. */
function listNames(names: readonly string[]): string {
  if (names.length <= 8) return names.join(', ');
  return `${names.slice(0, 3).join(', ')}, …, ${names[names.length - 1]} (${fmt(names.length)} layers)`;
}

/** The key as written, without a quantity word ('fc1'). */
const bareKey = (c: Claim): string => c.key?.text ?? '';

/**
 * Checks claims about a model's numbers. A line that cannot be read, or a key that names nothing, is
 * reported in `unread` at its line and column; every other claim is still checked. Throws a ModelError only
 * when nothing at all could be read.
 * @example checkClaims(summarize('vgg16'), 'conv3-256: 0.59M = (3*3)*(256*256)').claims[0].verdict // 'wrong'
 */
export function checkClaims(report: Report, claims: string): CheckResult {
  const read = readClaims(claims);
  const unread: Unread[] = [...read.unread];
  const results: ClaimResult[] = [];
  const budget: Budget = { cells: 2_000_000 };
  const starts = lineStarts(claims);
  for (const c of read.claims) {
    try {
      results.push(checkClaim(report, c, claims, budget));
    } catch (e) {
      if (!(e instanceof ModelError) || e.loc?.kind !== 'text') throw e;
      unread.push({ offset: e.loc.offset, length: e.loc.length, ...locate(starts, e.loc.offset), message: e.message, details: e.details });
    }
  }
  unread.sort((a, b) => a.offset - b.offset);
  if (results.length === 0) throw unread.length ? unreadError(unread[0]!, claims) : noClaims(claims);
  const right = results.filter((r) => r.verdict === 'exact' || r.verdict === 'rounded').length;
  const wrong = results.filter((r) => r.verdict === 'wrong').length;
  return {
    model: { name: report.model.name, convention: report.model.convention, params: report.totals.params },
    claims: results,
    unread,
    skipped: read.skipped,
    context: context(report),
    right,
    wrong,
    unknown: results.length - right - wrong,
  };
}

export { diagnose };
