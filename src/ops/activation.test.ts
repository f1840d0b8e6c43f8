import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ModelError } from '../errors.js';
import type { Shape, Weight } from '../types.js';
import { readAttrs, type Raw } from './attrs.js';
import * as act from './activation.js';
import { numel, type OpDef, type ShapeNote } from './op.js';

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

const defs: Record<string, OpDef<any>> = {
  relu: act.relu,
  relu6: act.relu6,
  leaky_relu: act.leakyRelu,
  elu: act.elu,
  gelu: act.gelu,
  silu: act.silu,
  sigmoid: act.sigmoid,
  tanh: act.tanh,
  hardswish: act.hardswish,
  hardsigmoid: act.hardsigmoid,
  softplus: act.softplus,
  mish: act.mish,
  softmax: act.softmax,
};

describe('activations and softmax against PyTorch 1.13', () => {
  const cases = oracle.cases.filter((c) => c.op in defs);
  test('the oracle covers every activation and softmax', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    for (const [kind, def] of Object.entries(defs)) expect(def.kind).toBe(kind);
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

describe('activations', () => {
  test.each(Object.keys(defs).filter((k) => k !== 'softmax'))('%s: same shape, no weights, no MACs, 1 FLOP per element', (kind) => {
    const r = evaluate(defs[kind]!, {}, [2, 16, 7, 7]);
    expect(r.output).toEqual([2, 16, 7, 7]);
    expect(r.weights).toEqual([]);
    expect(r.macs).toBeUndefined();
    // 2·16·7·7 = 1,568.
    expect(r.flops).toEqual({ value: 1_568, formula: 'N·C·H·W', terms: '2·16·7·7' });
  });

  test('their PyTorch arguments are accepted', () => {
    expect(() => evaluate(act.leakyRelu, { negative_slope: 0.2, inplace: true }, [1, 4])).not.toThrow();
    expect(() => evaluate(act.elu, { alpha: 0.5 }, [1, 4])).not.toThrow();
    expect(() => evaluate(act.softplus, { beta: 2, threshold: 10 }, [1, 4])).not.toThrow();
  });

  test.each([
    { def: act.leakyRelu, attrs: { negative_slope: 'x' }, message: "leaky_relu: 'negative_slope' must be a number. Received: negative_slope='x'." },
    { def: act.relu, attrs: { inplace: 1 }, message: "relu: 'inplace' must be true or false. Received: inplace=1." },
    { def: act.leakyRelu, attrs: { negative_slop: 0.1 }, message: "leaky_relu: unknown attribute 'negative_slop'. Did you mean 'negative_slope'? Known: negative_slope, inplace." },
    { def: act.relu, attrs: { slope: 0.1 }, message: "relu: unknown attribute 'slope'. Known: inplace." },
  ])('spec: $message', ({ def, attrs, message }) => {
    const e = rejection(def, attrs, [1, 4]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});

describe('softmax', () => {
  test('the last dimension by default; 3 FLOPs per element (exp, sum, divide)', () => {
    const r = evaluate(act.softmax, {}, [1, 1000]);
    expect(r.attrs).toEqual({ dim: -1 });
    expect(r.output).toEqual([1, 1000]);
    // 1,000·3 = 3,000.
    expect(r.flops?.value).toBe(3_000);
  });

  test.each([
    { dim: 2, message: 'softmax dim 2 is out of range for the 2-D input [1, 10]: expected -2…1.' },
    { dim: -3, message: 'softmax dim -3 is out of range for the 2-D input [1, 10]: expected -2…1.' },
  ])('dim $dim is a shape error', ({ dim, message }) => {
    expect(rejection(act.softmax, { dim }, [1, 10])).toMatchObject({ code: 'shape', message });
  });

  test('a fractional dim is a spec error', () => {
    expect(rejection(act.softmax, { dim: 1.5 }, [1, 10])).toMatchObject({ code: 'spec', message: "softmax: 'dim' must be an integer. Received: dim=1.5." });
  });
});
