import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { render } from '../../render/index.js';
import { summarize } from '../../summarize.js';

/*
 * Hand derivation, ResNet50 against torchvision's resnet50 (25,557,032 parameters, 53,120 BatchNorm statistics by
 * PyTorch's own count, test/oracle/torchvision/resnet50.json). Both have 53 convs, each followed by a BatchNorm of
 * its output channels, and the stride's place changes no weight. Keras's convs have biases: one per output channel,
 *   64 + [3·(64 + 64 + 256) + 256] + [4·(128 + 128 + 512) + 512] + [6·(256 + 256 + 1024) + 1024]
 *      + [3·(512 + 512 + 2048) + 2048] = 64 + 1,408 + 3,584 + 10,240 + 11,264 = 26,560,
 * which is also the number of BatchNorm channels (53,120 statistics / 2). So:
 *   trainable = 25,557,032 + 26,560 = 25,583,592; non-trainable = 53,120; total = 25,636,712,
 * the total of Keras's model.summary() (keras.io's table: 25.6M).
 */
describe('Keras ResNet and ResNetV2', () => {
  // Totals: Keras's model.summary() (and its trainable count for ResNet50 and ResNet50V2). The trainable counts of
  // ResNet101 and ResNet152 follow from torchvision's as for ResNet50 above (checked in the next test).
  kerasFamilyTests({
    ResNet50: { total: 25_636_712, trainable: 25_583_592, table: 25.6, side: 224 },
    ResNet101: { total: 44_707_176, trainable: 44_601_832, table: 44.7, side: 224 },
    ResNet152: { total: 60_419_944, trainable: 60_268_520, table: 60.4, side: 224 },
    ResNet50V2: { total: 25_613_800, trainable: 25_568_360, table: 25.6, side: 224 },
    ResNet101V2: { total: 44_675_560, table: 44.7, side: 224 },
    ResNet152V2: { total: 60_380_648, table: 60.4, side: 224 },
  });

  againstTorchvision(
    'its weights plus one bias per BatchNorm channel',
    [['ResNet50', 'resnet50'], ['ResNet101', 'resnet101'], ['ResNet152', 'resnet152']],
    (o) => ({ trainable: o.params + o.buffers / 2, nonTrainable: o.buffers }),
  );

  test('Keras’s names, and the table shows channels last with a None batch', () => {
    const r = summarize('keras:ResNet50');
    expect(r.layers.slice(0, 6).map((l) => l.name)).toEqual(['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']);
    const names = r.layers.map((l) => l.name);
    expect(names).toContain('conv2_block1_0_conv');
    expect(names.slice(-3)).toEqual(['avg_pool', 'predictions', 'predictions_softmax']);
    // conv1_conv: (7·7·3 + 1)·64 = 9,472, on 224 + 2·3 = 230 pixels: ⌊(230 − 7)/2⌋ + 1 = 112.
    const text = render(r, 'table');
    expect(text).toMatch(/^conv1_conv \(Conv2d\)\s+\(None, 112, 112, 64\)\s+9,472\s/m);
    expect(text).toContain('Input (None, 224, 224, 3) · output (None, 1000) · Keras convention');
    // The engine keeps batch-first, channels-first shapes: JSON is unchanged.
    expect(r.layers[1]!.outputShape).toEqual([1, 64, 112, 112]);
    // A batch the user sets is shown as it is.
    expect(render(summarize('keras:ResNet50', { batch: 8 }), 'table')).toMatch(/^conv1_conv \(Conv2d\)\s+\(8, 112, 112, 64\)/m);
  });

  test('v1 strides its first 1×1 conv; v2 strides the 3×3 of a stack’s last block, with a 1×1 max-pool shortcut', () => {
    const v1 = summarize('keras:ResNet50').layers;
    expect(v1.find((l) => l.name === 'conv3_block1_1_conv')!.outputShape).toEqual([1, 128, 28, 28]);
    const v2 = summarize('keras:ResNet50V2').layers;
    expect(v2.find((l) => l.name === 'conv2_block3_2_conv')!.outputShape).toEqual([1, 64, 28, 28]);
    expect(v2.find((l) => l.name === 'max_pooling2d')!.outputShape).toEqual([1, 256, 28, 28]);
    expect(v2.filter((l) => l.name.startsWith('max_pooling2d')).map((l) => l.name)).toEqual(['max_pooling2d', 'max_pooling2d_1', 'max_pooling2d_2']);
    // v2 has no conv1_bn: its first BatchNormalization is the first block's pre-activation.
    expect(v2.find((l) => l.op === 'batch_normalization')!.name).toBe('conv2_block1_preact_bn');
  });
});
