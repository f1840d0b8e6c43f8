/**
 * The explanations a new user met, each with the right answer: rules stated with the network's own numbers, why an
 * FC layer has its inputs, the dimension the weights contract, spatial sizes per axis, stages from the model's
 * structure, dense evaluation, training-only heads, pure ASCII and footers that wrap between words.
 */
import { describe, expect, test } from 'vitest';
import { stages } from '../src/analyze/stages.js';
import { parseSpecText } from '../src/describe/from-object.js';
import { summarize } from '../src/summarize.js';
import { readOracle } from './oracle.js';
import { arithmeticErrors } from './arithmetic.js';
import { run } from './cli-io.js';

/** The section of an explanation under a title, up to the next blank line. */
const section = (text: string, title: string): string => {
  const at = text.indexOf(`\n${title}\n`);
  if (at < 0) throw new Error(`no section '${title}' in:\n${text}`);
  const rest = text.slice(at + title.length + 2);
  return rest.slice(0, rest.search(/\n\n|$/));
};

/** The c_in cell of a layer's row in "Every layer with parameters". */
const cIn = (text: string, layer: string): string => {
  const row = section(text, 'Every layer with parameters')
    .split('\n')
    .find((l) => l.startsWith(`  ${layer} `));
  return row!.trim().split(/\s{2,}/)[2]!;
};

const explain = async (argv: string[], stdin?: string) => {
  const r = await run([...argv, '--explain'], stdin === undefined ? {} : { stdin });
  expect(r.stderr).toBe('');
  return r.stdout;
};

describe('rules assumed: only the rules applied, with this network’s numbers', () => {
  const text = '224x224x3, conv3-64 x2, maxpool, FC-10';

  test('the notation text of the issue', async () => {
    const rules = section(await explain([text]), 'Rules assumed');
    // No VGG-16 facts: there is no 512×7×7 map here and conv5 does not occur.
    expect(rules).not.toMatch(/512|25,088|7×7/);
    // Two conv3-64 at 224 keep 224 (padding 1); the maxpool halves it to 112; the flatten gives 64·112·112 = 802,816.
    expect(rules).toContain('1 pixel for the 2 conv3 layers');
    expect(rules).toContain('pool1 224 → 112');
    expect(rules).toContain('[1, 64, 112, 112] becomes 64·112·112 = 802,816 inputs of fc1');
    // A ReLU after each conv, none after FC-10, the last FC layer.
    expect(rules).toContain('2 ReLUs added here (relu1_1 and relu1_2)');
  });

  test('the JSON notes say the same', () => {
    const notes = summarize(text).model.notes;
    expect(notes).toHaveLength(4);
    expect(notes.join('\n')).not.toMatch(/512|25,088/);
    expect(notes[3]).toBe('a flatten comes before the first FC layer: [1, 64, 112, 112] becomes 64·112·112 = 802,816 inputs of fc1');
  });

  test('without padding the rule states what each conv takes off', () => {
    // 224 − 3 + 1 = 222, 222 − 3 + 1 = 220; the pool halves 220 to 110; 64·110·110 = 774,400.
    const notes = summarize(text, { notation: { padding: 'valid' } }).model.notes.join('\n');
    expect(notes).toContain('conv1_1 224 → 222 and conv1_2 222 → 220');
    expect(notes).toContain('pool1 220 → 110');
    expect(notes).toContain('64·110·110 = 774,400');
    expect(notes).not.toContain('1 pixel');
  });
});

describe('why a layer has N inputs', () => {
  test('a flatten of [1, 16, 2, 2] gives 16·2·2 = 64 values', async () => {
    // 8×8 → maxpool 4×4 → maxpool 2×2, with 16 maps.
    const why = section(await explain(['8x8x3, conv3-16, maxpool, maxpool, FC-10']), 'Why fc1 has 64 inputs');
    expect(why).toContain('The flatten turns [1, 16, 2, 2] into one vector of 16·2·2 = 64 values, so fc1 has 64·10 = 640 weights and 10 biases.');
  });

  const vit = `input: 16x16x3
layers:
  - conv2d: {out: 192, kernel: 4, stride: 4}
    name: patch
  - flatten: {start_dim: 2}
    name: tokens
  - transpose: {dim0: 1, dim1: 2}
  - parameter: {shape: [1, 1, 192], mode: concat_token}
    name: cls
  - transformer_encoder_layer: {nhead: 3, dim_feedforward: 384}
    name: encoder
  - layernorm:
    name: ln
  - select: {dim: 1, index: 0}
    name: first
  - linear: {out: 10}
    name: head
`;

  test('a ViT-style head reads the class token, not a flattened map', async () => {
    const r = summarize(await parseSpecText(vit, 'vit.yaml'));
    const text = (await import('../src/render/index.js')).render(r, 'table', { explain: true });
    // 16/4 = 4 patches a side: 16 tokens of 192, plus the class token: [1, 17, 192].
    const why = section(text, 'Why head has 192 inputs');
    expect(why).toContain('first takes the class token (index 0 of dimension 1) from [1, 17, 192], a vector of 192 values');
    expect(why).not.toContain('192·4·4');
    // The encoder's weights contract the 192 features, not the 17 tokens.
    expect(cIn(text, 'encoder')).toBe('192');
  });

  test('vit_b_16: heads.head reads the class token of [1, 197, 768]', async () => {
    const why = section(await explain(['vit_b_16']), 'Why heads.head has 768 inputs');
    expect(why).toContain('class_token_out takes the class token (index 0 of dimension 1) from [1, 197, 768]');
  });

  test('a transformer without a flatten gets no such section', async () => {
    expect(await explain(['llama-2-7b'])).not.toContain('\nWhy ');
  });
});

