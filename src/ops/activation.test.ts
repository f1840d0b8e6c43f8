import { describe, expect, test } from 'vitest';
import { byKind, caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import * as act from './activation.js';

const defs = byKind(
  act.relu,
  act.relu6,
  act.leakyRelu,
  act.elu,
  act.gelu,
  act.silu,
  act.sigmoid,
  act.tanh,
  act.hardswish,
  act.hardsigmoid,
  act.softplus,
  act.mish,
  act.exp,
  act.softmax,
  act.logSoftmax,
);

describe('activations and softmax against PyTorch 1.13', () => {
  const cases = opsCases(...Object.keys(defs));
  test('the oracle covers every activation and softmax', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c));
});

describe('activations', () => {
  test.each(Object.keys(defs).filter((k) => k !== 'softmax' && k !== 'log_softmax'))('%s: same shape, no weights, no MACs, 1 FLOP per element', (kind) => {
    const r = evaluate(defs[kind]!, {}, [[2, 16, 7, 7]]);
    expect(r.outputs).toEqual([[2, 16, 7, 7]]);
    expect(r.weights).toEqual([]);
    expect(defs[kind]!.macs).toBeUndefined();
    // 2·16·7·7 = 1,568.
    expect(r.flops).toEqual({ value: 1_568, formula: 'N·C·H·W', terms: '2·16·7·7' });
  });

  test('their PyTorch arguments are accepted', () => {
    expect(() => evaluate(act.leakyRelu, { negative_slope: 0.2, inplace: true }, [[1, 4]])).not.toThrow();
    expect(() => evaluate(act.elu, { alpha: 0.5 }, [[1, 4]])).not.toThrow();
    expect(() => evaluate(act.softplus, { beta: 2, threshold: 10 }, [[1, 4]])).not.toThrow();
  });

  test.each([
    { def: act.leakyRelu, attrs: { negative_slope: 'x' }, message: "leaky_relu: 'negative_slope' must be a number. Received: negative_slope='x'." },
    { def: act.relu, attrs: { inplace: 1 }, message: "relu: 'inplace' must be true or false. Received: inplace=1." },
    { def: act.leakyRelu, attrs: { negative_slop: 0.1 }, message: "leaky_relu: unknown attribute 'negative_slop'. Did you mean 'negative_slope'? Known: negative_slope, inplace (see docs/ops.md#leaky_relu)." },
    { def: act.relu, attrs: { slope: 0.1 }, message: "relu: unknown attribute 'slope'. Known: inplace (see docs/ops.md#relu)." },
  ])('spec: $message', ({ def, attrs, message }) => {
    const e = rejection(def, attrs, [[1, 4]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});

describe('softmax', () => {
  test('the last dimension by default; 3 FLOPs per element (exp, sum, divide)', () => {
    const r = evaluate(act.softmax, {}, [[1, 1000]]);
    expect(r.attrs).toEqual({ dim: -1 });
    expect(r.outputs).toEqual([[1, 1000]]);
    // 1,000·3 = 3,000.
    expect(r.flops.value).toBe(3_000);
  });

  test.each([
    { dim: 2, message: 'softmax dim 2 is out of range for the 2-D input [1, 10]: expected -2…1.' },
    { dim: -3, message: 'softmax dim -3 is out of range for the 2-D input [1, 10]: expected -2…1.' },
  ])('dim $dim is a shape error', ({ dim, message }) => {
    expect(rejection(act.softmax, { dim }, [[1, 10]])).toMatchObject({ code: 'shape', message });
  });

  test('a fractional dim is a spec error', () => {
    expect(rejection(act.softmax, { dim: 1.5 }, [[1, 10]])).toMatchObject({ code: 'spec', message: "softmax: 'dim' must be an integer. Received: dim=1.5." });
  });
});

describe('log_softmax', () => {
  test('3 FLOPs per element (exp, sum, subtract) and one log per slice along dim', () => {
    // [50, 4, 29] along the last dim: 50·4·29 = 5,800 elements, 50·4 = 200 slices; 3·5,800 + 200 = 17,600.
    const r = evaluate(act.logSoftmax, {}, [[50, 4, 29]]);
    expect(r.attrs).toEqual({ dim: -1 });
    expect(r.flops).toMatchObject({ value: 17_600, formula: 'N·C·L·3 + slices', terms: '50·4·29·3 + 200' });
    // Along dim 1 of [2, 10]: 2 slices; 3·20 + 2 = 62.
    expect(evaluate(act.logSoftmax, { dim: 1 }, [[2, 10]]).flops.value).toBe(62);
  });
  test('dim out of range is a shape error', () => {
    expect(rejection(act.logSoftmax, { dim: 2 }, [[1, 10]])).toMatchObject({ code: 'shape', message: 'log_softmax dim 2 is out of range for the 2-D input [1, 10]: expected -2…1.' });
  });
});
