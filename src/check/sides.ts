/**
 * @module
 * A claim's sides ('0.59M = (3*3)*(256*256)'): each is checked, because a right number reached by a wrong
 * formula is still a wrong calculation, and sides that disagree with each other are an arithmetic slip.
 */
import { fmt } from '../count.js';
import type { Report } from '../analyze/report.js';
import type { Claim, Side } from './claims.js';
import { diagnose } from './diagnose.js';
import { isExact, type Interval } from './expr.js';
import * as Q from './rational.js';
import { d, type Diagnosis, type Finding } from './solve.js';
import type { Target } from './targets.js';

/** A value as text: exact digits for an integer, else three decimals. */
export const valueText = (r: Q.Rat): string => Q.decimal(r, fmt);

/** A side's value as the user wrote it: '0.59M', or the value of a formula ('589,824'). */
export function sideShown(s: Side): string {
  if (s.expr.kind === 'num' && s.expr.power !== 0) return s.expr.text;
  return valueText(s.value.value);
}

/** The claimed value as the user wrote it: '0.59M', or '589,824' for a formula. */
export function shownValue(c: Claim): string {
  const best = c.sides.find((s) => s.value === c.value) ?? c.sides[0]!;
  return sideShown(best);
}

const overlaps = (a: Interval, b: Interval): boolean => Q.cmp(a.lo, b.hi) <= 0 && Q.cmp(b.lo, a.hi) <= 0;

/** The side checked first: the most precise. */
const bestSide = (c: Claim): Side => c.sides.find((s) => s.value === c.value) ?? c.sides[0]!;

/** True when the sides of a claim cannot all be the same number. */
export const disagree = (c: Claim): boolean => c.sides.some((s) => !overlaps(s.value, c.value));

/** 'Arithmetic: (3*3)*(256*256) = 589,824, not 0.69M.' for sides of a claim that disagree. */
export function slips(c: Claim): string[] {
  const ref = c.sides.find((s) => s.expr.kind === 'formula' && isExact(s.value)) ?? bestSide(c);
  return c.sides.filter((s) => s !== ref && !overlaps(s.value, ref.value)).map((s) => `Arithmetic: ${ref.text} = ${valueText(ref.value.value)}, not ${s.text}.`);
}

/**
 * Judges every side of a claim against one target. The target is right only when every side is. A wrong
 * formula is diagnosed even when the number beside it is right; a lone number that its own formula
 * contradicts is called a slip (the notes say so) rather than diagnosed again.
 */
export function judgeSides(t: Target, c: Claim, report: Report, shown: string): Finding {
  const best = bestSide(c);
  const first = diagnose(t, c, report, shown, best.value);
  if (c.sides.length === 1) return first;
  const findings = c.sides.map((s) => (s === best ? first : diagnose(t, c, report, sideShown(s), s.value)));
  const right = c.sides.filter((_, i) => findings[i]!.verdict === 'exact' || findings[i]!.verdict === 'rounded');
  const wrong = c.sides.filter((_, i) => findings[i]!.verdict === 'wrong');
  if (!wrong.length) {
    const verdict = findings.some((f) => f.verdict === 'unknown') ? 'unknown' : findings.every((f) => f.verdict === 'exact') ? 'exact' : 'rounded';
    return { ...first, verdict, mistakes: 0 };
  }
  const slipped = disagree(c);
  // The working (a formula) is what needs explaining; a lone number only when no formula is wrong.
  const formulas = wrong.filter((s) => s.expr.kind === 'formula');
  const explained = formulas.length ? formulas : wrong;
  const diagnoses: Diagnosis[] = [];
  let mistakes = Infinity;
  for (const s of explained) {
    const f = findings[c.sides.indexOf(s)]!;
    if (slipped && s.expr.kind === 'num' && s !== best) {
      diagnoses.push(d('formula', `The sides differ: ${best.text} = ${valueText(best.value.value)}, not ${s.text}.`));
      mistakes = Math.min(mistakes, 1);
      continue;
    }
    const ok = right[0];
    if (ok) {
      const how = isExact(ok.value) ? 'right' : 'right, as rounded';
      diagnoses.push(d('formula', `${ok.text} is ${how}, but ${s.text} = ${valueText(s.value.value)} is not.`));
    }
    for (const x of f.diagnoses) if (!diagnoses.some((y) => y.message === x.message)) diagnoses.push(x);
    mistakes = Math.min(mistakes, f.mistakes);
  }
  return { verdict: 'wrong', diagnoses, mistakes, truth: first.truth };
}
