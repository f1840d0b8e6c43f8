/**
 * @module
 * The vocabulary of diagnosis shared by the per-layer and the group detectors: a mistake (Diagnosis), a value
 * some mistakes reach (Variant), the solvers that look for one, and the sentences both kinds of detector say.
 */
import { fmt } from '../count.js';
import type { Report } from '../analyze/report.js';
import type { Claim } from './claims.js';
import { contains, type Interval } from './expr.js';
import type { Target } from './targets.js';

/** The kinds of mistake nncalc recognises (documented in docs/check.md). */
export type Code = 'bias' | 'c_in' | 'fc-left-out' | 'fc-input' | 'param-free' | 'macs' | 'params' | 'flops' | 'bn-buffers' | 'grouped' | 'tied' | 'mebi' | 'off';

export interface Diagnosis {
  readonly code: Code;
  readonly message: string;
}

/** A claim judged against one target. */
export interface Finding {
  readonly verdict: 'exact' | 'rounded' | 'wrong';
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
}

/** A value some mistakes lead to. */
export interface Variant {
  readonly value: number;
  readonly mistakes: readonly Diagnosis[];
}

/** Finds the variant that reaches a claimed range, if this mistake can. */
export type Solver = (range: Interval) => Variant | undefined;

/** A solver for one fixed value. */
export const fixed =
  (value: number, ...mistakes: Diagnosis[]): Solver =>
  (r) =>
    contains(r, value) ? { value, mistakes } : undefined;

export const d = (code: Code, message: string): Diagnosis => ({ code, message });

/** Integers n ≠ avoid with base + n·step inside the range, nearest the middle first. */
export function solveInteger(r: Interval, base: number, step: number, avoid: number): number[] {
  if (step <= 0) return [];
  const from = Math.max(1, Math.ceil((r.lo - base) / step - 1e-9));
  const to = Math.floor((r.hi - base) / step + 1e-9);
  if (to - from > 4096) return [];
  const mid = (r.value - base) / step;
  const out: number[] = [];
  for (let n = from; n <= to; n++) if (n !== avoid) out.push(n);
  return out.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
}

/** PyTorch keeps BatchNorm running statistics as buffers; Keras counts them as non-trainable parameters. */
export function bnText(ctx: Ctx, buffers: number, lead = ctx.shown): string {
  return ctx.report.model.convention === 'keras'
    ? `${lead} leaves out the ${fmt(buffers)} BatchNorm running means and variances, which Keras's model.summary() counts as non-trainable parameters (--convention keras, used here). PyTorch keeps them as buffers, not parameters: check with --convention pytorch.`
    : `${lead} counts the ${fmt(buffers)} BatchNorm running means and variances. PyTorch keeps them as buffers, not parameters (--convention pytorch, the default); Keras's model.summary() counts them as non-trainable parameters: check with --convention keras.`;
}

