import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { analyze } from '../analyze/index.js';
import { build } from '../describe/build.js';
import { getModel } from './index.js';

const report = (name: string) => analyze(build(getModel(name).spec()));

interface OracleLayer {
  readonly name: string;
  readonly type: string;
  readonly params: number;
  readonly output: number[];
  readonly macs: number;
}

/** torchvision 0.14's AlexNet as PyTorch built and ran it (test/oracle/torchvision/alexnet.json). */
const oracle = JSON.parse(readFileSync(new URL('../../test/oracle/torchvision/alexnet.json', import.meta.url), 'utf8')) as {
  readonly input: number[];
  readonly params: number;
  readonly macs: number;
  readonly output: number[];
  readonly layers: readonly OracleLayer[];
};

describe('alexnet (torchvision.models.alexnet)', () => {
  const r = report('alexnet');
  const ours = new Map(r.layers.map((l) => [l.name, l]));

  test('runs on the input the oracle used', () => {
    expect(r.model.input).toEqual(oracle.input);
    expect(r.model.output).toEqual(oracle.output);
  });

  test.each(oracle.layers.map((o) => [o.name, o] as const))('%s equals PyTorch', (name, o) => {
    const l = ours.get(name);
    expect(l, `${name} is missing`).toBeDefined();
    expect(l!.type).toBe(o.type);
    expect({ params: l!.params, output: l!.outputShape, macs: l!.macs }).toEqual({ params: o.params, output: o.output, macs: o.macs });
  });

  test('totals equal PyTorch and the published 61,100,840', () => {
    expect(r.totals.params).toBe(oracle.params);
    expect(r.totals.macs).toBe(oracle.macs);
    expect(r.totals.params).toBe(getModel('alexnet').published);
    // The only layer PyTorch has no module for is the functional flatten, and it holds nothing.
    const extra = r.layers.filter((l) => !oracle.layers.some((o) => o.name === l.name));
    expect(extra.map((l) => [l.name, l.params])).toEqual([['flatten', 0]]);
  });
});

describe('alexnet-paper (Krizhevsky et al. 2012 on two GPUs, Caffe bvlc_alexnet)', () => {
  const r = report('alexnet-paper');
  const layers = new Map(r.layers.map((l) => [l.name, l]));

  test("Caffe's layer names, in bvlc_alexnet's order", () => {
    expect(r.layers.filter((l) => !l.implicit).map((l) => l.name)).toEqual([
      'conv1', 'relu1', 'norm1', 'pool1',
      'conv2', 'relu2', 'norm2', 'pool2',
      'conv3', 'relu3', 'conv4', 'relu4', 'conv5', 'relu5', 'pool5',
      'fc6', 'relu6', 'drop6', 'fc7', 'relu7', 'drop7', 'fc8', 'prob',
    ]);
  });

  test('per-layer parameters, shapes and MACs, derived by hand', () => {
    /*
     * Sizes: conv1 ⌊(227 − 11)/4⌋ + 1 = 55; pool1 ⌊(55 − 3)/2⌋ + 1 = 27; conv2 (pad 2) keeps 27; pool2 ⌊(27 − 3)/2⌋ + 1 = 13;
     * conv3–5 (pad 1) keep 13; pool5 ⌊(13 − 3)/2⌋ + 1 = 6, so fc6 sees 256·6·6 = 9,216 inputs.
     * A conv with groups g sees c_in/g channels per kernel: params k·k·(c_in/g)·c_out + c_out, MACs H·W·c_out·k·k·(c_in/g).
     *   conv1  3 → 96,  11×11        11·11·3·96 + 96    =     34,944   MACs 55·55·96·11·11·3   = 105,415,200
     *   conv2  96 → 256, 5×5, g2      5·5·48·256 + 256   =    307,456   MACs 27·27·256·5·5·48   = 223,948,800
     *   conv3  256 → 384, 3×3         3·3·256·384 + 384  =    885,120   MACs 13·13·384·3·3·256  = 149,520,384
     *   conv4  384 → 384, 3×3, g2     3·3·192·384 + 384  =    663,936   MACs 13·13·384·3·3·192  = 112,140,288
     *   conv5  384 → 256, 3×3, g2     3·3·192·256 + 256  =    442,624   MACs 13·13·256·3·3·192  =  74,760,192
     *   fc6    9,216 → 4,096          9,216·4,096 + 4,096 = 37,752,832  MACs 37,748,736
     *   fc7    4,096 → 4,096          4,096·4,096 + 4,096 = 16,781,312  MACs 16,777,216
     *   fc8    4,096 → 1,000          4,096·1,000 + 1,000 =  4,097,000  MACs  4,096,000
     */
    const expected = {
      conv1: [34_944, [1, 96, 55, 55], 105_415_200],
      conv2: [307_456, [1, 256, 27, 27], 223_948_800],
      conv3: [885_120, [1, 384, 13, 13], 149_520_384],
      conv4: [663_936, [1, 384, 13, 13], 112_140_288],
      conv5: [442_624, [1, 256, 13, 13], 74_760_192],
      fc6: [37_752_832, [1, 4096], 37_748_736],
      fc7: [16_781_312, [1, 4096], 16_777_216],
      fc8: [4_097_000, [1, 1000], 4_096_000],
    };
    const got = Object.fromEntries(Object.keys(expected).map((n) => [n, [layers.get(n)?.params, layers.get(n)?.outputShape, layers.get(n)?.macs]]));
    expect(got).toEqual(expected);
    expect(['pool1', 'pool2', 'pool5'].map((n) => layers.get(n)!.outputShape)).toEqual([
      [1, 96, 27, 27],
      [1, 256, 13, 13],
      [1, 256, 6, 6],
    ]);
    expect(layers.get('fc6')!.inputShapes[0]).toEqual([1, 9216]);
    expect(layers.get('conv2')!.formulas.params?.terms).toBe('5·5·48·256 + 256');
  });

  test('60,965,224 parameters and 724,406,816 MACs', () => {
    // 34,944 + 307,456 + 885,120 + 663,936 + 442,624 = 2,334,080 in the convs; 37,752,832 + 16,781,312 + 4,097,000
    // = 58,631,144 in the FC layers; 2,334,080 + 58,631,144 = 60,965,224.
    expect(r.totals.params).toBe(60_965_224);
    expect(r.totals.trainable).toBe(60_965_224);
    // Convs 105,415,200 + 223,948,800 + 149,520,384 + 112,140,288 + 74,760,192 = 665,784,864;
    // FCs 37,748,736 + 16,777,216 + 4,096,000 = 58,621,952; together 724,406,816.
    expect(r.totals.macs).toBe(724_406_816);
  });

  test('227×227 input; LRN and pooling hold no parameters', () => {
    expect(r.model.input).toEqual([1, 3, 227, 227]);
    expect(r.model.output).toEqual([1, 1000]);
    expect(['norm1', 'norm2'].map((n) => [layers.get(n)!.op, layers.get(n)!.params])).toEqual([
      ['lrn', 0],
      ['lrn', 0],
    ]);
  });
});

