import { describe, expect, test } from 'vitest';
import { kerasFamilyTests } from '../../../test/keras-family.js';
import { readOracle } from '../../../test/oracle.js';
import { summarize } from '../../summarize.js';

describe('Keras VGG16 and VGG19', () => {
  // Keras's model.summary(): 138,357,544 and 143,667,240, all trainable (no BatchNorm); keras.io's table: 138.4M, 143.7M.
  // The same figures as the VGG paper's configurations D and E, derived by hand in src/zoo/vgg.test.ts.
  kerasFamilyTests({
    VGG16: { total: 138_357_544, trainable: 138_357_544, table: 138.4, side: 224 },
    VGG19: { total: 143_667_240, trainable: 143_667_240, table: 143.7, side: 224 },
  });

  test("layer by layer, VGG16's weights and MACs are torchvision's, under Keras's names", () => {
    const r = summarize('keras:VGG16');
    const counted = r.layers.filter((l) => l.params !== 0);
    const oracle = readOracle('vgg16').layers.filter((l) => l.params !== 0);
    expect(counted.map((l) => [l.params, l.macs])).toEqual(oracle.map((l) => [l.params, l.macs]));
    expect(counted.map((l) => l.name)).toEqual([
      'block1_conv1', 'block1_conv2', 'block2_conv1', 'block2_conv2', 'block3_conv1', 'block3_conv2', 'block3_conv3',
      'block4_conv1', 'block4_conv2', 'block4_conv3', 'block5_conv1', 'block5_conv2', 'block5_conv3', 'fc1', 'fc2', 'predictions',
    ]);
    expect(r.layers.map((l) => l.name)).toContain('block5_pool');
  });
});
