/**
 * Small helpers the tests share.
 */
import { expect } from 'vitest';
import { lineColumn, ModelError } from '../src/errors.js';
import type { Report } from '../src/analyze/report.js';
import { sum, type Int } from '../src/int.js';
import { summarize } from '../src/summarize.js';
import type { Loc } from '../src/types.js';

/**
 * The ModelError `run` throws. Anything else it throws is thrown on; when it returns, the test fails with
 * `accepted` (say what should have been rejected). For a call that returns a promise, use errorOfAsync.
 */
export function errorOf(run: () => unknown, accepted = 'expected a ModelError'): ModelError {
  let result: unknown;
  try {
    result = run();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  if (result instanceof Promise) throw new Error('the call returned a promise: use errorOfAsync');
  throw new Error(accepted);
}

/** The ModelError an async `run` rejects with (or throws), as errorOf. */
export async function errorOfAsync(run: () => unknown, accepted = 'expected a ModelError'): Promise<ModelError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error(accepted);
}

/** Line, column and length of an error's (or a layer's) location, checked to be a text location on `text`. */
export function textAt(where: ModelError | Loc | undefined, text: string): { line: number; column: number; length: number } {
  const loc = where instanceof ModelError ? where.loc : where;
  if (loc?.kind !== 'text') throw new Error(`expected a text location, got ${JSON.stringify(loc)}`);
  expect(loc.source).toBe(text);
  return { ...lineColumn(text, loc.offset), length: loc.length };
}

const reports = new Map<string, Report>();

/** The report of a zoo model with its default settings, analysed once per test file (big zoo models take a while). */
export function zooReport(name: string): Report {
  let r = reports.get(name);
  if (!r) reports.set(name, (r = summarize(name)));
  return r;
}

/** Σ params of the layers whose names start with `prefix` (a module's subtree: 'backbone.', 'roi_heads.'). */
export const paramsUnder = (r: Report, prefix: string): Int =>
  sum(r.layers.filter((l) => l.name.startsWith(prefix)).map((l) => l.params ?? Number.NaN));

/**
 * VGG-16's stage subtotals as the accepted answer to the seed question lists them ("UPDATE: the breakdown among
 * layers give: …"), per stage label, then the total: the page and the CLI's --explain must both show them.
 */
export const SEED_STAGES: readonly (readonly [string, string])[] = [
  ['conv3-64 ×2', '38,720'],
  ['conv3-128 ×2', '221,440'],
  ['conv3-256 ×3', '1,475,328'],
  ['conv3-512 ×3', '5,899,776'],
  ['conv3-512 ×3', '7,079,424'],
  ['fc1', '102,764,544'],
  ['fc2', '16,781,312'],
  ['fc3', '4,097,000'],
];
export const SEED_TOTAL = '138,357,544';
