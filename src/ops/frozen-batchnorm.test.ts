import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { frozenBatchnorm2d } from './frozen-batchnorm.js';
import { findOp } from './index.js';

describe('frozen_batchnorm2d, derived by hand', () => {
  test("torchvision's FrozenBatchNorm2d(64): no parameters, four buffers of 64", () => {
    // torchvision.ops.misc.FrozenBatchNorm2d registers weight, bias, running_mean and running_var with register_buffer:
    // parameters() is empty and the four buffers hold 4·64 = 256 values.
    const r = evaluate(frozenBatchnorm2d, {}, [[1, 64, 200, 200]]);
    expect(findOp('frozen_batchnorm2d')).toBe(frozenBatchnorm2d);
    expect(r.outputs).toEqual([[1, 64, 200, 200]]);
    expect(r.params).toBe(0);
    expect(r.buffers).toBe(256);
    expect(r.weights.map((w) => w.name)).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
    expect(r.weights.every((w) => w.trainable === false)).toBe(true);
    expect(r.attrs).toEqual({ eps: 1e-5 });
    // 2 per element: 2·64·200·200 = 5,120,000.
    expect(r.flops.value).toBe(5_120_000);
  });

  test('only images', () => {
    expect(rejection(frozenBatchnorm2d, {}, [[1, 64]]).message).toContain('4-D input');
  });
});
