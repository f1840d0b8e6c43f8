/**
 * One test per kind of mistake: a claim that makes it, and the diagnosis nncalc must give.
 * VGG-16's numbers are those of torchvision's vgg16 (138,357,544 parameters), derived by hand in comments.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../analyze/index.js';
import type { Convention } from '../analyze/report.js';
import { build } from '../describe/build.js';
import { op, type Spec } from '../describe/spec.js';
import { summarize } from '../summarize.js';
import { checkClaims, type ClaimResult } from './index.js';

const reports = new Map<string, ReturnType<typeof summarize>>();
function report(model: string, convention: Convention = 'pytorch') {
  const k = `${model}/${convention}`;
  if (!reports.has(k)) reports.set(k, summarize(model, { convention }));
  return reports.get(k)!;
}

/** The one claim's result. */
function check(model: string, claim: string, convention: Convention = 'pytorch'): ClaimResult {
  return checkClaims(report(model, convention), claim).claims[0]!;
}

const codes = (c: ClaimResult, i = 0) => c.targets[i]!.diagnoses.map((d) => d.code);
const text = (c: ClaimResult) => c.targets.flatMap((t) => [...t.diagnoses.map((d) => d.message), t.truth]).join('\n');

describe('1. a forgotten bias', () => {
  test('a conv layer: the weights alone', () => {
    // features.12 is conv3-256 with 256 inputs: 3·3·256·256 = 589,824 weights + 256 biases = 590,080.
    const c = check('vgg16', 'features.12: 589824');
    expect(c.verdict).toBe('wrong');
    expect(codes(c)).toEqual(['bias']);
    expect(text(c)).toContain('589,824 is right for the weights of a 256→256 conv3 (3·3·256·256), but misses its 256 biases.');
    expect(c.targets[0]!.truth).toBe('k·k·c_in·c_out + c_out = 3·3·256·256 + 256 = 590,080');
  });

  test('a whole stage without biases', () => {
    // conv3-64 ×2: 3·3·3·64 + 3·3·64·64 = 1,728 + 36,864 = 38,592; the biases add 64 + 64 = 128 → 38,720.
    const c = check('vgg16', 'conv3-64 x2: 3*3*3*64 + 3*3*64*64');
    expect(codes(c)).toEqual(['bias']);
    expect(text(c)).toContain('leaves out the biases: 128 of them');
    expect(c.targets[0]!.truth).toBe('1,792 + 36,928 = 38,720');
  });

  test('the reverse: a bias added to a conv built without one (ResNet)', () => {
    // resnet50 layer1.0.conv2: 3·3·64·64 = 36,864, no bias (BatchNorm follows); + 64 would be 36,928.
    const c = check('resnet50', 'layer1.0.conv2: 3*3*64*64 + 64');
    expect(codes(c)).toEqual(['bias']);
    expect(text(c)).toContain('adds 64 biases that layer1.0.conv2 does not have');
  });
});

describe('2. the wrong number of input channels', () => {
  test('c_in taken as c_out: says the true c_in and which layer it comes from', () => {
    // The first conv3-256 (features.10) reads the 128 maps of conv3-128 features.7:
    // 3·3·128·256 + 256 = 295,168; with 256 inputs it would be 590,080.
    const c = check('vgg16', 'features.10: 590080');
    expect(codes(c)).toEqual(['c_in']);
    expect(text(c)).toContain('has 128 input channels, not 256: its input is the output of features.7 (conv3-128), which has 128 channels.');
    expect(c.targets[0]!.truth).toBe('k·k·c_in·c_out + c_out = 3·3·128·256 + 256 = 295,168');
  });

  test('the producer is found through the graph, and not guessed after a merge', () => {
    // ResNet-50 layer1.0.conv1 is 1×1, 64 → 64 (4,096 weights); its input comes from conv1 through bn1,
    // relu and maxpool. layer1.1.conv1 reads the residual sum of 256 channels: 1·1·256·64 = 16,384.
    const a = check('resnet50', 'layer1.0.conv1: 16384');
    expect(text(a)).toContain('has 64 input channels, not 256: its input is the output of conv1 (conv7-64/2), which has 64 channels.');
    const b = check('resnet50', 'layer1.1.conv1: 1*1*64*64');
    expect(codes(b)).toEqual(['c_in']);
    expect(text(b)).toContain('layer1.1.conv1 (conv1-64) has 256 input channels, not 64.');
  });

  test('a stage counted as n copies of its last layer', () => {
    // 3·590,080 = 1,770,240, but the stage is 295,168 + 2·590,080 = 1,475,328.
    const c = check('vgg16', 'conv3-256 x3: 3*590080');
    expect(codes(c)).toEqual(['c_in']);
    expect(text(c)).toContain('counts every conv3-256 layer as 256→256, but the first conv3-256, features.10, has 128 input channels');
  });
});

