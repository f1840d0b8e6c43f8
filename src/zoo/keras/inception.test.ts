import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

describe('Keras InceptionV3 and InceptionResNetV2', () => {
  // Keras's model.summary(): totals and trainable counts; keras.io's table: 23.9M and 55.9M.
  kerasFamilyTests({
    InceptionV3: { total: 23_851_784, trainable: 23_817_352, table: 23.9, side: 299 },
    InceptionResNetV2: { total: 55_873_736, trainable: 55_813_192, table: 55.9, side: 299 },
  });

  // torchvision (aux_logits=False): 23,834,568 parameters and 34,432 running statistics, so 17,216 BatchNorm channels,
  // each with a γ that Keras's BatchNormalization(scale=False) does not have: 23,834,568 − 17,216 = 23,817,352.
  againstTorchvision(
    'without the auxiliary head, less the BatchNorm γ Keras leaves out',
    [['InceptionV3', 'inception_v3_noaux']],
    (o) => ({ trainable: o.params - o.buffers / 2, nonTrainable: o.buffers, macs: o.macs }),
  );

  test('Keras’s automatic and given names', () => {
    const v3 = summarize('keras:InceptionV3').layers;
    expect(v3.filter((l) => l.op === 'conv2d')).toHaveLength(94);
    expect(v3.at(-3)!.name).toBe('avg_pool');
    const names = v3.map((l) => l.name);
    for (const n of ['conv2d', 'conv2d_93', 'batch_normalization_93', 'activation_93', 'mixed0', 'mixed9_0', 'mixed9_1', 'concatenate', 'concatenate_1', 'mixed10']) expect(names).toContain(n);
    expect(v3.find((l) => l.name === 'mixed10')!.outputShape).toEqual([1, 2048, 8, 8]);
    const irv2 = summarize('keras:InceptionResNetV2').layers;
    const at = (n: string) => irv2.find((l) => l.name === n)!;
    // block35_1_conv: a 1×1 conv with a bias from the 32 + 32 + 64 = 128 mixed channels back to 320: 128·320 + 320.
    expect(at('block35_1_conv').params).toBe(41_280);
    expect(at('mixed_7a').outputShape).toEqual([1, 2080, 8, 8]);
    expect(irv2.map((l) => l.name)).not.toContain('block8_10_ac');
    expect(at('conv_7b_ac').outputShape).toEqual([1, 1536, 8, 8]);
  });
});
