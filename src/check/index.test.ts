/**
 * The question nncalc was made for: "to calculate the number of parameters of a conv3-256 layer of VGG Net,
 * the answer is 0.59M = (3*3)*(256*256) … however in that way, I can't get the 138M parameters."
 * VGG-16's numbers are torchvision's (138,357,544 parameters); each is derived by hand beside its test.
 */
import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { parseSpecText } from '../describe/from-object.js';
import { formatError, ModelError } from '../errors.js';
import { summarize } from '../summarize.js';
import { checkClaims, context, type ClaimResult } from './index.js';

const vgg16 = summarize('vgg16');
const gpt2 = summarize('gpt2');
const resnet50 = summarize('resnet50');

const one = (report: ReturnType<typeof summarize>, claim: string): ClaimResult => {
  const r = checkClaims(report, claim);
  expect(r.unread).toEqual([]);
  return r.claims[0]!;
};
const codes = (c: ClaimResult, i = 0) => c.targets[i]!.diagnoses.map((d) => d.code);

describe("the seed question's calculation", () => {
  test.each([
    ['conv3-256: 0.59M = (3*3)*(256*256)', ['formula', 'bias']],
    ['0.59M = (3*3)*(256*256)', ['formula', 'bias']],
    ['conv3-256: 589824', ['bias']],
  ])('%s', (claim, sameCodes) => {
    const r = checkClaims(vgg16, claim);
    const c = r.claims[0]!;
    expect(c.verdict).toBe('wrong');
    expect(r.wrong).toBe(1);
    // VGG-16 has three conv3-256 layers: features.10 reads 128 channels, features.12 and .14 read 256.
    expect(c.targets.map((t) => t.layers)).toEqual([['features.12', 'features.14'], ['features.10']]);

    // (1) 3·3·256·256 = 589,824 are the weights of a 256→256 conv3; its 256 biases make 590,080. When the
    // claim also writes 0.59M, that number is right as rounded (590,000 ± 5,000) but its formula is not.
    const [same, first] = c.targets;
    expect(codes(c, 0)).toEqual(sameCodes);
    expect(same!.diagnoses.at(-1)!.message).toBe('589,824 is right for the weights of a 256→256 conv3 (3·3·256·256), but misses its 256 biases.');
    if (sameCodes[0] === 'formula') expect(same!.diagnoses[0]!.message).toBe('0.59M is right, as rounded, but (3*3)*(256*256) = 589,824 is not.');
    expect(same!.truth).toBe('k·k·c_in·c_out + c_out = 3·3·256·256 + 256 = 590,080');

    // (2) the first conv3-256 follows conv3-128: 3·3·128·256 + 256 = 294,912 + 256 = 295,168.
    expect(first!.diagnoses.map((d) => d.code)).toEqual(['c_in', 'bias']);
    expect(first!.diagnoses[0]!.message).toBe(
      'The first conv3-256, features.10, has 128 input channels, not 256: its input is the output of features.7 (conv3-128), which has 128 channels.',
    );
    expect(first!.truth).toBe('k·k·c_in·c_out + c_out = 3·3·128·256 + 256 = 295,168');

    // (3) FC: 102,764,544 + 16,781,312 + 4,097,000 = 123,642,856 ≈ 123.6M of 138.4M; fc1 = 102.8M.
    expect(r.context[0]).toBe('123.6M of the 138.4M parameters are in the three FC layers (fc1 alone: 102.8M).');
  });

  test('without a key, the claim says how it was read', () => {
    const c = one(vgg16, '0.59M = (3*3)*(256*256)');
    expect(c.by).toBe('value');
    expect(c.key).toBe('conv3-256');
    expect(c.notes).toContain('No key: read as the 3 conv3-256 layers, by value and factors.');
  });

  test("the seed answer's breakdown checks out line by line", () => {
    const breakdown = `conv3-64 x 2 : 38,720
      conv3-128 x 2 : 221,440
      conv3-256 x 3 : 1,475,328
      conv3-512 x 3 : 5,899,776
      conv3-512 x 3 : 7,079,424
      fc1 : 102,764,544
      fc2 : 16,781,312
      fc3 : 4,097,000
      TOTAL : 138,357,544
      fc1 (x): (512x7x7)x4,096 (weights) + 4,096 (biases)
      fc2 : 4,096x4,096 (weights) + 4,096 (biases)
      fc3 : 4,096x1,000 (weights) + 1,000 (biases)`;
    const r = checkClaims(vgg16, breakdown);
    expect(r.claims.map((c) => c.verdict)).toEqual(Array(12).fill('exact'));
    expect(r.wrong).toBe(0);
  });
});

