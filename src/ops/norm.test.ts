import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import { batchnorm1d, batchnorm2d, batchnorm3d, lrn } from './norm.js';
import type { OpDef } from './op.js';

const defs: Record<string, OpDef<any>> = { batchnorm1d, batchnorm2d, batchnorm3d, lrn };

describe('normalisations against PyTorch 1.13', () => {
  const cases = opsCases(...Object.keys(defs));
  test('the oracle covers every norm op, affine and track_running_stats both ways, and rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    const flags = new Set(cases.map((c) => `${String(c.attrs.affine)}/${String(c.attrs.track_running_stats)}`));
    for (const f of ['true/true', 'true/false', 'false/true', 'false/false']) expect(flags).toContain(f);
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(5);
  });
  // nncalc's LRN defaults k to AlexNet's 2 where PyTorch's is 1 (see below); k changes no count.
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) =>
    checkCase(defs[c.op]!, c, { counts: true, resolved: true, ignore: c.op === 'lrn' && !('k' in c.attrs) ? ['k'] : [] }),
  );
});

describe('batch norm, derived by hand', () => {
  test.each([
    // γ, β: 2·64 = 128 parameters; running mean and variance: 2·64 = 128 buffers.
    { attrs: {}, params: 128, buffers: 128, names: ['weight', 'bias', 'running_mean', 'running_var'] },
    { attrs: { affine: false }, params: 0, buffers: 128, names: ['running_mean', 'running_var'] },
    { attrs: { track_running_stats: false }, params: 128, buffers: 0, names: ['weight', 'bias'] },
    { attrs: { affine: false, track_running_stats: false }, params: 0, buffers: 0, names: [] },
  ])('batchnorm2d $attrs on 64 channels', ({ attrs, params, buffers, names }) => {
    const r = evaluate(batchnorm2d, attrs, [[1, 64, 112, 112]]);
    expect(r.outputs).toEqual([[1, 64, 112, 112]]);
    expect(r.params).toBe(params);
    expect(r.buffers).toBe(buffers);
    expect(r.weights.map((w) => w.name)).toEqual(names);
    for (const w of r.weights) {
      expect(w).toMatchObject({ shape: [64], dims: ['C'], count: { value: 64, formula: 'C', terms: '64' } });
      // Keras counts the running statistics as non-trainable parameters; they must say so.
      expect(w.trainable !== false && !w.buffer).toBe(w.name === 'weight' || w.name === 'bias');
    }
  });

  test('BatchNorm1d takes (N, C) and (N, C, L); the channel is always dimension 1', () => {
    expect(evaluate(batchnorm1d, {}, [[4, 16]]).params).toBe(32);
    expect(evaluate(batchnorm1d, {}, [[2, 16, 10]]).buffers).toBe(32);
    // 3-D: C = 8 → 2·8 = 16.
    expect(evaluate(batchnorm3d, {}, [[2, 8, 3, 5, 5]]).params).toBe(16);
  });

  test('FLOPs at inference: 2 per element (the folded scale and shift)', () => {
    // 64·112·112 = 802,816 elements → 1,605,632.
    expect(evaluate(batchnorm2d, {}, [[1, 64, 112, 112]]).flops).toEqual({ value: 1_605_632, formula: '2·N·C·H·W', terms: '2·1·64·112·112' });
  });

  test('defaults are PyTorch’s', () => {
    expect(evaluate(batchnorm2d, {}, [[1, 4, 2, 2]]).attrs).toEqual({ eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true });
  });

  test.each([
    { def: batchnorm1d, input: [1, 4, 3, 3], message: 'batchnorm1d expects a 2- or 3-D input (N, C, …), but received [1, 4, 3, 3].' },
    { def: batchnorm2d, input: [1, 4, 3], message: 'batchnorm2d expects a 4-D input (N, C, …), but received [1, 4, 3].' },
    { def: batchnorm3d, input: [1, 4, 3, 3], message: 'batchnorm3d expects a 5-D input (N, C, …), but received [1, 4, 3, 3].' },
  ])('shape: $message', ({ def, input, message }) => {
    const e = rejection(def, {}, [input]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe(message);
  });

  test.each([
    { attrs: { momentum: 2 }, message: "batchnorm2d: 'momentum' must be between 0 and 1. Received: momentum=2." },
    { attrs: { eps: -1 }, message: "'eps' must be between 0 and ∞. Received: eps=-1." },
    { attrs: { affine: 'false' }, message: "'affine' must be true or false. Received: affine='false'." },
    { attrs: { track_running_stat: false }, message: "unknown attribute 'track_running_stat'. Did you mean 'track_running_stats'?" },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(batchnorm2d, attrs, [[1, 4, 2, 2]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});

describe('local response normalisation', () => {
  test("defaults are AlexNet's: n = 5, α = 10⁻⁴, β = 0.75, k = 2 (Krizhevsky et al. 2012, §3.3)", () => {
    // PyTorch's LocalResponseNorm has k = 1 by default and requires size; nncalc's are the paper's.
    expect(evaluate(lrn, {}, [[1, 96, 55, 55]]).attrs).toEqual({ size: 5, alpha: 1e-4, beta: 0.75, k: 2 });
  });

  test('no parameters; FLOPs (2·size + 3) per element', () => {
    const r = evaluate(lrn, {}, [[1, 96, 55, 55]]);
    expect(r.outputs).toEqual([[1, 96, 55, 55]]);
    expect(r.weights).toEqual([]);
    // 96·55·55 = 290,400 elements, 2·5 + 3 = 13 each: 3,775,200.
    expect(r.flops.value).toBe(3_775_200);
  });

  test('errors', () => {
    expect(rejection(lrn, {}, [[1, 10]])).toMatchObject({ code: 'shape', message: 'lrn expects (N, C, …) with at least 3 dimensions, but received [1, 10].' });
    expect(rejection(lrn, { size: 0 }, [[1, 8, 4, 4]])).toMatchObject({ code: 'spec', message: "lrn: 'size' must be an integer ≥ 1. Received: size=0." });
    expect(rejection(lrn, { alpha: 'x' }, [[1, 8, 4, 4]]).message).toContain("'alpha' must be a number. Received: alpha='x'.");
  });
});
