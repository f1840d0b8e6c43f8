import { describe, expect, test } from 'vitest';
import { againstTorchvision, kerasFamilyTests } from '../../../test/keras-family.js';
import { summarize } from '../../summarize.js';

/*
 * Hand derivation for ConvNeXtXLarge (widths 256/512/1024/2048, blocks [3, 3, 27, 3]), which torchvision does not build.
 * A block of width C: depthwise 7×7 (49·C + C), LayerNorm 2·C, C → 4C (4C² + 4C), 4C → C (4C² + C), γ C: 8C² + 58·C.
 *   C = 256:  8·65,536 + 14,848 = 539,136          × 3  =   1,617,408
 *   C = 512:  8·262,144 + 29,696 = 2,126,848       × 3  =   6,380,544
 *   C = 1024: 8·1,048,576 + 59,392 = 8,448,000     × 27 = 228,096,000
 *   C = 2048: 8·4,194,304 + 118,784 = 33,673,216   × 3  = 101,019,648
 * stem: 4·4·3·256 + 256 + 2·256 = 13,056; downsampling i → i+1: 2·C_i + 2·2·C_i·C_{i+1} + C_{i+1}:
 *   512 + 524,288 + 512 = 525,312; 1,024 + 2,097,152 + 1,024 = 2,099,200; 2,048 + 8,388,608 + 2,048 = 8,392,704
 * head: LayerNorm 2·2048 = 4,096; Dense 2048·1000 + 1000 = 2,049,000.
 * Total: 1,617,408 + 6,380,544 + 228,096,000 + 101,019,648 + 13,056 + 525,312 + 2,099,200 + 8,392,704 + 4,096
 *        + 2,049,000 = 350,196,968, the total of Keras's model.summary() (keras.io's table: 350.1M).
 */
describe('Keras ConvNeXt', () => {
  // Totals: Keras's model.summary(); all trainable (no BatchNorm).
  kerasFamilyTests({
    ConvNeXtTiny: { total: 28_589_128, trainable: 28_589_128, table: 28.6, side: 224 },
    ConvNeXtSmall: { total: 50_223_688, trainable: 50_223_688, table: 50.2, side: 224 },
    ConvNeXtBase: { total: 88_591_464, trainable: 88_591_464, table: 88.5, side: 224 },
    ConvNeXtLarge: { total: 197_767_336, trainable: 197_767_336, table: 197.7, side: 224 },
    ConvNeXtXLarge: { total: 350_196_968, trainable: 350_196_968, table: 350.1, side: 224 },
  });

  againstTorchvision(
    'its parameters and MACs',
    ['Tiny', 'Small', 'Base', 'Large'].map((s) => [`ConvNeXt${s}`, `convnext_${s.toLowerCase()}`] as const),
    (o) => ({ trainable: o.params, nonTrainable: 0, macs: o.macs }),
  );

  test('Keras’s names', () => {
    const names = summarize('keras:ConvNeXtTiny').layers.map((l) => l.name);
    for (const n of ['convnext_tiny_prestem_normalization', 'convnext_tiny_stem_conv', 'convnext_tiny_stage_0_block_0_depthwise_conv', 'convnext_tiny_stage_2_block_8_layer_scale', 'convnext_tiny_downsampling_conv_2', 'convnext_tiny_head_layernorm', 'convnext_tiny_head_dense']) {
      expect(names).toContain(n);
    }
  });
});
