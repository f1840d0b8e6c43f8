import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { ModelError } from '../errors.js';
import { build } from '../describe/build.js';
import { op, type OpSpec } from '../describe/spec.js';
import type { Shape } from '../types.js';

const one = (layer: OpSpec, input: Shape) => analyze(build({ name: 't', input, layers: [layer] })).layers[0]!;

describe('rbf', () => {
  test("LeNet-5's output layer: 10 units on 84 inputs, 840 fixed centres", () => {
    const l = one(op('rbf', { units: 10 }), [1, 84]);
    expect(l.outputShape).toEqual([1, 10]);
    // One centre of 84 components per unit: 84·10 = 840 parameters, fixed by default, so none trainable.
    expect(l.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([['weight', [10, 84], false]]);
    expect([l.params, l.trainable, l.nonTrainable]).toEqual([840, 0, 840]);
    // A squared distance is not a weighted sum: no MACs. Per unit and input a subtract, a square and an add:
    // 3·84·10 = 2,520 FLOPs, which is what 840 MACs plus 840 subtracts would also give (2·840 + 840).
    expect(l.macs).toBe(0);
    expect(l.flops).toBe(2520);
    expect(l.label).toBe('RBF-10');
  });

  test('trainable: true makes the centres learned parameters', () => {
    const l = one(op('rbf', { units: 10, trainable: true }), [2, 84]);
    // Same 840 parameters, now trainable; the batch of 2 doubles the FLOPs to 2·3·84·10 = 5,040.
    expect([l.params, l.trainable, l.nonTrainable, l.flops]).toEqual([840, 840, 0, 5040]);
  });

  test('errors: missing units, an image-shaped input', () => {
    expect(() => one(op('rbf', {}), [1, 84])).toThrow(/'units' is required/);
    const error = errorOf(() => one(op('rbf', { units: 10 }, { name: 'out' }), [1, 120, 1, 1]));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.layer).toBe('out');
    expect(error.details.join('\n')).toContain('insert a flatten before this layer to make it [1, 120]');
  });
});