describe('c_in is the dimension the weights contract', () => {
  test('llama-2-7b: down_proj contracts the 11,008 MLP features; the sequence length is not c_in', async () => {
    const text = await explain(['llama-2-7b']);
    expect(cIn(text, 'model.layers.0.mlp.down_proj')).toBe('11,008');
    expect(cIn(text, 'model.layers.0.mlp.gate_proj')).toBe('4,096');
    expect(cIn(text, 'model.layers.0.self_attn')).toBe('4,096');
    // An embedding looks rows up; it contracts nothing.
    expect(cIn(text, 'model.embed_tokens')).toBe('–');
  });

  test('an LSTM over 128 features of 64 steps contracts 128', async () => {
    const spec = await parseSpecText('input: [1, 64, 128]\nlayers:\n  - lstm: {hidden_size: 32}\n    name: lstm\n', 'lstm.yaml');
    const text = (await import('../src/render/index.js')).render(summarize(spec), 'table', { explain: true });
    expect(cIn(text, 'lstm')).toBe('128');
  });

  test('a conv contracts its channels', async () => {
    expect(cIn(await explain(['vgg16']), 'features.10')).toBe('128');
  });
});

describe('spatial sizes, one chain per axis along the path of the image', () => {
  const sizes = async (yaml: string) => {
    const r = summarize(await parseSpecText(yaml, 'net.yaml'));
    return section((await import('../src/render/index.js')).render(r, 'table', { explain: true }), 'Spatial sizes');
  };

  test('3-D input (an r3d-like stem): D apart from H and W', async () => {
    const text = await sizes(`input: [1, 3, 16, 112, 112]
layers:
  - conv3d: {out: 64, kernel: [3, 7, 7], stride: [1, 2, 2], padding: [1, 3, 3], bias: false}
  - conv3d: {out: 128, kernel: 3, stride: 2, padding: 1, bias: false}
  - conv3d: {out: 256, kernel: 3, stride: 2, padding: 1, bias: false}
  - conv3d: {out: 512, kernel: 3, stride: 2, padding: 1, bias: false}
  - adaptive_avgpool3d: {output: 1}
`);
    // D: (16 + 2 − 3)/1 + 1 = 16, then /2 three times: 8, 4, 2; H and W: (112 + 6 − 7)/2 + 1 = 56, then 28, 14, 7.
    expect(text).toContain('D (depth, or time in a video) goes 16 → 8 → 4 → 2 → 1; the height and the width go 112 → 56 → 28 → 14 → 7 → 1.');
    expect(text).toContain('D: ⌊(16 + 2·1 − 3)/1⌋ + 1 = 16; H, W: ⌊(112 + 2·3 − 7)/2⌋ + 1 = 56');
  });

  test('H ≠ W: both chains, each rule shown', async () => {
    const text = await sizes('input: 224x160x3\nlayers:\n  - conv2d: {out: 8, kernel: 3, stride: 2, padding: 1}\n  - maxpool2d: {kernel: 2}\n');
    // H: (224 + 2 − 3)/2 + 1 = 112, then 56; W: (160 + 2 − 3)/2 + 1 = 80, then 40.
    expect(text).toContain('H: ⌊(224 + 2·1 − 3)/2⌋ + 1 = 112; W: ⌊(160 + 2·1 − 3)/2⌋ + 1 = 80');
    expect(text).toContain('the height goes 224 → 112 → 56; the width goes 160 → 80 → 40.');
  });

  test('conv1d: the length', async () => {
    const text = await sizes('input: [1, 12, 1000]\nlayers:\n  - conv1d: {out: 32, kernel: 7, stride: 2}\n  - maxpool1d: {kernel: 2}\n');
    // (1,000 − 7)/2 + 1 = 497; (497 − 2)/2 + 1 = 248.
    expect(text).toContain('⌊(1,000 − 7)/2⌋ + 1 = 497');
    expect(text).toContain('the length goes 1,000 → 497 → 248.');
  });

  test('a transformer on token ids has no spatial sizes', async () => {
    expect(await explain(['gpt2'])).not.toContain('Spatial sizes');
  });
});

