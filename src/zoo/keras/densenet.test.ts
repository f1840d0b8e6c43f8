import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

describe('Keras DenseNet', () => {
  // Totals: Keras's model.summary(); trainable: torchvision's densenet121/169/201 (the same architecture, checked below).
  kerasFamilyTests({
    DenseNet121: { total: 8_062_504, trainable: 7_978_856, table: 8.1, side: 224 },
    DenseNet169: { total: 14_307_880, trainable: 14_149_480, table: 14.3, side: 224 },
    DenseNet201: { total: 20_242_984, trainable: 20_013_928, table: 20.2, side: 224 },
  });

  againstTorchvision(
    'its weights and MACs, its running statistics non-trainable',
    [121, 169, 201].map((d) => [`DenseNet${d}`, `densenet${d}`] as const),
    (o) => ({ trainable: o.params, nonTrainable: o.buffers, macs: o.macs }),
  );

  test('Keras’s names: conv1/conv, conv2_block1_concat, pool2_conv, bn', () => {
    const names = summarize('keras:DenseNet121').layers.map((l) => l.name);
    for (const n of ['zero_padding2d', 'conv1/conv', 'conv1/bn', 'pool1', 'conv2_block1_0_bn', 'conv2_block6_concat', 'pool2_conv', 'pool4_pool', 'conv5_block16_2_conv', 'bn', 'avg_pool', 'predictions']) {
      expect(names).toContain(n);
    }
  });
});
