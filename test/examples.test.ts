/**
 * Every file in examples/ is analysed as the CLI loads it (.yaml/.yml/.json through parseSpecText, .txt as
 * notation) and checked against a hand derivation, or layer by layer against PyTorch (test/oracle/examples,
 * written by scripts/oracle/examples_oracle.py). A new example with neither fails the test. An example checked
 * against PyTorch is no longer than PyTorch's definition of the network, and docs/spec-format.md states both.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Report } from '../src/analyze/report.js';
import { parseSpecText } from '../src/describe/from-object.js';
import { plus } from '../src/int.js';
import { summarize } from '../src/summarize.js';
import { compare, type Oracle } from './oracle.js';

interface Expected {
  readonly params: number;
  readonly macs: number;
  readonly output: readonly number[];
  /** Parameters shared with an earlier layer, counted once. */
  readonly tied?: number;
  readonly names?: readonly string[];
}

/** conv k×k from c_in to c_out on an h×w output: (weights, biases) and MACs. */
const conv = (k: number, cIn: number, cOut: number, h: number, w = h, bias = true) => ({ params: k * k * cIn * cOut + (bias ? cOut : 0), macs: h * w * cOut * k * k * cIn });
const fc = (cIn: number, cOut: number) => ({ params: cIn * cOut + cOut, macs: cIn * cOut });
/** BatchNorm's weight and bias; its running statistics are buffers in PyTorch. */
const bn = (c: number) => ({ params: 2 * c, macs: 0 });
const sum = (...parts: { params: number; macs: number }[]) => ({ params: parts.reduce((s, p) => s + p.params, 0), macs: parts.reduce((s, p) => s + p.macs, 0) });

const expected: Record<string, Expected> = {
  /*
   * Stem: conv 3→16 on 32×32, no bias: 432; bn 32.
   * layer1 (16→16, identity shortcut): two convs of 3·3·16·16 = 2,304 and two bn of 32.
   * layer2 (16→32, stride 2, so 16×16): conv 3·3·16·32 = 4,608, conv 3·3·32·32 = 9,216, two bn of 64,
   *   and the downsample shortcut: 1×1 conv 16·32 = 512 and bn 64.
   * Head: fc 32·10 + 10 = 330. Total 19,994; PyTorch agrees on the same nn.Sequential of
   * torchvision BasicBlocks (sum of p.numel() over parameters()).
   */
  'resnet-block.yaml': {
    ...sum(
      conv(3, 3, 16, 32, 32, false), bn(16),
      conv(3, 16, 16, 32, 32, false), bn(16), conv(3, 16, 16, 32, 32, false), bn(16),
      conv(3, 16, 32, 16, 16, false), bn(32), conv(3, 32, 32, 16, 16, false), bn(32), conv(1, 16, 32, 16, 16, false), bn(32),
      fc(32, 10),
    ),
    output: [1, 10],
    names: ['conv1', 'bn1', 'relu', 'layer1.conv1', 'layer1.bn1', 'layer1.relu', 'layer1.conv2', 'layer1.bn2', 'layer1.add', 'layer1.relu2',
      'layer2.conv1', 'layer2.bn1', 'layer2.relu', 'layer2.conv2', 'layer2.bn2', 'layer2.downsample.0', 'layer2.downsample.1', 'layer2.add', 'layer2.relu2',
      'avgpool', 'flatten', 'fc'],
  },
  /*
   * Inception (3a) on 28×28×192, convs with biases: 1×1 64; 1×1 96 → 3×3 128; 1×1 16 → 5×5 32; pool → 1×1 32.
   * Without biases the weights are 163,328, and 28·28·163,328 = 128,049,152 multiply-adds: the 128M "ops"
   * of the paper's Table 1 for inception (3a). Output channels 64 + 128 + 32 + 32 = 256.
   */
  'inception-module.yaml': {
    ...sum(conv(1, 192, 64, 28), conv(1, 192, 96, 28), conv(3, 96, 128, 28), conv(1, 192, 16, 28), conv(5, 16, 32, 28), conv(1, 192, 32, 28)),
    output: [1, 256, 28, 28],
  },
  /*
   * One tower: conv 1→8 3×3 on 28×28: 80 parameters; maxpool → 8×14×14 = 1,568 features; fc 1,568→32: 50,208.
   * The second tower ties every weight to the first: 80 + 50,208 = 50,288 shared, counted once, but its MACs
   * are spent again. Head: concat to 64, fc 64→1: 65. Total 50,353 (PyTorch agrees on one tower plus the head).
   */
  'siamese.yaml': {
    params: conv(3, 1, 8, 28).params + fc(1568, 32).params + fc(64, 1).params,
    macs: 2 * (conv(3, 1, 8, 28).macs + fc(1568, 32).macs) + fc(64, 1).macs,
    tied: conv(3, 1, 8, 28).params + fc(1568, 32).params,
    output: [1, 1],
  },
  /*
   * docs/spec-format.md's network: conv 3→32 (padding 1) on 32×32: 896; maxpool → 16×16; conv3-64: 18,496;
   * maxpool → 8×8; flatten 64·8·8 = 4,096; FC-10: 40,970. Total 60,362.
   */
  'tiny-cnn.json': { ...sum(conv(3, 3, 32, 32), conv(3, 32, 64, 16), fc(4096, 10)), output: [1, 10] },
  /*
   * VGG-16 (configuration D): 13 convs with 1-pixel padding, the size halved by each of 4 maxpools before the
   * next stage, then 512·7·7 = 25,088 → 4096 → 4096 → 1000. Parameters 138,357,544 (torchvision's vgg16 has
   * the same count); MACs 15.47 G (torchvision's table lists 15.47 GFLOPS, counting multiply-adds).
   */
  'vgg16.txt': {
    ...sum(
      conv(3, 3, 64, 224), conv(3, 64, 64, 224),
      conv(3, 64, 128, 112), conv(3, 128, 128, 112),
      conv(3, 128, 256, 56), conv(3, 256, 256, 56), conv(3, 256, 256, 56),
      conv(3, 256, 512, 28), conv(3, 512, 512, 28), conv(3, 512, 512, 28),
      conv(3, 512, 512, 14), conv(3, 512, 512, 14), conv(3, 512, 512, 14),
      fc(25_088, 4096), fc(4096, 4096), fc(4096, 1000),
    ),
    output: [1, 1000],
  },
};

