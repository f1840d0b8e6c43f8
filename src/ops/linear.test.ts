import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import { linear } from './linear.js';
import { numel } from './op.js';

describe('linear against PyTorch 1.13', () => {
  const cases = opsCases('linear');
  test('the oracle has 2-, 3- and 4-D inputs and rejections', () => {
    expect(new Set(cases.map((c) => c.inputs[0]!.length))).toEqual(new Set([2, 3, 4]));
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(2);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(linear, c, { counts: true, resolved: true }));
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
    const r = evaluate(linear, c.attrs, [c.input]);
    expect(r.outputs).toEqual([c.output]);
    expect(r.params).toBe(c.params);
    expect(r.macs).toEqual({ value: c.macs, formula: c.macsFormula, terms: c.macsTerms });
    expect(r.weights[0]).toMatchObject({ name: 'weight', shape: [c.output.at(-1), c.input.at(-1)], dims: ['c_out', 'c_in'] });
    expect(r.weights[0]!.count?.formula).toBe('c_in·c_out');
    for (const w of r.weights) expect(w.count!.value, w.name).toBe(numel(w.shape));
  });

  test('the bias add is one FLOP per output; label FC-n', () => {
    // 197·3,072 = 605,184 outputs.
    expect(evaluate(linear, { out: 3072 }, [[1, 197, 768]]).flops.value).toBe(605_184);
    expect(evaluate(linear, { out: 3072, bias: false }, [[1, 197, 768]]).flops.value).toBe(0);
    expect(linear.label!({ out: 4096, in: undefined, bias: true }, [[1, 25_088]])).toBe('FC-4096');
  });
});

describe('linear errors', () => {
  test('a feature count that does not match the input is a shape error', () => {
    const e = rejection(linear, { out: 5, in: 20 }, [[1, 10]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe('linear expects 20 input features, but its input [1, 10] has 10 in the last dimension.');
    expect(e.details).toEqual([]);
  });

  test('a missing flatten is named, with the product that matches', () => {
    // 512·7·7 = 25,088, which is what the layer expects.
    const e = rejection(linear, { out: 4096, in: 25_088 }, [[1, 512, 7, 7]]);
    expect(e.details).toEqual(['Hint: the input has 512·7·7 = 25088 values per sample; insert a flatten before this layer.']);
  });

  test('an input without a batch dimension', () => {
    expect(rejection(linear, { out: 5 }, [[10]]).message).toBe('linear expects an input of at least 2 dimensions (N, features), but received [10].');
  });

  test.each([
    { attrs: { out: 0 }, message: "linear: 'out' must be an integer ≥ 1. Received: out=0." },
    { attrs: { out: 2.5 }, message: "'out' must be an integer ≥ 1. Received: out=2.5." },
    { attrs: { out: '10' }, message: "'out' must be an integer ≥ 1. Received: out='10'." },
    { attrs: {}, message: "linear: 'out' (or 'out_features', 'units') is required (an integer ≥ 1)." },
    { attrs: { outs: 10 }, message: "'out' (or 'out_features', 'units') is required (an integer ≥ 1). Received an unknown attribute 'outs'; did you mean 'out'?" },
    { attrs: { out: 10, biass: false }, message: "unknown attribute 'biass'. Did you mean 'bias'?" },
    { attrs: { out: 10, in: 0 }, message: "'in' must be an integer ≥ 1. Received: in=0." },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(linear, attrs, [[1, 10]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});
