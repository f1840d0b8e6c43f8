import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { ModelError } from '../errors.js';
import { axisNames, padAt, samePadBefore, shapeError, splitSpatial, windowOut, type Axis } from './spatial.js';

const axis = (a: Partial<Axis> & { size: number; kernel: number }): Axis => ({ name: 'H', stride: 1, padding: 0, dilation: 1, ...a });

describe('windowOut', () => {
  test.each([
    // ⌊(224 + 2 − 3)/1⌋ + 1 = 223 + 1 = 224: a padded 3×3 keeps the size.
    { ax: axis({ size: 224, kernel: 3, padding: 1 }), value: 224, formula: '⌊(H_in + 2·p − k)/s⌋ + 1', terms: '⌊(224 + 2·1 − 3)/1⌋ + 1' },
    // No padding: the 2·p term is left out. ⌊(224 − 2)/2⌋ + 1 = 112.
    { ax: axis({ size: 224, kernel: 2, stride: 2 }), value: 112, formula: '⌊(H_in − k)/s⌋ + 1', terms: '⌊(224 − 2)/2⌋ + 1' },
    // ceil_mode rounds up: ⌈(112 − 3)/2⌉ + 1 = ⌈54.5⌉ + 1 = 56 (floor would give 55).
    { ax: axis({ name: 'W', size: 112, kernel: 3, stride: 2, ceil: true }), value: 56, formula: '⌈(W_in − k)/s⌉ + 1', terms: '⌈(112 − 3)/2⌉ + 1' },
    { ax: axis({ name: 'W', size: 112, kernel: 3, stride: 2 }), value: 55, formula: '⌊(W_in − k)/s⌋ + 1', terms: '⌊(112 − 3)/2⌋ + 1' },
    // ceil_mode, last window kept: ⌈(6 + 2 − 3)/2⌉ + 1 = 4; it starts at (4 − 1)·2 = 6 in padded coordinates,
    // which is input position 5, inside the input (6 < 6 + 1).
    { ax: axis({ name: 'L', size: 6, kernel: 3, stride: 2, padding: 1, ceil: true }), value: 4, formula: '⌈(L_in + 2·p − k)/s⌉ + 1', terms: '⌈(6 + 2·1 − 3)/2⌉ + 1' },
    // ceil_mode, last window dropped: ⌈(5 + 2 − 3)/3⌉ + 1 = 3, but it would start at (3 − 1)·3 = 6 ≥ 5 + 1,
    // entirely in the right padding; the rule shows as "− 1".
    { ax: axis({ name: 'L', size: 5, kernel: 3, stride: 3, padding: 1, ceil: true }), value: 2, formula: '⌈(L_in + 2·p − k)/s⌉ + 1 − 1', terms: '⌈(5 + 2·1 − 3)/3⌉ + 1 − 1' },
    // Without padding a window can only start past the input when the stride exceeds the kernel:
    // ⌈(6 − 2)/3⌉ + 1 = 3, third window at 6 ≥ 6.
    { ax: axis({ name: 'L', size: 6, kernel: 2, stride: 3, ceil: true }), value: 2, formula: '⌈(L_in − k)/s⌉ + 1 − 1', terms: '⌈(6 − 2)/3⌉ + 1 − 1' },
    // ceil_mode lets a window start inside the input and overhang it, even when the input is smaller than the
    // window: ⌈(2 − 3)/2⌉ + 1 = 0 + 1 = 1, and ⌈(2 − 3)/3⌉ + 1 = 1.
    { ax: axis({ size: 2, kernel: 3, stride: 2, ceil: true }), value: 1, formula: '⌈(H_in − k)/s⌉ + 1', terms: '⌈(2 − 3)/2⌉ + 1' },
    { ax: axis({ size: 2, kernel: 3, stride: 3, ceil: true }), value: 1, formula: '⌈(H_in − k)/s⌉ + 1', terms: '⌈(2 − 3)/3⌉ + 1' },
    // Dilation d spreads k taps over d·(k − 1) + 1 inputs: 2·2 + 1 = 5, ⌊(15 − 5)/2⌋ + 1 = 6.
    { ax: axis({ size: 15, kernel: 3, stride: 2, dilation: 2 }), value: 6, formula: '⌊(H_in − (d·(k − 1) + 1))/s⌋ + 1', terms: '⌊(15 − (2·(3 − 1) + 1))/2⌋ + 1' },
    // Dilation, padding and ceil_mode together: ⌈(16 + 2 − 5)/2⌉ + 1 = ⌈6.5⌉ + 1 = 8; last start 14 < 17, kept.
    {
      ax: axis({ size: 16, kernel: 3, stride: 2, padding: 1, dilation: 2, ceil: true }),
      value: 8,
      formula: '⌈(H_in + 2·p − (d·(k − 1) + 1))/s⌉ + 1',
      terms: '⌈(16 + 2·1 − (2·(3 − 1) + 1))/2⌉ + 1',
    },
    // TensorFlow's 'same': ⌈in/s⌉ whatever the kernel. ⌈15/2⌉ = 8, ⌈224/1⌉ = 224.
    { ax: axis({ size: 15, kernel: 3, stride: 2, padding: 'same' }), value: 8, formula: '⌈H_in/s⌉', terms: '⌈15/2⌉' },
    { ax: axis({ size: 224, kernel: 7, padding: 'same', dilation: 3 }), value: 224, formula: '⌈H_in/s⌉', terms: '⌈224/1⌉' },
  ])('$terms = $value', ({ ax, value, formula, terms }) => {
    expect(windowOut(ax)).toEqual({ value, formula, terms });
  });

  test.each([
    // ⌊(2 − 3)/1⌋ + 1 = 0.
    { ax: axis({ size: 2, kernel: 3 }), message: "the window (kernel 3) does not fit: along H the input is 2, smaller than the window's reach 3.", detail: 'H_out = ⌊(H_in − k)/s⌋ + 1 = ⌊(2 − 3)/1⌋ + 1 = 0: no valid position.' },
    // Padding counts: 1 + 2·1 = 3 < 5.
    {
      ax: axis({ name: 'W', size: 1, kernel: 5, padding: 1 }),
      message: "the window (kernel 5) does not fit: along W the input is 1 (3 with padding), smaller than the window's reach 5.",
      detail: 'W_out = ⌊(W_in + 2·p − k)/s⌋ + 1 = ⌊(1 + 2·1 − 5)/1⌋ + 1 = -1: no valid position.',
    },
    // Reach 2·(3 − 1) + 1 = 5 > 4.
    {
      ax: axis({ size: 4, kernel: 3, dilation: 2 }),
      message: "the window (kernel 3, dilation 2) does not fit: along H the input is 4, smaller than the window's reach 5.",
      detail: 'H_out = ⌊(H_in − (d·(k − 1) + 1))/s⌋ + 1 = ⌊(4 − (2·(3 − 1) + 1))/1⌋ + 1 = 0: no valid position.',
    },
    // ceil_mode does not help once the overhang is a whole stride or more: ⌈(1 − 3)/2⌉ + 1 = −1 + 1 = 0.
    { ax: axis({ size: 1, kernel: 3, stride: 2, ceil: true }), message: "the window (kernel 3) does not fit: along H the input is 1, smaller than the window's reach 3.", detail: 'H_out = ⌈(H_in − k)/s⌉ + 1 = ⌈(1 − 3)/2⌉ + 1 = 0: no valid position.' },
  ])('rejects: $message', ({ ax, message, detail }) => {
    const error = errorOf(() => windowOut(ax));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'shape', message, details: [detail] });
  });
});

