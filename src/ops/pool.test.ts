import { describe, expect, test } from 'vitest';
import { byKind, caseName, caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import * as pool from './pool.js';

const defs = byKind(
  pool.maxpool1d,
  pool.maxpool2d,
  pool.maxpool3d,
  pool.avgpool1d,
  pool.avgpool2d,
  pool.avgpool3d,
  pool.adaptiveAvgpool1d,
  pool.adaptiveAvgpool2d,
  pool.adaptiveAvgpool3d,
  pool.adaptiveMaxpool1d,
  pool.adaptiveMaxpool2d,
  pool.adaptiveMaxpool3d,
);

describe('pooling against PyTorch 1.13', () => {
  const cases = opsCases(...Object.keys(defs));
  test('the oracle covers every pooling op it has a PyTorch module for', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.filter((c) => c.error).length).toBeGreaterThan(10);
    // PyTorch's avg_pool3d alone refuses an unpadded input smaller than the kernel, though its output formula has a
    // window for it (⌈(2 − 3)/2⌉ + 1 = 1); nncalc refuses it too, with the reason.
    expect(cases.map(caseName)).toContain('avgpool3d {"kernel":3,"stride":2,"ceil_mode":true} on [1, 2, 2, 2, 2]');
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c, { resolved: true }));
});

describe('pooling output sizes, derived by hand', () => {
  test.each([
    // VGG's 2×2/2: ⌊(224 − 2)/2⌋ + 1 = 111 + 1 = 112.
    { op: 'maxpool2d', attrs: { kernel: 2 }, size: 224, out: 112, terms: '⌊(224 − 2)/2⌋ + 1', formula: '⌊(H_in − k)/s⌋ + 1' },
    // GoogLeNet's 3×3/2 with ceil_mode: ⌈(112 − 3)/2⌉ + 1 = ⌈54.5⌉ + 1 = 56; without it ⌊54.5⌋ + 1 = 55.
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2, ceil_mode: true }, size: 112, out: 56, terms: '⌈(112 − 3)/2⌉ + 1', formula: '⌈(H_in − k)/s⌉ + 1' },
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2 }, size: 112, out: 55, terms: '⌊(112 − 3)/2⌋ + 1', formula: '⌊(H_in − k)/s⌋ + 1' },
    // ResNet's 3×3/2 with padding 1: ⌊(112 + 2 − 3)/2⌋ + 1 = 55 + 1 = 56.
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2, padding: 1 }, size: 112, out: 56, terms: '⌊(112 + 2·1 − 3)/2⌋ + 1', formula: '⌊(H_in + 2·p − k)/s⌋ + 1' },
    // ceil_mode's last window would start at (3 − 1)·3 = 6 ≥ 5 + 1, inside the right padding: PyTorch drops it. 3 − 1 = 2.
    { op: 'maxpool1d', attrs: { kernel: 3, stride: 3, padding: 1, ceil_mode: true }, size: 5, out: 2, terms: '⌈(5 + 2·1 − 3)/3⌉ + 1 − 1', formula: '⌈(L_in + 2·p − k)/s⌉ + 1 − 1' },
    // Stride 3 > kernel 2: ⌈(6 − 2)/3⌉ + 1 = 3, but the third window would start at 6, past the input: 2.
    { op: 'maxpool1d', attrs: { kernel: 2, stride: 3, ceil_mode: true }, size: 6, out: 2, terms: '⌈(6 − 2)/3⌉ + 1 − 1', formula: '⌈(L_in − k)/s⌉ + 1 − 1' },
    // A 3-window over 2 inputs with ceil_mode: ⌈(2 − 3)/2⌉ + 1 = 0 + 1 = 1, one window starting at 0 and overhanging.
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2, ceil_mode: true }, size: 2, out: 1, terms: '⌈(2 − 3)/2⌉ + 1', formula: '⌈(H_in − k)/s⌉ + 1' },
    // Dilation 2: reach 2·(3 − 1) + 1 = 5, ⌊(15 − 5)/2⌋ + 1 = 6.
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2, dilation: 2 }, size: 15, out: 6, terms: '⌊(15 − (2·(3 − 1) + 1))/2⌋ + 1', formula: '⌊(H_in − (d·(k − 1) + 1))/s⌋ + 1' },
    // TensorFlow's 'same' pooling (Keras MaxPooling2D(padding='same')): ⌈7/2⌉ = 4.
    { op: 'maxpool2d', attrs: { kernel: 3, stride: 2, padding: 'same' }, size: 7, out: 4, terms: '⌈7/2⌉', formula: '⌈H_in/s⌉' },
    // AlexNet's overlapping average would be the same arithmetic: ⌊(55 − 3)/2⌋ + 1 = 27.
    { op: 'avgpool2d', attrs: { kernel: 3, stride: 2 }, size: 55, out: 27, terms: '⌊(55 − 3)/2⌋ + 1', formula: '⌊(H_in − k)/s⌋ + 1' },
  ])('$op $attrs on $size → $out', ({ op, attrs, size, out, terms, formula }) => {
    const rank = Number(op.at(-2));
    const input = [1, 4, ...Array<number>(rank).fill(size)];
    const r = evaluate(defs[op]!, attrs, [input]);
    expect(r.outputs).toEqual([[1, 4, ...Array<number>(rank).fill(out)]]);
    expect(r.notes).toHaveLength(rank);
    expect(r.notes[0]!.count).toEqual({ value: out, formula, terms });
    expect(r.weights).toEqual([]);
    expect(defs[op]!.macs).toBeUndefined();
  });

  test('stride defaults to the kernel, padding to 0, dilation to 1', () => {
    expect(evaluate(pool.maxpool2d, { kernel: [3, 2] }, [[1, 1, 9, 8]]).attrs).toEqual({ kernel: [3, 2], stride: [3, 2], padding: [0, 0], dilation: [1, 1], ceil_mode: false });
    // ⌊(9 − 3)/3⌋ + 1 = 3 and ⌊(8 − 2)/2⌋ + 1 = 4.
    expect(evaluate(pool.maxpool2d, { kernel: [3, 2] }, [[1, 1, 9, 8]]).outputs).toEqual([[1, 1, 3, 4]]);
  });

  test('FLOPs: one per window element per output', () => {
    // VGG 2×2/2 on 64×224×224 → 64·112·112 = 802,816 outputs, 4 each: 3,211,264.
    const r = evaluate(pool.maxpool2d, { kernel: 2 }, [[1, 64, 224, 224]]);
    expect(r.flops).toEqual({ value: 3_211_264, formula: 'N·C·H·W·k_h·k_w', terms: '1·64·112·112·2·2' });
  });
});

