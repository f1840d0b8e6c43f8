import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { render } from '../../render/index.js';
import { summarize } from '../../summarize.js';

describe('Keras EfficientNet and EfficientNetV2', () => {
  // Totals: Keras's model.summary(); keras.io's table in millions. Trainable counts: torchvision's, checked below
  // (EfficientNetV2B0…B3 have no torchvision twin: their trainable part is checked through the PyTorch convention only).
  kerasFamilyTests({
    EfficientNetB0: { total: 5_330_571, trainable: 5_288_548, table: 5.3, side: 224 },
    EfficientNetB1: { total: 7_856_239, trainable: 7_794_184, table: 7.9, side: 240 },
    EfficientNetB2: { total: 9_177_569, trainable: 9_109_994, table: 9.2, side: 260 },
    EfficientNetB3: { total: 12_320_535, trainable: 12_233_232, table: 12.3, side: 300 },
    EfficientNetB4: { total: 19_466_823, trainable: 19_341_616, table: 19.5, side: 380 },
    EfficientNetB5: { total: 30_562_527, trainable: 30_389_784, table: 30.6, side: 456 },
    EfficientNetB6: { total: 43_265_143, trainable: 43_040_704, table: 43.3, side: 528 },
    EfficientNetB7: { total: 66_658_687, trainable: 66_347_960, table: 66.7, side: 600 },
    EfficientNetV2B0: { total: 7_200_312, table: 7.2, side: 224 },
    EfficientNetV2B1: { total: 8_212_124, table: 8.2, side: 240 },
    EfficientNetV2B2: { total: 10_178_374, table: 10.2, side: 260 },
    EfficientNetV2B3: { total: 14_467_622, table: 14.5, side: 300 },
    EfficientNetV2S: { total: 21_612_360, trainable: 21_458_488, table: 21.6, side: 384 },
    EfficientNetV2M: { total: 54_431_388, trainable: 54_139_356, table: 54.4, side: 480 },
    EfficientNetV2L: { total: 119_027_848, trainable: 118_515_272, table: 119.0, side: 480 },
  });

  // The Normalization layer adapted to RGB keeps mean [3], variance [3] and count []: 3 + 3 + 1 = 7 more non-trainable.
  // Where the input sizes agree (torchvision's B2 uses 288, Keras's 260), so do the MACs.
  againstTorchvision(
    'its weights; its statistics and the Normalization’s 7 non-trainable',
    [0, 1, 2, 3, 4, 5, 6, 7].map((b) => [`EfficientNetB${b}`, `efficientnet_b${b}`] as const),
    (o) => ({ trainable: o.params, nonTrainable: o.buffers + 7, ...(o.model === 'efficientnet_b2' ? {} : { macs: o.macs }) }),
  );
  againstTorchvision(
    'its weights and MACs, its statistics non-trainable',
    ['S', 'M', 'L'].map((s) => [`EfficientNetV2${s}`, `efficientnet_v2_${s.toLowerCase()}`] as const),
    (o) => ({ trainable: o.params, nonTrainable: o.buffers, macs: o.macs }),
  );

  test('the footer says what the non-trainable parameters are: BatchNorm’s and the Normalization’s statistics', () => {
    // The footer names the weights as the layers hold them: 49 BatchNormalization layers (stem, top, block1a's two,
    // three in each of the other 15 blocks) and the Normalization layer's mean, variance and count.
    const stats = 'mean, variance and count of normalization \\(Normalization\\); moving mean and moving variance of 49 BatchNormalization layers';
    expect(render(summarize('keras:EfficientNetB0'), 'table')).toMatch(new RegExp(`Non-trainable params:\\s+42,023\\s+${stats} \\(Keras convention\\)`));
    expect(render(summarize('keras:EfficientNetB0', { convention: 'pytorch' }), 'table')).toMatch(new RegExp(`Buffers:\\s+42,023\\s+${stats};`));
    // LeNet-5 (1998)'s 840 RBF centres are fixed, not statistics.
    expect(render(summarize('lenet5-1998', { convention: 'keras' }), 'table')).toMatch(/Non-trainable params:\s+840\s+fixed weights of output \(EuclideanRBF\)\n/);
  });

  test('Keras’s names and preprocessing layers', () => {
    const v1 = summarize('keras:EfficientNetB0').layers;
    expect(v1.slice(0, 5).map((l) => l.name)).toEqual(['rescaling', 'normalization', 'rescaling_1', 'stem_conv_pad', 'stem_conv']);
    // 224 is even: correct_pad gives ((0, 1), (0, 1)), so the 'valid' stride-2 stem conv gives 112.
    expect(v1.find((l) => l.name === 'stem_conv')!.outputShape).toEqual([1, 32, 112, 112]);
    const names = v1.map((l) => l.name);
    for (const n of ['block1a_dwconv', 'block1a_se_excite', 'block2a_dwconv_pad', 'block2b_drop', 'block2b_add', 'block7a_project_bn', 'top_conv', 'top_dropout', 'predictions']) expect(names).toContain(n);
    // The first block has no stochastic depth: no block1a_drop.
    expect(names).not.toContain('block1a_drop');
    const v2 = summarize('keras:EfficientNetV2S').layers.map((l) => l.name);
    for (const n of ['rescaling', 'stem_conv', 'block1a_project_conv', 'block1a_project_activation', 'block2a_expand_conv', 'block4a_dwconv2', 'block6o_add']) expect(v2).toContain(n);
  });
});