describe('3. the FC layers left out', () => {
  test('a total of the convolutions only', () => {
    // FC: 102,764,544 + 16,781,312 + 4,097,000 = 123,642,856; 138,357,544 − 123,642,856 = 14,714,688,
    // which is also what Keras prints for VGG16(include_top=False).
    const c = check('vgg16', 'total: 14,714,688');
    expect(codes(c)).toEqual(['fc-left-out']);
    expect(text(c)).toContain('leaves out the three FC layers, which hold 123,642,856 of the 138,357,544 parameters.');
  });
});

describe("4. the first FC layer's input size", () => {
  test('14×14 instead of 7×7: the chain of sizes that gives 7', () => {
    // 512·14·14 = 100,352 inputs: 100,352·4,096 + 4,096 = 411,045,888. The truth is 512·7·7 = 25,088.
    const c = check('vgg16', 'fc1: (512*14*14)*4096 + 4096');
    expect(codes(c)).toEqual(['fc-input']);
    expect(text(c)).toContain('takes 512·7·7 = 25,088 inputs, not 100,352 (512·14·14)');
    expect(text(c)).toContain('224 → 112 → 56 → 28 → 14 → 7');
    expect(c.targets[0]!.truth).toBe('c_in·c_out + c_out = 25,088·4,096 + 4,096 = 102,764,544');
  });

  test('the same mistake inside a total', () => {
    // 138,357,544 + (100,352 − 25,088)·4,096 = 138,357,544 + 308,281,344 = 446,638,888.
    const c = check('vgg16', 'total: 446,638,888');
    expect(codes(c)).toEqual(['fc-input']);
  });
});

describe('5. parameters for a layer that has none', () => {
  test('pooling', () => {
    const c = check('vgg16', 'features.4: 4');
    expect(codes(c)).toEqual(['param-free']);
    expect(text(c)).toContain('features.4 (MaxPool2d) has no parameters');
  });

  test('a label naming five pooling layers', () => {
    const c = check('vgg16', 'maxpool: 1');
    expect(c.targets.flatMap((t) => t.layers)).toEqual(['features.4', 'features.9', 'features.16', 'features.23', 'features.30']);
    expect(c.targets.every((t) => t.diagnoses[0]?.code === 'param-free')).toBe(true);
  });

  test('zero is right', () => {
    expect(check('vgg16', 'features.1: 0').verdict).toBe('exact');
  });
});

describe('6. MACs given for parameters', () => {
  test("a conv layer's MACs", () => {
    // features.0: 224·224 outputs · 64 filters · 3·3·3 = 86,704,128 MACs; 86.7M is that, rounded.
    const c = check('vgg16', 'features.0: 86.7M');
    expect(codes(c)).toEqual(['macs']);
    expect(text(c)).toContain("86.7M is features.0's MACs");
  });

  test("the model's MACs for its parameters", () => {
    // torchvision: VGG-16 does 15.47 G multiply-accumulates per 224×224 image.
    const c = check('vgg16', 'total: 15.47G');
    expect(codes(c)).toEqual(['macs']);
    expect(text(c)).toContain("15.47G is the model's MACs");
  });

  test('FLOPs asked, MACs given', () => {
    // torchvision publishes 15.47 "GFLOPS" for VGG-16: these are MACs; FLOPs are about twice that.
    const c = check('vgg16', 'flops: 15.5G');
    expect(codes(c)).toEqual(['macs']);
  });
});

describe('7. BatchNorm running statistics', () => {
  // vgg16_bn: 13 BN layers over 2·64 + 2·128 + 3·256 + 6·512 = 4,224 channels: 8,448 running means and
  // variances; torchvision publishes 138,365,992 parameters, so 138,374,440 with the statistics.
  test('counted, under the PyTorch convention', () => {
    const c = check('vgg16_bn', 'total: 138374440');
    expect(codes(c)).toEqual(['bn-buffers']);
    expect(text(c)).toContain('counts the 8,448 BatchNorm running means and variances');
    expect(text(c)).toContain('--convention keras');
  });

  test('one BN layer: 4·C instead of 2·C', () => {
    // features.1 is BN over 64 channels: γ, β = 128; with the running statistics 256.
    expect(codes(check('vgg16_bn', 'features.1: 256'))).toEqual(['bn-buffers']);
  });

  test('left out, under the Keras convention', () => {
    const c = check('vgg16_bn', 'total: 138365992', 'keras');
    expect(codes(c)).toEqual(['bn-buffers']);
    expect(text(c)).toContain('leaves out the 8,448 BatchNorm running means and variances');
    expect(check('vgg16_bn', 'total: 138374440', 'keras').verdict).toBe('exact');
  });
});

