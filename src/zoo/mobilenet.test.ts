import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import type { LayerReport } from '../analyze/report.js';
import { summarize } from '../summarize.js';
import { makeDivisible } from './blocks.js';

const layer = (layers: readonly LayerReport[], name: string): LayerReport => {
  const l = layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name}`);
  return l;
};

describe('mobilenet_v1 (Howard et al. 2017, Table 1)', () => {
  const r = summarize('mobilenet_v1');

  /*
   * Hand count. No conv has a bias; BN has γ, β (2 per channel) plus 2 running statistics per channel (buffers).
   * conv 3×3/2, 3 → 32:            3·3·3·32 = 864,  BN 2·32 = 64
   * a separable block c_in → c_out: depthwise 3·3·c_in + BN 2·c_in + pointwise c_in·c_out + BN 2·c_out
   *   1  32 → 64      288 +   64 +     2,048 +   128 =     2,528
   *   2  64 → 128     576 +  128 +     8,192 +   256 =     9,152
   *   3  128 → 128  1,152 +  256 +    16,384 +   256 =    18,048
   *   4  128 → 256  1,152 +  256 +    32,768 +   512 =    34,688
   *   5  256 → 256  2,304 +  512 +    65,536 +   512 =    68,864
   *   6  256 → 512  2,304 +  512 +   131,072 + 1,024 =   134,912
   *   7–11 512 → 512  (4,608 + 1,024 + 262,144 + 1,024 = 268,800) · 5 = 1,344,000
   *   12 512 → 1024 4,608 + 1,024 +  524,288 + 2,048 =   531,968
   *   13 1024 → 1024 9,216 + 2,048 + 1,048,576 + 2,048 = 1,061,888
   * FC 1024 → 1000: 1,024·1,000 + 1,000 = 1,025,000
   * total 928 + 2,528 + 9,152 + 18,048 + 34,688 + 68,864 + 134,912 + 1,344,000 + 531,968 + 1,061,888 + 1,025,000 = 4,231,976
   * (Table 4 of the paper: 4.2 million). BN channels: 32 + Σ(c_in + c_out) = 32 + 96 + 192 + 256 + 384 + 512 + 768
   * + 5·1,024 + 1,536 + 2,048 = 10,944, so 21,888 BN parameters and 21,888 running statistics.
   * scripts/oracle/mobilenet_v1.py builds the same network in PyTorch 1.13 and prints params 4231976, buffers 21888.
   */
  test('4,231,976 parameters and 21,888 BatchNorm buffers', () => {
    expect(r.totals.params).toBe(4_231_976);
    expect(r.totals.buffers).toBe(21_888);
    expect(Math.round(Number(r.totals.params) / 1e5) / 10).toBe(4.2);
    const block = (i: number) => r.layers.filter((l) => l.name.startsWith(`features.${i}.`)).reduce((s, l) => s + Number(l.params ?? 0), 0);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13].map(block)).toEqual([928, 2528, 9152, 18_048, 34_688, 68_864, 134_912, 268_800, 268_800, 531_968, 1_061_888]);
  });

  test('Keras convention: the running statistics become non-trainable parameters', () => {
    const keras = summarize('mobilenet_v1', { convention: 'keras' }).totals;
    expect(keras.nonTrainable).toBe(21_888);
    expect(keras.params).toBe(4_231_976 + 21_888);
  });

  test('Table 1: 224 → 112 → 56 → 28 → 14 → 7 and 1,024 channels into the classifier', () => {
    // Stride-2 layers: the first conv and the depthwise convs of blocks 2, 4, 6 and 12 (3×3, padding 1: ⌈H/2⌉).
    const sizes = [...new Set(r.layers.filter((l) => l.outputShape.length === 4).map((l) => l.outputShape[2]))];
    expect(sizes).toEqual([112, 56, 28, 14, 7, 1]);
    expect(layer(r.layers, 'features.13.3').outputShape).toEqual([1, 1024, 7, 7]);
    expect(layer(r.layers, 'classifier').inputShapes).toEqual([[1, 1024]]);
    expect(r.layers.filter((l) => l.op === 'conv2d')).toHaveLength(27);
    expect(r.model.output).toEqual([1, 1000]);
  });

  /*
   * Mult-adds, N·H_out·W_out·c_out·(c_in/g)·k²:
   *   conv 3×3/2: 112²·32·27 = 10,838,016; FC 1,024,000
   *   depthwise: 112²·32·9 + 56²·64·9 + 56²·128·9 + 28²·128·9 + 28²·256·9 + 14²·256·9 + 5·14²·512·9 + 7²·512·9 + 7²·1,024·9
   *     = 3,612,672 + 1,806,336 + 3,612,672 + 903,168 + 1,806,336 + 451,584 + 4,515,840 + 225,792 + 451,584 = 17,385,984
   *   pointwise: 112²·32·64 + 56²·64·128 + 56²·128² + 28²·128·256 + 28²·256² + 14²·256·512 + 5·14²·512² + 7²·512·1,024 + 7²·1,024²
   *     = 25,690,112 · 5 + 51,380,224 · 3 + 256,901,120 = 539,492,352
   *   total 568,740,352: the paper's 569 million (Table 4).
   */
  test('569 million mult-adds, shared out as in Table 2 of the paper', () => {
    expect(r.totals.macs).toBe(568_740_352);
    const kind = (l: LayerReport) => {
      if (l.op === 'linear') return 'fc';
      const a = l.attrs as { kernel: number[]; groups: number };
      return a.kernel[0] === 1 ? 'conv1x1' : a.groups > 1 ? 'dw3x3' : 'conv3x3';
    };
    const share = (f: (l: LayerReport) => number) => {
      const by: Record<string, number> = {};
      for (const l of r.layers.filter((x) => x.op === 'conv2d' || x.op === 'linear')) by[kind(l)] = (by[kind(l)] ?? 0) + f(l);
      const total = Object.values(by).reduce((s, v) => s + v, 0);
      return Object.fromEntries(Object.entries(by).map(([k, v]) => [k, Math.round((v / total) * 10_000) / 100]));
    };
    // Table 2 counts mult-adds and the weight tensors only (no biases, no BN): 94.86%, 3.06%, 0.18% of mult-adds and
    // 74.59%, 1.06%, 0.02%, 24.33% of parameters. For the 3×3 conv's mult-adds it prints 1.19%, which leaves the column
    // summing to 99.29%; 10,838,016/568,740,352 = 1.91%, the digits swapped.
    expect(share((l) => Number(l.macs ?? 0))).toEqual({ conv3x3: 1.91, dw3x3: 3.06, conv1x1: 94.86, fc: 0.18 });
    expect(share((l) => l.weights.filter((w) => w.name === 'weight').reduce((s, w) => s + Number(w.count), 0))).toEqual({
      conv3x3: 0.02,
      dw3x3: 1.06,
      conv1x1: 74.59,
      fc: 24.33,
    });
  });
});

describe('torchvision MobileNet v2 and v3', () => {
  // torchvision 0.14's documented num_params of MobileNet_V2_Weights.IMAGENET1K_V2, MobileNet_V3_Large_Weights.IMAGENET1K_V2
  // and MobileNet_V3_Small_Weights.IMAGENET1K_V1 (the oracle files' `published`).
  familyTests({ mobilenet_v2: 3_504_872, mobilenet_v3_large: 5_483_032, mobilenet_v3_small: 2_542_856 });

  test('v2: residuals only where the stride is 1 and the channels stay', () => {
    // Table 2 rows (t, c, n, s) from 32 channels: (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1)
    // are features.1 … features.17. Every repeat after a row's first keeps stride 1 and c: features.3; 5, 6; 8, 9, 10;
    // 12, 13; 15, 16. Each row's first changes c (16 ≠ 32, 24 ≠ 16, …), so it has none.
    const r = summarize('mobilenet_v2');
    expect(r.layers.filter((l) => l.op === 'add').map((l) => l.name)).toEqual(
      [3, 5, 6, 8, 9, 10, 12, 13, 15, 16].map((i) => `features.${i}.add`),
    );
  });

  test('v2: the first expanding bottleneck, 16 → 24 with t = 6 and stride 2', () => {
    // hidden = 16·6 = 96: expand 1×1 16·96 = 1,536; depthwise 3·3·96 = 864 at 112/2 = 56; project 96·24 = 2,304.
    // features.1 has t = 1, so it has no expansion conv: its depthwise conv is conv.0.0 (3·3·32 = 288).
    const r = summarize('mobilenet_v2');
    const p = (n: string) => layer(r.layers, n).params;
    expect([p('features.2.conv.0.0'), p('features.2.conv.1.0'), p('features.2.conv.2')]).toEqual([1536, 864, 2304]);
    expect(layer(r.layers, 'features.2.conv.1.0').outputShape).toEqual([1, 96, 56, 56]);
    expect(layer(r.layers, 'features.1.conv.0.0').params).toBe(288);
    expect(layer(r.layers, 'features.1.conv.1').outputShape).toEqual([1, 16, 112, 112]);
  });

  test('v3: squeeze-excitation gates, with ⌊c/4⌋ rounded to a multiple of 8 channels', () => {
    // v3-small features.1: 16 channels, 16/4 = 4 → 8 (never below 8): fc1 16·8 + 8 = 136, fc2 8·16 + 16 = 144.
    // features.4: expanded 96, 96/4 = 24: fc1 96·24 + 24 = 2,328, fc2 24·96 + 96 = 2,400.
    const r = summarize('mobilenet_v3_small');
    const p = (n: string) => layer(r.layers, n).params;
    expect([p('features.1.block.1.fc1'), p('features.1.block.1.fc2'), p('features.4.block.2.fc1'), p('features.4.block.2.fc2')]).toEqual([136, 144, 2328, 2400]);
    // The gate, pooled to 1×1, scales the 16×56×56 depthwise output: scale · input broadcasts to the input's shape.
    const mul = layer(r.layers, 'features.1.block.1.mul');
    expect(mul.inputShapes).toEqual([[1, 16, 1, 1], [1, 16, 56, 56]]);
    expect(mul.outputShape).toEqual([1, 16, 56, 56]);
    expect(mul.params).toBe(0);
  });

  test('v3-large: last conv to 6·160 = 960 channels, then FC-1280 and FC-1000', () => {
    // 160·960 = 153,600 weights; classifier.0 960·1,280 + 1,280 = 1,230,080; classifier.3 1,280·1,000 + 1,000 = 1,281,000.
    const r = summarize('mobilenet_v3_large');
    expect(layer(r.layers, 'features.16.0').params).toBe(153_600);
    expect(layer(r.layers, 'classifier.0').params).toBe(1_230_080);
    expect(layer(r.layers, 'classifier.3').params).toBe(1_281_000);
    // The first bneck (16 → 16, expansion 16) has no expansion conv, so its block.0 is the depthwise 3×3: 3·3·16 = 144.
    expect(layer(r.layers, 'features.1.block.0.0').params).toBe(144);
  });

  test('makeDivisible rounds to the nearest multiple of 8, never more than 10% down', () => {
    // torchvision's docstring of the same rule: 83 → 80 but 84 → 88. 18 → 16 would lose more than 10% (16 < 16.2), so 24.
    expect([83, 84, 18, 4, 20.8, 249.6].map((v) => makeDivisible(v))).toEqual([80, 88, 24, 8, 24, 248]);
  });
});
