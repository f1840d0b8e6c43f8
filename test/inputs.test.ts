/**
 * Inputs that do not fit the model are errors, not quiet numbers, and the sequence length the MACs depend on is
 * stated. Each case is one a new user ran into.
 */
import { describe, expect, test } from 'vitest';
import { HELP } from '../src/cli/main.js';
import { summarize } from '../src/summarize.js';
import { run } from './cli-io.js';
import { errorOf } from './helpers.js';

describe('image inputs', () => {
  test('H×W without channels is an error on the command line, suggesting both channel counts', async () => {
    const r = await run(['vgg16', '--input', '224x224']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('224x224x3');
    expect(r.stderr).toContain('224x224x1');
  });

  test('… and in the notation’s header', async () => {
    const r = await run(['224x224, conv3-64, FC-10']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the input '224x224' gives no channel count. Write 224x224x3 for an RGB image or 224x224x1 for a grayscale one.");
  });

  test('a zoo model given the wrong number of channels', () => {
    const e = errorOf(() => summarize('vgg16', { input: [1, 1, 224, 224] }));
    expect(e.message).toBe("'vgg16' takes 3 input channels, as its first layer's weights are built for, but the input [1, 1, 224, 224] has 1.");
    expect(e.details.join('\n')).toContain('--input 1,3,224,224 (or 224x224x3)');
  });

  test('a channels-last shape gets the transposed shape offered', async () => {
    // The issue's case: ResNet-50's conv1 would otherwise see 224 channels (7·7·224·64 = 702,464 weights).
    const r = await run(['resnet50', '--input', '1,224,224,3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[1, 224, 224, 3] looks channels-last (N, H, W, C); nncalc takes channels first: --input 1,3,224,224 (or 224x224x3).');
  });

  test('the right channel count at another size still works', () => {
    expect(summarize('resnet50', { input: [1, 3, 320, 320] }).model.output).toEqual([1, 1000]);
  });
});

describe('FC-n on a feature map', () => {
  const lenet = 'conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10';

  test('--no-implicit leaves no flatten: FC-120 on [1, 16, 5, 5] is an error that says how to add one', async () => {
    const r = await run([lenet, '--input', '32x32x1', '--no-implicit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FC-120 is applied to [1, 16, 5, 5], which still has spatial axes; a fully connected layer needs a vector of features.');
    // 16·5·5 = 400 features once flattened.
    expect(r.stderr).toContain("Write 'flatten' before FC-120 (it gives 16·5·5 = 400 features)");
    expect(r.stderr).toContain('line 1, column 38'); // the word FC-120
  });

  test('with the flatten written, --no-implicit gives LeNet-5 without ReLUs: 61,706 parameters', async () => {
    // conv5-6 5·5·1·6 + 6 = 156; conv5-16 5·5·6·16 + 16 = 2,416; FC-120 400·120 + 120 = 48,120; FC-84 10,164; FC-10 850.
    const r = summarize('conv5-6, maxpool, conv5-16, maxpool, flatten, FC-120, FC-84, FC-10', { input: [1, 1, 32, 32], notation: { relu: false, flatten: false, padding: 'valid' } });
    expect(r.totals.params).toBe(156 + 2416 + 48_120 + 10_164 + 850);
  });

  test('the README and --help LeNet line gives LeNet-5: 61,706 parameters with the padding stated', async () => {
    const r = await run([lenet, '--input', '32x32x1', '--no-implicit-padding', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Total params:\s+61,706/);
    // No padding: 32 − 5 + 1 = 28, pooled to 14; 14 − 5 + 1 = 10, pooled to 5.
    expect(r.stdout).toContain('conv layers are not padded, so a k×k conv at stride 1 takes k − 1 off the height and the width: conv1_1 32 → 28 and conv2_1 14 → 10');
    // With the paper's same padding the same text is another network: 136,586 parameters (16·8·8 = 1,024 inputs to FC-120).
    expect(summarize(lenet, { input: [1, 1, 32, 32] }).totals.params).toBe(156 + 2416 + (1024 * 120 + 120) + 10_164 + 850);
    expect(HELP).toContain(`echo "${lenet}" | nncalc - --input 32x32x1 --no-implicit-padding`);
    expect(HELP).toContain('61,706 parameters');
  });
});

describe('sequence length', () => {
  test('past a learned position table is an error: BERT’s 512, GPT-2’s 1,024', async () => {
    const bert = await run(['bert-base-uncased', '--seq', '600']);
    expect(bert.code).toBe(1);
    expect(bert.stderr).toContain("'bert-base-uncased' has a learned position table of 512 rows (max_position_embeddings), so it cannot read 600 tokens");
    const gpt2 = await run(['gpt2', '--seq', '2048']);
    expect(gpt2.code).toBe(1);
    expect(gpt2.stderr).toContain('learned position table of 1,024 rows (n_positions)');
    expect((await run(['gpt2', '--seq', '1024'])).code).toBe(0);
  });

  test('past a rotary model’s trained context is a warning, and the counts are given', async () => {
    const r = await run(['llama-2-7b', '--seq', '8192']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("'llama-2-7b' was trained on up to 4,096 tokens (max_position_embeddings); at 8,192 tokens its rotary positions run past that.");
    expect(summarize('llama-2-7b', { seq: 8192 }).diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  test('the default length is stated wherever the MACs depend on it', async () => {
    const r = await run(['gpt2', '--explain']);
    expect(r.stdout).toMatch(/Sequence:\s+128 tokens\s+the model's default here, which --seq changes/);
    expect(r.stdout).toContain("They are counted at 128 tokens per sample (the model's default here; --seq sets it)");
    expect(summarize('gpt2').model.sequence).toEqual({ length: 128, axis: 1, given: false, positions: { max: 1024, kind: 'learned', key: 'n_positions' } });
    const set = await run(['gpt2', '--seq', '512']);
    expect(set.stdout).toMatch(/Sequence:\s+512 tokens\s+MACs, FLOPs and activations are counted at this length/);
    // Image models have no sequence line.
    expect((await run(['vgg16'])).stdout).not.toContain('Sequence:');
  });

  test('how the MACs grow with the length is said only of what the network has', async () => {
    // GPT-2 has attention: QKᵀ and AV are N·h·L·L·d_head each, quadratic in L; its linear layers are N·L·c_in·c_out.
    const gpt2 = (await run(['gpt2', '--explain', '--width', '200'])).stdout;
    expect(gpt2).toContain("attention's QKᵀ and AV grow with the square of the length, the other MACs in proportion to it.");
    // A bidirectional LSTM classifier has no attention: its MACs are L·N·D·4·H·(in + H) + …, linear in L.
    const lstm = (await run([new URL('../examples/bilstm-classifier.yaml', import.meta.url).pathname, '--explain', '--width', '200'])).stdout;
    expect(lstm).toContain("They are counted at 200 tokens per sample (the model's default here; --seq sets it): the MACs grow with it.");
    expect(lstm).not.toContain('QKᵀ');
  });

  test('--help says what the default is', () => {
    expect(HELP).not.toContain("the model's own");
    expect(HELP).toContain('default 128, or the position table if');
  });
});