describe('samePadBefore', () => {
  test.each([
    // TensorFlow: out = ⌈in/s⌉, total = max((out − 1)·s + d·(k − 1) + 1 − in, 0), before = ⌊total/2⌋ (the odd one goes after).
    // 224/2: out 112, total 111·2 + 3 − 224 = 1 → 0 before.
    { size: 224, kernel: 3, stride: 2, dilation: 1, before: 0 },
    // 225/2: out 113, total 112·2 + 3 − 225 = 2 → 1.
    { size: 225, kernel: 3, stride: 2, dilation: 1, before: 1 },
    // 7×7/2 on 224: total 222 + 7 − 224 = 5 → 2.
    { size: 224, kernel: 7, stride: 2, dilation: 1, before: 2 },
    // Stride 1 pads d·(k − 1) in total, like PyTorch's 'same': 3×3 → 1; 4-tap → 3 → 1; 5-tap dilation 2 → 8 → 4.
    { size: 15, kernel: 3, stride: 1, dilation: 1, before: 1 },
    { size: 15, kernel: 4, stride: 1, dilation: 1, before: 1 },
    { size: 15, kernel: 5, stride: 1, dilation: 2, before: 4 },
    // 1×1/3 on 6: out 2, total 3 + 1 − 6 = −2 → no padding.
    { size: 6, kernel: 1, stride: 3, dilation: 1, before: 0 },
  ])('in $size, k $kernel, s $stride, d $dilation → $before', ({ size, kernel, stride, dilation, before }) => {
    expect(samePadBefore(size, kernel, stride, dilation)).toBe(before);
  });
});

describe('splitSpatial, axisNames, padAt, shapeError', () => {
  test('splits batch, channels and spatial axes', () => {
    expect(splitSpatial([2, 3, 224, 225], 2, 'conv2d layer')).toEqual({ n: 2, c: 3, spatial: [224, 225] });
    expect(splitSpatial([1, 8, 100], 1, 'conv1d layer')).toEqual({ n: 1, c: 8, spatial: [100] });
  });

  test.each([
    { shape: [1, 3, 8], rank: 2, message: 'conv2d layer expects a 4-D input (N, C, H, W), but received shape [1, 3, 8].' },
    { shape: [1, 3, 8, 8], rank: 1, message: 'conv2d layer expects a 3-D input (N, C, L), but received shape [1, 3, 8, 8].' },
    { shape: [1, 3, 8, 8], rank: 3, message: 'conv2d layer expects a 5-D input (N, C, D, H, W), but received shape [1, 3, 8, 8].' },
  ])('rejects $shape for rank $rank', ({ shape, rank, message }) => {
    expect(() => splitSpatial(shape, rank, 'conv2d layer')).toThrow(message);
  });

  test('a flat input to a 2-D op hints at the fully connected layer before it', () => {
    const error = errorOf(() => splitSpatial([1, 4096], 2, 'maxpool2d layer'));
    expect(error).toMatchObject({ code: 'shape', details: ['Hint: a fully connected layer came before it; convolutions and poolings need an image-shaped input.'] });
  });

  test('axis names and per-axis padding', () => {
    expect([1, 2, 3].map(axisNames)).toEqual([['L'], ['H', 'W'], ['D', 'H', 'W']]);
    expect(padAt('same', 1)).toBe('same');
    expect(padAt([0, 3], 1)).toBe(3);
    expect(shapeError('x', ['y'])).toMatchObject({ code: 'shape', message: 'x', details: ['y'] });
  });
});
