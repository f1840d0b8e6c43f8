import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

const layer = (model: string, name: string) => {
  const l = summarize(model).layers.find((x) => x.name === name);
  if (!l) throw new Error(`${model} has no layer ${name}`);
  return l;
};

describe('SqueezeNet (torchvision.models.squeezenet1_0 / squeezenet1_1)', () => {
  // torchvision 0.14's documented num_params of SqueezeNet1_0_Weights / SqueezeNet1_1_Weights.IMAGENET1K_V1.
  // No batch norm, so under the Keras convention nothing is non-trainable.
  familyTests({ squeezenet1_0: 1_248_424, squeezenet1_1: 1_235_496 });

  test('a Fire module concatenates its two expand branches', () => {
    // features.3 = Fire(96, 16, 64, 64). Stem: conv 7×7/2 ⌊(224 − 7)/2⌋ + 1 = 109, maxpool 3×3/2 ⌈(109 − 3)/2⌉ + 1 = 54.
    // squeeze (96 + 1)·16 = 1,552; expand1x1 (16 + 1)·64 = 1,088; expand3x3 (3·3·16 + 1)·64 = 9,280; output 64 + 64 = 128 channels.
    const r = summarize('squeezenet1_0');
    const fire = r.layers.filter((l) => l.name.startsWith('features.3.'));
    expect(fire.map((l) => [l.name, l.params])).toEqual([
      ['features.3.squeeze', 1_552],
      ['features.3.squeeze_activation', 0],
      ['features.3.expand1x1', 1_088],
      ['features.3.expand1x1_activation', 0],
      ['features.3.expand3x3', 9_280],
      ['features.3.expand3x3_activation', 0],
      ['features.3.cat', 0],
    ]);
    expect(layer('squeezenet1_0', 'features.3.cat').outputShape).toEqual([1, 128, 54, 54]);
  });

  test("torchvision's max pools round up (ceil_mode)", () => {
    // features.6 pools 54: ⌈(54 − 3)/2⌉ + 1 = 27 (rounding down would give 26); features.11: ⌈(27 − 3)/2⌉ + 1 = 13.
    expect(layer('squeezenet1_0', 'features.6').outputShape).toEqual([1, 256, 27, 27]);
    expect(layer('squeezenet1_0', 'features.11').outputShape).toEqual([1, 512, 13, 13]);
    // v1.1: conv 3×3/2 ⌊(224 − 3)/2⌋ + 1 = 111, then 111 → 55 → 27 → 13 through three ceil-mode pools.
    expect(['features.2', 'features.5', 'features.8'].map((n) => layer('squeezenet1_1', n).outputShape[2])).toEqual([55, 27, 13]);
  });

  test('the classifier is a 1×1 conv to the classes, then global pooling and flatten', () => {
    // (512 + 1)·1,000 = 513,000 parameters; MACs 13·13·1,000·512 = 86,528,000.
    const conv = layer('squeezenet1_0', 'classifier.1');
    expect([conv.params, conv.macs]).toEqual([513_000, 86_528_000]);
    expect(layer('squeezenet1_0', 'flatten').outputShape).toEqual([1, 1000]);
  });

  test('v1.1 needs about 2.4× fewer MACs than v1.0', () => {
    // torchvision's squeezenet1_1 docstring: "SqueezeNet 1.1 has 2.4x less computation and slightly fewer parameters than SqueezeNet 1.0".
    const ratio = Number(summarize('squeezenet1_0').totals.macs) / Number(summarize('squeezenet1_1').totals.macs);
    expect(ratio).toBeGreaterThan(2.3);
    expect(ratio).toBeLessThan(2.5);
  });
});
