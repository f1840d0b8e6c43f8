import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { build } from '../describe/build.js';
import { summarize } from '../summarize.js';
import { getModel } from './index.js';

const layers = (model: string) => new Map(summarize(model).layers.map((l) => [l.name, l]));

describe('published counts and the Keras convention', () => {
  familyTests(
    {
      // torchvision 0.14's documented num_params of GoogLeNet_Weights.IMAGENET1K_V1 (aux_logits=False).
      googlenet: 6_624_904,
      // torchvision 0.14's documented num_params of Inception_V3_Weights.IMAGENET1K_V1 (aux_logits=True).
      inception_v3: 27_161_264,
    },
    { alsoKeras: ['googlenet_aux', 'inception_v3_noaux'] },
  );
});

describe('GoogLeNet (torchvision.models.googlenet)', () => {
  test('the two auxiliary heads add 6,379,984 parameters and 512 buffers; their 8,372,224 MACs are training-only', () => {
    // aux1 on inception4a (512 channels): conv 512·128 = 65,536, bn 2·128 = 256, fc1 2,048·1,024 + 1,024 = 2,098,176,
    // fc2 1,024·1,000 + 1,000 = 1,025,000: 3,188,968. aux2 on inception4d (528): 528·128 = 67,584 instead: 3,191,016.
    // MACs: conv 4·4·128·512 = 1,048,576 (aux2: 4·4·128·528 = 1,081,344), fc1 2,048·1,024 = 2,097,152, fc2 1,024,000.
    const plain = summarize('googlenet').totals;
    const aux = summarize('googlenet_aux').totals;
    expect(Number(aux.params) - Number(plain.params)).toBe(3_188_968 + 3_191_016);
    expect(aux.params).toBe(13_004_888);
    expect(Number(aux.buffers) - Number(plain.buffers)).toBe(2 * 256);
    // The heads run only in training: inference MACs are GoogLeNet's own, the heads' are apart.
    expect(aux.macs).toBe(plain.macs);
    expect(aux.training!.macs).toBe(1_048_576 + 1_081_344 + 2 * (2_097_152 + 1_024_000));
    expect(aux.training!.params).toBe(3_188_968 + 3_191_016);
  });

  test('aux heads tap inception4a and 4d, the trunk continues from them, and their logits are training outputs', () => {
    const l = layers('googlenet_aux');
    expect(l.get('aux1.avgpool')!.inputShapes).toEqual([[1, 512, 14, 14]]);
    expect(l.get('aux2.avgpool')!.inputShapes).toEqual([[1, 528, 14, 14]]);
    expect(l.get('aux1.flatten')!.outputShape).toEqual([1, 2048]);
    expect(l.get('inception4b.branch1.conv')!.inputShapes).toEqual([[1, 512, 14, 14]]);
    expect(l.get('inception4e.branch4.0')!.inputShapes).toEqual([[1, 528, 14, 14]]);
    // torchvision returns (logits, aux_logits2, aux_logits1).
    expect(build(getModel('googlenet_aux').spec()).outputs).toEqual(['fc']);
    expect(build(getModel('googlenet_aux').spec()).trainingOutputs).toEqual(['aux2.fc2', 'aux1.fc2']);
    expect(build(getModel('googlenet').spec()).outputs).toEqual(['fc']);
  });

  test('module outputs are the sums of their branches', () => {
    // 3a: 64 + 128 + 32 + 32 = 256; 4e: 256 + 320 + 128 + 128 = 832; 5b: 384 + 384 + 128 + 128 = 1,024.
    const l = layers('googlenet');
    expect(['inception3a', 'inception4e', 'inception5b'].map((n) => l.get(`${n}.cat`)!.outputShape[1])).toEqual([256, 832, 1024]);
    // torchvision's "5×5" branch is 3×3 (its known bug): 3·3·16·32 = 4,608 weights in inception3a.
    expect(l.get('inception3a.branch3.1.conv')!.params).toBe(4_608);
  });

  test('ceil-mode pooling and no input transform', () => {
    // conv1 7×7/2 pad 3: 112; maxpool1 3×3/2 ceil: ⌈(112 − 3)/2⌉ + 1 = 56 (rounding down: 55).
    const r = summarize('googlenet');
    expect(r.layers.find((x) => x.name === 'maxpool1')!.outputShape).toEqual([1, 64, 56, 56]);
    // transform_input=False: the first layer reads the image.
    expect(r.layers[0]!.name).toBe('conv1.conv');
  });
});

