import { describe, expect, test } from 'vitest';
import { kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

describe('Keras NASNet', () => {
  // Keras's model.summary(): totals and trainable counts; keras.io's table: 5.3M and 88.9M.
  kerasFamilyTests({
    NASNetMobile: { total: 5_326_716, trainable: 5_289_978, table: 5.3, side: 224 },
    NASNetLarge: { total: 88_949_818, trainable: 88_753_150, table: 88.9, side: 331 },
  });

  test('the cells’ widths and sizes: penultimate/24 filters per branch, 6 branches per normal cell, 4 per reduction', () => {
    // NASNetMobile: 1056/24 = 44 filters; stem cells 44/4 = 11 and 44/2 = 22 (×4 branches), then 44, 88, 176 (×6).
    const at = (m: string, n: string) => summarize(m).layers.find((l) => l.name === n)!.outputShape;
    expect(at('keras:NASNetMobile', 'stem_conv1')).toEqual([1, 32, 111, 111]);
    expect(at('keras:NASNetMobile', 'reduction_concat_stem_1')).toEqual([1, 44, 56, 56]);
    expect(at('keras:NASNetMobile', 'reduction_concat_stem_2')).toEqual([1, 88, 28, 28]);
    expect(at('keras:NASNetMobile', 'normal_concat_0')).toEqual([1, 264, 28, 28]);
    expect(at('keras:NASNetMobile', 'reduction_concat_reduce_4')).toEqual([1, 352, 14, 14]);
    expect(at('keras:NASNetMobile', 'normal_concat_12')).toEqual([1, 1056, 7, 7]);
    // NASNetLarge on 331: 165, 83, 42, 21, 11; 4032/24 = 168 filters, 6·4·168 = 4,032 channels at the end.
    expect(at('keras:NASNetLarge', 'stem_conv1')).toEqual([1, 96, 165, 165]);
    expect(at('keras:NASNetLarge', 'reduction_concat_reduce_12')).toEqual([1, 2688, 11, 11]);
    expect(at('keras:NASNetLarge', 'normal_concat_18')).toEqual([1, 4032, 11, 11]);
  });

  test('adjust_block: a size mismatch gets the two shifted average pools, a width mismatch a projection', () => {
    const names = summarize('keras:NASNetMobile').layers.map((l) => l.name);
    // After each reduction the next cell's p is twice the size: stem_2, cells 0, 5 and 9 (NASNetMobile keeps the
    // reduction cell's output as p).
    expect(names.filter((n) => n.startsWith('adjust_relu_1_'))).toEqual(['adjust_relu_1_stem_2', 'adjust_relu_1_0', 'adjust_relu_1_5', 'adjust_relu_1_9']);
    expect(names).toContain('adjust_conv_projection_1');
    expect(names).toContain('cropping2d');
  });
});
