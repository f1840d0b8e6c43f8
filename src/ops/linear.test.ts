import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ModelError } from '../errors.js';
import type { Shape, Weight } from '../types.js';
import { readAttrs, type Raw } from './attrs.js';
import { linear } from './linear.js';
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

describe('linear against PyTorch 1.13', () => {
  const cases = oracle.cases.filter((c) => c.op === 'linear');
  test('the oracle has 2-, 3- and 4-D inputs and rejections', () => {
    expect(new Set(cases.map((c) => c.input.length))).toEqual(new Set([2, 3, 4]));
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(2);
  });
  test.each(cases.map((c) => [`linear ${JSON.stringify(c.attrs)} on [${c.input.join(', ')}]${c.error ? ' → rejected' : ''}`, c] as const))('%s', (_, c) => {
    if (c.error !== undefined) {
      expect(['spec', 'shape'], `PyTorch: ${c.error}`).toContain(rejection(linear, c.attrs, c.input).code);
      return;
    }
    const r = evaluate(linear, c.attrs, c.input);
    expect(r.output).toEqual(c.output);
    expect(r.params).toBe(c.params);
    expect(r.buffers).toBe(c.buffers);
    expect(r.macs?.value).toBe(c.macs);
    expect(r.attrs).toMatchObject(c.resolved!);
    for (const w of r.weights) expect(w.count?.value, w.name).toBe(numel(w.shape));
  });
});

describe('linear, derived by hand', () => {
  test.each([
    {
      // VGG's fc6 on the flattened 512·7·7 = 25,088 features. Weight 25,088·4,096 = 102,760,448, + 4,096 = 102,764,544.
      // MACs N·c_in·c_out = 1·25,088·4,096 = 102,760,448.
      name: 'VGG FC-4096',
      attrs: { out: 4096 },
      input: [1, 25_088],
      output: [1, 4096],
      params: 102_764_544,
      macs: 102_760_448,
      macsFormula: 'N·c_in·c_out',
      macsTerms: '1·25,088·4,096',
    },
    {
      // LeNet-5's F6: 120·84 = 10,080, + 84 = 10,164. A batch of 32: 32·120·84 = 322,560 MACs.
      name: 'LeNet F6, batch 32',
      attrs: { out: 84, in: 120 },
      input: [32, 120],
      output: [32, 84],
      params: 10_164,
      macs: 322_560,
      macsFormula: 'N·c_in·c_out',
      macsTerms: '32·120·84',
    },
    {
      // ViT-B/16's MLP fc1 on 197 tokens of 768: weight 768·3,072 = 2,359,296, + 3,072 = 2,362,368.
      // Every token is a row: 197·768·3,072 = 197·2,359,296 = 464,781,312 MACs.
      name: 'ViT-B MLP on 197 tokens',
      attrs: { out: 3072 },
      input: [1, 197, 768],
      output: [1, 197, 3072],
      params: 2_362_368,
      macs: 464_781_312,
      macsFormula: 'rows·c_in·c_out',
      macsTerms: '197·768·3,072',
    },
    {
      // Rows are all leading dimensions: 2·3·4 = 24. Weight 7·5 = 35, no bias. MACs 24·7·5 = 840.
      name: 'no bias, 4-D input',
      attrs: { out: 5, bias: false },
      input: [2, 3, 4, 7],
      output: [2, 3, 4, 5],
      params: 35,
      macs: 840,
      macsFormula: 'rows·c_in·c_out',
      macsTerms: '24·7·5',
    },
  ])('$name', (c) => {
    const r = evaluate(linear, c.attrs, c.input);
    expect(r.output).toEqual(c.output);
    expect(r.params).toBe(c.params);
    expect(r.macs).toEqual({ value: c.macs, formula: c.macsFormula, terms: c.macsTerms });
    expect(r.weights[0]).toMatchObject({ name: 'weight', shape: [c.output.at(-1), c.input.at(-1)], dims: ['c_out', 'c_in'] });
    expect(r.weights[0]!.count?.formula).toBe('c_in·c_out');
    for (const w of r.weights) expect(w.count!.value, w.name).toBe(numel(w.shape));
  });

  test('the bias add is one FLOP per output; label FC-n', () => {
    // 197·3,072 = 605,184 outputs.
    expect(evaluate(linear, { out: 3072 }, [1, 197, 768]).flops?.value).toBe(605_184);
    expect(evaluate(linear, { out: 3072, bias: false }, [1, 197, 768]).flops?.value).toBe(0);
    expect(linear.label!({ out: 4096, in: undefined, bias: true }, [[1, 25_088]])).toBe('FC-4096');
  });
});

describe('linear errors', () => {
  test('a feature count that does not match the input is a shape error', () => {
    const e = rejection(linear, { out: 5, in: 20 }, [1, 10]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe('linear expects 20 input features, but its input [1, 10] has 10 in the last dimension.');
    expect(e.details).toEqual([]);
  });

  test('a missing flatten is named, with the product that matches', () => {
    // 512·7·7 = 25,088, which is what the layer expects.
    const e = rejection(linear, { out: 4096, in: 25_088 }, [1, 512, 7, 7]);
    expect(e.details).toEqual(['Hint: the input has 512·7·7 = 25088 values per sample; insert a flatten before this layer.']);
  });

  test('an input without a batch dimension', () => {
    expect(rejection(linear, { out: 5 }, [10]).message).toBe('linear expects an input of at least 2 dimensions (N, features), but received [10].');
  });

  test.each([
    { attrs: { out: 0 }, message: "linear: 'out' must be an integer ≥ 1. Received: out=0." },
    { attrs: { out: 2.5 }, message: "'out' must be an integer ≥ 1. Received: out=2.5." },
    { attrs: { out: '10' }, message: "'out' must be an integer ≥ 1. Received: out='10'." },
    { attrs: {}, message: "linear: 'out' is required (an integer ≥ 1)." },
    { attrs: { outs: 10 }, message: "'out' is required (an integer ≥ 1). Received an unknown attribute 'outs'; did you mean 'out'?" },
    { attrs: { out: 10, biass: false }, message: "unknown attribute 'biass'. Did you mean 'bias'?" },
    { attrs: { out: 10, in: 0 }, message: "'in' must be an integer ≥ 1. Received: in=0." },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(linear, attrs, [1, 10]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});