describe('Inception v3 (torchvision.models.inception_v3)', () => {
  test('the auxiliary head adds 3,326,696 parameters and 1,792 buffers; its 5,683,200 MACs are training-only', () => {
    // avgpool 5×5/3 on 17×17: ⌊(17 − 5)/3⌋ + 1 = 5. conv0 1×1 768 → 128: 98,304 + bn 256; conv1 5×5 128 → 768:
    // 5·5·128·768 = 2,457,600 + bn 1,536 (output 1×1); fc 768·1,000 + 1,000 = 769,000.
    // MACs: 5·5·128·768 = 2,457,600; 1·1·768·5·5·128 = 2,457,600; 768·1,000 = 768,000.
    const plain = summarize('inception_v3_noaux').totals;
    const aux = summarize('inception_v3').totals;
    expect(Number(aux.params) - Number(plain.params)).toBe(98_304 + 256 + 2_457_600 + 1_536 + 769_000);
    expect(plain.params).toBe(23_834_568);
    expect(Number(aux.buffers) - Number(plain.buffers)).toBe(256 + 1_536);
    expect(aux.training!.macs).toBe(2_457_600 + 2_457_600 + 768_000);
    // avgpool, conv0 (conv, bn, relu), conv1 (conv, bn, relu), adaptive avgpool, flatten, fc.
    expect(aux.training!.layers).toBe(10);
    // Inference runs without the head: torchvision's eval pass (test/oracle/torchvision/inception_v3.json) counts
    // 5,713,216,096 MACs, the 5.71 GFLOPS torchvision publishes for Inception_V3_Weights.
    expect(aux.macs).toBe(5_713_216_096);
    expect(aux.macs).toBe(plain.macs);
    expect(build(getModel('inception_v3').spec()).outputs).toEqual(['fc']);
    expect(build(getModel('inception_v3').spec()).trainingOutputs).toEqual(['AuxLogits.fc']);
  });

  test('the grid shrinks 299 → 149 → 147 → 73 → 71 → 35 → 17 → 8 and the modules widen', () => {
    // 3×3/2: ⌊(299 − 3)/2⌋ + 1 = 149; 3×3: 147; pad 1: 147; maxpool 3×3/2: 73; 1×1: 73; 3×3: 71; maxpool: 35;
    // Mixed_6a 3×3/2: ⌊(35 − 3)/2⌋ + 1 = 17; Mixed_7a: ⌊(17 − 3)/2⌋ + 1 = 8.
    // Channels: 5b 64 + 64 + 96 + 32 = 256; 6a 384 + 96 + 288 = 768; 7a 320 + 192 + 768 = 1,280;
    // 7b 320 + (384 + 384) + (384 + 384) + 192 = 2,048.
    const l = layers('inception_v3');
    const shape = (n: string) => l.get(n)!.outputShape;
    expect(['Conv2d_1a_3x3.conv', 'Conv2d_2a_3x3.conv', 'maxpool1', 'Conv2d_4a_3x3.conv', 'maxpool2'].map((n) => shape(n)[2])).toEqual([149, 147, 73, 71, 35]);
    expect(['Mixed_5b.cat', 'Mixed_6a.cat', 'Mixed_7a.cat', 'Mixed_7b.cat'].map(shape)).toEqual([
      [1, 256, 35, 35],
      [1, 768, 17, 17],
      [1, 1280, 8, 8],
      [1, 2048, 8, 8],
    ]);
    // InceptionE splits its 3×3 into 1×3 ‖ 3×1: 1×3 weights 1·3·384·384 = 442,368.
    expect(shape('Mixed_7b.branch3x3_cat')).toEqual([1, 768, 8, 8]);
    expect(l.get('Mixed_7b.branch3x3_2a.conv')!.params).toBe(442_368);
    expect(l.get('AuxLogits.avgpool')!.inputShapes).toEqual([[1, 768, 17, 17]]);
    expect(l.get('Mixed_7a.branch3x3_1.conv')!.inputShapes).toEqual([[1, 768, 17, 17]]);
  });
});
