/**
 * The check every Hugging Face family's test makes of its zoo models: nncalc's total and the zoo entry's `published`
 * both equal the count the caller names, with its source in a comment beside it.
 */
import { expect, test } from 'vitest';
import { summarize } from '../src/summarize.js';
import { getModel } from '../src/zoo/index.js';

/** Registers one test per [zoo name, published count]. */
export function publishedTotals(table: readonly (readonly [string, number])[]): void {
  test.each(table.map(([name, n]) => [name, n] as const))('%s: %i', (name, n) => {
    expect(Number(summarize(name).totals.params)).toBe(n);
    expect(getModel(name).published).toBe(n);
  });
}
