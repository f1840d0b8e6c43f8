import { describe, expect, test } from 'vitest';
import { summarize } from '../summarize.js';
import { stages } from '../render/explain.js';

/*
 * Hand derivation. A 3×3 conv from c_in to c_out channels has (3·3·c_in + 1)·c_out parameters, a 1×1 conv (c_in + 1)·c_out:
 *   conv3-64  (3→64)    (27 + 1)·64        =     1,792     conv3-64  (64→64)   (576 + 1)·64     =    36,928
 *   conv3-128 (64→128)  (576 + 1)·128      =    73,856     conv3-128 (128→128) (1,152 + 1)·128  =   147,584
 *   conv3-256 (128→256) (1,152 + 1)·256    =   295,168     conv3-256 (256→256) (2,304 + 1)·256  =   590,080
 *   conv3-512 (256→512) (2,304 + 1)·512    = 1,180,160     conv3-512 (512→512) (4,608 + 1)·512  = 2,359,808
 *   conv1-256 (256→256) (256 + 1)·256      =    65,792     conv1-512 (512→512) (512 + 1)·512    =   262,656
 * With padding 1 each 3×3 conv keeps the size and each 2×2/2 maxpool halves it: 224 → 112 → 56 → 28 → 14 → 7,
 * so fc1 sees 512·7·7 = 25,088 inputs:
 *   FC-4096 (25,088→4,096) 25,088·4,096 + 4,096 = 102,764,544; FC-4096 (4,096→4,096) 16,781,312; FC-1000 4,097,000
 *   FC total 123,642,856.
 * A     = 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160 + 3·2,359,808 + FC        = 132,863,336
 * A-LRN = A (LRN has no parameters)                                                   = 132,863,336
 * B     = A + 36,928 (second conv3-64) + 147,584 (second conv3-128)                   = 133,047,848
 * C     = B + 65,792 (conv1-256) + 2·262,656 (two conv1-512)                          = 133,638,952
 * D     = B + 590,080 (third conv3-256) + 2·2,359,808 (third conv3-512 twice)         = 138,357,544
 * E     = D + 590,080 + 2·2,359,808 (the fourth conv of stages 3, 4 and 5)            = 143,667,240
 * The paper's Table 2 rounds these to 133, 133, 134, 138 and 144 million.
 */
const expected: Record<string, number> = {
  'vgg-a': 132_863_336,
  'vgg-a-lrn': 132_863_336,
  'vgg-b': 133_047_848,
  'vgg-c': 133_638_952,
  'vgg-d': 138_357_544,
  'vgg-e': 143_667_240,
};

describe('VGG configurations A–E from the paper notation', () => {
  test.each(Object.entries(expected))('%s has %i parameters', (name, params) => {
    const r = summarize(name);
    expect(r.totals.params).toBe(params);
    expect(r.totals.trainable).toBe(params);
    expect(r.model.input).toEqual([1, 3, 224, 224]);
    expect(r.model.output).toEqual([1, 1000]);
  });

  test('Table 2 of the paper, in millions', () => {
    const millions = Object.keys(expected).map((n) => Math.round(Number(summarize(n).totals.params) / 1e6));
    expect(millions).toEqual([133, 133, 133, 134, 138, 144]);
  });

  test('the spatial chain is 224 → 112 → 56 → 28 → 14 → 7 and fc1 sees 512·7·7 inputs', () => {
    const r = summarize('vgg-d');
    const pools = r.layers.filter((l) => l.op === 'maxpool2d').map((l) => l.outputShape[2]);
    expect(pools).toEqual([112, 56, 28, 14, 7]);
    const fc1 = r.layers.find((l) => l.name === 'fc1')!;
    expect(fc1.inputShapes[0]).toEqual([1, 25_088]);
    expect(fc1.formulas.params?.terms).toBe('25,088·4,096 + 4,096');
  });

  test("the seed's stage subtotals for VGG-16", () => {
    // conv3-64 ×2: 1,792 + 36,928; conv3-128 ×2: 73,856 + 147,584; conv3-256 ×3: 295,168 + 2·590,080;
    // conv3-512 ×3: 1,180,160 + 2·2,359,808; conv3-512 ×3: 3·2,359,808; then the three FC layers.
    const rows = stages(summarize('vgg16')).map((s) => [s.label, s.params]);
    expect(rows).toEqual([
      ['conv3-64 ×2', 38_720],
      ['conv3-128 ×2', 221_440],
      ['conv3-256 ×3', 1_475_328],
      ['conv3-512 ×3', 5_899_776],
      ['conv3-512 ×3', 7_079_424],
      ['fc1', 102_764_544],
      ['fc2', 16_781_312],
      ['fc3', 4_097_000],
    ]);
  });

  test('A-LRN has a local response normalisation after its first conv', () => {
    const r = summarize('vgg-a-lrn');
    expect(r.layers.map((l) => l.op).slice(0, 4)).toEqual(['conv2d', 'relu', 'lrn', 'maxpool2d']);
  });

  test('C uses 1×1 convolutions in its last three stages', () => {
    const labels = summarize('vgg-c').layers.filter((l) => l.op === 'conv2d').map((l) => l.label);
    expect(labels.filter((l) => l.startsWith('conv1-'))).toEqual(['conv1-256', 'conv1-512', 'conv1-512']);
  });
});
