import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

describe('ShuffleNet V2 (torchvision.models.shufflenet_v2_*)', () => {
  // torchvision 0.14's documented num_params of ShuffleNet_V2_X{0_5,1_0,1_5,2_0}_Weights.IMAGENET1K_V1.
  familyTests({ shufflenet_v2_x0_5: 1_366_792, shufflenet_v2_x1_0: 2_278_604, shufflenet_v2_x1_5: 3_503_624, shufflenet_v2_x2_0: 7_393_996 });

  test('stage 2 of the 1× network, by hand', () => {
    /*
     * 24 channels at 56×56 in, 116 out, so each branch makes 116/2 = 58 channels.
     * stage2.0 (stride 2) branch1: depthwise 3·3·24 = 216, BN 48, 1×1 24·58 = 1,392, BN 116        =  1,772
     *                     branch2: 1×1 24·58 = 1,392, BN 116, depthwise 3·3·58 = 522, BN 116,
     *                              1×1 58·58 = 3,364, BN 116                                         =  5,626
     * stage2.1 … 2.3 (stride 1), branch2 on 58 of the 116 channels: 3,364 + 116 + 522 + 116 + 3,364 + 116 = 7,598 each
     * stage 2: 1,772 + 5,626 + 3·7,598 = 30,192
     */
    const r = summarize('shufflenet_v2_x1_0');
    const sum = (prefix: string) => r.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + Number(l.params ?? 0), 0);
    expect([sum('stage2.0.branch1.'), sum('stage2.0.branch2.'), sum('stage2.1.'), sum('stage2.')]).toEqual([1772, 5626, 7598, 30_192]);
    // A stride-1 unit: the split hands 58 channels to branch2, whose output joins the other 58 again.
    const get = (n: string) => r.layers.find((l) => l.name === n)!;
    expect(get('stage2.1.branch2.0').inputShapes).toEqual([[1, 58, 28, 28]]);
    expect(get('stage2.1.cat').inputShapes).toEqual([[1, 58, 28, 28], [1, 58, 28, 28]]);
    expect(get('stage2.1.channel_shuffle').outputShape).toEqual([1, 116, 28, 28]);
    // Its MACs: 28²·(58·58 + 3·3·58 + 58·58) = 784·7,250 = 5,684,000.
    expect(r.layers.filter((l) => l.name.startsWith('stage2.1.')).reduce((s, l) => s + Number(l.macs ?? 0), 0)).toBe(5_684_000);
  });

  test('one shuffle per unit, one split per stride-1 unit, none with parameters', () => {
    // Stages of 4, 8 and 4 units; the first of each has stride 2 and no split: 16 shuffles, 3 + 7 + 3 = 13 splits.
    const r = summarize('shufflenet_v2_x0_5');
    const shuffles = r.layers.filter((l) => l.op === 'channel_shuffle');
    const chunks = r.layers.filter((l) => l.op === 'chunk');
    expect([shuffles.length, chunks.length]).toEqual([16, 13]);
    expect([...shuffles, ...chunks].every((l) => l.params === 0 && l.macs === 0)).toBe(true);
    expect(r.layers.some((l) => l.name === 'stage2.1.branch1' || l.name.startsWith('stage2.1.branch1.'))).toBe(false);
  });

  test('the 2× network ends in a 2,048-channel conv5 and a global mean', () => {
    // conv5: 976 → 2,048, 1×1 without bias: 976·2,048 = 1,998,848; fc (2,048 + 1)·1,000 = 2,049,000.
    const r = summarize('shufflenet_v2_x2_0');
    const get = (n: string) => r.layers.find((l) => l.name === n)!;
    expect(get('conv5.0').params).toBe(1_998_848);
    expect(get('mean').outputShape).toEqual([1, 2048]);
    expect(get('fc').params).toBe(2_049_000);
  });
});
