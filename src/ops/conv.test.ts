import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import { readAttrs, type Raw } from './attrs.js';
import { conv1d, conv2d, conv3d } from './conv.js';
import { numel, type OpDef } from './op.js';

const defs: Record<string, OpDef<any>> = { conv1d, conv2d, conv3d };

describe('convolutions against PyTorch 1.13', () => {
  const cases = opsCases(...Object.keys(defs));
  test('the oracle covers conv1d, conv2d and conv3d, with rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.filter((c) => c.error).length).toBeGreaterThan(5);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c, { counts: true, resolved: true }));
});

describe('convolutions, derived by hand', () => {
  test.each([
    {
      // VGG's first layer. Weight 3·3·3·64 = 1,728, + bias 64 = 1,792.
      // MACs N·H·W·c_out·k·k·c_in = 1·224·224·64·3·3·3 = 50,176·64·27 = 86,704,128. H = ⌊(224 + 2 − 3)/1⌋ + 1 = 224.
      name: 'VGG conv3-64',
      def: conv2d,
      attrs: { out: 64, kernel: 3, padding: 1 },
      input: [1, 3, 224, 224],
      output: [1, 64, 224, 224],
      params: 1_792,
      macs: 86_704_128,
      weightFormula: 'k·k·c_in·c_out',
      weightTerms: '3·3·3·64',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in',
      macsTerms: '1·224·224·64·3·3·3',
      shapeFormula: '⌊(H_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(224 + 2·1 − 3)/1⌋ + 1',
    },
    {
      // ResNet's stem. H = ⌊(224 + 2·3 − 7)/2⌋ + 1 = ⌊223/2⌋ + 1 = 112. Weight 7·7·3·64 = 9,408, no bias.
      // MACs 112·112·64·7·7·3 = 12,544·64·147 = 118,013,952.
      name: 'ResNet stem 7×7/2',
      def: conv2d,
      attrs: { out: 64, kernel: 7, stride: 2, padding: 3, bias: false },
      input: [1, 3, 224, 224],
      output: [1, 64, 112, 112],
      params: 9_408,
      macs: 118_013_952,
      weightFormula: 'k·k·c_in·c_out',
      weightTerms: '7·7·3·64',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in',
      macsTerms: '1·112·112·64·7·7·3',
      shapeFormula: '⌊(H_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(224 + 2·3 − 7)/2⌋ + 1',
    },
    {
      // torchvision AlexNet features.0. H = ⌊(224 + 2·2 − 11)/4⌋ + 1 = ⌊217/4⌋ + 1 = 55.
      // Weight 11·11·3·64 = 23,232, + 64 = 23,296. MACs 55·55·64·11·11·3 = 3,025·64·363 = 70,276,800.
      name: 'AlexNet conv1',
      def: conv2d,
      attrs: { out: 64, kernel: 11, stride: 4, padding: 2 },
      input: [1, 3, 224, 224],
      output: [1, 64, 55, 55],
      params: 23_296,
      macs: 70_276_800,
      weightFormula: 'k·k·c_in·c_out',
      weightTerms: '11·11·3·64',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in',
      macsTerms: '1·55·55·64·11·11·3',
      shapeFormula: '⌊(H_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(224 + 2·2 − 11)/4⌋ + 1',
    },
    {
      // MobileNet's depthwise 3×3 on 112×112×32: each filter sees c_in/g = 1 channel. Weight 3·3·1·32 = 288.
      // MACs 112·112·32·3·3·1 = 12,544·288 = 3,612,672.
      name: 'depthwise 3×3',
      def: conv2d,
      attrs: { out: 32, kernel: 3, padding: 1, groups: 32, bias: false },
      input: [1, 32, 112, 112],
      output: [1, 32, 112, 112],
      params: 288,
      macs: 3_612_672,
      weightFormula: 'k·k·c_in/g·c_out',
      weightTerms: '3·3·1·32',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in/g',
      macsTerms: '1·112·112·32·3·3·1',
      shapeFormula: '⌊(H_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(112 + 2·1 − 3)/1⌋ + 1',
    },
    {
      // ResNeXt's grouped 3×3, 32 groups of 4 channels at 56×56. Weight 3·3·4·128 = 4,608, + 128 = 4,736.
      // MACs 56·56·128·3·3·4 = 3,136·4,608 = 14,450,688.
      name: 'grouped 3×3 g32',
      def: conv2d,
      attrs: { out: 128, kernel: 3, padding: 1, groups: 32 },
      input: [1, 128, 56, 56],
      output: [1, 128, 56, 56],
      params: 4_736,
      macs: 14_450_688,
      weightFormula: 'k·k·c_in/g·c_out',
      weightTerms: '3·3·4·128',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in/g',
      macsTerms: '1·56·56·128·3·3·4',
      shapeFormula: '⌊(H_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(56 + 2·1 − 3)/1⌋ + 1',
    },
    {
      // Non-square kernel 1×7 (Inception v3): only W is padded. Weight k_h·k_w·c_in·c_out = 1·7·8·12 = 672, + 12 = 684.
      // H = ⌊(17 − 1)/1⌋ + 1 = 17, W = ⌊(23 + 2·3 − 7)/1⌋ + 1 = 23. MACs 17·23·12·1·7·8 = 391·672 = 262,752.
      name: '1×7 kernel',
      def: conv2d,
      attrs: { out: 12, kernel: [1, 7], padding: [0, 3] },
      input: [1, 8, 17, 23],
      output: [1, 12, 17, 23],
      params: 684,
      macs: 262_752,
      weightFormula: 'k_h·k_w·c_in·c_out',
      weightTerms: '1·7·8·12',
      macsFormula: 'N·H_out·W_out·c_out·k_h·k_w·c_in',
      macsTerms: '1·17·23·12·1·7·8',
      shapeFormula: '⌊(H_in − k)/s⌋ + 1',
      shapeTerms: '⌊(17 − 1)/1⌋ + 1',
    },
    {
      // L = ⌊(100 − 5)/2⌋ + 1 = 47 + 1 = 48. Weight 5·8·16 = 640, + 16 = 656. MACs 1·48·16·5·8 = 30,720.
      name: 'conv1d k5/2',
      def: conv1d,
      attrs: { out: 16, kernel: 5, stride: 2 },
      input: [1, 8, 100],
      output: [1, 16, 48],
      params: 656,
      macs: 30_720,
      weightFormula: 'k·c_in·c_out',
      weightTerms: '5·8·16',
      macsFormula: 'N·L_out·c_out·k·c_in',
      macsTerms: '1·48·16·5·8',
      shapeFormula: '⌊(L_in − k)/s⌋ + 1',
      shapeTerms: '⌊(100 − 5)/2⌋ + 1',
    },
    {
      // C3D's first layer on 16 frames of 112×112. Weight 3·3·3·3·64 = 5,184, + 64 = 5,248.
      // MACs 16·112·112·64·27·3 = 200,704·64·81 = 1,040,449,536.
      name: 'conv3d 3×3×3',
      def: conv3d,
      attrs: { out: 64, kernel: 3, padding: 1 },
      input: [1, 3, 16, 112, 112],
      output: [1, 64, 16, 112, 112],
      params: 5_248,
      macs: 1_040_449_536,
      weightFormula: 'k·k·k·c_in·c_out',
      weightTerms: '3·3·3·3·64',
      macsFormula: 'N·D_out·H_out·W_out·c_out·k·k·k·c_in',
      macsTerms: '1·16·112·112·64·3·3·3·3',
      shapeFormula: '⌊(D_in + 2·p − k)/s⌋ + 1',
      shapeTerms: '⌊(16 + 2·1 − 3)/1⌋ + 1',
    },
    {
      // TensorFlow's 'same' with stride 2 (PyTorch refuses it): out = ⌈in/s⌉ = ⌈15/2⌉ = 8.
      // Weight 3·3·4·8 = 288, + 8 = 296. MACs 8·8·8·3·3·4 = 512·36 = 18,432.
      name: "'same' with stride 2",
      def: conv2d,
      attrs: { out: 8, kernel: 3, stride: 2, padding: 'same' },
      input: [1, 4, 15, 15],
      output: [1, 8, 8, 8],
      params: 296,
      macs: 18_432,
      weightFormula: 'k·k·c_in·c_out',
      weightTerms: '3·3·4·8',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in',
      macsTerms: '1·8·8·8·3·3·4',
      shapeFormula: '⌈H_in/s⌉',
      shapeTerms: '⌈15/2⌉',
    },
    {
      // Dilation 2 stretches a 3-tap kernel over d·(k − 1) + 1 = 5 inputs: ⌊(15 − 5)/1⌋ + 1 = 11.
      // Weight 3·3·4·8 + 8 = 296. MACs 11·11·8·3·3·4 = 121·288 = 34,848.
      name: 'dilated 3×3',
      def: conv2d,
      attrs: { out: 8, kernel: 3, dilation: 2 },
      input: [1, 4, 15, 15],
      output: [1, 8, 11, 11],
      params: 296,
      macs: 34_848,
      weightFormula: 'k·k·c_in·c_out',
      weightTerms: '3·3·4·8',
      macsFormula: 'N·H_out·W_out·c_out·k·k·c_in',
      macsTerms: '1·11·11·8·3·3·4',
      shapeFormula: '⌊(H_in − (d·(k − 1) + 1))/s⌋ + 1',
      shapeTerms: '⌊(15 − (2·(3 − 1) + 1))/1⌋ + 1',
    },
  ])('$name', (c) => {
    const r = evaluate(c.def, c.attrs, [c.input]);
    expect(r.outputs).toEqual([c.output]);
    expect(r.params).toBe(c.params);
    expect(r.macs.value).toBe(c.macs);
    expect(r.weights[0]!.count).toMatchObject({ formula: c.weightFormula, terms: c.weightTerms });
    expect(r.macs).toMatchObject({ formula: c.macsFormula, terms: c.macsTerms });
    expect(r.notes[0]!.label).toBe(`${c.input.length === 3 ? 'L' : c.input.length === 5 ? 'D' : 'H'}_out`);
    expect(r.notes[0]!.count).toMatchObject({ formula: c.shapeFormula, terms: c.shapeTerms, value: c.output[2] });
    for (const w of r.weights) expect(w.count!.value, w.name).toBe(numel(w.shape));
  });

  test('one shape note per spatial axis, in H, W order', () => {
    // H = ⌊(17 + 2·1 − 3)/2⌋ + 1 = 9, W = ⌊(23 + 2·2 − 5)/1⌋ + 1 = 23.
    const r = evaluate(conv2d, { out: 4, kernel: [3, 5], stride: [2, 1], padding: [1, 2] }, [[1, 2, 17, 23]]);
    expect(r.notes.map((n) => [n.label, n.count.terms, n.count.value])).toEqual([
      ['H_out', '⌊(17 + 2·1 − 3)/2⌋ + 1', 9],
      ['W_out', '⌊(23 + 2·2 − 5)/1⌋ + 1', 23],
    ]);
  });

  test('weights in PyTorch layout: [c_out, c_in/g, …kernel] and [c_out]', () => {
    const r = evaluate(conv2d, { out: 64, kernel: 3, groups: 2 }, [[1, 32, 8, 8]]);
    expect(r.weights.map((w) => [w.name, w.shape, w.dims])).toEqual([
      ['weight', [64, 16, 3, 3], ['c_out', 'c_in/g', 'k_h', 'k_w']],
      ['bias', [64], ['c_out']],
    ]);
  });

  test('the bias add is one FLOP per output element; none without bias', () => {
    // VGG conv3-64 output 64·224·224 = 3,211,264 elements.
    expect(evaluate(conv2d, { out: 64, kernel: 3, padding: 1 }, [[1, 3, 224, 224]]).flops.value).toBe(3_211_264);
    expect(evaluate(conv2d, { out: 64, kernel: 3, padding: 1, bias: false }, [[1, 3, 224, 224]]).flops.value).toBe(0);
  });

  test('labels in the VGG paper vocabulary', () => {
    const label = (raw: Raw) => conv2d.label!(readAttrs({ op: 'conv2d', raw }, (r) => conv2d.attrs(r)), [[1, 64, 8, 8]]);
    expect(label({ out: 64, kernel: 3 })).toBe('conv3-64');
    expect(label({ out: 64, kernel: 7, stride: 2 })).toBe('conv7-64/2');
    expect(label({ out: 128, kernel: 3, groups: 32 })).toBe('conv3-128 g32');
  });
});

describe('convolution errors', () => {
  test.each([
    { attrs: { out: 8, kernel: -1 }, message: "conv2d: 'kernel' must be an integer ≥ 1 or a list of 2 of them. Received: kernel=-1." },
    { attrs: { out: 8, kernel: [3, 3, 3] }, message: "Received: kernel=[3,3,3]." },
    { attrs: { out: 6, kernel: 3, groups: 4 }, message: "conv2d: 'out' must be divisible by 'groups'. Received: out=6, groups=4." },
    { attrs: { out: 0, kernel: 3 }, message: "'out' must be an integer ≥ 1. Received: out=0." },
    { attrs: { out: 8, kernel: 3, padding: 'SAME' }, message: "'padding' must be 'same', 'valid', an integer ≥ 0 or a list of 2 of them. Received: padding='SAME'." },
    { attrs: { out: 8, kernel: 3, stride: 0 }, message: "'stride' must be an integer ≥ 1 or a list of 2 of them. Received: stride=0." },
    { attrs: { out: 8, kernal: 3 }, message: "'kernel' (or 'kernel_size') is required (an integer ≥ 1 or a list of 2 of them). Received an unknown attribute 'kernal'; did you mean 'kernel'?" },
    { attrs: { out: 8, kernel: 3, strids: 2 }, message: "conv2d: unknown attribute 'strids'. Did you mean 'stride'?" },
    { attrs: { out: 8, kernel: 3, bias: 'no' }, message: "'bias' must be true or false. Received: bias='no'." },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(conv2d, attrs, [[1, 4, 8, 8]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });

  test('input channels not divisible by groups is a shape error with the division', () => {
    const e = rejection(conv2d, { out: 6, kernel: 3, groups: 2 }, [[1, 3, 8, 8]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe('input channels must be divisible by groups. Received: c_in=3, groups=2.');
    expect(e.details).toEqual(['c_in/groups = 3/2 is not a whole number.']);
    expect(rejection(conv2d, { out: 8, kernel: 3, groups: 8 }, [[1, 4, 8, 8]]).details[0]).toContain('more groups than channels');
  });

  test('an input smaller than the kernel is a shape error showing the arithmetic', () => {
    // ⌊(2 − 3)/1⌋ + 1 = −1 + 1 = 0 output positions.
    const e = rejection(conv2d, { out: 8, kernel: 3 }, [[1, 3, 2, 2]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe("the window (kernel 3) does not fit: along H the input is 2, smaller than the window's reach 3.");
    expect(e.details).toEqual(['H_out = ⌊(H_in − k)/s⌋ + 1 = ⌊(2 − 3)/1⌋ + 1 = 0: no valid position.']);
  });

  test('a dilated kernel reports its reach, and a 1-D one its own axis', () => {
    // Reach d·(k − 1) + 1 = 3·2 + 1 = 7 > 6.
    expect(rejection(conv2d, { out: 8, kernel: 3, dilation: 3 }, [[1, 3, 6, 6]]).message).toBe(
      "the window (kernel 3, dilation 3) does not fit: along H the input is 6, smaller than the window's reach 7.",
    );
    // Padding 1 makes 3 + 2 = 5, still short of 7.
    expect(rejection(conv1d, { out: 8, kernel: 7, padding: 1 }, [[1, 3, 3]]).message).toBe(
      "the window (kernel 7) does not fit: along L the input is 3 (5 with padding), smaller than the window's reach 7.",
    );
    // Only W is too small for the 1×5 kernel.
    expect(rejection(conv2d, { out: 8, kernel: [1, 5] }, [[1, 3, 8, 4]]).message).toContain('along W the input is 4');
  });

  test('an input without spatial dimensions says what was expected', () => {
    const e = rejection(conv2d, { out: 8, kernel: 3 }, [[1, 10]]);
    expect(e.code).toBe('shape');
    expect(e.message).toBe('conv2d layer expects a 4-D input (N, C, H, W), but received shape [1, 10].');
    expect(e.details[0]).toContain('fully connected layer came before it');
    expect(rejection(conv3d, { out: 8, kernel: 3 }, [[1, 3, 8, 8]]).message).toContain('5-D input (N, C, D, H, W)');
  });
});
