import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

describe('DenseNet-BC (torchvision.models.densenet*)', () => {
  // torchvision 0.14's documented num_params of DenseNet{121,161,169,201}_Weights.IMAGENET1K_V1.
  familyTests({ densenet121: 7_978_856, densenet161: 28_681_000, densenet169: 14_149_480, densenet201: 20_013_928 });

  test('each dense layer reads the concatenation of everything before it in its block', () => {
    // Block 1 of DenseNet-121 starts from 64 channels at 56×56 (conv0 7×7/2: 112; pool0 3×3/2 pad 1: 56); layer i
    // reads 64 + 32·(i − 1) channels, so denselayer1 concatenates one tensor and denselayer6 six, giving 224 channels.
    const r = summarize('densenet121');
    const get = (n: string) => r.layers.find((l) => l.name === `features.denseblock1.${n}`)!;
    expect(get('denselayer1.cat').inputShapes).toEqual([[1, 64, 56, 56]]);
    expect(get('denselayer6.cat').inputShapes.map((s) => s[1])).toEqual([64, 32, 32, 32, 32, 32]);
    expect(get('denselayer6.cat').outputShape).toEqual([1, 224, 56, 56]);
    // Bottleneck: conv1 1×1 224 → 4·32 = 128 without bias: 224·128 = 28,672; conv2 3×3 128 → 32: 3·3·128·32 = 36,864.
    expect([get('denselayer6.conv1').params, get('denselayer6.conv2').params]).toEqual([28_672, 36_864]);
    // The block's own concatenation: the input and six new 32-channel maps, 64 + 6·32 = 256.
    expect(get('cat').inputShapes).toHaveLength(7);
    expect(get('cat').outputShape).toEqual([1, 256, 56, 56]);
  });

  test('dense block 1 of DenseNet-121 holds 335,040 parameters', () => {
    // Layer i with c = 64 + 32·(i − 1) inputs: norm1 2c, conv1 128c, norm2 2·128 = 256, conv2 36,864.
    // Σc over i = 1…6 is 6·64 + 32·(0 + 1 + … + 5) = 384 + 480 = 864, so 130·864 + 6·(256 + 36,864) = 112,320 + 222,720.
    const r = summarize('densenet121');
    const sum = r.layers.filter((l) => l.name.startsWith('features.denseblock1.')).reduce((s, l) => s + Number(l.params ?? 0), 0);
    expect(sum).toBe(335_040);
  });

  test('transitions halve channels and size', () => {
    // DenseNet-121: 64 + 6·32 = 256 → 128; 128 + 12·32 = 512 → 256; 256 + 24·32 = 1,024 → 512; 512 + 16·32 = 1,024 at 7×7.
    const r = summarize('densenet121');
    const shape = (n: string) => r.layers.find((l) => l.name === n)!.outputShape;
    expect(['features.transition1.pool', 'features.transition2.pool', 'features.transition3.pool', 'features.denseblock4.cat'].map(shape)).toEqual([
      [1, 128, 28, 28],
      [1, 256, 14, 14],
      [1, 512, 7, 7],
      [1, 1024, 7, 7],
    ]);
  });

  test('the classifier sees the last block’s channels', () => {
    // DenseNet-121 ends with 1,024 channels: (1,024 + 1)·1,000 = 1,025,000. DenseNet-161 (k = 48, 96-channel stem):
    // 96 + 6·48 = 384 → 192; 192 + 12·48 = 768 → 384; 384 + 36·48 = 2,112 → 1,056; 1,056 + 24·48 = 2,208, so (2,208 + 1)·1,000.
    const fc = (name: string) => summarize(name).layers.find((l) => l.name === 'classifier')!;
    expect(fc('densenet121').params).toBe(1_025_000);
    expect(fc('densenet161').params).toBe(2_209_000);
    expect(fc('densenet161').inputShapes[0]).toEqual([1, 2208]);
  });
});
