import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

describe('MnasNet-B1 (torchvision.models.mnasnet*)', () => {
  // torchvision 0.14's documented num_params of MNASNet{0_5,0_75,1_0,1_3}_Weights.IMAGENET1K_V1.
  familyTests({ mnasnet0_5: 2_218_512, mnasnet0_75: 3_170_208, mnasnet1_0: 4_383_312, mnasnet1_3: 6_282_256 });

  test('depths scale with α, rounded to a multiple of 8 and never 10% down', () => {
    /*
     * Base depths 32, 16, 24, 40, 80, 96, 192, 320. Rounded to the nearest multiple of 8 (halves up):
     *   α = 0.5:  16, 8, 12 → 16, 20 → 24, 40, 48, 96, 160
     *   α = 0.75: 24, 12 → 16, 18 → 16 < 0.9·18 = 16.2 so 24, 30 → 32, 60 → 64, 72, 144, 240
     *   α = 1.3:  41.6 → 40, 20.8 → 24, 31.2 → 32, 52 → 56, 104, 124.8 → 128, 249.6 → 248, 416
     * The stem conv has depth 0; each stack's last block outputs depths 2 … 7.
     */
    const depths = (name: string) => {
      const r = summarize(name);
      const out = (n: string) => r.layers.find((l) => l.name === n)!.outputShape[1];
      return [out('layers.0'), out('layers.6'), out('layers.8.2.layers.6'), out('layers.9.2.layers.6'), out('layers.10.2.layers.6'), out('layers.11.1.layers.6'), out('layers.12.3.layers.6'), out('layers.13.0.layers.6')];
    };
    expect(depths('mnasnet0_5')).toEqual([16, 8, 16, 24, 40, 48, 96, 160]);
    expect(depths('mnasnet0_75')).toEqual([24, 16, 24, 32, 64, 72, 144, 240]);
    expect(depths('mnasnet1_0')).toEqual([32, 16, 24, 40, 80, 96, 192, 320]);
    expect(depths('mnasnet1_3')).toEqual([40, 24, 32, 56, 104, 128, 248, 416]);
  });

  test('residuals only in the repeats of a stack, never in its first block', () => {
    // Stacks of 3, 3, 3, 2, 4 and 1 blocks (layers.8 … layers.13); the first block of each changes depth or stride.
    const r = summarize('mnasnet1_0');
    expect(r.layers.filter((l) => l.op === 'add').map((l) => l.name)).toEqual([
      'layers.8.1.add', 'layers.8.2.add', 'layers.9.1.add', 'layers.9.2.add', 'layers.10.1.add', 'layers.10.2.add',
      'layers.11.1.add', 'layers.12.1.add', 'layers.12.2.add', 'layers.12.3.add',
    ]);
  });

  test('one inverted residual by hand: layers.8.0 of mnasnet1_0', () => {
    // 16 → 24, kernel 3, stride 2, expansion 3: mid = 48. Expand 16·48 = 768, depthwise 3·3·48 = 432,
    // project 48·24 = 1,152, three BNs 2·(48 + 48 + 24) = 240: 2,592 parameters. The depthwise conv halves 112 to 56.
    const r = summarize('mnasnet1_0');
    const block = r.layers.filter((l) => l.name.startsWith('layers.8.0.'));
    expect(block.reduce((s, l) => s + Number(l.params ?? 0), 0)).toBe(2592);
    expect(block.find((l) => l.name === 'layers.8.0.layers.3')!.outputShape).toEqual([1, 48, 56, 56]);
    // The global mean over 7×7 feeds 1,280 features to the classifier: 1,280·1,000 + 1,000 = 1,281,000.
    expect(r.layers.find((l) => l.name === 'mean')!.outputShape).toEqual([1, 1280]);
    expect(r.layers.find((l) => l.name === 'classifier.1')!.params).toBe(1_281_000);
  });
});
