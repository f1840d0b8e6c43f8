/** The graph parts of the spec format read into Specs: inputs, residual and parallel branches, merges, tied weights, roles, types. */
import { describe, expect, test } from 'vitest';
import { analyze } from '../analyze/index.js';
import { lineColumn } from '../errors.js';
import { summarize } from '../summarize.js';
import { build } from './build.js';
import { fromObject, parseSpecText } from './from-object.js';
import { block, op, parallel, residual, seq, type LayerSpec, type Spec } from './spec.js';

/** The value without locations, to compare with Specs written with the helpers of spec.ts. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'loc' && k !== 'attrLocs' && k !== 'outputLocs').map(([k, x]) => [k, k === 'attrs' ? x : strip(x)]));
}

/** Every op layer of a list, branches and merges included. */
function allOps(layers: readonly LayerSpec[]): LayerSpec[] {
  return layers.flatMap((l) => ('op' in l ? [l] : 'parallel' in l ? [...allOps(l.parallel), l.merge] : allOps(l.layers)));
}

const conv16 = { conv2d: { out: 16, kernel: 3, padding: 1 }, name: 'conv' };

describe('parse → Spec', () => {
  test('residual: the body, an identity shortcut and an add by default; name names the merge', () => {
    const spec = fromObject({ input: [1, 16, 8, 8], layers: [{ residual: [conv16, { relu: null, name: 'relu' }], name: 'add' }] });
    const body = [op('conv2d', { out: 16, kernel: 3, padding: 1 }, { name: 'conv' }), op('relu', {}, { name: 'relu' })];
    expect(strip(spec.layers)).toEqual([residual(body, op('add', {}, { name: 'add' }))]);
    // (3·3·16 + 1)·16 = 2,320; the add has two [1, 16, 8, 8] inputs and one FLOP per output element.
    const r = analyze(build(spec));
    expect(r.layers.map((l) => l.name)).toEqual(['conv', 'relu', 'add']);
    expect(r.totals.params).toBe(2_320);
    expect(r.layers[2]!.inputShapes).toEqual([[1, 16, 8, 8], [1, 16, 8, 8]]);
    expect(r.layers[2]!.flops).toBe(16 * 8 * 8);
  });

  test('residual with a shortcut and another merge', () => {
    const spec = fromObject({
      input: [1, 8, 8, 8],
      layers: [{ residual: [{ conv2d: { out: 16, kernel: 3, stride: 2, padding: 1 }, name: 'c' }], shortcut: { sequential: 'down', layers: [{ conv2d: { out: 16, kernel: 1, stride: 2 } }] }, merge: 'mul' }],
    });
    const shortcut = seq('down', [op('conv2d', { out: 16, kernel: 1, stride: 2 })]);
    expect(strip(spec.layers)).toEqual([parallel([[op('conv2d', { out: 16, kernel: 3, stride: 2, padding: 1 }, { name: 'c' })], shortcut], op('mul'))]);
    const r = analyze(build(spec));
    // c: (9·8 + 1)·16 = 1,168; down.0: (8 + 1)·16 = 144. The merge is unnamed, so numbered by position: 0.
    expect(r.layers.map((l) => [l.name, l.params])).toEqual([['c', 1_168], ['down.0', 144], ['0', 0]]);
    expect(r.model.output).toEqual([1, 16, 4, 4]);
  });

  test('parallel: block branches, list branches, one-layer branches, and a full merge op', () => {
    const spec = fromObject({
      input: [1, 32, 28, 28],
      layers: [
        {
          parallel: [
            { sequential: 'branch1', layers: [{ conv2d: { out: 8, kernel: 1 } }] },
            { block: 'branch2', layers: [{ conv2d: { out: 16, kernel: 1 }, name: 'reduce' }, { conv2d: { out: 24, kernel: 3, padding: 1 }, name: 'conv' }] },
            [{ maxpool2d: { kernel: 3, stride: 1, padding: 1 }, name: 'pool' }],
            { identity: null, name: 'skip' },
          ],
          merge: { concat: { dim: 1 }, name: 'cat' },
        },
      ],
    });
    expect(strip(spec.layers)).toEqual([
      parallel(
        [
          seq('branch1', [op('conv2d', { out: 8, kernel: 1 })]),
          block('branch2', [op('conv2d', { out: 16, kernel: 1 }, { name: 'reduce' }), op('conv2d', { out: 24, kernel: 3, padding: 1 }, { name: 'conv' })]),
          [op('maxpool2d', { kernel: 3, stride: 1, padding: 1 }, { name: 'pool' })],
          [op('identity', {}, { name: 'skip' })],
        ],
        op('concat', { dim: 1 }, { name: 'cat' }),
      ),
    ]);
    const r = analyze(build(spec));
    // 8 + 24 + 32 + 32 channels. branch1: 32·8 + 8 = 264; branch2: 32·16 + 16 = 528 and (9·16 + 1)·24 = 3,480.
    expect(r.model.output).toEqual([1, 96, 28, 28]);
    expect(r.totals.params).toBe(264 + 528 + 3_480);
    expect(r.layers.map((l) => l.name)).toEqual(['branch1.0', 'branch2.reduce', 'branch2.conv', 'pool', 'skip', 'cat']);
  });

  test('top-level inputs, outputs and seq_axis; layers read inputs and earlier layers by name', async () => {
    const spec = fromObject({
      name: 'two',
      inputs: { tokens: [1, 16], context: 6 },
      seq_axis: 1,
      layers: [
        { linear: { out: 6 }, name: 'a' },
        { add: null, name: 'mix', inputs: ['a', 'context'] },
        { linear: { out: 2 }, name: 'head', inputs: 'mix' },
        { linear: { out: 3 }, name: 'aux', inputs: ['tokens'] },
      ],
      outputs: ['head', 'aux'],
    });
    expect(strip(spec)).toEqual({
      name: 'two',
      input: [1, 16],
      seqAxis: 1,
      extraInputs: [{ name: 'context', shape: [1, 6] }],
      outputs: ['head', 'aux'],
      layers: [
        op('linear', { out: 6 }, { name: 'a' }),
        op('add', {}, { name: 'mix', inputs: ['a', 'context'] }),
        op('linear', { out: 2 }, { name: 'head', inputs: ['mix'] }),
        // The first input is the main one, which build calls 'input' whatever the spec names it.
        op('linear', { out: 3 }, { name: 'aux', inputs: ['input'] }),
      ],
    });
    const r = analyze(build(spec));
    expect(r.layers[1]!.inputShapes).toEqual([[1, 6], [1, 6]]);
    // a: 16·6 + 6 = 102; head: 6·2 + 2 = 14; aux: 16·3 + 3 = 51. The first output decides the model's output.
    expect(r.totals.params).toBe(102 + 14 + 51);
    expect(r.model.output).toEqual([1, 2]);
    // --seq 32 sets dimension 1: a: 32·6 + 6 = 198; aux: 32·3 + 3 = 99.
    expect(summarize(spec, { seq: 32 }).totals.params).toBe(198 + 14 + 99);
  });

  test("name:1 reads a layer's second output", () => {
    // torch.chunk of 7 features into 2: pieces of ⌈7/2⌉ = 4 and 3. fc reads the second: 3·2 + 2 = 8 (the first would give 10).
    const spec = fromObject({ input: 7, layers: [{ chunk: { chunks: 2 }, name: 'split' }, { linear: { out: 2 }, name: 'fc', inputs: ['split:1'] }] });
    const r = analyze(build(spec));
    expect(r.layers[1]!.inputShapes).toEqual([[1, 3]]);
    expect(r.totals.params).toBe(8);
  });

  test('tied weights and roles', () => {
    const layers = (tied: unknown) => [
      { linear: { out: 16 }, name: 'enc', role: 'embeddings' },
      'relu',
      { op: 'linear', out: 16, name: 'dec', tied, role: 'head' },
    ];
    const spec = fromObject({ input: 16, layers: layers({ weight: 'enc.weight' }) });
    expect(strip(spec.layers[2])).toEqual(op('linear', { out: 16 }, { name: 'dec', tied: { weight: 'enc.weight' }, role: 'head' }));
    const r = analyze(build(spec));
    // enc: 16·16 + 16 = 272; dec reuses enc's 256 weights and adds its own 16 biases.
    expect([r.totals.params, r.totals.tied]).toEqual([272 + 16, 256]);
    expect(r.totals.roles).toEqual({ embeddings: 272, head: 16 });
    // A bare layer path shares all its weights: dec adds nothing.
    const whole = fromObject({ input: 16, layers: layers('enc') });
    expect((whole.layers[2] as { tied?: unknown }).tied).toEqual({ '*': 'enc' });
    expect(analyze(build(whole)).totals).toMatchObject({ params: 272, tied: 272 });
  });

  test('type names the class of a block or sequential', () => {
    const relu = { relu: null };
    const spec = fromObject({ input: 4, layers: [{ block: 'layer1', type: 'BasicBlock', layers: [relu] }, { sequential: 'head', type: 'Classifier', layers: [relu] }] });
    expect(strip(spec.layers)).toEqual([
      { block: 'layer1', layers: [op('relu')], indexed: false, type: 'BasicBlock' },
      { block: 'head', layers: [op('relu')], indexed: true, type: 'Classifier' },
    ]);
    expect(build(spec).modules).toEqual({ layer1: 'BasicBlock', head: 'Classifier' });
  });

  test('unnamed layers in branches take the next free number (docs/spec-format.md)', () => {
    // conv3-16 → conv 0, ReLU 1; the body's conv and ReLU are 0 and 1 in their branch, both taken, so 2 and 3;
    // the add is the item at position 1, taken, so 4.
    const spec = fromObject({ input: '8x8x16', layers: ['conv3-16', { residual: ['conv3-16'] }] });
    expect(build(spec).nodes.map((n) => [n.id, n.op])).toEqual([['0', 'conv2d'], ['1', 'relu'], ['2', 'conv2d'], ['3', 'relu'], ['4', 'add']]);
  });

  test('every op the reader makes has a text location, merges included', async () => {
    const text = 'input: 8x8x4\nlayers:\n  - residual: [conv3-4]\n  - parallel: [[relu], [conv1-4]]\n    merge: concat\n';
    const spec = await parseSpecText(text);
    const ops = allOps(spec.layers);
    // conv, implicit relu, add; relu; conv, implicit relu; concat.
    expect(ops.map((l) => ('op' in l ? l.op : ''))).toEqual(['conv2d', 'relu', 'add', 'relu', 'conv2d', 'relu', 'concat']);
    for (const l of ops) expect(l.loc?.kind).toBe('text');
    const where = (i: number) => {
      const loc = ops[i]!.loc!;
      return loc.kind === 'text' ? lineColumn(text, loc.offset) : undefined;
    };
    // The default add is at `residual` (line 3, column 5); `merge: concat` at its value (line 5, column 12).
    expect([where(2), where(6)]).toEqual([{ line: 3, column: 5 }, { line: 5, column: 12 }]);
  });
});

