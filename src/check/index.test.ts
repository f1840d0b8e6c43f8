/**
 * The question nncalc was made for: "to calculate the number of parameters of a conv3-256 layer of VGG Net,
 * the answer is 0.59M = (3*3)*(256*256) … however in that way, I can't get the 138M parameters."
 */
import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { formatError, ModelError } from '../errors.js';
import { summarize } from '../summarize.js';
import { checkClaims, context } from './index.js';

const vgg16 = summarize('vgg16');

describe("the seed question's calculation", () => {
  test.each(['conv3-256: 0.59M = (3*3)*(256*256)', '0.59M = (3*3)*(256*256)', 'conv3-256: 589824'])('%s', (claim) => {
    const r = checkClaims(vgg16, claim);
    const c = r.claims[0]!;
    expect(c.verdict).toBe('wrong');
    expect(r.wrong).toBe(1);
    // VGG-16 has three conv3-256 layers: features.10 reads 128 channels, features.12 and .14 read 256.
    expect(c.targets.map((t) => t.layers)).toEqual([['features.12', 'features.14'], ['features.10']]);

    // (1) 3·3·256·256 = 589,824 are the weights of a 256→256 conv3; its 256 biases make 590,080.
    const [same, first] = c.targets;
    expect(same!.diagnoses.map((d) => d.code)).toEqual(['bias']);
    expect(same!.diagnoses[0]!.message).toBe('589,824 is right for the weights of a 256→256 conv3 (3·3·256·256), but misses its 256 biases.');
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
    const c = checkClaims(vgg16, '0.59M = (3*3)*(256*256)').claims[0]!;
    expect(c.by).toBe('value');
    expect(c.key).toBe('conv3-256');
    expect(c.notes).toContain('No key: read as the 3 conv3-256 layers, by value and factors.');
  });

  test('the right value for a label is right, and the layer that differs is still explained', () => {
    const c = checkClaims(vgg16, 'conv3-256: 590,080').claims[0]!;
    expect(c.verdict).toBe('exact');
    expect(c.targets[0]!.verdict).toBe('exact');
    expect(c.targets[1]!.layers).toEqual(['features.10']);
    expect(c.targets[1]!.diagnoses[0]!.code).toBe('c_in');
    // 0.59M = 590,000 ± 5,000 covers 590,080.
    expect(checkClaims(vgg16, 'conv3-256: 0.59M').claims[0]!.verdict).toBe('rounded');
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

describe('keys', () => {
  test('total words, layers, stages, labels, quantities', () => {
    const r = checkClaims(vgg16, 'parameters: 138M\nfeatures.10: 295,168\nfc1: 102764544\nconv3-64 ×2: 38720\n2x conv3-128: 221440\nfeatures.0 macs: 86,704,128\ntotal macs: 15.47G');
    expect(r.claims.map((c) => [c.by, c.key])).toEqual([
      ['total', 'total'],
      ['layer', 'features.10'],
      ['stage', 'fc1'],
      ['stage', 'conv3-64 ×2'],
      ['stage', 'conv3-128 ×2'],
      ['layer', 'features.0'],
      ['total', 'macs'],
    ]);
    expect(r.wrong).toBe(0);
  });

  test('a unit word sets the quantity of a claim without a key', () => {
    const c = checkClaims(vgg16, '15.5 GMACs').claims[0]!;
    expect([c.by, c.key, c.verdict]).toEqual(['value', 'macs', 'rounded']);
  });

  test('a stage label shared by two stages is checked against both', () => {
    // VGG-16's two conv3-512 ×3 stages: 1,180,160 + 2·2,359,808 = 5,899,776 and 3·2,359,808 = 7,079,424.
    const c = checkClaims(vgg16, 'conv3-512 x3: 7,079,424').claims[0]!;
    expect(c.verdict).toBe('exact');
    expect(c.targets.map((t) => t.value)).toEqual([7_079_424, 5_899_776]);
  });

  test('an unknown key suggests the nearest layer name or label, at its line and column', () => {
    const text = 'total: 138M\nconv3-265: 590080';
    const error = errorOf(() => checkClaims(vgg16, text));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe("'conv3-265' is not a layer, stage or total of vgg16. Did you mean 'conv3-256'?");
    expect(formatError(error)).toContain('line 2, column 1');
    expect(() => checkClaims(vgg16, 'features.100: 5')).toThrow("Did you mean 'features.10'?");
    expect(() => checkClaims(vgg16, 'clasifier.0: 5')).toThrow("Did you mean 'classifier.0'?");
  });
});

describe('notes', () => {
  test('a number that disagrees with its own formula', () => {
    // 3·3·256·256 = 589,824 = 0.59M, not 0.69M.
    const c = checkClaims(vgg16, 'conv3-256: 0.69M = 3*3*256*256').claims[0]!;
    expect(c.notes[0]).toBe('Arithmetic: 3*3*256*256 = 589,824, not 0.69M; checking 589,824.');
  });

  test('a value nothing explains is shown against the nearest target', () => {
    const c = checkClaims(vgg16, '12345').claims[0]!;
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
    const lines = context(summarize('resnet50'));
    // fc: 2,048·1,000 + 1,000 = 2,049,000 ≈ 2.0M of 25,557,032 ≈ 25.6M; 25,557,032 − 2,049,000 = 23,508,032.
    expect(lines[0]).toBe('23.5M of the 25.6M parameters are in the convolutions; the FC layer holds 2.0M.');
    expect(lines[1]).toMatch(/^Not counted: [\d,]+ BatchNorm running statistics/);
  });

  test('GPT-2: by role, and the shared matrix', () => {
    const lines = context(summarize('gpt2'));
    expect(lines[0]).toMatch(/^Of the 124\.4M parameters: mlp /);
    // 50,257·768 = 38,597,376 ≈ 38.6M.
    expect(lines[1]).toBe('lm_head reuses the 38.6M numbers of transformer.wte.weight, counted once.');
  });
});
