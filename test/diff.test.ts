import { describe, expect, test } from 'vitest';
import { align } from '../src/diff/align.js';
import { diffReports, type Diff, type DiffRow } from '../src/diff/index.js';
import { summarize } from '../src/summarize.js';
import { run } from './cli-io.js';

const json = async (argv: string[]): Promise<Diff> => {
  const r = await run([...argv, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Diff;
};
const changed = (d: Diff): DiffRow[] => d.rows.filter((r) => r.status !== 'same');
const total = (d: Diff, key: string) => d.totals.find((t) => t.key === key)!;

describe('nncalc diff: two models', () => {
  test('alexnet-paper vs alexnet-ungrouped: the three grouped convolutions, layer by layer', async () => {
    const d = await json(['diff', 'alexnet-paper', 'alexnet-ungrouped']);
    expect(d.alignment).toBe('name');
    // Only the weights of the grouped layers change; the biases (c_out) are the same on both sides.
    // conv2: 5·5·96·256 − 5·5·48·256 = 614,400 − 307,200 = 307,200
    // conv4: 3·3·384·384 − 3·3·192·384 = 1,327,104 − 663,552 = 663,552
    // conv5: 3·3·384·256 − 3·3·192·256 = 884,736 − 442,368 = 442,368
    expect(changed(d).map((r) => [r.b!.name, r.params])).toEqual([
      ['conv2', 5 * 5 * 96 * 256 - 5 * 5 * 48 * 256],
      ['conv4', 3 * 3 * 384 * 384 - 3 * 3 * 192 * 384],
      ['conv5', 3 * 3 * 384 * 256 - 3 * 3 * 192 * 256],
    ]);
    // 307,200 + 663,552 + 442,368 = 1,413,120
    expect(Number(total(d, 'params').b) - Number(total(d, 'params').a)).toBe(1_413_120);
    // conv2's output is 27×27×256 and each output sums 5·5·48 more products: 27·27·256·5·5·48 = 223,948,800 MACs.
    expect(changed(d)[0]!.macs).toBe(27 * 27 * 256 * 5 * 5 * 48);
    expect(changed(d).every((r) => r.causes.includes('groups'))).toBe(true);
    expect(d.why.join('; ')).toContain(
      'conv2, conv4 and conv5 are grouped (g = 2) in alexnet-paper: each filter sees half the input channels, so their weights halve: 1,413,120 parameters in all',
    );
  });

  test('the table shows only the rows that differ, then totals with relative deltas, then why', async () => {
    const r = await run(['diff', 'alexnet-paper', 'alexnet-ungrouped']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conv2 \(Conv2d\)\s.*\+307,200/);
    expect(r.stdout).toMatch(/conv4 \(Conv2d\)\s.*\+663,552/);
    expect(r.stdout).toMatch(/conv5 \(Conv2d\)\s.*\+442,368/);
    expect(r.stdout).not.toContain('conv3 (Conv2d)');
    // conv1 11·11·3·96 + 96 = 34,944; conv2 5·5·48·256 + 256 = 307,456; conv3 3·3·256·384 + 384 = 885,120;
    // conv4 3·3·192·384 + 384 = 663,936; conv5 3·3·192·256 + 256 = 442,624; fc6 9,216·4,096 + 4,096 = 37,752,832;
    // fc7 4,096·4,096 + 4,096 = 16,781,312; fc8 4,096·1,000 + 1,000 = 4,097,000: 60,965,224 in all.
    // 1,413,120 / 60,965,224 = 2.318%.
    expect(r.stdout).toMatch(/Total params\s+60,965,224\s+62,378,344\s+\+1,413,120\s+\+2\.32%/);
    expect(r.stdout).toMatch(/^Why: conv2, conv4 and conv5 are grouped/m);
    const all = await run(['diff', 'alexnet-paper', 'alexnet-ungrouped', '--all']);
    expect(all.stdout).toContain('conv3 (Conv2d)');
  });

  test('different names: layers are paired by position among layers of the same kind', async () => {
    const d = await json(['diff', 'vgg16', 'vgg16_bn']);
    expect(d.alignment).toBe('position');
    const added = d.rows.filter((r) => r.status === 'added');
    expect(added).toHaveLength(13);
    expect(added.every((r) => r.b!.type === 'BatchNorm2d')).toBe(true);
    // The conv after the first BatchNorm: features.2 in vgg16, features.3 in vgg16_bn.
    expect(d.rows.some((r) => r.a?.name === 'features.2' && r.b?.name === 'features.3')).toBe(true);
    // γ and β per channel: 2·(64·2 + 128·2 + 256·3 + 512·3 + 512·3) = 2·4,224 = 8,448.
    expect(Number(total(d, 'params').b) - Number(total(d, 'params').a)).toBe(8_448);
    expect(d.why.join('; ')).toContain('vgg16_bn has 13 BatchNorm2d layers that vgg16 lacks');
    const text = await run(['diff', 'vgg16', 'vgg16_bn']);
    expect(text.stdout).toContain('paired by position among layers of the same kind');
  });
});

describe('nncalc diff: one model under two settings', () => {
  test('vgg16 at 224 and 384: the adaptive pooling keeps every parameter; only the MACs grow', async () => {
    const d = await json(['diff', 'vgg16', '--input', '224x224x3', '--vs-input', '384x384x3']);
    // torchvision's AdaptiveAvgPool2d((7, 7)) brings 384/32 = 12×12 maps back to 7×7, so classifier.0 still has 512·7·7 inputs.
    expect(total(d, 'params')).toMatchObject({ a: 138_357_544, b: 138_357_544 });
    expect(d.rows.every((r) => r.params === 0)).toBe(true);
    const row = (name: string) => d.rows.find((r) => r.a?.name === name)!;
    expect(row('features.30').b!.outputShape).toEqual([1, 512, 12, 12]);
    expect(row('avgpool').b!.outputShape).toEqual([1, 512, 7, 7]);
    expect(row('classifier.0').status).toBe('same');
    // features.0: 224·224·64·3·3·3 = 86,704,128 MACs; 384·384·64·3·3·3 = 254,803,968.
    expect([row('features.0').a!.macs, row('features.0').b!.macs]).toEqual([86_704_128, 254_803_968]);
    // Conv MACs at 224 are 15,470,264,320 (torchvision) − FC MACs 25,088·4,096 + 4,096·4,096 + 4,096·1,000 = 123,633,664,
    // i.e. 15,346,630,656; each scales with H·W: ×384²/224² = ×144/49, so 45,100,302,336 + 123,633,664 = 45,223,936,000.
    expect(total(d, 'macs')).toMatchObject({ a: 15_470_264_320, b: 45_223_936_000 });
    const why = d.why.join('; ');
    expect(why).toContain('parameters are identical');
    expect(why).toContain('avgpool (AdaptiveAvgPool2d) turns the 7×7 maps of 224×224×3 and the 12×12 maps of 384×384×3 alike into 7×7');
    // 384²/224² = 147,456/50,176 = 2.9388.
    expect(why).toContain('384²/224² = 2.94×');
  });

  test("vgg-d (the paper's, no adaptive pooling) at 384: fc1 sees 512·12·12 = 73,728 inputs", async () => {
    const d = await json(['diff', 'vgg-d', '--vs-input', '384x384x3']);
    const fc1 = d.rows.find((r) => r.a?.name === 'fc1')!;
    // 25,088·4,096 + 4,096 = 102,764,544 and 73,728·4,096 + 4,096 = 301,993,984: +(73,728 − 25,088)·4,096 = +199,229,440.
    expect([fc1.a!.params, fc1.b!.params, fc1.params]).toEqual([102_764_544, 301_993_984, 199_229_440]);
    expect(changed(d).filter((r) => r.params !== 0).map((r) => r.a!.name)).toEqual(['fc1']);
    expect(d.why[0]).toBe('parameters are unchanged except layers whose weights depend on the input\'s size (fc1 via the flatten: 512·7·7 = 25,088 → 512·12·12 = 73,728 inputs): +199,229,440');
  });

  test('vgg16_bn, PyTorch against Keras: the 13 BatchNorms’ running statistics', async () => {
    const d = await json(['diff', 'vgg16_bn', '--vs-convention', 'keras']);
    expect([d.a.label, d.b.label]).toEqual(['pytorch', 'keras']);
    // Running mean and variance, 2·C per BatchNorm: 2·(64·2 + 128·2 + 256·3 + 512·6) = 8,448.
    expect(Number(total(d, 'params').b) - Number(total(d, 'params').a)).toBe(8_448);
    expect(total(d, 'trainable').b).toBe(total(d, 'trainable').a);
    expect(total(d, 'nonTrainable')).toMatchObject({ a: 0, b: 8_448 });
    expect(total(d, 'buffers')).toMatchObject({ a: 8_448, b: 0 });
    expect(changed(d)).toHaveLength(13);
    // The first BatchNorm has 64 channels: 2·64 = 128 statistics move into the count.
    expect(changed(d)[0]).toMatchObject({ params: 128, a: { name: 'features.1', params: 128 }, b: { params: 256 } });
    expect(d.why.join('; ')).toContain('Keras counts the 2·C BatchNorm running statistics of 13 layers as non-trainable parameters, where PyTorch keeps them as buffers: 8,448');
  });

  test('--vs-batch: the parameters stay, MACs scale with the batch', async () => {
    const d = await json(['diff', 'vgg16', '--vs-batch', '8']);
    expect(total(d, 'params').b).toBe(total(d, 'params').a);
    expect(Number(total(d, 'macs').b)).toBe(8 * Number(total(d, 'macs').a));
    expect(d.why.join('; ')).toContain('(8/1 = 8×)');
  });

  test('stdin is read once and analysed on both sides', async () => {
    // 8×8×1 → conv3-4 (same padding): 8×8×4, flatten 256, FC-10: 256·10 + 10 = 2,570. At 16×16: 1,024·10 + 10 = 10,250.
    const r = await run(['diff', '-', '--input', '8x8x1', '--vs-input', '16x16x1', '--format', 'json'], { stdin: 'conv3-4, FC-10' });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Diff;
    const fc = d.rows.find((x) => x.a?.op === 'linear')!;
    expect([fc.a!.params, fc.b!.params]).toEqual([2_570, 10_250]);
  });
});

describe('nncalc diff: formats and errors', () => {
  test('Markdown tables have header separators; CSV has one row per differing layer', async () => {
    const md = await run(['diff', 'alexnet-paper', 'alexnet-ungrouped', '--format', 'md']);
    const lines = md.stdout.split('\n');
    const starts = lines.flatMap((l, i) => (l.startsWith('|') && !lines[i - 1]?.startsWith('|') ? [i] : []));
    expect(starts).toHaveLength(2);
    for (const i of starts) expect(lines[i + 1]).toMatch(/^\|(:?-{3,}:?\|)+$/);
    expect(md.stdout).toContain('**Why:** conv2, conv4 and conv5');
    const csv = (await run(['diff', 'alexnet-paper', 'alexnet-ungrouped', '--format', 'csv'])).stdout.trim().split('\r\n');
    expect(csv[0]).toBe('name_a,name_b,type,op,status,output_a,output_b,params_a,params_b,params_delta,macs_a,macs_b,macs_delta,causes');
    expect(csv.slice(1).map((l) => l.split(',').slice(7, 10))).toEqual([
      ['307456', '614656', '307200'],
      ['663936', '1327488', '663552'],
      ['442624', '884992', '442368'],
    ]);
  });

  test('exit codes: usage errors 2, bad models 1', async () => {
    expect((await run(['diff', 'vgg16'])).code).toBe(2);
    expect((await run(['diff'])).code).toBe(2);
    expect((await run(['diff', 'vgg16', 'vgg19', 'vgg11'])).code).toBe(2);
    expect((await run(['diff', 'vgg16', '--vs-convention', 'tf'])).code).toBe(2);
    expect((await run(['diff', 'vgg16', '--vs-batch', '0'])).code).toBe(2);
    const bad = await run(['diff', 'vgg16', 'vgg61']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown model 'vgg61'");
  });
});

describe('align', () => {
  test('falls back to position per op kind when too few names match', () => {
    const a = summarize('28x28x1, conv3-4, conv3-8, FC-10');
    const b = summarize('alexnet');
    const { alignment, pairs } = align(a.layers, b.layers);
    expect(alignment).toBe('position');
    // The two convs of a pair with the first two of AlexNet; its three FC layers pair the one FC layer with the first.
    const convs = pairs.filter((p) => p.a?.op === 'conv2d');
    expect(convs.map((p) => p.b?.name)).toEqual(['features.0', 'features.3']);
    expect(pairs.filter((p) => p.a && p.b && p.a.op === 'linear').map((p) => p.b!.name)).toEqual(['classifier.1']);
  });

  test('a model against itself: nothing differs', () => {
    const r = summarize('vgg11');
    const d = diffReports(r, r);
    expect(d.rows.every((x) => x.status === 'same')).toBe(true);
    expect(d.why).toEqual(['the two are the same: same layers, shapes, parameters and MACs']);
  });
});