describe('8. a grouped convolution counted as dense', () => {
  // AlexNet (2012) conv2: 256 filters of 5×5 over 96/2 = 48 channels: 5·5·48·256 + 256 = 307,456.
  // Dense: 5·5·96·256 = 614,400, + 256 = 614,656.
  test('with the biases', () => {
    const c = check('alexnet-paper', 'conv2: 614656');
    expect(codes(c)).toEqual(['grouped']);
    expect(text(c)).toContain('conv2 has 2 groups: each filter sees 96/2 = 48 input channels, so its weights are 5·5·48·256');
    expect(c.targets[0]!.truth).toBe('k·k·c_in/g·c_out + c_out = 5·5·48·256 + 256 = 307,456');
  });

  test('and without them', () => {
    expect(codes(check('alexnet-paper', 'conv2: 614400'))).toEqual(['grouped', 'bias']);
  });
});

describe('9. a tied matrix counted twice', () => {
  test('GPT-2: lm_head is wte', () => {
    // GPT-2 has 124,439,808 parameters (Hugging Face); wte is 50,257·768 = 38,597,376, used again by lm_head.
    // Counted twice: 124,439,808 + 38,597,376 = 163,037,184.
    const c = check('gpt2', 'total: 163,037,184');
    expect(codes(c)).toEqual(['tied']);
    expect(text(c)).toContain('lm_head uses transformer.wte.weight (38,597,376 numbers), stored once');
    expect(check('gpt2', 'lm_head: 38597376').targets[0]!.diagnoses[0]!.code).toBe('tied');
  });

  test("the true total adds GPT-2's stages, without the tied head's zero", () => {
    // Embeddings 39,383,808 (wte 38,597,376 + wpe 786,432), 12 blocks 85,054,464, ln_f 1,536: 124,439,808.
    const truth = check('gpt2', 'total: 85M').targets[0]!.truth;
    expect(truth).toBe('39,383,808 + 85,054,464 + 1,536 = 124,439,808');
  });

  test('a small spec with a shared weight', () => {
    // enc: 16·16 + 16 = 272; dec shares enc's 256 weights and adds 16 biases: 288 unique, 544 as used.
    const spec: Spec = {
      name: 'tied',
      input: [1, 16],
      layers: [op('linear', { out: 16 }, { name: 'enc' }), op('relu'), op('linear', { out: 16 }, { name: 'dec', tied: { weight: 'enc.weight' } })],
    };
    const r = checkClaims(analyze(build(spec)), 'total: 544\ntotal: 288');
    expect(r.claims[0]!.targets[0]!.diagnoses.map((d) => d.code)).toEqual(['tied']);
    expect(r.claims[1]!.verdict).toBe('exact');
  });
});

describe('10. M read as 2^20', () => {
  test('131.9M for 138,357,544', () => {
    // 138,357,544 / 1,048,576 = 131.948…, so someone dividing by 2^20 writes 131.9M.
    const c = check('vgg16', 'total: 131.9M');
    expect(codes(c)).toEqual(['mebi']);
    expect(text(c)).toContain('131.9M reads M as 2^20 = 1,048,576');
    expect(text(c)).toContain('use M = 10^6');
  });
});

describe('nothing explains it', () => {
  test('off by how much, with the true formula', () => {
    const c = check('vgg16', 'total: 138,357,000');
    expect(codes(c)).toEqual(['off']);
    // 138,357,544 − 138,357,000 = 544.
    expect(text(c)).toContain('138,357,000 is 544 (< 0.001%) too low.');
    expect(c.targets[0]!.truth).toMatch(/= 138,357,544$/);
  });
});

describe('rounding', () => {
  test.each([
    ['total: 138M', 'rounded'],
    ['total: 138.4M', 'rounded'],
    ['total: 138.36M', 'rounded'],
    ['total: 138 million', 'rounded'],
    ['total: 1.38e8', 'rounded'],
    ['total: 138,357,544', 'exact'],
    // 138.3M allows 138,250,000 to 138,350,000: 7,544 short of the truth.
    ['total: 138.3M', 'wrong'],
    ['total: 139M', 'wrong'],
    ['macs: 15.5G', 'rounded'],
    ['trainable: 138.36M', 'rounded'],
    ['non-trainable: 0', 'exact'],
    ['conv3-64 x2: 38720', 'exact'],
    ['conv3-64 ×2: 38.7K', 'rounded'],
  ])('%s is %s', (claim, verdict) => {
    expect(check('vgg16', claim).verdict).toBe(verdict);
  });
});