describe('every side of a claim is checked', () => {
  test('a right number with a wrong formula is wrong', () => {
    // 3·3·3·64 + 65 = 1,793, one more than features.0's 1,792.
    const c = one(vgg16, 'features.0: 1792 = 3*3*3*64 + 65');
    expect(c.verdict).toBe('wrong');
    expect(c.notes[0]).toBe('Arithmetic: 3*3*3*64 + 65 = 1,793, not 1792.');
    expect(c.targets[0]!.diagnoses.map((d) => d.message)).toEqual(['1792 is right, but 3*3*3*64 + 65 = 1,793 is not.', '1,793 is 1 (0.056%) too high.']);
  });

  test('a rounded number and an exact formula that are both right', () => {
    // 0.0018M = 1,800 ± 50 covers 1,792; 3·3·3·64 + 64 = 1,792 exactly.
    expect(one(vgg16, 'features.0: 0.0018M = 3*3*3*64 + 64').verdict).toBe('rounded');
  });

  test('a number that disagrees with its own formula', () => {
    // 3·3·256·256 = 589,824 = 0.59M, not 0.69M.
    const c = one(vgg16, 'conv3-256: 0.69M = 3*3*256*256');
    expect(c.notes[0]).toBe('Arithmetic: 3*3*256*256 = 589,824, not 0.69M.');
    expect(c.verdict).toBe('wrong');
  });
});

describe('a claim about several layers is right only when it is right for each', () => {
  test('a label: right for one layer, wrong for the other, and the headline says which', () => {
    // conv3-64 is features.0 (3 → 64: 1,792) and features.2 (64 → 64: 3·3·64·64 + 64 = 36,928).
    const c = one(vgg16, 'conv3-64: 3*3*3*64 + 64');
    expect(c.verdict).toBe('wrong');
    expect(c.headline).toBe('right for features.0; wrong for features.2');
    expect(c.targets[1]!.diagnoses[0]!.code).toBe('c_in');
  });

  test("the seed's 590,080 for conv3-256 is right for two of its three layers", () => {
    const c = one(vgg16, 'conv3-256: 590,080');
    expect(c.verdict).toBe('wrong');
    expect(c.headline).toBe('right for features.12, features.14; wrong for features.10');
  });

  test('two stages that share a label: the key may mean either', () => {
    // VGG-16's two conv3-512 ×3 stages: 1,180,160 + 2·2,359,808 = 5,899,776 and 3·2,359,808 = 7,079,424.
    const c = one(vgg16, 'conv3-512 x3: 7,079,424');
    expect(c.verdict).toBe('exact');
    expect(c.targets.map((t) => t.value)).toEqual([7_079_424, 5_899_776]);
    expect(c.targets.map((t) => t.name)).toEqual(['conv3-512 ×3 (features.24 … features.28)', 'conv3-512 ×3 (features.17 … features.21)']);
  });
});

