/** Graph specs (branches, residuals, concat, named inputs), unknown layers and shared weights. */
import { describe, expect, test } from 'vitest';
import { analyze } from '../src/analyze/index.js';
import { ModelError } from '../src/errors.js';
import { render } from '../src/render/index.js';
import { build } from '../src/describe/build.js';
import { block, op, parallel, repeat, residual, seq, type Spec } from '../src/describe/spec.js';

const run = (spec: Spec) => analyze(build(spec));

describe('branches and merges', () => {
  test('a residual block: body + identity, names in the enclosing scope', () => {
    const r = run({
      name: 'res',
      input: [1, 16, 8, 8],
      layers: [block('block', [residual([op('conv2d', { out: 16, kernel: 3, padding: 1 }, { name: 'conv' }), op('relu', {}, { name: 'relu' })], op('add', {}, { name: 'add' }))])],
    });
    expect(r.layers.map((l) => l.name)).toEqual(['block.conv', 'block.relu', 'block.add']);
    // (3·3·16 + 1)·16 = 2,320; the add has two [1, 16, 8, 8] inputs and one FLOP per output element.
    expect(r.totals.params).toBe(2_320);
    const add = r.layers[2]!;
    expect(add.inputShapes).toEqual([[1, 16, 8, 8], [1, 16, 8, 8]]);
    expect(add.flops).toBe(16 * 8 * 8);
  });

  test('an Inception-style concat of parallel branches', () => {
    const r = run({
      name: 'inc',
      input: [1, 32, 28, 28],
      layers: [
        parallel(
          [
            seq('branch1', [op('conv2d', { out: 8, kernel: 1 })]),
            seq('branch2', [op('conv2d', { out: 16, kernel: 1 }), op('conv2d', { out: 24, kernel: 3, padding: 1 })]),
            seq('branch3', [op('maxpool2d', { kernel: 3, stride: 1, padding: 1 })]),
          ],
          op('concat', {}, { name: 'cat' }),
        ),
      ],
    });
    // 8 + 24 + 32 channels.
    expect(r.model.output).toEqual([1, 64, 28, 28]);
    // branch1: 32·8 + 8 = 264; branch2: 32·16 + 16 = 528 and (9·16 + 1)·24 = 3,480.
    expect(r.totals.params).toBe(264 + 528 + 3_480);
    expect(r.layers.map((l) => l.name)).toEqual(['branch1.0', 'branch2.0', 'branch2.1', 'branch3.0', 'cat']);
  });

  test('concat and add refuse shapes that do not fit, naming the layer', () => {
    const bad: Spec = { name: 'bad', input: [1, 8, 8, 8], layers: [parallel([[op('maxpool2d', { kernel: 2 })], []], op('add', {}, { name: 'sum' }))] };
    expect(() => run(bad)).toThrow(/layer 'sum' \(Add\): add needs shapes that match or broadcast.*dimension 2 is 4 vs 8/);
  });

  test('repeat numbers its copies like torchvision stages', () => {
    const r = run({ name: 'rep', input: [1, 4], layers: [repeat('layer1', 3, () => [op('linear', { out: 4 }, { name: 'fc' })])] });
    expect(r.layers.map((l) => l.name)).toEqual(['layer1.0.fc', 'layer1.1.fc', 'layer1.2.fc']);
  });

  test('layers can read earlier layers and extra inputs by name', () => {
    const r = run({
      name: 'two-inputs',
      input: [1, 10],
      extraInputs: [{ name: 'context', shape: [1, 6] }],
      layers: [op('linear', { out: 6 }, { name: 'a' }), op('add', {}, { name: 'mix', inputs: ['a', 'context'] }), op('linear', { out: 2 }, { name: 'head', inputs: ['mix'] })],
    });
    expect(r.layers[1]!.inputShapes).toEqual([[1, 6], [1, 6]]);
    expect(r.model.output).toEqual([1, 2]);
    expect(() => run({ name: 'x', input: [1, 4], layers: [op('relu', {}, { name: 'r', inputs: ['nope'] })] })).toThrow(/reads 'nope', which is not an earlier layer/);
  });
});

