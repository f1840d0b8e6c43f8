import { describe, expect, test } from 'vitest';
import { zooReport } from '../../test/helpers.js';
import { familyTests } from '../../test/zoo-family.js';

/** num_params of each model's default weights in torchvision 0.14 (ResNet18_Weights.IMAGENET1K_V1.meta, …, V2 where there is one). */
const published: Record<string, number> = {
  resnet18: 11_689_512,
  resnet34: 21_797_672,
  resnet50: 25_557_032,
  resnet101: 44_549_160,
  resnet152: 60_192_808,
  resnext50_32x4d: 25_028_904,
  resnext101_32x8d: 88_791_336,
  resnext101_64x4d: 83_455_272,
  wide_resnet50_2: 68_883_240,
  wide_resnet101_2: 126_886_696,
};

describe('ResNet totals', () => {
  familyTests(published);
});

describe('ResNeXt-101 64×4d by hand', () => {
  test('the 3×3 conv of the last stage: 64 groups of 4·8 = 32 channels', () => {
    // Bottleneck width = planes·(base_width/64)·groups = 512·(4/64)·64 = 2,048, in 64 groups of 32.
    // Weights 3·3·32·2,048 = 589,824; MACs at 7×7: 2,048·49·32·9 = 28,901,376.
    const conv = zooReport('resnext101_64x4d').layers.find((l) => l.name === 'layer4.1.conv2')!;
    expect(conv.outputShape).toEqual([1, 2048, 7, 7]);
    expect(conv.params).toBe(589_824);
    expect(conv.macs).toBe(28_901_376);
  });
});