const dir = new URL('../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => !f.startsWith('.'));

/** The report for an example, loaded the way the CLI's loadSource does. */
async function load(file: string) {
  const text = readFileSync(new URL(file, dir), 'utf8');
  if (/\.txt$/i.test(file)) return summarize(text);
  if (/\.(ya?ml|json)$/i.test(file)) return summarize(await parseSpecText(text, `examples/${file}`));
  throw new Error(`examples/${file}: the CLI reads .yaml, .yml, .json and .txt files`);
}

/** The PyTorch oracle of an example, when it has one (examples/unet.yaml → test/oracle/examples/unet.json). */
const oracleFile = (file: string) => new URL(`./oracle/examples/${file.replace(/\.[^.]*$/, '')}.json`, import.meta.url);
const withOracle = files.filter((f) => existsSync(oracleFile(f)));
const oracleOf = (file: string): Oracle & { pytorch_lines: number } => JSON.parse(readFileSync(oracleFile(file), 'utf8'));

/** Non-blank lines that are not comments. */
const specLines = (file: string): number =>
  readFileSync(new URL(file, dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length;

/**
 * The report with each module's calls as one row, as PyTorch's hooks see a module: `m#2` and `m#3` (SPPF's pool
 * applied again) add their MACs to `m`.
 */
function byModule(report: Report): Report {
  const rows = new Map(report.layers.map((l) => [l.name, { ...l }]));
  for (const l of report.layers) {
    const base = l.name.replace(/#\d+$/, '');
    if (base === l.name) continue;
    const row = rows.get(base)!;
    rows.set(base, { ...row, macs: row.macs === null || l.macs === null ? null : plus(row.macs, l.macs) });
    rows.delete(l.name);
  }
  return { ...report, layers: [...rows.values()] };
}

test('every example has a hand derivation or a PyTorch oracle, and every derivation an example', () => {
  expect([...files].filter((f) => !withOracle.includes(f)).sort()).toEqual(Object.keys(expected).sort());
  expect(withOracle.length).toBeGreaterThanOrEqual(7);
});

describe.each(withOracle)('examples/%s against PyTorch 1.13', (file) => {
  test('every layer: parameters, buffers, output shape and MACs; and the totals', async () => {
    const report = await load(file);
    expect(compare(byModule(report), oracleOf(file))).toEqual([]);
    expect(report.totals.unknown).toBe(0);
  });
  test('no longer than the PyTorch definition, as docs/spec-format.md states', () => {
    const lines = specLines(file);
    const torch = oracleOf(file).pytorch_lines;
    expect(lines).toBeLessThanOrEqual(torch);
    const doc = readFileSync(new URL('../docs/spec-format.md', import.meta.url), 'utf8');
    expect(doc).toContain(`| [${file}](../examples/${file}) | ${lines} | ${torch} |`);
  });
});

describe.each(files.filter((f) => !withOracle.includes(f)))('examples/%s', (file) => {
  test('totals match the hand derivation', async () => {
    const want = expected[file]!;
    const report = await load(file);
    expect(report.totals.params).toBe(want.params);
    expect(report.totals.macs).toBe(want.macs);
    expect(report.totals.tied).toBe(want.tied ?? 0);
    expect(report.model.output).toEqual(want.output);
    expect(report.totals.unknown).toBe(0);
    if (want.names) expect(report.layers.map((l) => l.name)).toEqual(want.names);
  });
});

test('the figures quoted beside the derivations', () => {
  expect(expected['resnet-block.yaml']!.params).toBe(19_994);
  expect(expected['inception-module.yaml']!.params).toBe(163_696);
  expect(expected['inception-module.yaml']!.macs).toBe(128_049_152);
  expect(expected['siamese.yaml']!.params).toBe(50_353);
  expect(expected['tiny-cnn.json']!.params).toBe(60_362);
  expect(expected['vgg16.txt']!.params).toBe(138_357_544);
  expect(Math.round(expected['vgg16.txt']!.macs / 1e7) / 100).toBe(15.47);
});