describe('keys: totals, layers, modules, common names, stages, labels, roles', () => {
  const read = (report: ReturnType<typeof summarize>, text: string) => {
    const r = checkClaims(report, text);
    expect(r.unread).toEqual([]);
    expect(r.claims.map((c) => [c.claim.text, c.verdict]).filter(([, v]) => v !== 'exact' && v !== 'rounded')).toEqual([]);
    return r.claims.map((c) => [c.by, c.key]);
  };

  test('totals', () => {
    // 15,470,264,320 MACs ≈ 15.47G; VGG-16 has no BatchNorm, so nothing is non-trainable.
    expect(read(vgg16, 'parameters: 138M\nTotal params: 138,357,544\ntotal macs: 15.47G\ntrainable: 138357544\nnon-trainable: 0\nvgg16: 138.4M\nmacs: 15,470,264,320')).toEqual([
      ['total', 'total'],
      ['total', 'total'],
      ['total', 'macs'],
      ['total', 'trainable'],
      ['total', 'non-trainable'],
      ['total', 'total'],
      ['total', 'macs'],
    ]);
  });

  test('layer names and module paths', () => {
    // classifier: 102,764,544 + 16,781,312 + 4,097,000 = 123,642,856.
    expect(read(vgg16, 'features.10: 295,168\nFeatures.10: 295168\nclassifier: 123,642,856')).toEqual([
      ['layer', 'features.10'],
      ['layer', 'features.10'],
      ['module', 'classifier'],
    ]);
    // ResNet-50 layer1: the first bottleneck 4,096 + 128 + 36,864 + 128 + 16,384 + 512 + (downsample 16,384 + 512)
    // = 75,008; the other two 16,384 + 128 + 36,864 + 128 + 16,384 + 512 = 70,400 each: 75,008 + 2·70,400 = 215,808.
    expect(read(resnet50, 'layer1: 215,808\nlayer1.0: 75,008\nlayer1.1: 70,400\nfc: 2,049,000')).toEqual([
      ['module', 'layer1'],
      ['module', 'layer1.0'],
      ['module', 'layer1.1'],
      ['layer', 'fc'],
    ]);
  });

  test("Caffe's and the paper's names (conv1_1 … conv5_3, fc6 … fc8) and Keras Applications' (block1_conv1 … predictions)", () => {
    // conv1_1 = 3·3·3·64 + 64 = 1,792; conv3_1 = 3·3·128·256 + 256 = 295,168; conv5_3 = 3·3·512·512 + 512
    // = 2,359,808; fc6 = 25,088·4,096 + 4,096; fc7 = 4,096·4,096 + 4,096; fc8 = 4,096·1,000 + 1,000.
    const caffe = 'conv1_1: 1,792\nconv1_2: 36,928\nconv3_1: 295,168\nconv5_3: 2,359,808\npool5: 0\nfc6: 102,764,544\nfc7: 16,781,312\nfc8: 4,097,000';
    expect(read(vgg16, caffe).map(([, key]) => key)).toEqual(['features.0', 'features.2', 'features.10', 'features.28', 'features.30', 'classifier.0', 'classifier.3', 'classifier.6']);
    const keras = 'block1_conv1: 1792\nblock3_conv1: 295168\nblock5_conv3: 2359808\nblock5_pool: 0\nfc1: 102764544\nfc2: 16781312\npredictions: 4097000';
    expect(read(vgg16, keras).map(([, key]) => key)).toEqual(['features.0', 'features.10', 'features.28', 'features.30', 'classifier.0', 'classifier.3', 'classifier.6']);
    expect(one(vgg16, 'conv3_1: 295168').notes).toContain('conv3_1 is the common name of features.10.');
  });

  test('stages and labels, with a quantity word', () => {
    // conv3-64 ×2: 1,792 + 36,928 = 38,720; conv3-128 ×2: 73,856 + 147,584 = 221,440.
    expect(read(vgg16, 'conv3-64 ×2: 38720\n2x conv3-128: 221440\nconv3-64 x 2: 38,720\nmaxpool: 0\nfeatures.0 macs: 86,704,128')).toEqual([
      ['stage', 'conv3-64 ×2'],
      ['stage', 'conv3-128 ×2'],
      ['stage', 'conv3-64 ×2'],
      ['label', 'maxpool'],
      ['layer', 'features.0'],
    ]);
    // The weights of a 256→256 conv3: 3·3·256·256 = 589,824, right for two of the three conv3-256 layers.
    const c = one(vgg16, 'conv3-256 weights: 3*3*256*256');
    expect(c.headline).toBe('right for features.12, features.14; wrong for features.10');
    expect(one(vgg16, 'fc1 biases: 4,096').verdict).toBe('exact');
  });

  test('roles, as the summary of a transformer prints them', () => {
    // GPT-2 small: attention per layer c_attn 768·2,304 + 2,304 = 1,771,776 and c_proj 768·768 + 768 = 590,592,
    // 2,362,368 in all, ×12 = 28,348,416; mlp c_fc 768·3,072 + 3,072 = 2,362,368 and c_proj 3,072·768 + 768 =
    // 2,360,064, ×12 = 56,669,184; embeddings wte 50,257·768 = 38,597,376 + wpe 1,024·768 = 786,432.
    // 'embeddings' is also the first stage of a transformer (the same two layers), which keys read before roles.
    expect(read(gpt2, 'attention: 28,348,416\nmlp: 56,669,184\nembeddings: 39,383,808\nembedding: 39383808')).toEqual([
      ['role', 'attention'],
      ['role', 'mlp'],
      ['stage', 'embeddings'],
      ['role', 'embeddings'],
    ]);
    expect(checkClaims(gpt2, 'embeddings: 39,383,808').claims[0]!.verdict).toBe('exact');
  });

  test('a key with two readings says which it took', async () => {
    const spec = await parseSpecText('input: 8x8x3\nlayers:\n  - conv2d: {out: 8, kernel: 3, padding: 1}\n    name: conv3-8\n  - conv3-8\n', 'ambiguous.yaml');
    const report = summarize(spec);
    // The layer conv3-8 (3 → 8): 3·3·3·8 + 8 = 224. The label conv3-8 also names the second conv (8 → 8: 584).
    const c = one(report, 'conv3-8: 224');
    expect([c.by, c.verdict]).toEqual(['layer', 'exact']);
    expect(c.notes[0]).toMatch(/^'conv3-8' is read as the layer conv3-8; it is also the layers labelled conv3-8\.$/);
  });

  test("a layer's own name wins over a stage that happens to share it", async () => {
    // The first linear layer is named fc2 (16 → 32: 16·32 + 32 = 544), the second fc1 (32 → 8: 32·8 + 8 = 264).
    const spec = await parseSpecText('input: 16\nlayers:\n  - linear: {out: 32}\n    name: fc2\n  - linear: {out: 8}\n    name: fc1\n', 'names.yaml');
    const report = summarize(spec);
    const c = one(report, 'fc1: 264');
    expect([c.by, c.key, c.verdict]).toEqual(['layer', 'fc1', 'exact']);
    expect(one(report, 'fc2: 16*32 + 32').verdict).toBe('exact');
  });

  test('an unknown key is reported at its line, with the nearest key, and every other claim is still checked', () => {
    const r = checkClaims(vgg16, 'total: 138M\nconv3-265: 590080\nfc2: 16,781,312');
    expect(r.claims.map((c) => c.key)).toEqual(['total', 'classifier.3']);
    expect(r.unread).toHaveLength(1);
    expect(r.unread[0]).toMatchObject({ line: 2, column: 1, message: "'conv3-265' is not a layer, module, stage or total of vgg16. Did you mean 'conv3-256'?" });
    expect(checkClaims(vgg16, 'total: 1\nfeatures.100: 5').unread[0]!.message).toContain("Did you mean 'features.10'?");
    expect(checkClaims(vgg16, 'total: 1\nclasifier.0: 5').unread[0]!.message).toContain("Did you mean 'classifier.0'?");
    // Nothing readable at all is an error (exit 2 in the CLI), at the key.
    const error = errorOf(() => checkClaims(vgg16, 'conv3-265: 590080'));
    expect(error).toBeInstanceOf(ModelError);
    expect(formatError(error)).toContain('line 1, column 1');
  });
});