test('a Spec built in code and the same one read from YAML give the same graph', async () => {
  const text = `input: 16x16x8
layers:
  - block: b
    type: Gate
    layers:
      - parallel:
          - [{global_avgpool: {keepdims: true}, name: pool}, {conv2d: {out: 8, kernel: 1}, name: fc}, {sigmoid: null, name: gate}]
          - []
        merge: mul
        name: scale
`;
  const code: Spec = {
    name: 'x',
    input: [1, 8, 16, 16],
    layers: [
      { ...block('b', [parallel([[op('global_avgpool', { keepdims: true }, { name: 'pool' }), op('conv2d', { out: 8, kernel: 1 }, { name: 'fc' }), op('sigmoid', {}, { name: 'gate' })], []], op('mul', {}, { name: 'scale' }))]), type: 'Gate' },
    ],
  };
  const fromYaml = build(await parseSpecText(text));
  const fromCode = build(code);
  const shape = (g: typeof fromCode) => g.nodes.map((n) => [n.id, n.op, n.inputs]);
  expect(shape(fromYaml)).toEqual(shape(fromCode));
  expect(fromYaml.modules).toEqual({ b: 'Gate' });
  // A squeeze-and-excitation gate: fc (8 + 1)·8 = 72 parameters; the output keeps the input's shape.
  expect(analyze(fromYaml).totals.params).toBe(72);
  expect(analyze(fromYaml).model.output).toEqual([1, 8, 16, 16]);
});