describe('stages follow the model’s structure', () => {
  const table = (name: string) => stages(summarize(name)).map((s) => [s.label, Number(s.params), s.repeat ? `${s.repeat.count} × ${s.repeat.each}` : '']);

  test('VGG-16 keeps the seed’s subtotals', () => {
    expect(table('vgg16')).toEqual([
      ['conv3-64 ×2', 38_720, ''],
      ['conv3-128 ×2', 221_440, ''],
      ['conv3-256 ×3', 1_475_328, ''],
      ['conv3-512 ×3', 5_899_776, ''],
      ['conv3-512 ×3', 7_079_424, ''],
      ['fc1', 102_764_544, ''],
      ['fc2', 16_781_312, ''],
      ['fc3', 4_097_000, ''],
    ]);
    // The two conv3-512 ×3 runs have distinct keys.
    expect(stages(summarize('vgg16')).map((s) => s.key).slice(3, 5)).toEqual(['conv3-512 ×3', 'conv3-512 ×3 #2']);
  });

  test('ResNet-50: stem, layer1 … layer4, head, as torchvision’s modules hold them', () => {
    // The oracle's per-module parameters (torchvision 0.14): the sum over each top-level module's leaves.
    const o = readOracle('resnet50');
    const under = (p: string) => o.layers.filter((l) => l.name.startsWith(`${p}.`)).reduce((s, l) => s + l.params, 0);
    expect(table('resnet50')).toEqual([
      ['stem', 7 * 7 * 3 * 64 + 2 * 64, ''],
      ['layer1', under('layer1'), ''],
      ['layer2', under('layer2'), ''],
      ['layer3', under('layer3'), ''],
      ['layer4', under('layer4'), ''],
      ['head', 2048 * 1000 + 1000, ''],
    ]);
  });

  test('llama-2-7b: embeddings, 32 identical decoder layers, the final norm and the head', async () => {
    // Per decoder layer: attention 4·4,096² = 67,108,864, MLP 3·4,096·11,008 = 135,266,304, two RMSNorms 2·4,096.
    expect(table('llama-2-7b')).toEqual([
      ['embeddings', 32_000 * 4096, ''],
      ['model.layers', 32 * 202_383_360, '32 × 202383360'],
      ['final norm', 4096, ''],
      ['head', 4096 * 32_000, ''],
    ]);
    expect(section(await explain(['llama-2-7b']), 'Subtotals by stage')).toContain('model.layers.0 … model.layers.31  32 × 202,383,360 = 6,476,267,520');
  });

  test('lenet5-1998: C1, S2, C3, S4, C5, F6 and the output, each its own stage', () => {
    // C1 5·5·1·6 + 6; S2 2·6; C3 5·5·(6·3 + 9·4 + 1·6) + 16 (Table I); S4 2·16; C5 5·5·16·120 + 120; F6 120·84 + 84; RBF 84·10.
    expect(table('lenet5-1998')).toEqual([
      ['conv5-6', 156, ''],
      ['S2', 12, ''],
      ['conv5-16 table', 1_516, ''],
      ['S4', 32, ''],
      ['conv5-120', 48_120, ''],
      ['F6', 10_164, ''],
      ['output', 840, ''],
    ]);
  });

  test('--depth collapses the table, not the explanation: stages and rules come from the layers', async () => {
    const text = await explain(['resnet50', '--depth', '1']);
    expect(section(text, 'Subtotals by stage')).toMatch(/layer1\s+layer1\.0\.conv1 … layer1\.2\.relu#3\s+215,808/);
    expect(section(text, 'How parameters are counted')).not.toContain('Sequential');
    expect(arithmeticErrors(text)).toEqual([]);
  });

  test('a stage is never named after another layer: a user’s own fc1 … fc4', async () => {
    const spec = await parseSpecText(
      `input: 8x8x1
layers:
  - conv2d: {out: 4, kernel: 3, padding: 1}
    name: fc1
  - flatten:
  - linear: {out: 20}
    name: fc2
  - linear: {out: 20}
    name: fc3
  - linear: {out: 20}
    name: fc4
  - linear: {out: 10}
`,
      'fcs.yaml',
    );
    const st = stages(summarize(spec));
    // fc2 … fc4 are named by their own layers; the unnamed last FC layer is not 'fc4' or 'fc5'.
    expect(st.map((s) => s.label)).toEqual(['conv3-4', 'fc2', 'fc3', 'fc4', '5']);
    expect(st.map((s) => s.layers.map((l) => l.name))).toEqual([['fc1'], ['fc2'], ['fc3'], ['fc4'], ['5']]);
  });
});

describe('dense evaluation (VGG §3.2)', () => {
  test('vgg-d --dense on 384×384: 138,357,544 parameters and a 6×6 map of class scores', async () => {
    const r = summarize('vgg-d', { dense: true, input: [1, 3, 384, 384] });
    expect(r.totals.params).toBe(138_357_544);
    // 384 / 2⁵ = 12 before fc1; a 7×7 kernel fits 12 − 7 + 1 = 6 times along each axis.
    expect(r.model.output).toEqual([1, 1000, 6, 6]);
    const text = section(await explain(['vgg-d', '--dense', '--input', '384x384x3']), 'Dense evaluation: the FC layers as convolutions');
    expect(text).toContain('fc1 becomes a 7×7 conv over 512 maps: 7·7·512·4,096 = 102,760,448 weights, as many as an FC layer with 7·7·512 = 25,088 inputs has');
    expect(text).toContain('12 − 7 + 1 = 6');
    expect(text).toContain('a 6×6 map of class scores, [1, 1000, 6, 6]');
  });

  test('the notation word FC-conv does the same', () => {
    // At 32×32 the FC layers see 8 maps of 16×16; at 48×48 the map is 24×24, so 24 − 16 + 1 = 9 positions a side.
    const text = '32x32x3, conv3-8, maxpool, FC-conv, FC-16, FC-10';
    const plain = summarize(text.replace('FC-conv, ', ''));
    const dense = summarize(text, { input: [1, 3, 48, 48] });
    expect(dense.totals.params).toBe(plain.totals.params);
    expect(dense.layers.find((l) => l.name === 'fc1')!.attrs['kernel']).toEqual([16, 16]);
    expect(dense.model.output).toEqual([1, 10, 9, 9]);
  });

  test('a model without FC layers after a flatten cannot be evaluated densely', async () => {
    const r = await run(['gpt2', '--dense']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--dense turns the FC layers that read a flattened feature map into convolutions');
  });
});

describe('training-only branches', () => {
  test('inception_v3: the auxiliary head counts its parameters, not its MACs, and the table says so', async () => {
    const r = await run(['inception_v3', '--width', '200']);
    // AuxLogits.conv0: a 1×1 conv from 768 to 128 on 5×5: 5·5·128·768 = 2,457,600 MACs, in parentheses.
    expect(r.stdout).toMatch(/AuxLogits\.conv0\.conv \(Conv2d\)\s+\[1, 128, 5, 5\]\s+98,304\s+\(2,457,600\)/);
    expect(r.stdout).toMatch(/Total MACs:\s+5,713,216,096/);
    expect(r.stdout).toContain('AuxLogits: 3,326,696 params, counted above; their 5,683,200 MACs (in parentheses in the table) run only in training and are not in Total MACs');
  });
});

describe('--ascii and narrow terminals', () => {
  test('--ascii output is pure ASCII, every byte, tables and explanations', async () => {
    for (const argv of [['vgg16', '--explain'], ['inception_v3', '--explain'], ['llama-2-7b', '--explain'], ['swin_t', '--explain', '--rf'], ['lenet5-1998', '--explain'], ['explain', 'efficientnet_b0'], ['vgg16_bn', '--convention', 'keras']]) {
      const r = await run([...argv, '--ascii']);
      expect(r.code).toBe(0);
      const bad = [...Buffer.from(r.stdout, 'utf8')].findIndex((b) => b > 127);
      expect(bad, `${argv.join(' ')}: a byte past 127 at ${bad}: …${r.stdout.slice(Math.max(0, bad - 40), bad + 10)}`).toBe(-1);
    }
  });

  test('formulas stay readable in ASCII', async () => {
    const r = await run(['vgg16', '--explain', '--ascii']);
    expect(r.stdout).toContain('floor((224 + 2*1 - 3)/1) + 1 = 224');
    expect(r.stdout).toContain('224 -> 112 -> 56 -> 28 -> 14 -> 7');
  });

  test('at narrow widths the footer wraps between words', async () => {
    const wide = await run(['resnet50']);
    const narrow = await run(['resnet50', '--width', '60']);
    const note = (text: string) => {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('Buffers:'));
      const out = [lines[at]!.replace(/^Buffers:\s+[\d,]+\s+/, '')];
      for (let k = at + 1; lines[k]!.startsWith(' '); k++) out.push(lines[k]!.trim());
      return out;
    };
    const parts = note(narrow.stdout);
    expect(parts.length).toBeGreaterThan(1);
    // Joined with spaces, the wrapped lines are the note as printed wide: no word was cut.
    expect(parts.join(' ')).toBe(note(wide.stdout).join(' '));
    for (const line of narrow.stdout.split('\n').slice(narrow.stdout.split('\n').findIndex((l) => l.startsWith('Total params')))) {
      expect(line.length).toBeLessThanOrEqual(60);
    }
  });
});
