import { describe, expect, test } from 'vitest';
import { analyze } from '../analyze/index.js';
import { ModelError } from '../errors.js';
import { build } from '../describe/build.js';
import { op, type OpSpec } from '../describe/spec.js';
import type { Shape } from '../types.js';

const one = (layer: OpSpec, input: Shape) => analyze(build({ name: 't', input, layers: [layer] })).layers[0]!;

describe('subsample2d', () => {
  test("LeNet-5's S2: a coefficient and a bias per map, no MACs", () => {
    const l = one(op('subsample2d', { kernel: 2 }), [1, 6, 28, 28]);
    // Stride defaults to the kernel: ⌊(28 − 2)/2⌋ + 1 = 14.
    expect(l.outputShape).toEqual([1, 6, 14, 14]);
    // 6 coefficients + 6 biases = 12 trainable parameters, the paper's figure.
    expect(l.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['weight', [6], true],
      ['bias', [6], true],
    ]);
    expect([l.params, l.trainable]).toEqual([12, 12]);
    expect(l.formulas.params?.terms).toBe('2·6');
    // The coefficient multiply is not a dot product, so no MACs. FLOPs: per output, 2·2 − 1 adds, one multiply and
    // one bias add = 5; 6·14·14·5 = 5,880, which is also the paper's count of S2's connections.
    expect(l.macs).toBe(0);
    expect(l.flops).toBe(5880);
    expect(l.formulas.flops?.terms).toBe('1·6·14·14·(2·2 + 1)');
  });

  test("LeNet-5's S4: 16 maps, 32 parameters", () => {
    const l = one(op('subsample2d', { kernel: 2 }), [1, 16, 10, 10]);
    // 16 + 16 = 32; 16·5·5·(2·2 + 1) = 2,000 FLOPs (the paper's 2,000 connections).
    expect([l.outputShape, l.params, l.flops]).toEqual([[1, 16, 5, 5], 32, 2000]);
  });

  test('without bias: one coefficient per map and k·k FLOPs per output', () => {
    const l = one(op('subsample2d', { kernel: 2, bias: false }), [1, 6, 28, 28]);
    // 6 coefficients; 6·14·14·2·2 = 4,704 FLOPs.
    expect([l.params, l.flops]).toEqual([6, 4704]);
  });

  test('overlapping windows with an explicit stride and padding', () => {
    // ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4.
    const l = one(op('subsample2d', { kernel: 3, stride: 2, padding: 1 }), [1, 2, 7, 7]);
    expect(l.outputShape).toEqual([1, 2, 4, 4]);
    expect(l.label).toBe('subsample3/2');
    // 2·4·4·(3·3 + 1) = 320.
    expect(l.flops).toBe(320);
  });

  test('errors: a missing kernel, a flat input, a window larger than the input', () => {
    expect(() => one(op('subsample2d', {}), [1, 6, 28, 28])).toThrow(/'kernel' is required/);
    expect(() => one(op('subsample2d', { kernel: 2 }), [1, 84])).toThrow(ModelError);
    expect(() => one(op('subsample2d', { kernel: 2 }), [1, 84])).toThrow(/4-D input/);
    expect(() => one(op('subsample2d', { kernel: 3 }), [1, 6, 2, 2])).toThrow(/does not fit/);
  });
});
