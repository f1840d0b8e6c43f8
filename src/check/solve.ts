/**
 * @module
 * The vocabulary of diagnosis shared by the per-layer and the group detectors: a mistake (Diagnosis), a value
 * some mistakes reach (Variant), the solvers that look for one, and the sentences both kinds of detector say.
 * Values are exact Ints; a mistake's sentence is written only when the mistake is the one reported.
 */
import { fmt } from '../count.js';
import { div, minus, plus, times, type Int } from '../int.js';
import type { Report } from '../analyze/report.js';
import type { Claim } from './claims.js';
import { contains, type Interval } from './expr.js';
import type { Target } from './targets.js';

/** The kinds of mistake nncalc recognises (documented in docs/check.md). */
export type Code =
  | 'bias'
  | 'c_in'
  | 'fc-left-out'
  | 'fc-input'
  | 'param-free'
  | 'macs'
  | 'params'
  | 'flops'
  | 'bn-buffers'
  | 'grouped'
  | 'tied'
  | 'mebi'
  | 'embeddings'
  | 'one-layer'
  | 'formula'
  | 'off';

export interface Diagnosis {
  readonly code: Code;
  readonly message: string;
}

/** A claim judged against one target. */
export interface Finding {
  readonly verdict: 'exact' | 'rounded' | 'wrong' | 'unknown';
  readonly diagnoses: readonly Diagnosis[];
  /** 0 when right; how many mistakes explain the claim; Infinity when none does. */
  readonly mistakes: number;
  /** The true value as formula = numbers = value. */
  readonly truth: string;
}

/** What the detectors see. */
export interface Ctx {
  readonly report: Report;
  readonly claim: Claim;
  /** The claimed value as the user wrote it: '0.59M', or '589,824' for a formula. */
  readonly shown: string;
  readonly target: Target;
  /** The target's true value (known: targets with unknown values are not diagnosed). */
  readonly value: Int;
}

/** A value some mistakes lead to; the sentences are written on demand. */
export interface Variant {
  readonly value: Int;
  readonly count: number;
  readonly mistakes: () => Diagnosis[];
}

/** Finds the variant that reaches a claimed range, if this mistake can. */
export type Solver = (range: Interval) => Variant | undefined;

/** A solver for one fixed value. */
export const fixed =
  (value: Int, count: number, mistakes: () => Diagnosis[]): Solver =>
  (r) =>
    contains(r, value) ? { value, count, mistakes } : undefined;

export const d = (code: Code, message: string): Diagnosis => ({ code, message });

/** The n among `candidates` (n ≠ avoid, n ≥ 1) with base + n·step inside the range, nearest the middle first. */
export function solveAmong(r: Interval, base: Int, step: Int, avoid: Int, candidates: Iterable<Int>): Int | undefined {
  let best: Int | undefined;
  for (const n of candidates) {
    if (n === avoid || n < 1) continue;
    if (contains(r, plus(base, times(n, step)))) {
      if (best === undefined || n < best) best = n;
    }
  }
  return best;
}

/** The integer n ≥ 1 with base + n·step = v exactly, if any. */
export function solveExact(v: Int, base: Int, step: Int): Int | undefined {
  if (step <= 0) return undefined;
  const rest = minus(v, base);
  const n = div(rest, step, 'floor');
  return n >= 1 && times(n, step) === rest ? n : undefined;
}

/** PyTorch keeps BatchNorm running statistics as buffers; Keras counts them as non-trainable parameters. */
export function bnText(report: Report, buffers: Int, lead: string): string {
  return report.model.convention === 'keras'
    ? `${lead} leaves out the ${fmt(buffers)} BatchNorm running means and variances, which Keras's model.summary() counts as non-trainable parameters (--convention keras, used here). PyTorch keeps them as buffers, not parameters: check with --convention pytorch.`
    : `${lead} counts the ${fmt(buffers)} BatchNorm running means and variances. PyTorch keeps them as buffers, not parameters (--convention pytorch, the default); Keras's model.summary() counts them as non-trainable parameters: check with --convention keras.`;
}
