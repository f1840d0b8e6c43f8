import { describe, expect, test } from 'vitest';
import { errorOfAsync, textAt } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { build } from './build.js';
import { parseSpecText } from './from-object.js';

/** Reads, builds and analyses a YAML spec. */
const run = async (yaml: string) => analyze(build(await parseSpecText(yaml)));
const names = async (yaml: string) => (await run(yaml)).layers.map((l) => l.name);
/** The error a YAML spec gives, with where it points. */
async function error(yaml: string) {
  const e = await errorOfAsync(() => run(yaml));
  return { message: e.message, details: e.details, ...textAt(e, yaml), piece: yaml.slice((e.loc as { offset: number }).offset, (e.loc as { offset: number }).offset + (e.loc as { length: number }).length) };
}

describe('calls', () => {
  test("PyTorch's positional order and keywords; names as given or by position", async () => {
    const r = await run(`input: 32x32x3
layers:
  - conv1 = Conv2d(3, 32, kernel_size=3, padding=1, bias=False)
  - nn.BatchNorm2d(32)
  - ReLU(inplace=True)
  - Flatten()
  - fc = Linear(32 * 32 * 32, 10)
`);
    expect(r.layers.map((l) => l.name)).toEqual(['conv1', '1', '2', '3', 'fc']);
    // 3·3·3·32 = 864 without bias; BatchNorm 2·32 = 64; 32,768·10 + 10 = 327,690.
    expect(r.layers.map((l) => l.params)).toEqual([864, 64, 0, 0, 327_690]);
  });

  test("Keras's class names take Keras's order: Conv2D(filters, kernel_size, strides, padding)", async () => {
    const r = await run(`input: 32x32x3
layers:
  - Conv2D(16, 3, 2, 'same', use_bias=False)
  - MaxPooling2D()
  - Dense(10)
`);
    // 'same' with stride 2: 16×16; Keras's default pool 2×2: 8×8; then Dense on the last dimension.
    expect(r.layers.map((l) => l.outputShape)).toEqual([[1, 16, 16, 16], [1, 16, 8, 8], [1, 16, 8, 10]]);
    expect(r.layers[0]!.params).toBe(3 * 3 * 3 * 16);
  });

  test('Sequential numbers its layers; varargs, tuples and tensors first', async () => {
    const r = await run(`input: 8x8x4
layers:
  - features = Sequential(Conv2d(4, 8, (3, 1), padding=(1, 0)), ReLU())
  - permute(0, 2, 3, 1)
  - reshape(1, -1)
  - a = Linear(512, 6)
  - b = Linear(512, 6, inputs=[2])
  - add(a, b)
  - cat([a, x], dim=1)
`);
    expect(r.layers.map((l) => l.name)).toEqual(['features.0', 'features.1', '1', '2', 'a', 'b', '5', '6']);
    expect(r.layers.map((l) => l.outputShape).slice(-3)).toEqual([[1, 6], [1, 6], [1, 12]]);
    expect(r.layers[7]!.inputs).toEqual(['a', '5']);
  });

  test('a call nncalc has no rule for is a custom layer with what its keywords declare', async () => {
    const r = await run(`input: 8x8x4
layers:
  - DeformConv(output_shape=[1, 8, 8, 8], params=296, macs=18432, flops=36864)
`);
    expect(r.layers[0]).toMatchObject({ type: 'DeformConv', params: 296, macs: 18_432, flops: 36_864, outputShape: [1, 8, 8, 8] });
    expect(r.totals.unknown).toBe(0);
  });

  test('errors point into the call', async () => {
    const yaml = `input: 8x8x4
layers:
  - Conv2d(4, 8, 3, 1, 1, 1, 1, True, 'zeros', 7)
`;
    expect(await error(yaml)).toMatchObject({ line: 3, piece: '7', message: expect.stringContaining('Conv2d takes at most 9 positional arguments') });
    expect(await error("input: 8x8x4\nlayers:\n  - Conv2d(5, 8, 3)\n")).toMatchObject({ line: 3, piece: 'Conv2d', message: 'layer \'0\' (Conv2d): conv2d was given 5 input channels, but its input [1, 4, 8, 8] has 4 (dimension 1).' });
    expect(await error("input: 8x8x4\nlayers:\n  - Conv2dd(4, 8, 3)\n")).toMatchObject({ line: 3, piece: 'Conv2dd', message: "unknown layer 'Conv2dd'. Did you mean 'conv2d'?" });
  });
});

