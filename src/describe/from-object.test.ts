import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { errorOfAsync, textAt } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import type { Loc } from '../types.js';
import { build } from './build.js';
import { fromObject, MAX_DEPTH, parseSpecText } from './from-object.js';
import { parseNotation } from './notation.js';
import { isOp, type BlockSpec, type LayerSpec, type OpSpec, type Spec } from './spec.js';

const path = (...p: (string | number)[]): Loc => ({ kind: 'path', path: p });
const ids = (spec: Spec, input: number[] = [1, 8]) => build(spec, input).nodes.map((n) => n.id);
const ops = (layers: readonly LayerSpec[]) => layers.map((l) => (isOp(l) ? l.op : 'block'));

/*
 * The tiny network of docs/spec-format.md, by hand (PyTorch 1.13 agrees on an nn.Sequential of the same layers):
 *   conv1   3→32, k3, p1:  3·3·3·32 + 32   =    896   → 32×32×32
 *   relu, maxpool2d k2 (stride = kernel)             → 32×16×16
 *   conv3-64 32→64, p1:    3·3·32·64 + 64  = 18,496  → 64×16×16
 *   relu (implicit), maxpool (2×2, stride 2)         → 64×8×8
 *   flatten (implicit) → 4096; FC-10: 4096·10 + 10 = 40,970
 *   total 896 + 18,496 + 40,970 = 60,362
 */
const TINY_YAML = `name: tiny-cnn
input: 32x32x3
layers:
  - conv2d: {out: 32, kernel: 3, padding: 1}
    name: conv1
  - relu
  - op: maxpool2d
    kernel: 2
  - conv3-64
  - maxpool
  - FC-10
`;
const TINY_JSON = JSON.stringify({
  name: 'tiny-cnn',
  input: '32x32x3',
  layers: [{ conv2d: { out: 32, kernel: 3, padding: 1 }, name: 'conv1' }, 'relu', { op: 'maxpool2d', kernel: 2 }, 'conv3-64', 'maxpool', 'FC-10'],
});
const TINY_NAMES = ['conv1', '1', '2', '3', '4', '5', '6', '7'];