describe('adaptive and global pooling', () => {
  test('adaptive pooling outputs the requested size, whether or not it divides the input', () => {
    expect(evaluate(pool.adaptiveAvgpool2d, { output: 7 }, [[1, 512, 13, 13]]).outputs).toEqual([[1, 512, 7, 7]]);
    expect(evaluate(pool.adaptiveMaxpool2d, { output: [3, 5] }, [[2, 8, 10, 11]]).outputs).toEqual([[2, 8, 3, 5]]);
    expect(evaluate(pool.adaptiveAvgpool3d, { output: [1, 2, 3] }, [[1, 8, 4, 5, 7]]).outputs).toEqual([[1, 8, 1, 2, 3]]);
  });

  test("FLOPs follow PyTorch's windows [⌊i·in/out⌋, ⌈(i + 1)·in/out⌉)", () => {
    // 14 → 7: every window is 2 wide, Σ = 14 per axis, so 512·14·14 = 100,352: each input read once.
    expect(evaluate(pool.adaptiveAvgpool2d, { output: 7 }, [[1, 512, 14, 14]]).flops.value).toBe(100_352);
    // 13 → 7: windows [0,2) [1,4) [3,6) [5,8) [7,10) [9,12) [11,13), widths 2+3+3+3+3+3+2 = 19 per axis.
    // 1·512·19·19 = 512·361 = 184,832.
    const r = evaluate(pool.adaptiveAvgpool2d, { output: 7 }, [[1, 512, 13, 13]]);
    expect(r.flops).toEqual({ value: 184_832, formula: 'N·C·Σwindow_h·Σwindow_w', terms: '1·512·19·19' });
  });

  test('global pooling drops or keeps the spatial axes', () => {
    expect(evaluate(pool.globalAvgpool, {}, [[1, 512, 7, 7]]).outputs).toEqual([[1, 512]]);
    expect(evaluate(pool.globalMaxpool, { keepdims: true }, [[1, 512, 7, 7]]).outputs).toEqual([[1, 512, 1, 1]]);
    // One FLOP per input element: 512·7·7 = 25,088.
    expect(evaluate(pool.globalAvgpool, {}, [[1, 512, 7, 7]]).flops.value).toBe(25_088);
    expect(rejection(pool.globalAvgpool, {}, [[1, 512]]).message).toBe('global pooling expects (N, C, spatial…), but received [1, 512].');
  });
});

