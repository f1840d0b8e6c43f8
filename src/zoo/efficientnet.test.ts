import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';
import { makeDivisible } from './blocks.js';

/** num_params of each model's default weights in torchvision 0.14 (EfficientNet_B0_Weights.IMAGENET1K_V1.meta, …). */
const published: Record<string, number> = {
  efficientnet_b0: 5_288_548,
  efficientnet_b1: 7_794_184,
  efficientnet_b2: 9_109_994,
  efficientnet_b3: 12_233_232,
  efficientnet_b4: 19_341_616,
  efficientnet_b5: 30_389_784,
  efficientnet_b6: 43_040_704,
  efficientnet_b7: 66_347_960,
  efficientnet_v2_s: 21_458_488,
  efficientnet_v2_m: 54_139_356,
  efficientnet_v2_l: 118_515_272,
};

/** torchvision's evaluation crop sizes (the weights' transforms). */
const resolution: Record<string, number> = {
  efficientnet_b0: 224, efficientnet_b1: 240, efficientnet_b2: 288, efficientnet_b3: 300, efficientnet_b4: 380, efficientnet_b5: 456,
  efficientnet_b6: 528, efficientnet_b7: 600, efficientnet_v2_s: 384, efficientnet_v2_m: 480, efficientnet_v2_l: 480,
};

const lastOf = (r: ReturnType<typeof summarize>, prefix: string) => r.layers.filter((l) => l.name.startsWith(prefix)).at(-1)!;

describe('EfficientNet totals', () => {
  familyTests(published, { input: (name) => [1, 3, resolution[name]!, resolution[name]!] });
});

describe('EfficientNet structure', () => {
  test('makeDivisible rounds to the nearest multiple of 8, never more than 10 % down', () => {
    // 35.2: ⌊35.2 + 4⌋ = 39, ⌊39/8⌋·8 = 32 ≥ 0.9·35.2 = 31.68.   123.2: ⌊127.2⌋ = 127 → 120 ≥ 110.88.
    expect(makeDivisible(35.2, 8)).toBe(32);
    expect(makeDivisible(123.2, 8)).toBe(120);
    // 11: ⌊15⌋ = 15 → 8, but 8 < 0.9·11 = 9.9, so one step up: 16.   3: below the minimum 8.
    expect(makeDivisible(11, 8)).toBe(16);
    expect(makeDivisible(3, 8)).toBe(8);
  });

  test("B0 follows Table 1 of the paper: stage widths, resolutions and the 1280-channel head", () => {
    const r = summarize('efficientnet_b0');
    const outs = [1, 2, 3, 4, 5, 6, 7].map((s) => lastOf(r, `features.${s}.`).outputShape);
    expect(outs.map((s) => s[1])).toEqual([16, 24, 40, 80, 112, 192, 320]);
    expect(outs.map((s) => s[2])).toEqual([112, 56, 28, 14, 14, 7, 7]);
    expect(lastOf(r, 'features.8.').outputShape).toEqual([1, 1280, 7, 7]);
  });

  test('B0 block parameters by hand', () => {
    const r = summarize('efficientnet_b0');
    const sum = (prefix: string) => r.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + Number(l.params ?? Number.NaN), 0);
    // features.1.0 (MBConv1, 32 → 16, no expansion): depthwise 3·3·32 = 288, BN 2·32 = 64,
    // SE 32 → ⌊32/4⌋ = 8 → 32: (32 + 1)·8 = 264 and (8 + 1)·32 = 288, projection 32·16 = 512, BN 32: 1,448.
    expect(sum('features.1.0.')).toBe(1_448);
    // features.2.0 (MBConv6, 16 → 24): expansion 16·96 = 1,536 + BN 192, depthwise 9·96 = 864 + BN 192,
    // SE 96 → ⌊16/4⌋ = 4 → 96: 96·4 + 4 = 388 and 4·96 + 96 = 480, projection 96·24 = 2,304 + BN 48: 6,004.
    expect(sum('features.2.0.')).toBe(6_004);
    expect(r.layers.find((l) => l.name === 'features.2.0.block.2.fc1')!.outputShape).toEqual([1, 4, 1, 1]);
  });

  test('B0: residuals skip the first block of every stage; every block has an SE gate', () => {
    // Blocks per stage 1, 2, 2, 3, 3, 4, 1 = 16; the first block of each of the 7 stages changes width: 16 − 7 = 9 sums.
    const r = summarize('efficientnet_b0');
    expect(r.layers.filter((l) => l.op === 'add')).toHaveLength(9);
    expect(r.layers.filter((l) => l.op === 'mul')).toHaveLength(16);
    expect(r.layers.filter((l) => l.name.endsWith('stochastic_depth'))).toHaveLength(9);
  });

  test('B2 scales widths by 1.1 with rounding to multiples of 8', () => {
    // 32·1.1 = 35.2 → 32; 16·1.1 = 17.6 → 16; 24·1.1 = 26.4 → 24; 40·1.1 = 44 → 48; 80·1.1 = 88 → 88;
    // 112·1.1 = 123.2 → 120; 192·1.1 = 211.2 → 208; 320·1.1 = 352 → 352; head 4·352 = 1,408.
    const r = summarize('efficientnet_b2');
    expect(r.layers[0]!.outputShape[1]).toBe(32);
    expect([1, 2, 3, 4, 5, 6, 7].map((s) => lastOf(r, `features.${s}.`).outputShape[1])).toEqual([16, 24, 48, 88, 120, 208, 352]);
    expect(lastOf(r, 'features.8.').outputShape[1]).toBe(1_408);
  });

  test('B7 doubles widths and has ⌈3.1·n⌉ blocks per stage', () => {
    // ⌈3.1·[1, 2, 2, 3, 3, 4, 1]⌉ = ⌈[3.1, 6.2, 6.2, 9.3, 9.3, 12.4, 3.1]⌉ = [4, 7, 7, 10, 10, 13, 4].
    const r = summarize('efficientnet_b7');
    const blocks = [1, 2, 3, 4, 5, 6, 7].map((s) => new Set(r.layers.filter((l) => l.name.startsWith(`features.${s}.`)).map((l) => l.name.split('.')[2])).size);
    expect(blocks).toEqual([4, 7, 7, 10, 10, 13, 4]);
    // Stem 2·32 = 64; head 4·(2·320) = 2,560.
    expect(r.layers[0]!.outputShape).toEqual([1, 64, 300, 300]);
    expect(lastOf(r, 'features.8.').outputShape).toEqual([1, 2_560, 19, 19]);
  });

  test('V2-S: Fused-MBConv stages have no SE, and stage 1 keeps its width so even its first block is residual', () => {
    // Table 4 of the V2 paper: blocks 2, 4, 4 (Fused) then 6, 9, 15 (MBConv, with SE): 30 SE gates.
    // Residual sums: 40 blocks minus the first blocks of stages 2–6 (stage 1 is 24 → 24 at stride 1): 35.
    const r = summarize('efficientnet_v2_s');
    expect(r.layers.filter((l) => l.op === 'mul')).toHaveLength(30);
    expect(r.layers.filter((l) => l.op === 'add')).toHaveLength(35);
    // A Fused-MBConv4 block 24 → 48: a full 3×3 conv 3·3·24·96 = 20,736, then a 1×1 projection 96·48 = 4,608.
    const fused = r.layers.filter((l) => l.name.startsWith('features.2.0.') && l.op === 'conv2d').map((l) => l.params);
    expect(fused).toEqual([20_736, 4_608]);
  });
});