describe('forms', () => {
  test('an op key with attributes and a name, op aliases in any case, the explicit op form, a bare op kind', () => {
    const spec = fromObject({
      name: 'x',
      input: '32x32x3',
      layers: [{ conv2d: { out: 32, kernel: 3, padding: 1 }, name: 'conv1' }, { Dense: null }, { op: 'MaxPooling2D', kernel: 2, name: 'pool' }, 'Conv2d'],
    });
    expect(spec.name).toBe('x');
    expect(spec.input).toEqual([1, 3, 32, 32]);
    expect(spec.layers).toEqual([
      {
        op: 'conv2d',
        attrs: { out: 32, kernel: 3, padding: 1 },
        name: 'conv1',
        loc: path('layers', 0, 'conv2d'),
        attrLocs: { out: path('layers', 0, 'conv2d', 'out'), kernel: path('layers', 0, 'conv2d', 'kernel'), padding: path('layers', 0, 'conv2d', 'padding') },
      },
      { op: 'linear', attrs: {}, loc: path('layers', 1, 'Dense'), attrLocs: {} },
      { op: 'maxpool2d', attrs: { kernel: 2 }, name: 'pool', loc: path('layers', 2, 'op'), attrLocs: { kernel: path('layers', 2, 'kernel') } },
      { op: 'conv2d', attrs: {}, loc: path('layers', 3), attrLocs: {} },
    ]);
  });

  test.each([
    ['32x32x3', [1, 3, 32, 32]],
    ['224×224×3', [1, 3, 224, 224]],
    [784, [1, 784]],
    ['784', [1, 784]],
    [[1, 3, 32, 32], [1, 3, 32, 32]],
    ['1, 3, 8, 8', [1, 3, 8, 8]],
  ])('input %j is the batch-first shape %j', (input, shape) => {
    expect(fromObject({ input, layers: ['relu'] }).input).toEqual(shape);
  });

  test('a bare notation word is lowered with the implicit rules and numbered by position', () => {
    const spec = fromObject({ input: '32x32x3', layers: ['conv3-64', 'maxpool', 'FC-10'] });
    const layers = spec.layers as OpSpec[];
    expect(layers.map((l) => [l.op, l.attrs, !!l.implicit])).toEqual([
      ['conv2d', { out: 64, kernel: [3, 3], stride: 1, padding: [1, 1] }, false],
      ['relu', {}, true],
      ['maxpool2d', { kernel: 2, stride: 2 }, false],
      ['flatten', {}, true],
      ['linear', { out: 10 }, false],
    ]);
    expect(layers.every((l) => l.name === undefined)).toBe(true);
    expect(layers[1]!.loc).toEqual(path('layers', 0));
    // The rules are stated with the layers they shaped, once the network is analysed: one ReLU, the padding, the flatten.
    expect(layers.map((l) => l.rule)).toEqual(['padding-same', 'relu', 'pool', 'flatten', undefined]);
    const notes = analyze(build(spec)).model.notes;
    expect(notes.some((n) => n.includes('1 ReLU added here'))).toBe(true);
    // maxpool 2×2/2 takes 32 to 16; the flatten gives 64·16·16 = 16,384 inputs to FC-10.
    expect(notes).toContain('a flatten comes before the first FC layer: [1, 64, 16, 16] becomes 64·16·16 = 16,384 inputs of 4');
  });

  test('consecutive bare words follow the notation rules as one line would', () => {
    // VGG's classifier (paper §2.1): a ReLU after every FC but the last; dropout is not an activation.
    const fc = fromObject({ input: 784, layers: ['FC-4096', 'dropout', 'FC-4096', 'dropout', 'FC-10'] });
    expect(ops(fc.layers)).toEqual(['linear', 'relu', 'dropout', 'linear', 'relu', 'dropout', 'linear']);
    // An explicit activation or batch norm right after a conv replaces the implicit ReLU.
    expect(ops(fromObject(['conv3-64', 'relu']).layers)).toEqual(['conv2d', 'relu']);
    expect(ops(fromObject(['conv3-64', 'bn', 'relu']).layers)).toEqual(['conv2d', 'batchnorm2d', 'relu']);
    // An explicit flatten earlier in the spec makes the implicit one unnecessary.
    expect(ops(fromObject([{ flatten: null }, 'FC-10']).layers)).toEqual(['flatten', 'linear']);

    const words = ['conv3-64', 'bn', 'relu', 'conv3-64 x2', 'maxpool', 'FC-4096', 'dropout', 'FC-4096 x2', 'relu', 'FC-10', 'soft-max'];
    const strip = (ls: readonly LayerSpec[]) => (ls as OpSpec[]).map((l) => [l.op, l.attrs, !!l.implicit, l.label]);
    expect(strip(fromObject(words).layers)).toEqual(strip(parseNotation(words.join(', ')).layers));
  });

  test('a notation fragment keeps the names the notation gives', () => {
    const spec = fromObject({ layers: [{ notation: 'conv3-64 x2, maxpool' }] });
    expect((spec.layers as OpSpec[]).map((l) => l.name)).toEqual(['conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1']);
    expect((spec.layers[0] as OpSpec).loc).toEqual(path('layers', 0, 'notation'));
  });

  test('block, sequential and repeat name their layers by module path', () => {
    const spec = fromObject({
      layers: [
        { block: 'stage2', layers: [{ linear: { out: 8 }, name: 'fc' }, 'relu'] },
        { sequential: 'classifier', layers: [{ linear: { out: 8 }, name: 'fc' }, 'relu'] },
        { repeat: 2, name: 'layer1', layers: [{ linear: { out: 8 }, name: 'fc' }, 'relu'] },
        'relu',
        { repeat: 2, layers: ['relu'] },
      ],
    });
    const b = spec.layers[0] as BlockSpec;
    expect([b.block, b.indexed, (spec.layers[1] as BlockSpec).indexed]).toEqual(['stage2', false, true]);
    expect(ids(spec)).toEqual([
      'stage2.fc',
      'stage2.1',
      'classifier.0',
      'classifier.1',
      'layer1.0.fc',
      'layer1.0.1',
      'layer1.1.fc',
      'layer1.1.1',
      '3',
      '4.0',
      '5.0',
    ]);
  });

  test('a top-level list is the layers; the name comes from the file, else network', async () => {
    const plain = fromObject(['relu']);
    expect([plain.name, plain.input, plain.layers.length]).toEqual(['network', undefined, 1]);
    const spec = await parseSpecText('- relu\n', 'models/my-net.yaml');
    expect([spec.name, spec.source, spec.text]).toEqual(['my-net', 'models/my-net.yaml', '- relu\n']);
  });

  test('YAML specs keep the text location of every attribute value', async () => {
    const spec = await parseSpecText(TINY_YAML);
    const conv = spec.layers[0] as OpSpec;
    // `  - conv2d: {out: 32, kernel: 3, padding: 1}` is line 4: `kernel` starts in column 23, its 3 in column 31.
    expect(textAt(conv.attrLocs?.kernel, TINY_YAML)).toEqual({ line: 4, column: 31, length: 1 });
    expect(textAt(conv.loc, TINY_YAML)).toEqual({ line: 4, column: 5, length: 6 });
    // The implicit ReLU of `  - conv3-64` (line 9) points at the word that brought it.
    expect(textAt((spec.layers[4] as OpSpec).loc, TINY_YAML)).toEqual({ line: 9, column: 5, length: 8 });
  });
});