describe('mistakes in a stage or the total', () => {
  const diagnosed = (report: ReturnType<typeof summarize>, claim: string) => {
    const c = one(report, claim);
    expect(c.verdict).toBe('wrong');
    return c.targets[0]!.diagnoses.map((d) => d.code);
  };

  test('c_in = 3, the image channels, for every conv', () => {
    // Every conv counted as 3·3·3·c_out + c_out = 28·c_out. VGG-16's c_out: 64, 64, 128, 128, 256 ×3, 512 ×6,
    // Σ = 128 + 256 + 768 + 3,072 = 4,224, so the convs make 28·4,224 = 118,272, plus the FC layers'
    // 123,642,856: 123,761,128.
    expect(diagnosed(vgg16, 'total: 123,761,128')).toEqual(['c_in']);
    expect(one(vgg16, 'total: 123,761,128').targets[0]!.diagnoses[0]!.message).toMatch(/takes c_in = 3, the image's channels, for every conv/);
    // The same in a stage: conv3-256 ×3 as three 3·3·3·256 + 256 = 7,168: 21,504.
    expect(diagnosed(vgg16, 'conv3-256 x3: 21,504')).toEqual(['c_in']);
  });

  test('biases forgotten everywhere', () => {
    // Biases: the convs' 4,224 and the FC layers' 4,096 + 4,096 + 1,000 = 9,192: 13,416 in all.
    // 138,357,544 − 13,416 = 138,344,128. In conv3-256 ×3: 1,475,328 − 3·256 = 1,474,560.
    expect(diagnosed(vgg16, 'total: 138,344,128')).toEqual(['bias']);
    expect(diagnosed(vgg16, 'conv3-256 x3: 1,474,560')).toEqual(['bias']);
  });

  test('FC left out', () => {
    // 138,357,544 − 123,642,856 = 14,714,688.
    expect(diagnosed(vgg16, 'total: 14,714,688')).toEqual(['fc-left-out']);
  });

  test("the embeddings left out: GPT-2's 85M", () => {
    // 124,439,808 − 39,383,808 = 85,056,000, which 85M (85,000,000 ± 500,000) covers.
    expect(diagnosed(gpt2, 'total: 85M')).toEqual(['embeddings']);
    expect(diagnosed(gpt2, 'total: 85,056,000')).toEqual(['embeddings']);
  });

  test('the tied head counted twice', () => {
    // 124,439,808 + 38,597,376 (lm_head = wte, 50,257·768) = 163,037,184.
    expect(diagnosed(gpt2, 'total: 163,037,184')).toEqual(['tied']);
  });

  test('one of n identical layers or blocks given for the whole', () => {
    expect(diagnosed(gpt2, 'attention: 2,362,368')).toEqual(['one-layer']);
    // One mlp block: 2,362,368 + 2,360,064 = 4,722,432.
    const c = one(gpt2, 'mlp: 4,722,432');
    expect(c.targets[0]!.diagnoses[0]!.message).toBe(
      "4,722,432 is one of mlp's 12 identical blocks (transformer.h.0.mlp.c_fc … transformer.h.0.mlp.c_proj); the 12 together hold 12·4,722,432 = 56,669,184.",
    );
    expect(c.targets[0]!.truth).toBe('12·(2,362,368 + 2,360,064) = 56,669,184');
  });
});

describe('exact comparison at any size', () => {
  test('a MACs claim off by one past 2^53 is wrong', () => {
    const big = summarize('vgg16', { input: [512, 3, 20000, 20000] });
    const macs = BigInt(big.totals.macs);
    expect(macs > 2n ** 53n).toBe(true);
    expect(one(big, `macs: ${macs}`).verdict).toBe('exact');
    const off = one(big, `macs: ${macs + 1n}`);
    expect(off.verdict).toBe('wrong');
    expect(off.targets[0]!.diagnoses[0]!.message).toMatch(/^[\d,]+ is 1 \(< 0\.001%\) too high\.$/);
  });

  test('huge claims are judged, not crashed on', () => {
    expect(one(vgg16, 'total: 1e308 * 10').targets[0]!.diagnoses[0]!.message).toMatch(/is about 7\.2·10\^300 times the true value\.$/);
    expect(one(vgg16, `total: ${'9'.repeat(1000)}`).verdict).toBe('wrong');
    expect(one(vgg16, 'total: 1.5M^64').verdict).toBe('wrong');
  });
});

describe('notes', () => {
  test('a value nothing explains is shown against the nearest target', () => {
    const c = one(vgg16, '12345');
    // The smallest conv3-64 layer is features.0, 1,792; the nearest by ratio to 12,345 is features.2, 36,928.
    expect(c.notes[0]).toMatch(/nearest is features\.2 \(36,928\)/);
    expect(c.targets[0]!.diagnoses[0]!.code).toBe('off');
  });

  test('every diagnosis comes with the true formula', () => {
    const r = checkClaims(vgg16, 'features.12: 589824\nfc1: (512*14*14)*4096 + 4096\ntotal: 14714688');
    for (const c of r.claims) for (const t of c.targets) expect(t.truth).toMatch(/ = [\d,]+$/);
  });
});

describe('where the parameters are', () => {
  test('ResNet-50: mostly convolutions, and BatchNorm buffers not counted', () => {
    const lines = context(resnet50);
    // fc: 2,048·1,000 + 1,000 = 2,049,000 ≈ 2.0M of 25,557,032 ≈ 25.6M; 25,557,032 − 2,049,000 = 23,508,032.
    expect(lines[0]).toBe('23.5M of the 25.6M parameters are in the convolutions; the FC layer holds 2.0M.');
    expect(lines[1]).toMatch(/^Not counted: [\d,]+ BatchNorm running statistics/);
  });

  test('GPT-2: by role, and the shared matrix', () => {
    const lines = context(gpt2);
    expect(lines[0]).toMatch(/^Of the 124\.4M parameters: mlp /);
    // 50,257·768 = 38,597,376 ≈ 38.6M.
    expect(lines[1]).toBe('lm_head reuses the 38.6M numbers of transformer.wte.weight, counted once.');
  });
});
