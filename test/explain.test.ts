import { describe, expect, test } from 'vitest';
import { explainLayer, findLayers } from '../src/render/explain-layer.js';
import { summarize } from '../src/summarize.js';
import { run } from './cli-io.js';

describe('nncalc explain --layer', () => {
  test("VGG-16's first conv3-256 (features.10), derived step by step", async () => {
    const r = await run(['explain', 'vgg16', '--layer', 'features.10']);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('features.10: conv3-256 (Conv2d)');
    // Before it: two 2×2 poolings take 224 to 56, and features.8 ended the conv3-128 stage with 128 channels.
    expect(out).toContain('Input [1, 128, 56, 56], from features.9 (MaxPool2d); output [1, 256, 56, 56].');
    // Padding 1 keeps the size: (56 + 2 − 3)/1 + 1 = 56.
    expect(out).toContain('H_out = ⌊(H_in + 2·p − k)/s⌋ + 1 = ⌊(56 + 2·1 − 3)/1⌋ + 1 = 56');
    // 3·3·128·256 = 294,912 weights, 256 biases.
    expect(out).toContain('weights k·k·c_in·c_out = 3·3·128·256 = 294,912 (tensor [256, 128, 3, 3])');
    expect(out).toContain('biases c_out = 256 (tensor [256])');
    expect(out).toContain('Parameters: k·k·c_in·c_out + c_out = 3·3·128·256 + 256 = 295,168.');
    // Every one of the 56·56·256 outputs sums 3·3·128 products: 802,816·1,152 = 924,844,032.
    expect(out).toContain('MACs: N·H_out·W_out·c_out·k·k·c_in = 1·56·56·256·3·3·128 = 924,844,032.');
    // 2 FLOPs per MAC plus one bias add per output: 1,849,688,064 + 802,816 = 1,850,490,880.
    expect(out).toContain('FLOPs: 2·MACs + N·C·H·W = 2·924,844,032 + 1·256·56·56 = 1,850,490,880.');
    // 802,816 values · 4 bytes = 3,211,264 bytes = 3.0625 MiB.
    expect(out).toContain('1·256·56·56 = 802,816 values × 4 bytes = 3,211,264 bytes (3.06 MiB)');
    // Receptive field: conv3 ×2 → 3, 5; pool 2/2 → 6, jump 2; conv3 ×2 → 10, 14; pool → 16, jump 4; this conv: 16 + 2·4 = 24.
    expect(out).toContain('sees 24 pixels of the input along H, and neighbouring outputs are 4 pixels apart: r = r_in + (k − 1)·j_in = 16 + (3 − 1)·4 = 24, j = j_in·s = 4·1 = 4.');
  });

  test('a paper label selects every layer that has it: conv3-256 is three layers of VGG-16', async () => {
    const r = await run(['explain', 'vgg16', '--layer', 'conv3-256']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 layers are labelled conv3-256: features.10, features.12, features.14.');
    const titles = r.stdout.split('\n').filter((l) => l.startsWith('features.'));
    expect(titles).toEqual(['features.10: conv3-256 (Conv2d)', 'features.12: conv3-256 (Conv2d)', 'features.14: conv3-256 (Conv2d)']);
    // The second and third see 256 channels: 3·3·256·256 = 589,824 weights.
    expect(r.stdout.match(/3·3·256·256 = 589,824/g)).toHaveLength(2);
  });

  test('an unknown layer: exit 1 with the closest name', async () => {
    const r = await run(['explain', 'vgg16', '--layer', 'features.100']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'vgg16' has no layer named or labelled 'features.100'. Did you mean 'features.10'?");
    const label = await run(['explain', 'vgg16', '--layer', 'conv3-25']);
    expect(label.code).toBe(1);
    expect(label.stderr).toContain("Did you mean 'conv3-256'?");
  });

  test('a merge names each input and where it comes from (ResNet-18, first block of layer2)', async () => {
    // torchvision's BasicBlock adds bn2's output to the downsampled shortcut: both 128×28×28.
    const r = await run(['explain', 'resnet18', '--layer', 'layer2.0.add']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Inputs [1, 128, 28, 28] from layer2.0.bn2 (BatchNorm2d) and [1, 128, 28, 28] from layer2.0.downsample.1 (BatchNorm2d)');
    expect(r.stdout).toContain('Parameters: none.');
  });

  test('a fully connected layer after a flatten says where its inputs come from', async () => {
    const r = await run(['explain', 'vgg16', '--layer', 'classifier.0']);
    // 512·7·7 = 25,088 inputs, 25,088·4,096 = 102,760,448 weights.
    expect(r.stdout).toContain('The flatten flatten turns [1, 512, 7, 7] into one vector of 512·7·7 = 25,088 values per sample.');
    expect(r.stdout).toContain('weights c_in·c_out = 25,088·4,096 = 102,760,448');
    expect(r.stdout).toContain('Receptive field: none, as the output is not a spatial map');
  });

  test('BatchNorm statistics under each convention', async () => {
    // 64 channels: γ and β 2·64 = 128 parameters; running mean and variance 2·64 = 128 more.
    const pt = await run(['explain', 'vgg16_bn', '--layer', 'features.1']);
    expect(pt.stdout).toContain('a running statistic: a buffer in PyTorch, not a parameter');
    expect(pt.stdout).toContain('Buffers, not counted: 128');
    const keras = await run(['explain', 'vgg16_bn', '--layer', 'features.1', '--convention', 'keras']);
    expect(keras.stdout).toMatch(/Parameters: .* = 256 \(128 trainable, 128 non-trainable\)\./);
  });

  test('the text fits the width', async () => {
    const r = await run(['explain', 'vgg16', '--layer', 'features.10', '--width', '60']);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('nncalc explain (whole model)', () => {
  test('the whole-model sections, then every layer with parameters or MACs', async () => {
    const r = await run(['explain', 'vgg16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('How parameters are counted');
    expect(r.stdout).toContain('Subtotals by stage');
    // 13 convolutions and 3 fully connected layers have parameters; ReLUs, poolings and dropouts are left out.
    const titles = r.stdout.split('\n').filter((l) => /^(features|classifier)\.\d+[: ]/.test(l));
    expect(titles).toHaveLength(16);
    expect(r.stdout).not.toContain('features.1 (ReLU)\n');
  });

  test('Markdown: ### sections and tables with header separators', async () => {
    const r = await run(['explain', 'vgg16', '--format', 'md']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('## vgg16 — torchvision.models.vgg16');
    expect(lines).toContain('### features.10: conv3-256 (Conv2d)');
    const starts = lines.flatMap((l, i) => (l.startsWith('|') && !lines[i - 1]?.startsWith('|') ? [i] : []));
    expect(starts.length).toBeGreaterThanOrEqual(3);
    for (const i of starts) {
      expect(lines[i + 1]).toMatch(/^\|(:?-{3,}:?\|)+$/);
      // Every row of a table has as many cells as its header.
      const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (let k = i; lines[k]?.startsWith('|'); k++) expect(cells(lines[k]!)).toBe(cells(lines[i]!));
    }
  });

  test('JSON gives the sections as data', async () => {
    const r = await run(['explain', 'alexnet-paper', '--layer', 'conv2', '--format', 'json']);
    const j = JSON.parse(r.stdout) as { model: string; sections: { title: string; blocks: { kind: string }[] }[] };
    expect(j.model).toBe('alexnet-paper');
    expect(j.sections.map((s) => s.title)).toEqual(['conv2: conv5-256 g2 (Conv2d)']);
    // Two groups: each filter sees 96/2 = 48 channels, 5·5·48·256 = 307,200 weights.
    expect(JSON.stringify(j.sections)).toContain('weights k·k·c_in/g·c_out = 5·5·48·256 = 307,200');
  });

  test('exit codes: usage errors are 2', async () => {
    expect((await run(['explain'])).code).toBe(2);
    expect((await run(['explain', 'vgg16', 'vgg19'])).code).toBe(2);
    expect((await run(['explain', 'vgg16', '--format', 'csv'])).code).toBe(2);
  });

  test('notation from stdin', async () => {
    // conv3-4 on 8×8×1 with same padding: 3·3·1·4 + 4 = 40 parameters.
    const r = await run(['explain', '-', '--input', '8x8x1', '--layer', 'conv3-4'], { stdin: 'conv3-4, FC-10' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from the network input');
    expect(r.stdout).toContain('3·3·1·4 + 4 = 40');
  });
});

describe('explainLayer from the library', () => {
  test('a report alone says where the input comes from, with the numbers', () => {
    const report = summarize('vgg16');
    const [layer] = findLayers(report, 'features.10');
    const text = JSON.stringify(explainLayer(report, layer!));
    expect(text).toContain('Input [1, 128, 56, 56], from features.9 (MaxPool2d); output [1, 256, 56, 56].');
    expect(text).toContain('sees 24 pixels of the input along H');
  });
});