describe('modules', () => {
  const unet = `input: 64x64x3
modules:
  DoubleConv(c_in, c_out, mid = c_out):
    - double_conv = Sequential(
        Conv2d(c_in, mid, 3, padding=1, bias=False), BatchNorm2d(mid), ReLU(inplace=True),
        Conv2d(mid, c_out, 3, padding=1, bias=False), BatchNorm2d(c_out), ReLU(inplace=True))
  Down(c_in, c_out):
    - maxpool_conv = Sequential(MaxPool2d(2), DoubleConv(c_in, c_out))
  Stage:
    sequential: [relu, dropout]
layers:
  - inc = DoubleConv(3, 16)
  - down1 = Down(16, 32)
  - DoubleConv: {c_in: 32, c_out: 32, mid: 8}
    name: bottom
  - Stage()
`;

  test("a module's layers are named inside the call, as PyTorch names them", async () => {
    const r = await run(unet);
    const ids = r.layers.map((l) => l.name);
    expect(ids.slice(0, 2)).toEqual(['inc.double_conv.0', 'inc.double_conv.1']);
    expect(ids).toContain('down1.maxpool_conv.1.double_conv.3');
    expect(ids.slice(-2)).toEqual(['3.0', '3.1']);
    expect(r.modules).toMatchObject({ inc: 'DoubleConv', down1: 'Down', 'down1.maxpool_conv': 'Sequential', bottom: 'DoubleConv', '3': 'Stage' });
    // bottom: 3·3·32·8 = 2,304 and 3·3·8·32 = 2,304 (no biases), BatchNorms 2·8 + 2·32 = 80.
    expect(r.layers.filter((l) => l.name.startsWith('bottom.')).reduce((s, l) => s + Number(l.params), 0)).toBe(4_688);
  });

  test('a tensor passed to a module, like(), and a block standing for its output', async () => {
    const r = await run(`input: 30x30x3
modules:
  Up(c, skip):
    - up = ConvTranspose2d(c, c, 2, stride=2)
    - interpolate(size=like(skip))
    - cat([skip, x])
layers:
  - stem = Sequential(Conv2d(3, 8, 3, padding=1), ReLU())
  - MaxPool2d(2)
  - MaxPool2d(2)
  - up = Up(8, stem)
`);
    // 30 → 15 → 7; up 14, resized to the stem's 30×30, concatenated with it: 16 channels.
    expect(r.layers.map((l) => [l.name, l.outputShape])).toEqual([
      ['stem.0', [1, 8, 30, 30]],
      ['stem.1', [1, 8, 30, 30]],
      ['1', [1, 8, 15, 15]],
      ['2', [1, 8, 7, 7]],
      ['up.up', [1, 8, 14, 14]],
      ['up.1', [1, 8, 30, 30]],
      ['up.2', [1, 16, 30, 30]],
    ]);
    expect(r.layers[6]!.inputs).toEqual(['stem.1', 'up.1']);
  });

  test.each([
    ['too many arguments', '  - DoubleConv(3, 16, 8, 1)\n', '1', 'DoubleConv takes 3 arguments, DoubleConv(c_in, c_out, mid); received 4.'],
    ['an unknown keyword', '  - DoubleConv(3, c_ou=16)\n', 'c_ou', "DoubleConv has no parameter 'c_ou'. Did you mean 'c_out'? Its parameters: DoubleConv(c_in, c_out, mid)."],
    ['a missing argument', '  - DoubleConv(3)\n', 'DoubleConv', "DoubleConv needs its parameter 'c_out'; the call gives …. Its parameters: DoubleConv(c_in, c_out, mid)."],
    ['an argument twice', '  - DoubleConv(3, 16, c_in=3)\n', 'c_in', "'c_in' is given twice in this call of DoubleConv, by position and by name."],
  ])('%s is an error at the call', async (_, call, piece, message) => {
    const yaml = `input: 8x8x3\nmodules:\n  DoubleConv(c_in, c_out, mid = c_out):\n    - Conv2d(c_in, mid, 3)\nlayers:\n${call}`;
    expect(await error(yaml)).toMatchObject({ line: 6, piece, message });
  });

  test('recursion between modules is an error that names the chain; nesting is bounded', async () => {
    const yaml = `input: 8x8x3
modules:
  A(c):
    - B(c)
  B(c):
    - A(c)
layers:
  - A(3)
`;
    const e = await error(yaml);
    expect(e).toMatchObject({ line: 6, piece: 'A', message: 'recursion between modules: A → B → A. A module cannot call itself, directly or through another.' });
    expect(e.details).toEqual(['in B(c=3), called at line 4, column 7', 'in A(c=3), called at line 8, column 5']);
    const chain = Array.from({ length: 40 }, (_, i) => `  M${i}:\n    - M${i + 1}()\n`).join('') + '  M40:\n    - relu\n';
    expect((await error(`input: 8\nmodules:\n${chain}layers:\n  - M0()\n`)).message).toMatch(/^modules call each other more than 32 deep \(M0 → M1 → /);
  });

  test('an expression that divides by zero, or is not an integer where one is needed, is an error at its position', async () => {
    const mod = (body: string) => `input: 8x8x3\nmodules:\n  M(c_out):\n    - ${body}\nlayers:\n  - M(0)\n`;
    expect(await error(mod('conv2d: {out: 64 // c_out, kernel: 3}'))).toMatchObject({ line: 4, piece: '64 // c_out', message: 'division by zero: 64 // 0.' });
    expect(await error(mod('Conv2d(3, 10 / 4, 3)'))).toMatchObject({ line: 4, piece: '10 / 4', message: "conv2d: 'out_channels' must be an integer ≥ 1. Received: out_channels=2.5." });
    expect(await error(mod('conv2d: {out: c_ot * 2, kernel: 3}'))).toMatchObject({ piece: 'c_ot', message: "unknown name 'c_ot' in 'c_ot * 2'. Did you mean 'c_out'?" });
    expect(await error(mod('conv2d: {out: c_ot, kernel: 3}'))).toMatchObject({ piece: 'c_ot', message: "conv2d: 'out' must be an integer ≥ 1. Received: out='c_ot'." });
  });
});

describe('wiring', () => {
  test("like() of an unknown tensor is an error at its position", async () => {
    const yaml = 'input: 8x8x3\nlayers:\n  - upsample: {size: like(skp)}\n';
    expect(await error(yaml)).toMatchObject({ line: 3, piece: 'skp', message: "layer '0' reads 'skp', which is not an earlier layer, block or input." });
  });

  test('dim(x, -1) is the size of the layer\'s own input', async () => {
    const r = await run("input: [1, 16, 37]\nlayers:\n  - avgpool1d: {kernel: 'dim(x, -1)'}\n");
    expect(r.layers[0]!.outputShape).toEqual([1, 16, 1]);
  });

  test('use calls a layer again: named m#2, m#3, reading the layer before, counted once', async () => {
    const r = await run(`input: 8x8x4
layers:
  - conv = Conv2d(4, 4, 3, padding=1)
  - use: conv
  - use: conv
  - cat([conv, conv#2, conv#3])
`);
    expect(r.layers.map((l) => [l.name, l.inputs])).toEqual([
      ['conv', ['input']],
      ['conv#2', ['conv']],
      ['conv#3', ['conv#2']],
      ['3', ['conv', 'conv#2', 'conv#3']],
    ]);
    // 3·3·4·4 + 4 = 148 parameters once; MACs three times: 3·8·8·4·3·3·4.
    expect(r.totals.params).toBe(148);
    expect(r.totals.macs).toBe(3 * 8 * 8 * 4 * 9 * 4);
  });

  test('two layers of one name suggest use', async () => {
    const e = await error('input: 8\nlayers:\n  - m = ReLU()\n  - m = ReLU()\n');
    expect(e.message).toBe("two layers are named 'm'; layer names must be unique.");
    expect(e.details).toEqual(["To call the module 'm' again, write use: m; its calls are named m#2, m#3, …"]);
  });

  test('outputs: a name that is no layer is an error at its position', async () => {
    const yaml = 'input: 8\nlayers:\n  - fc = Linear(8, 2)\noutputs: [fc, nothere]\n';
    expect(await error(yaml)).toMatchObject({ line: 4, piece: 'nothere', message: "output 'nothere' is not a layer or block of the network." });
  });
});

describe('repeats and conditions', () => {
  test('x n copies one layer with its index, named under the block or in the list', async () => {
    expect(await names('input: 8\nlayers:\n  - layers = Linear(8, 8) x 3\n  - ReLU() x 2\n')).toEqual(['layers.0', 'layers.1', 'layers.2', '1', '2']);
    const r = await run('input: 8x8x3\nlayers:\n  - conv2d: {out: 4 * 2 ** i, kernel: 1}\n    repeat: 3\n');
    expect(r.layers.map((l) => l.outputShape[1])).toEqual([4, 8, 16]);
    const block = await run('input: 8\nlayers:\n  - repeat: 2\n    index: k\n    name: blocks\n    layers: ["Linear(8, 8 + k) if k == 0", "Linear(8, 8)"]\n');
    expect(block.layers.map((l) => l.name)).toEqual(['blocks.0.0', 'blocks.0.1', 'blocks.1.0']);
  });

  test('if on a residual keeps or drops the connection; on other items, the item', async () => {
    const spec = (shortcut: boolean) => `input: 8x8x4
modules:
  Bottleneck(c, shortcut):
    - residual:
        - cv1 = Conv2d(c, c, 1)
      if: shortcut
    - extra = ReLU() if not shortcut
layers:
  - Bottleneck(4, ${shortcut ? 'True' : 'False'})
`;
    expect(await names(spec(true))).toEqual(['0.cv1', '0.0']);
    expect(await names(spec(false))).toEqual(['0.cv1', '0.extra']);
    expect((await error("input: 8\nlayers:\n  - relu:\n    if: shortcutt\n")).message).toMatch(/^'if' must be true, false or a condition over the names bound here/);
  });

  test('the expansion is bounded: layers, steps and repeats', async () => {
    expect((await error('input: 8\nlayers:\n  - Linear(8, 8) x 10001\n')).message).toBe('a repeat count must be an integer from 1 to 10000. Received: 10001.');
    const e = await error('input: 8\nmodules:\n  M:\n    - ReLU() x 1000\nlayers:\n  - M() x 1000\n');
    expect(e.message).toMatch(/more than the limit of 100,000/);
    const empty = await error('input: 8\nmodules:\n  E:\n    - c = 1\nlayers:\n  - repeat: 10000\n    layers:\n      - repeat: 10000\n        layers: ["E()"]\n  - relu\n');
    expect(empty.message).toMatch(/^expanding the spec takes more than 5,000,000 steps/);
  });
});

describe('error wording', () => {
  test("an op among notation words says what to write instead of suggesting itself", async () => {
    const e = await error('input: 8\nlayers:\n  - "FC-16, linear"\n');
    expect(e).toMatchObject({ line: 3, piece: 'linear', message: "unknown layer 'linear'." });
    expect(e.details).toEqual(["'linear' is an op, not a word of the paper's notation: write it as an item of its own (- linear: {…}) or as a call, such as Linear(…) x 2."]);
  });

  test('a tie to a weight that is itself tied is a tie to the weight it shares', async () => {
    const r = await run('input: 8\nlayers:\n  - a = Linear(8, 8)\n  - b = Linear(8, 8, tied=a)\n  - linear: {out: 8}\n    name: c\n    tied: {weight: b.weight}\n');
    // a: 8·8 + 8 = 72; b shares both; c shares its weight (a's, through b) and has its own bias of 8.
    expect(r.totals.params).toBe(80);
    expect(r.layers[2]!.note).toBe('shares weight with b.weight (counted once)');
  });
});
