import { describe, expect, test } from 'vitest';
import { zooReport } from '../../test/helpers.js';
import { familyTests } from '../../test/zoo-family.js';

/** num_params of each model's KINETICS400_V1 weights in torchvision 0.14 (R3D_18_Weights, …, MViT_V2_S_Weights). */
const published: Record<string, number> = {
  r3d_18: 33_371_472,
  mc3_18: 11_695_440,
  r2plus1d_18: 31_505_325,
  s3d: 8_320_048,
  mvit_v2_s: 34_537_744,
};

const layer = (model: string, name: string) => zooReport(model).layers.find((l) => l.name === name)!;

describe('video totals', () => {
  familyTests(published, { output: () => [1, 400] });
});

describe('video models by hand', () => {
  test('R(2+1)D: M = ⌊27·c_in·c_out/(9·c_in + 3·c_out)⌋ middle channels, one M per block', () => {
    // layer1: 64 → 64: 110,592/768 = 144. Spatial 1×3×3 64 → 144: 144·64·9 = 82,944; temporal 3×1×1 144 → 64: 27,648.
    expect(layer('r2plus1d_18', 'layer1.0.conv1.0.0').params).toBe(82_944);
    expect(layer('r2plus1d_18', 'layer1.0.conv1.0.3').params).toBe(27_648);
    // layer2.0: 64 → 128: 221,184/960 = 230.4 → 230, also for its second conv (128 → 128): 230·128·9 = 264,960.
    expect(layer('r2plus1d_18', 'layer2.0.conv1.0.0').outputShape[1]).toBe(230);
    expect(layer('r2plus1d_18', 'layer2.0.conv2.0.0').params).toBe(264_960);
  });

  test('R3D strides time as well as space; MC3 strides space only after layer1', () => {
    // 16 frames: R3D's layer2 halves T to 8; MC3's 1×3×3 convs and 1×2×2 shortcuts keep 16.
    expect(layer('r3d_18', 'layer2.0.relu').outputShape).toEqual([1, 128, 8, 28, 28]);
    expect(layer('mc3_18', 'layer2.0.relu').outputShape).toEqual([1, 128, 16, 28, 28]);
    // A 3×3×3 conv of 64 → 64: 27·64·64 = 110,592; MC3's 1×3×3 of 128 → 128: 9·128·128 = 147,456.
    expect(layer('r3d_18', 'layer1.0.conv1.0').params).toBe(110_592);
    expect(layer('mc3_18', 'layer2.1.conv1.0').params).toBe(147_456);
  });

  test('S3D on 128 frames: the features end at 16×7×7, the logits are averaged over the 15 pooled steps', () => {
    // T: 128 → 64 (separable stem, temporal stride 2) → 32 (3×3×3 pool) → 16 (2×2×2 pool); H: 224 → 112 → 56 → 28 → 14 → 7.
    expect(layer('s3d', 'features.15.cat').outputShape).toEqual([1, 1024, 16, 7, 7]);
    // AvgPool3d (2, 7, 7), stride 1: 16 − 2 + 1 = 15.
    expect(layer('s3d', 'classifier.1').outputShape).toEqual([1, 400, 15, 1, 1]);
    // The separable stem: 1×7×7 3 → 64 (9,408) and 7×1×1 64 → 64 (28,672), each with BN (128).
    expect(layer('s3d', 'features.0.0.0').params).toBe(9_408);
    expect(layer('s3d', 'features.0.1.0').params).toBe(28_672);
  });

  test('MViTv2-S: the grid shrinks 56 → 28 → 14 → 7 while the width doubles', () => {
    expect(layer('mvit_v2_s', 'pos_encoding').outputShape).toEqual([1, 25_089, 96]);
    expect(layer('mvit_v2_s', 'blocks.1.pool_skip.pool').outputShape).toEqual([1, 192, 8, 28, 28]);
    expect(layer('mvit_v2_s', 'blocks.1.add_2').outputShape).toEqual([1, 6_273, 192]);
    // 1 + 8·7·7 = 393 tokens of 768 in the last stage.
    expect(layer('mvit_v2_s', 'norm').outputShape).toEqual([1, 393, 768]);
    // Linear 96 → 192 for the residual where the width changes: 96·192 + 192 = 18,624.
    expect(layer('mvit_v2_s', 'blocks.1.project').params).toBe(18_624);
  });
});
