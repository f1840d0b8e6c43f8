import { describe, expect, test } from 'vitest';
import { kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

describe('Keras Xception', () => {
  // Keras's model.summary(): Total params 22,910,480, trainable 22,855,952; keras.io's table: 22.9M.
  kerasFamilyTests({ Xception: { total: 22_910_480, trainable: 22_855_952, table: 22.9, side: 299 } });

  test('54,528 BatchNorm statistics: 2 × the channels of its 40 BatchNormalizations', () => {
    // block1: 32 + 64; shortcuts: 128 + 256 + 728 + 1024; blocks 2–4: 2·128 + 2·256 + 2·728; middle: 8·3·728;
    // block13: 728 + 1024; block14: 1536 + 2048. Sum: 96 + 2,136 + 2,224 + 17,472 + 1,752 + 3,584 = 27,264 → 54,528.
    expect(summarize('keras:Xception').totals.nonTrainable).toBe(54_528);
  });

  test('the entry flow shrinks 299 → 149 → 147 with valid convs, then halves; the names are Keras’s', () => {
    const layers = summarize('keras:Xception').layers;
    const at = (n: string) => layers.find((l) => l.name === n)!.outputShape;
    expect(at('block1_conv1')).toEqual([1, 32, 149, 149]);
    expect(at('block1_conv2')).toEqual([1, 64, 147, 147]);
    expect(at('block2_pool')).toEqual([1, 128, 74, 74]);
    expect(at('conv2d')).toEqual([1, 128, 74, 74]);
    expect(at('block13_pool')).toEqual([1, 1024, 10, 10]);
    expect(at('block14_sepconv2_act')).toEqual([1, 2048, 10, 10]);
    expect(layers.filter((l) => l.op === 'add').map((l) => l.name)).toEqual(['add', ...Array.from({ length: 11 }, (_, i) => `add_${i + 1}`)]);
  });
});
