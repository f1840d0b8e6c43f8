import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { convTranspose1d, convTranspose2d, convTranspose3d } from './conv-transpose.js';
import type { OpDef } from './op.js';
import { depthwiseConv2d, separableConv2d } from './separable.js';

const transposed: Record<string, OpDef<any>> = { conv_transpose1d: convTranspose1d, conv_transpose2d: convTranspose2d, conv_transpose3d: convTranspose3d };

describe('transposed convolutions against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(transposed));
  test('the oracle covers every rank and four rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(transposed)));
    expect(cases.filter((c) => c.error).length).toBe(4);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(transposed[c.op]!, c, { names: true }));
});

describe('transposed convolution, derived by hand', () => {
  test('DCGAN generator: 512 → 256 channels, 4×4 → 8×8', () => {
    const r = evaluate(convTranspose2d, { out: 256, kernel: 4, stride: 2, padding: 1, bias: false }, [[1, 512, 4, 4]]);
    // (4 − 1)·2 − 2·1 + 4 − 1 + 1 = 8.
    expect(r.notes[0]!.count).toEqual({ value: 8, formula: '(H_in − 1)·s − 2·p + k − 1 + 1', terms: '(4 − 1)·2 − 2·1 + 4 − 1 + 1' });
    // weight 4·4·512·256 = 2,097,152; MACs 1·4·4·512·256·4·4 = 33,554,432 (each input position scatters a 4×4 patch).
    expect(r.params).toBe(2_097_152);
    expect(r.macs.value).toBe(33_554_432);
    expect(r.macs.formula).toBe('N·H_in·W_in·c_in·c_out·k·k');
  });
  test('output_padding and dilation appear in the rule', () => {
    const r = evaluate(convTranspose2d, { out: 16, kernel: 3, stride: 3, dilation: 2, output_padding: 2 }, [[1, 8, 5, 6]]);
    // H: (5 − 1)·3 + 2·(3 − 1) + 2 + 1 = 19; W: (6 − 1)·3 + 4 + 2 + 1 = 22.
    expect(r.outputs).toEqual([[1, 16, 19, 22]]);
    expect(r.notes[0]!.count.formula).toBe('(H_in − 1)·s + d·(k − 1) + output_padding + 1');
  });
  test('errors show the rule and the received values', () => {
    expect(rejection(convTranspose2d, { out: 16, kernel: 3, stride: 2, output_padding: 2 }, [[1, 8, 5, 5]]).message).toContain(
      'Received: output_padding=2, stride=2, dilation=1.',
    );
    const empty = rejection(convTranspose2d, { out: 16, kernel: 5, padding: 3 }, [[1, 8, 1, 1]]);
    expect(empty.details).toEqual(['H_out = (H_in − 1)·s − 2·p + k − 1 + 1 = (1 − 1)·1 − 2·3 + 5 − 1 + 1 = -1.']);
  });
});

describe('Keras depthwise and separable convolutions', () => {
  const cases = ops2Cases('depthwise_conv2d', 'separable_conv2d');
  const defs: Record<string, OpDef<any>> = { depthwise_conv2d: depthwiseConv2d, separable_conv2d: separableConv2d };
  test.each(cases.map((c) => [`as PyTorch's grouped Conv2d: ${caseTitle(c)}`, c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c));
  test('DepthwiseConv2D(3) on 32 channels: 3·3·32 + 32 = 320 parameters, Keras names and layout', () => {
    const r = evaluate(depthwiseConv2d, { kernel: 3, padding: 'same' }, [[1, 32, 112, 112]]);
    expect(r.params).toBe(320);
    expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual([
      ['depthwise_kernel', [3, 3, 32, 1]],
      ['bias', [32]],
    ]);
    // 'same' keeps 112; MACs 112·112·32·3·3 = 3,612,672.
    expect(r.macs.value).toBe(3_612_672);
  });
  test('SeparableConv2D(64, 3) on 32 channels: 3·3·32 + 32·64 + 64 = 2,400 parameters', () => {
    const r = evaluate(separableConv2d, { out: 64, kernel: 3, padding: 'same' }, [[1, 32, 56, 56]]);
    expect(r.params).toBe(2400);
    expect(r.weights.map((w) => w.name)).toEqual(['depthwise_kernel', 'pointwise_kernel', 'bias']);
    // 56·56·32·(3·3 + 64) = 7,325,696.
    expect(r.macs.value).toBe(7_325_696);
    expect(r.macs.formula).toBe('N·H_out·W_out·c_in·k·k + N·H_out·W_out·c_in·c_out');
  });
  test('Xception block 2: SeparableConv2D(128, 3, use_bias=False) on 64 channels, 576 + 8,192 = 8,768', () => {
    expect(evaluate(separableConv2d, { out: 128, kernel: 3, padding: 'same', bias: false }, [[1, 64, 147, 147]]).params).toBe(8768);
  });
  test('depth_multiplier 2: 5·5·16·2 + 16·2 = 832 parameters', () => {
    const r = evaluate(depthwiseConv2d, { kernel: 5, depth_multiplier: 2 }, [[1, 16, 20, 20]]);
    expect(r.params).toBe(832);
    expect(r.outputs).toEqual([[1, 32, 16, 16]]);
  });
});
