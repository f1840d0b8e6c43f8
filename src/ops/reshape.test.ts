import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ModelError } from '../errors.js';
import type { Shape, Weight } from '../types.js';
import { readAttrs, type Raw } from './attrs.js';
import { numel, type OpDef, type ShapeNote } from './op.js';
import { dropout, flatten, identity } from './reshape.js';

/** One single-layer case as PyTorch 1.13 ran it (scripts/oracle/ops_oracle.py). */
interface OracleCase {
  readonly op: string;
  readonly attrs: Raw;
  readonly input: number[];
  readonly output?: number[];
  readonly params?: number;
  readonly buffers?: number;
  readonly macs?: number;
  readonly resolved?: Record<string, unknown>;
  readonly error?: string;
}
const oracle = JSON.parse(readFileSync(new URL('../../test/oracle/ops.json', import.meta.url), 'utf8')) as { cases: OracleCase[] };

/** Reads the attributes, infers the shape and counts weights and MACs, as analyze() does for one layer. */
function evaluate(def: OpDef<any>, raw: Raw, input: Shape) {
  const attrs = readAttrs({ op: def.kind, raw }, (r) => def.attrs(r));
  const notes: ShapeNote[] = [];
  const output = def.shape(attrs, [input], (n) => notes.push(n))[0]!;
  const weights: Weight[] = def.weights?.(attrs, [input]) ?? [];
  const sum = (ws: Weight[]) => ws.reduce((s, w) => s + numel(w.shape), 0);
  const macs = def.macs?.(attrs, [input], [output]);
  const flops = def.flops?.(attrs, [input], [output]);
  return { attrs, output, notes, weights, params: sum(weights.filter((w) => !w.buffer)), buffers: sum(weights.filter((w) => w.buffer)), macs, flops };
}

/** The ModelError that evaluating throws. */
function rejection(def: OpDef<any>, raw: Raw, input: Shape): ModelError {
  try {
    evaluate(def, raw, input);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error(`${def.kind} ${JSON.stringify(raw)} on [${input.join(', ')}] was accepted`);
}

const defs: Record<string, OpDef<any>> = { flatten, dropout, identity };

describe('flatten, dropout and identity against PyTorch 1.13', () => {
  const cases = oracle.cases.filter((c) => c.op in defs);
  test('the oracle covers flatten, dropout and identity, with rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(5);
  });
  test.each(cases.map((c) => [`${c.op} ${JSON.stringify(c.attrs)} on [${c.input.join(', ')}]${c.error ? ' → rejected' : ''}`, c] as const))('%s', (_, c) => {
    const def = defs[c.op]!;
    if (c.error !== undefined) {
      expect(['spec', 'shape'], `PyTorch: ${c.error}`).toContain(rejection(def, c.attrs, c.input).code);
      return;
    }
    const r = evaluate(def, c.attrs, c.input);
    expect(r.output).toEqual(c.output);
    expect(r.params).toBe(c.params);
    expect(r.buffers).toBe(c.buffers);
    expect(r.macs?.value ?? 0).toBe(c.macs);
    expect(r.attrs).toMatchObject(c.resolved ?? {});
  });
});

describe('flatten, derived by hand', () => {
  test.each([
    // VGG: 512·7·7 = 25,088.
    { attrs: {}, input: [1, 512, 7, 7], output: [1, 25_088] },
    { attrs: { start_dim: 0 }, input: [2, 512, 7, 7], output: [50_176] },
    // Only H and W: 7·5 = 35.
    { attrs: { start_dim: 2 }, input: [2, 8, 7, 5], output: [2, 8, 35] },
    // Negative dims count from the end: −3…−2 of a 4-D shape is 1…2, 8·7 = 56.
    { attrs: { start_dim: -3, end_dim: -2 }, input: [2, 8, 7, 5], output: [2, 56, 5] },
    { attrs: { start_dim: 2, end_dim: 2 }, input: [2, 8, 7, 5], output: [2, 8, 7, 5] },
    { attrs: {}, input: [4, 10], output: [4, 10] },
  ])('$attrs on $input → $output', ({ attrs, input, output }) => {
    const r = evaluate(flatten, attrs, input);
    expect(r.output).toEqual(output);
    expect(r.weights).toEqual([]);
    expect(r.flops).toBeUndefined();
  });

  test.each([
    { attrs: { start_dim: 2, end_dim: 1 }, message: 'flatten cannot join dimensions 2…1 of a 3-D input [1, 3, 4].' },
    { attrs: { start_dim: 3 }, message: 'flatten cannot join dimensions 3…-1 of a 3-D input [1, 3, 4].' },
    { attrs: { start_dim: -4 }, message: 'flatten cannot join dimensions -4…-1 of a 3-D input [1, 3, 4].' },
    { attrs: { end_dim: 5 }, message: 'flatten cannot join dimensions 1…5 of a 3-D input [1, 3, 4].' },
  ])('shape: $message', ({ attrs, message }) => {
    expect(rejection(flatten, attrs, [1, 3, 4])).toMatchObject({ code: 'shape', message });
  });

  test.each([
    { attrs: { start_dim: 1.5 }, message: "flatten: 'start_dim' must be an integer. Received: start_dim=1.5." },
    { attrs: { end_dim: '-1' }, message: "flatten: 'end_dim' must be a number. Received: end_dim='-1'." },
    { attrs: { start_dm: 1 }, message: "flatten: unknown attribute 'start_dm'. Did you mean 'start_dim'? Known: start_dim, end_dim." },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(flatten, attrs, [1, 3, 4]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});

describe('dropout and identity', () => {
  test('pass the shape through and count nothing', () => {
    for (const [def, raw] of [[dropout, { p: 0.3 }], [identity, {}]] as const) {
      const r = evaluate(def, raw, [2, 8, 5, 5]);
      expect(r.output).toEqual([2, 8, 5, 5]);
      expect(r.weights).toEqual([]);
      expect(r.macs).toBeUndefined();
      expect(r.flops).toBeUndefined();
    }
    expect(evaluate(dropout, {}, [1, 4]).attrs).toEqual({ p: 0.5 });
  });

  test('dropout p is a probability; identity takes nothing', () => {
    expect(rejection(dropout, { p: 1.5 }, [1, 4])).toMatchObject({ code: 'spec', message: "dropout: 'p' must be between 0 and 1. Received: p=1.5." });
    expect(rejection(identity, { p: 0.5 }, [1, 4])).toMatchObject({ code: 'spec', message: "identity: unknown attribute 'p'. Known: none." });
  });
});