describe('alexnet-ungrouped (the 2012 widths on one tower)', () => {
  const r = report('alexnet-ungrouped');
  const grouped = new Map(report('alexnet-paper').layers.map((l) => [l.name, l]));

  test('62,378,344 parameters: 1,413,120 more than the two-GPU network, all in conv2, conv4 and conv5', () => {
    /*
     * Without groups each kernel sees every input channel, doubling the weights of the three grouped convs:
     *   conv2  5·5·96·256  = 614,400 vs 5·5·48·256  = 307,200  → +307,200
     *   conv4  3·3·384·384 = 1,327,104 vs 3·3·192·384 = 663,552 → +663,552
     *   conv5  3·3·384·256 = 884,736 vs 3·3·192·256 = 442,368   → +442,368
     * 307,200 + 663,552 + 442,368 = 1,413,120; 60,965,224 + 1,413,120 = 62,378,344.
     */
    const diff = r.layers.map((l) => [l.name, Number(l.params!) - Number(grouped.get(l.name)!.params!)] as const).filter(([, d]) => d !== 0);
    expect(diff).toEqual([
      ['conv2', 307_200],
      ['conv4', 663_552],
      ['conv5', 442_368],
    ]);
    expect(r.totals.params).toBe(62_378_344);
    expect(Number(r.totals.params) - 60_965_224).toBe(1_413_120);
  });

  test('same shapes as the two-GPU network, twice the MACs in the ungrouped convs', () => {
    expect(r.layers.map((l) => l.outputShape)).toEqual([...grouped.values()].map((l) => l.outputShape));
    // conv2 27·27·256·5·5·96 = 447,897,600; conv4 13·13·384·3·3·384 = 224,280,576; conv5 13·13·256·3·3·384 = 149,520,384.
    expect(['conv2', 'conv4', 'conv5'].map((n) => r.layers.find((l) => l.name === n)!.macs)).toEqual([447_897_600, 224_280_576, 149_520_384]);
  });
});

describe('the three AlexNets', () => {
  test('have distinct titles that say how they differ', () => {
    const titles = ['alexnet', 'alexnet-paper', 'alexnet-ungrouped'].map((n) => getModel(n).title);
    expect(new Set(titles).size).toBe(3);
    expect(titles[0]).toMatch(/torchvision/);
    expect(titles[1]).toMatch(/two GPUs/);
    expect(titles[2]).toMatch(/single tower/);
  });
});