describe('unknown is not zero', () => {
  const spec: Spec = {
    name: 'custom',
    input: [1, 3, 32, 32],
    layers: [op('conv2d', { out: 8, kernel: 3, padding: 1 }, { name: 'conv' }), op('grid_sample', {}, { name: 'warp' }), op('flatten', {}, { name: 'flat' }), op('linear', { out: 10 }, { name: 'fc' })],
  };

  test('an op nncalc has no rule for is reported as unknown, with the layer named', () => {
    const r = run(spec);
    const warp = r.layers[1]!;
    expect(warp.type).toBe('grid_sample');
    expect([warp.params, warp.macs, warp.flops]).toEqual([null, null, null]);
    expect(warp.outputShape).toEqual([1, 8, 32, 32]);
    expect(r.totals.unknown).toBe(1);
    expect(r.diagnostics).toEqual([{ severity: 'warning', layer: 'warp', message: expect.stringContaining("no rule for 'grid_sample'") }]);
    // The known layers still count: conv (27 + 1)·8 = 224, fc 8·32·32·10 + 10 = 81,930.
    expect(r.totals.params).toBe(224 + 81_930);
    const table = render(r, 'table');
    expect(table).toMatch(/warp \(grid_sample\)\s+\[1, 8, 32, 32\]\s+\?\s+\?/);
    expect(table).toMatch(/Unknown:\s+1 of 4 layers\s+warp \(grid_sample\): not counted, so the totals are lower bounds/);
    const json = JSON.parse(render(r, 'json'));
    expect(json.layers[1].params).toBeNull();
    expect(json.layers[1].macs).toBeNull();
  });

  test('what the spec declares about an unknown op is used', () => {
    const r = run({ ...spec, layers: [spec.layers[0]!, op('warp_op', { output_shape: [1, 8, 16, 16], params: 100, macs: 5000 }, { name: 'warp' }), ...spec.layers.slice(2)] });
    const warp = r.layers[1]!;
    expect([warp.params, warp.macs, warp.flops]).toEqual([100, 5000, null]);
    expect(r.layers[3]!.inputShapes).toEqual([[1, 2048]]);
  });

  test('a layer that declares params, MACs and FLOPs (and the elements it writes) leaves the totals exact', () => {
    const warp = op('warp_op', { output_shape: [1, 8, 16, 16], params: 100, macs: 5000, flops: 12_000, activations: 4096 }, { name: 'warp' });
    const r = run({ ...spec, layers: [spec.layers[0]!, warp, ...spec.layers.slice(2)] });
    const w = r.layers[1]!;
    expect([w.params, w.macs, w.flops]).toEqual([100, 5000, 12_000]);
    // 4,096 declared elements at fp32, not the 8·16·16 = 2,048 of its output.
    expect(w.outputBytes).toBe(4096 * 4);
    expect(r.totals.unknown).toBe(0);
    expect(r.diagnostics).toEqual([{ severity: 'info', layer: 'warp', message: "nncalc has no rule for 'warp_op': parameters, MACs and FLOPs as the spec declares them" }]);
    expect(render(r, 'table')).not.toMatch(/lower bounds/);
  });

  test('a near-miss of a known op is a typo, not an unknown op', () => {
    expect(() => run({ ...spec, layers: [op('conv2dd', { out: 8, kernel: 3 }, { name: 'c' })] })).toThrow("unknown op 'conv2dd'. Did you mean 'conv2d'?");
  });
});

describe('shared weights are counted once', () => {
  const spec: Spec = {
    name: 'tied',
    input: [1, 16],
    layers: [op('linear', { out: 16 }, { name: 'enc' }), op('relu'), op('linear', { out: 16 }, { name: 'dec', tied: { weight: 'enc.weight' } })],
  };

  test('the tied matrix appears in the totals once and the sharing layer says so', () => {
    const r = run(spec);
    // enc: 16·16 + 16 = 272; dec reuses the 256 weights and adds its own 16 biases.
    expect(r.totals.params).toBe(272 + 16);
    expect(r.totals.tied).toBe(256);
    const dec = r.layers[2]!;
    expect(dec.params).toBe(16);
    expect(dec.weights[0]!.tiedTo).toBe('enc.weight');
    expect(dec.note).toBe('shares weight with enc.weight (counted once)');
    expect(render(r, 'table')).toMatch(/Shared weights:\s+256\s+used again by dec; counted once above/);
  });

  test('tying to a weight that does not exist or does not fit is an error', () => {
    expect(() => run({ ...spec, layers: [...spec.layers.slice(0, 2), op('linear', { out: 16 }, { name: 'dec', tied: { weight: 'enx.weight' } })] })).toThrow(
      /ties its 'weight' to 'enx.weight', which is not a weight of an earlier layer/,
    );
    expect(() => run({ ...spec, layers: [...spec.layers.slice(0, 2), op('linear', { out: 8 }, { name: 'dec', tied: { weight: 'enc.weight' } })] })).toThrow(ModelError);
    expect(() => run({ ...spec, layers: [...spec.layers.slice(0, 2), op('linear', { out: 16 }, { name: 'dec', tied: { wieght: 'enc.weight' } })] })).toThrow(
      "layer 'dec' ties 'wieght', but it has no weight of that name. Its weights: 'weight', 'bias'.",
    );
  });
  test('a weight may be tied to one declared before it in the same layer (an ONNX BatchNorm whose scale and variance are one tensor)', () => {
    const bn: Spec = { name: 'bn', input: [1, 8, 4, 4], layers: [op('batchnorm2d', {}, { name: 'bn', tied: { running_var: 'bn.weight' } })] };
    const r = run(bn);
    // γ, β: 8 + 8 parameters; running mean 8 is a buffer; running_var is γ's tensor, counted once.
    expect(r.totals.params).toBe(16);
    expect(r.totals.buffers).toBe(8);
    expect(r.totals.tied).toBe(8);
    expect(() => run({ ...bn, layers: [op('batchnorm2d', {}, { name: 'bn', tied: { weight: 'bn.running_var' } })] })).toThrow(/not a weight of an earlier layer or one declared before it/);
  });
});
