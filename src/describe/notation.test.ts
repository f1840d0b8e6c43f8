import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { lineColumn } from '../errors.js';
import { build } from './build.js';
import { MAX_LAYERS, looksLikeNotation, parseNotation } from './notation.js';
import type { OpSpec } from './spec.js';

const ops = (text: string, opts = {}) => (parseNotation(text, opts).layers as OpSpec[]).map((l) => l.op);
const names = (text: string) => (parseNotation(text).layers as OpSpec[]).map((l) => l.name);

describe('the input header', () => {
  test.each([
    ['input (224 × 224 RGB image)', [1, 3, 224, 224]],
    ['224x224x3', [1, 3, 224, 224]],
    ['224×224×3', [1, 3, 224, 224]],
    ['32 x 32 x 1', [1, 1, 32, 32]],
    ['input: 28x28 gray', [1, 1, 28, 28]],
    ['784', [1, 784]],
  ])('%s', (header, shape) => {
    expect(parseNotation(`${header}, FC-10`).input).toEqual(shape);
  });

  test('no header leaves the input to --input', () => {
    expect(parseNotation('conv3-64, maxpool').input).toBeUndefined();
  });
});

describe('words and repetition', () => {
  test('conv, pool and FC words carry their numbers', () => {
    const l = parseNotation('conv7-64/2, maxpool3/2, conv3x5-16, avgpool, FC-10').layers as OpSpec[];
    expect(l[0]!.attrs).toEqual({ out: 64, kernel: [7, 7], stride: 2, padding: [3, 3] });
    expect(l[2]!.attrs).toEqual({ kernel: 3, stride: 2 });
    expect(l[3]!.attrs).toEqual({ out: 16, kernel: [3, 5], stride: 1, padding: [1, 2] });
    expect(l[5]!.attrs).toEqual({ kernel: 2, stride: 2 });
  });

  test.each(['conv3-64 x3', 'conv3-64 ×3', 'conv3-64 x 3', '3x conv3-64', 'conv3-64x3', 'conv3-64, conv3-64, conv3-64'])('%s is three convs', (text) => {
    expect(ops(text, { relu: false })).toEqual(['conv2d', 'conv2d', 'conv2d']);
  });

  test('one layer per line, comments, and the paper spellings', () => {
    expect(ops('# VGG-ish\nconv3-64  # first\nLRN\nmaxpool\nFC-4096\nsoft-max')).toEqual(['conv2d', 'relu', 'lrn', 'maxpool2d', 'flatten', 'linear', 'softmax']);
  });
});

describe('implicit rules', () => {
  test('ReLU after convs and hidden FCs, flatten before the first FC, none after the last FC', () => {
    expect(ops('32x32x3, conv3-8, maxpool, FC-16, FC-10, soft-max')).toEqual(['conv2d', 'relu', 'maxpool2d', 'flatten', 'linear', 'relu', 'linear', 'softmax']);
  });

  test('an explicit activation replaces the implicit ReLU', () => {
    expect(ops('conv3-8, tanh, FC-10')).toEqual(['conv2d', 'tanh', 'flatten', 'linear']);
  });

  test('each rule can be switched off', () => {
    expect(ops('conv3-8, FC-10', { relu: false, flatten: false })).toEqual(['conv2d', 'linear']);
    const valid = parseNotation('conv3-8', { padding: 'valid' }).layers[0] as OpSpec;
    expect(valid.attrs['padding']).toBe(0);
  });

  test('an MLP on a feature vector needs no flatten', () => {
    expect(ops('784, FC-100, FC-10')).toEqual(['linear', 'relu', 'linear']);
  });
});

describe('names', () => {
  test('Caffe-style stage names, FC layers counted from 1', () => {
    expect(names('conv3-64 x2, maxpool, conv3-128, maxpool, FC-10')).toEqual([
      'conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1', 'conv2_1', 'relu2_1', 'pool2', 'flatten', 'fc1',
    ]);
  });

  test('repeated explicit words get unique names quickly', () => {
    const t = performance.now();
    const n = names('16x16x3, relu x10000, relu x10000');
    expect(new Set(n).size).toBe(20_000);
    expect(n.slice(0, 3)).toEqual(['relu', 'relu_2', 'relu_3']);
    expect(performance.now() - t).toBeLessThan(2_000); // linear, not quadratic, naming
  });
});

describe('errors', () => {
  test('a typo: the offending word located, with a did-you-mean', () => {
    const text = '224x224x3\nconv3-64 x2, maxpol\nFC-10';
    const e = errorOf(() => parseNotation(text));
    expect(e.code).toBe('notation');
    expect(e.message).toBe("unknown layer 'maxpol'. Did you mean 'maxpool'?");
    expect(e.loc?.kind === 'text' && lineColumn(text, e.loc.offset)).toEqual({ line: 2, column: 14 });
  });

  test.each([
    ['cnov3-64', 'conv3-64'],
    ['FC-4069x', 'FC-4069'],
    ['sofmax', 'softmax'],
    ['LNR', 'LRN'],
  ])('%s → did you mean %s', (word, suggestion) => {
    expect(errorOf(() => parseNotation(`conv3-64, ${word}`)).message).toContain(`Did you mean '${suggestion}'?`);
  });

  test('words that only look like keys of the op table are unknown', () => {
    expect(errorOf(() => parseNotation('conv3-64, constructor')).message).toBe("unknown layer 'constructor'.");
  });

  test('repetition counts are bounded, each and in total', () => {
    expect(errorOf(() => parseNotation('conv3-64 x0')).message).toContain('between 1 and 10000');
    expect(errorOf(() => parseNotation('conv3-64 x10000 x10000')).message).toBe(`'conv3-64' is repeated 100,000,000 times; nncalc reads at most ${MAX_LAYERS.toLocaleString('en-US')} layers.`);
    expect(errorOf(() => parseNotation('x2, conv3-64')).message).toContain('repeats nothing');
  });

  test('an empty text has no layers', () => {
    expect(errorOf(() => parseNotation('  # nothing\n')).message).toContain('no layers');
  });
});

test('looksLikeNotation tells notation from a zoo name', () => {
  expect(looksLikeNotation('conv3-64')).toBe(true);
  expect(looksLikeNotation('FC-10')).toBe(true);
  expect(looksLikeNotation('a, b')).toBe(true);
  expect(looksLikeNotation('vgg16')).toBe(false);
});

test('the notation of a column of Table 1 builds and analyses', () => {
  // conv3-64 on 3 channels: (27 + 1)·64 = 1,792; after the 2×2 pool: 64·16·16 = 16,384 features; FC-10: 163,850.
  const r = analyze(build(parseNotation('32x32x3, conv3-64, maxpool, FC-10')));
  expect(r.totals.params).toBe(1_792 + 163_850);
});
