/**
 * Counts past 2^53 stay exact. The expected totals come from Python's arbitrary-precision integers
 * (scripts/oracle/exact_oracle.py → test/oracle/exact.json), computed from each architecture's own definition.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseShape } from '../src/options.js';
import { render } from '../src/render/index.js';
import { summarize } from '../src/summarize.js';

interface Case {
  readonly notation?: string;
  readonly model?: string;
  readonly input?: string;
  readonly batch?: number;
  readonly seq?: number;
  readonly params: string;
  readonly macs: string;
}
const cases = JSON.parse(readFileSync(new URL('./oracle/exact.json', import.meta.url), 'utf8')) as Record<string, Case>;

describe.each(Object.entries(cases))('%s', (_, c) => {
  const r = summarize(c.notation ?? c.model!, {
    ...(c.input ? { input: parseShape(c.input) } : {}),
    ...(c.batch ? { batch: c.batch } : {}),
    ...(c.seq ? { seq: c.seq } : {}),
  });
  test('parameters and MACs equal exact integer arithmetic', () => {
    expect(BigInt(r.totals.params)).toBe(BigInt(c.params));
    expect(BigInt(r.totals.macs)).toBe(BigInt(c.macs));
  });
  test('FLOPs are the exact sum of the layers', () => {
    expect(BigInt(r.totals.flops)).toBe(r.layers.reduce((s, l) => s + BigInt(l.flops ?? 0), 0n));
  });
  test('JSON writes a count past 2^53 as its exact decimal digits, and one below as a number', () => {
    const json = JSON.parse(render(r, 'json')) as { totals: Record<string, unknown> };
    const expected = (v: string) => (BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER) ? v : Number(v));
    expect(json.totals['macs']).toBe(expected(c.macs));
    expect(json.totals['params']).toBe(expected(c.params));
  });
  test('the table prints the exact digits', () => {
    const grouped = BigInt(c.macs).toLocaleString('en-US');
    expect(render(r, 'table')).toContain(grouped);
  });
});
