import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

describe('ConvNeXt totals', () => {
  // num_params of ConvNeXt_{Tiny,Small,Base,Large}_Weights.IMAGENET1K_V1 in torchvision 0.14. No BatchNorm, so under
  // the Keras convention nothing is non-trainable.
  familyTests({ convnext_tiny: 28_589_128, convnext_small: 50_223_688, convnext_base: 88_591_464, convnext_large: 197_767_336 });
});

describe('ConvNeXt-T by hand', () => {
  const r = summarize('convnext_tiny');
  const layer = (name: string) => r.layers.find((l) => l.name === name)!;
  const sum = (prefix: string) => r.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + Number(l.params ?? Number.NaN), 0);

  test('one block of width C holds 8C² + 58C parameters', () => {
    // Depthwise 7×7: 49C + C; LayerNorm 2C; Linear C → 4C: 4C² + 4C; Linear 4C → C: 4C² + C; layer scale C.
    // C = 96: 4,800 + 192 + 37,248 + 36,960 + 96 = 79,296 = 8·96² + 58·96.
    expect(sum('features.1.0.')).toBe(79_296);
    expect(layer('features.1.0.layer_scale').params).toBe(96);
    expect(layer('features.1.0.block.0').params).toBe(4_800);
    // C = 768: 8·589,824 + 58·768 = 4,718,592 + 44,544 = 4,763,136.
    expect(sum('features.7.2.')).toBe(4_763_136);
  });

  test('the total from blocks, downsamplings, stem and head', () => {
    // Blocks [3, 3, 9, 3] of C 96, 192, 384, 768: 3·79,296 + 3·306,048 + 9·1,201,920 + 3·4,763,136 = 26,262,720.
    expect(['1', '3', '5', '7'].reduce((s, i) => s + sum(`features.${i}.`), 0)).toBe(26_262_720);
    // Downsampling from C: LayerNorm2d 2C + conv 2·2·C·2C + 2C = 8C² + 4C: 74,112 + 295,680 + 1,181,184 = 1,550,976.
    expect(['2', '4', '6'].reduce((s, i) => s + sum(`features.${i}.`), 0)).toBe(1_550_976);
    // Stem 96·3·4·4 + 96 + 2·96 = 4,896; head LayerNorm2d 1,536 + Linear 769,000 = 770,536.
    // 26,262,720 + 1,550,976 + 4,896 + 770,536 = 28,589,128.
    expect(sum('features.0.')).toBe(4_896);
    expect(sum('classifier.')).toBe(770_536);
  });

  test("the depthwise conv's MACs and the Permute layers around the pointwise part", () => {
    // 96·56·56 outputs × 7·7 taps of one channel each = 14,751,744.
    expect(layer('features.1.0.block.0').macs).toBe(14_751_744);
    expect(layer('features.1.0.block.1')).toMatchObject({ type: 'Permute', params: 0, outputShape: [1, 56, 56, 96] });
    expect(layer('features.1.0.block.6')).toMatchObject({ type: 'Permute', params: 0, outputShape: [1, 96, 56, 56] });
    // Two per block, 3 + 3 + 9 + 3 = 18 blocks.
    expect(r.layers.filter((l) => l.type === 'Permute')).toHaveLength(36);
    expect(layer('features.0.1').type).toBe('LayerNorm2d');
  });
});
