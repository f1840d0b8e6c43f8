import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { batchNormalization, cropping2d, normalization, rescaling, zeroPadding2d } from './keras.js';

describe('Keras layers, derived by hand', () => {
  test('ZeroPadding2D: n, [h, w] and ((top, bottom), (left, right))', () => {
    expect(findOp('ZeroPadding2D')).toBe(zeroPadding2d);
    // ResNet50's conv1_pad, padding=3: 224 + 3 + 3 = 230.
    expect(evaluate(zeroPadding2d, { padding: 3 }, [[1, 3, 224, 224]]).outputs).toEqual([[1, 3, 230, 230]]);
    expect(evaluate(zeroPadding2d, { padding: [1, 2] }, [[1, 3, 10, 10]]).outputs).toEqual([[1, 3, 12, 14]]);
    // MobileNet's conv_pad: ((0, 1), (0, 1)) on 112×112 → 113×113.
    const r = evaluate(zeroPadding2d, { padding: [0, 1, 0, 1] }, [[1, 32, 112, 112]]);
    expect(r.outputs).toEqual([[1, 32, 113, 113]]);
    expect([r.params, r.macs.value, r.flops.value]).toEqual([0, 0, 0]);
    expect(rejection(zeroPadding2d, { padding: [1, 2, 3] }, [[1, 3, 8, 8]]).message).toContain('[top, bottom, left, right]');
    expect(rejection(zeroPadding2d, {}, [[1, 3, 8]]).message).toContain('(N, C, H, W)');
  });

  test('Cropping2D: NASNet pads ((0, 1), (0, 1)) then crops ((1, 0), (1, 0)), shifting the image by one pixel', () => {
    expect(findOp('cropping2d')).toBe(cropping2d);
    expect(evaluate(cropping2d, { cropping: [1, 0, 1, 0] }, [[1, 32, 112, 112]]).outputs).toEqual([[1, 32, 111, 111]]);
    expect(evaluate(cropping2d, { cropping: 2 }, [[1, 3, 10, 12]]).outputs).toEqual([[1, 3, 6, 8]]);
    expect(rejection(cropping2d, { cropping: [5, 5] }, [[1, 3, 10, 10]]).message).toContain('leaving nothing');
  });

  test('Rescaling: one FLOP per element, two with an offset; no parameters', () => {
    // EfficientNet's 1/255 on [1, 3, 224, 224]: 150,528 elements.
    const r = evaluate(rescaling, { scale: 1 / 255 }, [[1, 3, 224, 224]]);
    expect([r.params, r.flops.value]).toEqual([0, 150_528]);
    // MobileNetV3's x/127.5 − 1: 2·150,528.
    expect(evaluate(rescaling, { scale: 1 / 127.5, offset: -1 }, [[1, 3, 224, 224]]).flops.value).toBe(301_056);
    expect(evaluate(rescaling, { scale: [1, 2, 3] }, [[1, 3, 4, 4]]).outputs).toEqual([[1, 3, 4, 4]]);
    expect(rejection(rescaling, { scale: [1, 2] }, [[1, 3, 4, 4]]).message).toContain('one per channel');
  });

  test('Normalization: mean and variance [C] and the count, 2·C + 1 non-trainable; none when given as constants', () => {
    // EfficientNetB0's normalization on RGB: 3 + 3 + 1 = 7.
    const r = evaluate(normalization, {}, [[1, 3, 224, 224]]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([['mean', [3], false], ['variance', [3], false], ['count', [], false]]);
    expect([r.params, r.buffers]).toEqual([0, 7]);
    expect(r.flops.value).toBe(2 * 150_528);
    expect(evaluate(normalization, { adapted: false }, [[1, 3, 224, 224]]).weights).toEqual([]);
  });

  test('BatchNormalization: gamma, beta, then the moving statistics; scale=False drops gamma', () => {
    const r = evaluate(batchNormalization, {}, [[1, 64, 112, 112]]);
    expect(r.weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect([r.params, r.buffers]).toEqual([128, 128]);
    // Inception v3's conv blocks: BatchNormalization(scale=False) on 32 channels: beta 32, statistics 64.
    const noScale = evaluate(batchNormalization, { scale: false }, [[1, 32, 149, 149]]);
    expect(noScale.weights.map((w) => w.name)).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect([noScale.params, noScale.buffers]).toEqual([32, 64]);
    expect(rejection(batchNormalization, { momentum: 2 }, [[1, 3, 4, 4]]).message).toContain('momentum');
  });
});