describe('end to end', () => {
  test('a tiny YAML spec through build and analyze gives the hand-derived counts', async () => {
    const report = analyze(build(await parseSpecText(TINY_YAML, 'tiny.yaml')));
    expect(report.model.name).toBe('tiny-cnn');
    expect(report.layers.map((l) => l.name)).toEqual(TINY_NAMES);
    expect(report.layers.filter((l) => (l.params ?? 0) > 0).map((l) => l.params)).toEqual([896, 18_496, 40_970]);
    expect(report.totals.params).toBe(60_362);
    expect(report.model.output).toEqual([1, 10]);
  });

  test('the same network as JSON gives the same result', async () => {
    const report = analyze(build(await parseSpecText(TINY_JSON)));
    expect(report.layers.map((l) => l.name)).toEqual(TINY_NAMES);
    expect(report.totals.params).toBe(60_362);
  });

  test('the same network in notation words gives the same count', () => {
    // conv3-32 is the conv1 above (3·3·3·32 + 32); the ReLUs and the flatten are implicit.
    const report = analyze(build(fromObject({ input: '32x32x3', layers: ['conv3-32', 'maxpool', 'conv3-64', 'maxpool', 'FC-10'] })));
    expect(report.totals.params).toBe(60_362);
    // conv, relu, maxpool, conv, relu, maxpool, flatten, linear
    expect(report.layers.length).toBe(8);
  });
});

