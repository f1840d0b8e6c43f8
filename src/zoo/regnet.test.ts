import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';
import { regnetStages } from './regnet.js';

/** num_params of each model's default weights in torchvision 0.14 (RegNet_X_400MF_Weights.IMAGENET1K_V2.meta, …). */
const published: Record<string, number> = {
  regnet_x_400mf: 5_495_976,
  regnet_x_800mf: 7_259_656,
  regnet_x_1_6gf: 9_190_136,
  regnet_x_3_2gf: 15_296_552,
  regnet_x_8gf: 39_572_648,
  regnet_x_16gf: 54_278_536,
  regnet_x_32gf: 107_811_560,
  regnet_y_400mf: 4_344_144,
  regnet_y_800mf: 6_432_512,
  regnet_y_1_6gf: 11_202_430,
  regnet_y_3_2gf: 19_436_338,
  regnet_y_8gf: 39_381_472,
  regnet_y_16gf: 83_590_140,
  regnet_y_32gf: 145_046_770,
  // RegNet_Y_128GF_Weights.IMAGENET1K_SWAG_E2E_V1 (it has no IMAGENET1K weights); the count does not depend on the image size.
  regnet_y_128gf: 644_812_894,
};

describe('RegNet totals', () => {
  familyTests(published);
});

describe('RegNet width generation', () => {
  test('RegNetX-400MF by hand', () => {
    // d = 22, w_0 = 24, w_a = 24.48, w_m = 2.54, g = 16.  u_j/w_0 = 1 + 1.02·j, and s_j = round(log_2.54(u_j/w_0)) steps at
    // 2.54^0.5 = 1.594, 2.54^1.5 = 4.048, 2.54^2.5 = 10.28: j = 0 → 0; j = 1, 2 (2.02, 3.04) → 1; j = 3…9 (4.06 … 10.18) → 2;
    // j = 10…21 (11.2 … 22.42) → 3. Depths 1, 2, 7, 12.
    // Widths 24·2.54^s rounded to multiples of 8: 24, 60.96 → 64, 154.8 → 152, 393.3 → 392; then rounded to multiples
    // of the group width 16: ⌊(24 + 8)/16⌋·16 = 32, 64, ⌊160/16⌋·16 = 160, ⌊400/16⌋·16 = 400.
    expect(regnetStages({ depth: 22, w0: 24, wa: 24.48, wm: 2.54, groupWidth: 16 })).toEqual([
      { width: 32, depth: 1, groupWidth: 16 },
      { width: 64, depth: 2, groupWidth: 16 },
      { width: 160, depth: 7, groupWidth: 16 },
      { width: 400, depth: 12, groupWidth: 16 },
    ]);
  });

  test('RegNetY-400MF by hand', () => {
    // d = 16, w_0 = 48, w_a = 27.89, w_m = 2.09, g = 8.  u_j/w_0 = 1 + 0.581·j against 2.09^0.5 = 1.446, 2.09^1.5 = 3.021,
    // 2.09^2.5 = 6.315: j = 0 → 0; j = 1…3 → 1; j = 4…9 (3.32 … 6.23) → 2; j = 10…15 → 3. Depths 1, 3, 6, 6.
    // 48·2.09^s / 8 = 6, 12.54, 26.2, 54.8 → 48, 104, 208, 440, already multiples of g = 8.
    expect(regnetStages({ depth: 16, w0: 48, wa: 27.89, wm: 2.09, groupWidth: 8 }).map((s) => [s.width, s.depth])).toEqual([
      [48, 1],
      [104, 3],
      [208, 6],
      [440, 6],
    ]);
  });

  test('the group width is capped at the stage width', () => {
    // RegNetY-32GF asks for g = 232, and its first stage is exactly 232 wide (w_0 = 232): one group there.
    // A narrower first stage (w_0 = 24 with g = 48) gets g = 24: ⌊(24 + 12)/24⌋·24 = 24.
    expect(regnetStages({ depth: 2, w0: 24, wa: 1, wm: 2, groupWidth: 48 })).toEqual([{ width: 24, depth: 2, groupWidth: 24 }]);
  });
});

describe('RegNet blocks', () => {
  test('RegNetX-400MF: a projection on the first block of each stage, grouped 3×3 convs of width 16', () => {
    const r = summarize('regnet_x_400mf');
    expect(r.layers.filter((l) => l.name.endsWith('.proj.0')).map((l) => l.name)).toEqual([1, 2, 3, 4].map((i) => `trunk_output.block${i}.block${i}-0.proj.0`));
    // Stage 4: 400/16 = 25 groups; the weight is 3·3·16·400 = 57,600.
    const conv = r.layers.find((l) => l.name === 'trunk_output.block4.block4-1.f.b.0')!;
    expect(conv.attrs['groups']).toBe(25);
    expect(conv.params).toBe(57_600);
    expect(conv.outputShape).toEqual([1, 400, 7, 7]);
  });

  test('RegNetY squeezes to 1/4 of the block input width', () => {
    // block1-0 reads the 32-channel stem: 32/4 = 8; block2-0 reads stage 1's 48: 12; block2-1 reads 104: 26.
    const r = summarize('regnet_y_400mf');
    const fc1 = (b: string) => r.layers.find((l) => l.name === `trunk_output.${b}.f.se.fc1`)!.outputShape[1];
    expect([fc1('block1.block1-0'), fc1('block2.block2-0'), fc1('block2.block2-1')]).toEqual([8, 12, 26]);
    expect(summarize('regnet_x_400mf').layers.filter((l) => l.op === 'mul')).toHaveLength(0);
  });
});
