import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

describe('Keras MobileNet, V2 and V3', () => {
  // Totals and trainable counts: Keras's model.summary(). MobileNetV3 is not in keras.io's table.
  kerasFamilyTests({
    MobileNet: { total: 4_253_864, trainable: 4_231_976, table: 4.3, side: 224 },
    MobileNetV2: { total: 3_538_984, trainable: 3_504_872, table: 3.5, side: 224 },
    MobileNetV3Large: { total: 5_507_432, trainable: 5_483_032, side: 224 },
    MobileNetV3Small: { total: 2_554_968, trainable: 2_542_856, side: 224 },
  });

  // torchvision's classifier Linear layers are Keras's 1×1 convs on the pooled features: the same counts.
  againstTorchvision(
    'its weights and MACs, its running statistics non-trainable',
    [['MobileNetV2', 'mobilenet_v2'], ['MobileNetV3Large', 'mobilenet_v3_large'], ['MobileNetV3Small', 'mobilenet_v3_small']],
    (o) => ({ trainable: o.params, nonTrainable: o.buffers, macs: o.macs }),
  );

  test('MobileNet: the paper’s 4,231,976 weights (nncalc’s mobilenet_v1), 21,888 BatchNorm statistics', () => {
    // 27 BatchNorms: conv1 32, then per block the depthwise (c_in) and pointwise (c_out) channels:
    // 32 + (32 + 64) + (64 + 128) + (128 + 128) + (128 + 256) + (256 + 256) + (256 + 512) + 5·(512 + 512)
    //    + (512 + 1024) + (1024 + 1024) = 10,944 channels, 2·10,944 = 21,888 statistics.
    const r = summarize('keras:MobileNet').totals;
    expect(r.trainable).toBe(summarize('mobilenet_v1').totals.params);
    expect(r.nonTrainable).toBe(21_888);
  });

  test('strided depthwise convs are valid after Keras’s padding, and the names are Keras’s', () => {
    const v1 = summarize('keras:MobileNet').layers;
    expect(v1.find((l) => l.name === 'conv_pad_2')!.outputShape).toEqual([1, 64, 113, 113]);
    expect(v1.find((l) => l.name === 'conv_dw_2')!.outputShape).toEqual([1, 64, 56, 56]);
    expect(v1.slice(-3).map((l) => l.name)).toEqual(['conv_preds', 'reshape_2', 'predictions']);
    const v2 = summarize('keras:MobileNetV2').layers.map((l) => l.name);
    for (const n of ['Conv1', 'bn_Conv1', 'expanded_conv_depthwise', 'expanded_conv_project_BN', 'block_1_pad', 'block_2_add', 'block_16_project', 'Conv_1', 'out_relu']) expect(v2).toContain(n);
    const v3 = summarize('keras:MobileNetV3Small').layers.map((l) => l.name);
    for (const n of ['rescaling', 'Conv', 'expanded_conv/squeeze_excite/Mul', 'expanded_conv_1/expand', 'expanded_conv_10/Add', 'Conv_2', 'Logits', 'Predictions']) expect(v3).toContain(n);
  });
});