describe('errors', () => {
  test('an unknown op, with a did-you-mean, at the key', async () => {
    const text = 'input: 32x32x3\nlayers:\n  - relu\n  - conv2: {out: 32, kernel: 3}\n';
    const e = await errorOfAsync(() => parseSpecText(text));
    expect(e.code).toBe('spec');
    expect(e.message).toContain("unknown op 'conv2'. Did you mean 'conv2d'?");
    expect(textAt(e, text)).toEqual({ line: 4, column: 5, length: 5 });
    const o = await errorOfAsync(() => fromObject({ layers: [{ conv2: {} }] }));
    expect(o.loc).toEqual(path('layers', 0, 'conv2'));
    // Names of Object's prototype are not ops: 'constructor' is an unknown kind like any other, counted as unknown.
    const proto = build(fromObject([{ constructor: {} }]), [1, 8]).nodes[0]!;
    expect([proto.op, proto.attrs.type]).toEqual(['custom', 'constructor']);
    expect((await errorOfAsync(() => fromObject([{ op: 'blok', layers: [] }]))).message).toContain("Did you mean 'block'?");
  });

  test('a kind far from every known op is kept, and build makes it a custom layer', () => {
    const spec = fromObject({ input: [1, 3, 8, 8], layers: [{ grid_sample: { params: 12 } }] });
    expect((spec.layers[0] as OpSpec).op).toBe('grid_sample');
    const node = build(spec).nodes[0]!;
    expect([node.op, node.attrs.type]).toEqual(['custom', 'grid_sample']);
  });

  test('a bad attribute value is reported at the value after analyze', async () => {
    const text = 'input: 32x32x3\nlayers:\n  - conv2d: {out: 32, kernel: -1}\n';
    const spec = await parseSpecText(text);
    const e = await errorOfAsync(() => analyze(build(spec)));
    expect(e.message).toContain('kernel=-1');
    // `  - conv2d: {out: 32, kernel: -1}`: the -1 starts in column 31.
    expect(textAt(e, text)).toEqual({ line: 3, column: 31, length: 2 });
    const o = await errorOfAsync(() => analyze(build(fromObject({ input: [1, 3, 8, 8], layers: [{ conv2d: { out: 4, kernel: -1 } }] }))));
    expect(o.loc).toEqual(path('layers', 0, 'conv2d', 'kernel'));
  });

  test('YAML syntax errors become spec errors at their position', async () => {
    const tab = 'layers:\n\t- relu\n';
    const e = await errorOfAsync(() => parseSpecText(tab));
    expect([e.code, e.message.startsWith('YAML syntax error')]).toEqual(['spec', true]);
    expect(textAt(e, tab)).toMatchObject({ line: 2, column: 1 });
    const dup = 'name: a\nlayers: [relu]\nname: b\n';
    expect(textAt(await errorOfAsync(() => parseSpecText(dup)), dup)).toMatchObject({ line: 3, column: 1 });
    const two = 'layers: [relu]\n---\nlayers: [relu]\n';
    expect(textAt(await errorOfAsync(() => parseSpecText(two)), two)).toMatchObject({ line: 2, column: 1 });
    expect((await errorOfAsync(() => parseSpecText(''))).code).toBe('spec');
  });

  test('notation errors inside a spec point into the document', async () => {
    const quoted = 'input: 32x32x3\nlayers:\n  - notation: "conv3-64 x2, maxpol"\n';
    const e = await errorOfAsync(() => parseSpecText(quoted));
    expect([e.code, e.message]).toEqual(['spec', "unknown layer 'maxpol'. Did you mean 'maxpool'?"]);
    // `  - notation: "` is 15 characters, `conv3-64 x2, ` 13 more: maxpol starts in column 29.
    expect(textAt(e, quoted)).toEqual({ line: 3, column: 29, length: 6 });
    // An escape makes the source longer than the value: `conv3-64\tx2, ` is 14 characters of source.
    const escaped = 'layers:\n  - notation: "conv3-64\\tx2, maxpol"\n';
    expect(textAt(await errorOfAsync(() => parseSpecText(escaped)), escaped)).toEqual({ line: 2, column: 30, length: 6 });
    const block = 'layers:\n  - notation: |\n      conv3-64 x2\n      maxpol\n';
    expect(textAt(await errorOfAsync(() => parseSpecText(block)), block)).toEqual({ line: 4, column: 7, length: 6 });
    const bare = 'layers:\n  - conv3-64\n  - conv3_64\n';
    const b = await errorOfAsync(() => parseSpecText(bare));
    expect(b.message).toContain("Did you mean 'conv3-64'?");
    expect(textAt(b, bare)).toEqual({ line: 3, column: 5, length: 8 });
  });

  test('structure errors say what was expected, at the right place', async () => {
    const cases: [string, RegExp, number, number][] = [
      ['inptu: 32x32x3\nlayers: [relu]\n', /unknown top-level key 'inptu'. Did you mean 'input'\?/, 1, 1],
      ['input: 32x32x3\n', /missing 'layers'/, 1, 1],
      ['layers: relu\n', /'layers' must be a list/, 1, 9],
      ['layers:\n  - conv2d: {out: 8, kernel: 3}\n    relu:\n', /two ops, 'conv2d' and 'relu'/, 3, 5],
      ['layers:\n  - conv2d: {out: 8}\n    kernel: 3\n', /unknown key 'kernel' beside op 'conv2d'/, 3, 5],
      ['layers:\n  - block: b\n    layer: [relu]\n', /unknown key 'layer' in a block. Did you mean 'layers'\?/, 3, 5],
      ['layers:\n  - name: x\n    layers: [relu]\n', /needs 'block: name'/, 3, 5],
      ['layers:\n  - conv2d: 3\n', /attributes of 'conv2d' must be a mapping/, 2, 13],
      ['layers:\n  - 32x32x3\n', /looks like an input shape/, 2, 5],
      ['layers:\n  - 42\n', /a layer must be/, 2, 5],
      ['input: 32x32\nlayers: [relu]\n', /no channel count: write 32x32x1/, 1, 8],
    ];
    for (const [text, message, line, column] of cases) {
      const e = await errorOfAsync(() => parseSpecText(text));
      expect(e.message).toMatch(message);
      expect(textAt(e, text)).toMatchObject({ line, column });
    }
  });

  test.each([0, -1, 2.5, 'abc', '0x32x3', '-1x32x3', [784], [1, 0, 3, 3], [1, 3.5], { h: 3 }])('input %j is rejected', async (input) => {
    const e = await errorOfAsync(() => fromObject({ input, layers: ['relu'] }));
    expect(e.message).toMatch(/^'input' must be H×W×C/);
    expect(e.loc).toEqual(path('input'));
  });

  test('a YAML alias bomb is rejected quickly', async () => {
    // Nine levels of nine aliases would expand to 9^9 = 387,420,489 strings.
    let text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    for (let i = 1; i < 9; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      text += `${name}: &${name} [${Array<string>(9).fill(`*${prev}`).join(', ')}]\n`;
    }
    text += 'layers: [relu]\n';
    const start = performance.now();
    const e = await errorOfAsync(() => parseSpecText(text));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(e.message).toMatch(/aliases expand too far/);
    expect(textAt(e, text)).toMatchObject({ line: 2, column: 8 });
  });

  test('deep nesting is rejected, not a stack overflow', async () => {
    const flow = `layers: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    expect((await errorOfAsync(() => parseSpecText(flow))).message).toMatch(/nests more than 200 levels/);

    /** `depth` blocks, each inside the previous one, around a relu. */
    const nested = (depth: number): unknown => {
      let layers: unknown[] = ['relu'];
      for (let i = 0; i < depth; i++) layers = [{ block: 'b', layers }];
      return { layers };
    };
    expect(ids(fromObject(nested(MAX_DEPTH)))).toEqual([`${'b.'.repeat(64)}0`]);
    const e = await errorOfAsync(() => fromObject(nested(MAX_DEPTH + 1)));
    expect(e.message).toMatch(/nested more than 64 deep/);
    // The 65th block is the first too deep: layers[0], then 64 times .layers[0], then its 'block' key.
    expect(e.loc).toEqual(path('layers', 0, ...Array<(string | number)[]>(64).fill(['layers', 0]).flat(), 'block'));

    let yaml = 'layers:\n';
    for (let i = 0; i < 65; i++) yaml += `${' '.repeat(2 + 4 * i)}- block: b\n${' '.repeat(4 + 4 * i)}layers:\n`;
    yaml += `${' '.repeat(2 + 4 * 65)}- relu\n`;
    // Block k starts on line 2k with its key at column 2 + 4(k − 1) + 3; k = 65 → line 130, column 261.
    expect(textAt(await errorOfAsync(() => parseSpecText(yaml)), yaml)).toMatchObject({ line: 130, column: 261 });
  });

  test('repeat counts are checked and the total expansion is capped', async () => {
    for (const times of [0, 2.5, 10_001, '3', 'n']) {
      const e = await errorOfAsync(() => fromObject({ layers: [{ repeat: times, layers: ['relu'] }] }));
      expect(e.message).toMatch(/'repeat' must be an integer from 1 to 10000/);
      expect(e.loc).toEqual(path('layers', 0, 'repeat'));
    }
    // 10,000 copies of 100 copies of one layer is 1,000,000 layers; 1,000 copies is exactly the limit of 100,000.
    const text = (outer: number) => `layers:\n  - repeat: ${outer}\n    layers:\n      - repeat: 100\n        layers: [relu]\n`;
    const big = text(10_000);
    const e = await errorOfAsync(() => parseSpecText(big));
    expect(e.message).toMatch(/1,000,000 layers, more than the limit of 100,000/);
    expect(textAt(e, big)).toMatchObject({ line: 2, column: 13 });
    expect(build(await parseSpecText(text(1_000)), [1, 8]).nodes.length).toBe(100_000);
    const flat = await errorOfAsync(() => fromObject(Array<string>(100_001).fill('relu')));
    expect(flat.loc).toEqual(path(100_000));
    // Building 100,000 layers takes seconds on a loaded machine; the limit is what is tested, not the time.
  }, 60_000);

  test('cyclic YAML aliases in attributes or layers are errors', async () => {
    const attr = 'layers:\n  - conv2d: {out: 3, kernel: &k [*k]}\n';
    expect((await errorOfAsync(() => parseSpecText(attr))).message).toMatch(/nested more than 8 levels/);
    const layers = 'layers: &l\n  - block: a\n    layers: *l\n';
    expect((await errorOfAsync(() => parseSpecText(layers))).message).toMatch(/nested more than 64 deep/);
  });
});

test('the yaml package is imported lazily', () => {
  for (const file of ['from-object.ts', 'from-object-read.ts', 'from-object-layers.ts', 'from-object-graph.ts', 'from-object-notation.ts', 'yaml.ts']) {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import (?!type )[^;]*from 'yaml'/m);
  }
});