describe('pooling errors', () => {
  test.each([
    { op: 'maxpool2d', attrs: { kernel: 3, padding: 2 }, message: 'maxpool2d: padding must be at most half the kernel. Received: padding=[2,2], kernel=[3,3].' },
    { op: 'avgpool2d', attrs: { kernel: 3, dilation: 2 }, message: 'avgpool2d: average pooling has no dilation. Received: dilation=[2,2].' },
    { op: 'maxpool2d', attrs: { kernel: 0 }, message: "'kernel' must be an integer ≥ 1 or a list of 2 of them. Received: kernel=0." },
    { op: 'maxpool2d', attrs: { kernel: 2, ceil_mode: 1 }, message: "'ceil_mode' must be true or false. Received: ceil_mode=1." },
    { op: 'maxpool2d', attrs: { kernel: 2, ceilmode: true }, message: "unknown attribute 'ceilmode'. Did you mean 'ceil_mode'?" },
    { op: 'avgpool2d', attrs: { kernel: 2, count_include_pad: 'yes' }, message: "'count_include_pad' must be true or false." },
    { op: 'adaptive_avgpool2d', attrs: { outputs: 7 }, message: "'output' (or 'output_size') is required (an integer ≥ 1 or a list of 2 of them). Received an unknown attribute 'outputs'; did you mean 'output'?" },
  ])('spec: $message', ({ op, attrs, message }) => {
    const e = rejection(defs[op]!, attrs, [[1, 4, 8, 8]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });

  test('a window larger than the input is a shape error showing the arithmetic', () => {
    // ⌊(2 − 3)/3⌋ + 1 = −1 + 1 = 0.
    const e = rejection(pool.maxpool2d, { kernel: 3 }, [[1, 4, 2, 2]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe("the window (kernel 3) does not fit: along H the input is 2, smaller than the window's reach 3.");
    expect(e.details).toEqual(['H_out = ⌊(H_in − k)/s⌋ + 1 = ⌊(2 − 3)/3⌋ + 1 = 0: no valid position.']);
    // With ceil_mode a window still needs to start inside: ⌈(1 − 3)/2⌉ + 1 = −1 + 1 = 0.
    expect(rejection(pool.maxpool2d, { kernel: 3, stride: 2, ceil_mode: true }, [[1, 4, 1, 1]]).details).toEqual([
      'H_out = ⌈(H_in − k)/s⌉ + 1 = ⌈(1 − 3)/2⌉ + 1 = 0: no valid position.',
    ]);
  });

  test('wrong input rank', () => {
    const e = rejection(pool.maxpool2d, { kernel: 2 }, [[1, 10]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe('maxpool2d layer expects a 4-D input (N, C, H, W), but received shape [1, 10].');
    expect(rejection(pool.adaptiveAvgpool2d, { output: 3 }, [[1, 10]]).message).toContain('expects a 4-D input');
    expect(rejection(pool.maxpool1d, { kernel: 2 }, [[1, 4, 8, 8]]).message).toContain('3-D input (N, C, L)');
  });
});

describe('adaptive windows in closed form', () => {
  /** PyTorch's windows one by one: Σ and max of ⌈(i+1)·size/out⌉ − ⌊i·size/out⌋. */
  const loop = (size: number, out: number) => {
    let sum = 0;
    let widest = 0;
    for (let i = 0; i < out; i++) {
      const w = Math.ceil(((i + 1) * size) / out) - Math.floor((i * size) / out);
      sum += w;
      widest = Math.max(widest, w);
    }
    return { sum, widest };
  };
  test('equal the window-by-window sums for every size and output up to 40', () => {
    for (let size = 1; size <= 40; size++) {
      for (let out = 1; out <= 40; out++) {
        const r = evaluate(pool.adaptiveAvgpool1d, { output: out }, [[1, 1, size]]);
        const { sum, widest } = loop(size, out);
        expect(r.flops.value, `${size} → ${out}`).toBe(sum);
        expect(pool.adaptiveAvgpool1d.window!(r.attrs, [[1, 1, size]]).kernel, `${size} → ${out}`).toBe(widest);
      }
    }
  });
  test('take no time for an output of 10^11', () => {
    // size + out − gcd: 7 + 10^11 − 1.
    expect(evaluate(pool.adaptiveAvgpool1d, { output: 1e11 }, [[1, 1, 7]]).flops.value).toBe(7 + 1e11 - 1);
  });
});
