import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze/index.js';
import { collapse } from '../analyze/collapse.js';
import { summarize } from '../summarize.js';
import { memorySource, type ByteSource } from '../io/bytes.js';
import { plus } from '../int.js';
import { onnx, readOnnx } from './onnx.js';

/** The oracle written by scripts/fixtures/onnx_fixtures.py from torch.onnx.export, onnx and onnx.shape_inference. */
interface Oracle {
  params: number;
  torch_params?: number;
  input: number[];
  shapes: Record<string, number[]>;
}
const DIR = new URL('../../test/fixtures/onnx/', import.meta.url);
const oracle = JSON.parse(readFileSync(new URL('oracle.json', DIR), 'utf8')) as Record<string, Oracle>;
const source = (name: string): ByteSource => memorySource(readFileSync(new URL(`${name}.onnx`, DIR)), `${name}.onnx`);

describe('ONNX files written by torch.onnx.export and onnx.helper', () => {
  for (const [name, o] of Object.entries(oracle)) {
    it(`${name}: totals equal the weight elements onnx reports, shapes equal onnx.shape_inference`, async () => {
      const { file, lowered } = await readOnnx(source(name), { input: o.input });
      const report = analyze(file.graph!);
      // BatchNorm running statistics (where BN is not folded) are buffers in nncalc's PyTorch convention.
      expect(plus(report.totals.params, report.totals.buffers)).toBe(o.params);
      // Only ScatterND (Swin builds its shifted-window mask with it) is an op nncalc cannot count; it is unknown, not zero.
      const unknown = new Set(report.layers.filter((l) => l.params === null || l.macs === null || l.flops === null).map((l) => l.type));
      expect([...unknown]).toEqual(name === 'swin_t' ? ['ScatterND'] : []);
      const names = Object.keys(o.shapes);
      expect(names.length).toBeGreaterThan(0);
      const byName = new Map(report.layers.map((l) => [l.name, l]));
      for (const value of names) {
        const v = lowered.values.get(value);
        expect({ value, shape: v?.shape }).toEqual({ value, shape: o.shapes[value] });
        // The analysed report agrees: the layer that outputs the value has that shape.
        const layer = lowered.layerOf.get(value);
        if (layer && v?.ref && !v.ref.includes(':')) expect({ value, shape: byName.get(layer)!.outputShape }).toEqual({ value, shape: o.shapes[value] });
      }
    });
  }

  it('counts what torch counts for models with no BatchNorm to fold, each shared tensor once per use', async () => {
    // torch.onnx.export stores tensors with identical values once (every zero-initialised bias of one size), so
    // parameters "as used" (params + tied) are torch's own count.
    for (const name of ['alexnet', 'vgg16', 'squeezenet1_0', 'vit_b_16', 'attention']) {
      const o = oracle[name];
      if (!o) continue;
      const report = analyze((await readOnnx(source(name), { input: o.input })).file.graph!);
      expect({ name, asUsed: plus(report.totals.params, report.totals.tied) }).toEqual({ name, asUsed: o.torch_params });
    }
  });

  it('gives layers of one signature one frozen attribute record, which changes no figure', async () => {
    const { file } = await readOnnx(source('resnet50'));
    const graph = file.graph!;
    const report = analyze(graph);
    // Every conv of layer1's three blocks with the same settings and input shape is one record; every ReLU has none.
    const convs = graph.nodes.filter((n) => n.op === 'conv2d');
    const records = new Set(convs.map((n) => n.attrs));
    expect(records.size).toBeLessThan(convs.length);
    for (const n of graph.nodes.filter((x) => x.op === 'relu')) expect([Object.isFrozen(n.attrs), Object.keys(n.attrs).length]).toEqual([true, 0]);
    for (const r of records) expect(Object.isFrozen(r)).toBe(true);
    // The same graph with a fresh, unfrozen record per layer analyses to the same figures, layer by layer.
    const fresh = analyze({ ...graph, nodes: graph.nodes.map((n) => ({ ...n, attrs: structuredClone(n.attrs) as Record<string, unknown> })) });
    const figures = (r: typeof report) => r.layers.map((l) => [l.name, l.params, l.macs, l.flops, l.outputShape.join(), l.rf?.size]);
    expect(figures(fresh)).toEqual(figures(report));
    expect(fresh.totals).toEqual(report.totals);
  });

  it('names layers by torch module path, so vgg16 lines up with the zoo layer by layer', async () => {
    const { file } = await readOnnx(source('vgg16'));
    const report = analyze(file.graph!);
    const zoo = new Map(summarize('vgg16').layers.map((l) => [l.name, l]));
    const weighted = report.layers.filter((l) => l.op === 'conv2d' || l.op === 'linear');
    expect(weighted.map((l) => l.name)).toEqual([...zoo.values()].filter((l) => l.op === 'conv2d' || l.op === 'linear').map((l) => l.name));
    for (const l of weighted) {
      const z = zoo.get(l.name)!;
      // A bias shared with an earlier layer (identical zeros, stored once) is counted there: as used, the layer has torch's count.
      expect({ name: l.name, params: plus(l.params!, l.tied), macs: l.macs, shape: l.outputShape }).toEqual({ name: l.name, params: z.params, macs: z.macs, shape: z.outputShape });
    }
    expect(report.totals.macs).toBe(summarize('vgg16').totals.macs);
  });

  it('shows the graph by module at --depth', async () => {
    const { file } = await readOnnx(source('resnet18'));
    const report = analyze(file.graph!);
    expect(report.layers.map((l) => l.name)).toContain('layer1.0.conv1');
    expect(report.layers.map((l) => l.name)).toContain('layer1.0.Add');
    const rows = collapse(report, 1).layers.map((l) => l.name);
    expect(rows).toEqual(['conv1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'Flatten', 'fc']);
  });

  it('reads GELU and LayerNorm written out as several nodes as the module they are', async () => {
    const vit = analyze((await readOnnx(source('vit_b_16'))).file.graph!);
    const gelu = vit.layers.find((l) => l.name === 'encoder.layers.encoder_layer_0.mlp.1')!;
    expect(gelu.op).toBe('gelu');
    expect(gelu.outputShape).toEqual([1, 197, 3072]);
    const convnext = analyze((await readOnnx(source('convnext_tiny'))).file.graph!);
    const ln = convnext.layers.find((l) => l.name === 'features.1.0.block.2')!;
    expect(ln.op).toBe('layernorm');
    // γ and β over the 96 channels (PyTorch's LayerNorm((96,)): 2·96), a tensor stored once with an earlier one's counted there.
    expect(plus(ln.params!, ln.tied)).toBe(192);
    expect(convnext.layers.filter((l) => l.name.startsWith('features.1.0.block.2')).length).toBe(1);
  });

  it('counts a shared initializer once and marks its later users (BN folding shares identical biases through Identity)', async () => {
    const { file } = await readOnnx(source('tiny_cnn'));
    const report = analyze(file.graph!);
    const second = report.layers.find((l) => l.name === 'shared_1')!;
    expect(second.params).toBe(0);
    // 8·8·3·3 weights + 8 biases, counted at 'shared'.
    expect(second.tied).toBe(8 * 8 * 3 * 3 + 8);
    expect(report.totals.tied).toBeGreaterThanOrEqual(584);
    expect(file.notes.some((n) => /read by more than one layer/.test(n))).toBe(true);
    const resnet = analyze((await readOnnx(source('resnet18'))).file.graph!);
    expect(resnet.totals.tied).toBeGreaterThan(0);
  });

  it('reads the same network from Constant nodes as from initializers', async () => {
    const a = analyze((await readOnnx(source('tiny_cnn'))).file.graph!);
    const b = analyze((await readOnnx(source('tiny_cnn_constants'))).file.graph!);
    expect(b.totals.params).toBe(a.totals.params);
    expect(b.totals.macs).toBe(a.totals.macs);
  });

  it('reads external data by its declared lengths and never reads the side file', async () => {
    const side = memorySource(readFileSync(new URL('tiny_cnn_external.onnx.data', DIR)), 'tiny_cnn_external.onnx.data');
    const asked: string[] = [];
    const { file } = await readOnnx(source('tiny_cnn_external'), { sibling: async (n) => (asked.push(n), side) });
    expect(asked).toEqual(['tiny_cnn_external.onnx.data']);
    expect(side.stats.bytes).toBe(0);
    expect(analyze(file.graph!).totals.params).toBe(oracle['tiny_cnn']!.params);
    const conv = file.tensors.find((t) => t.name === 'shared.weight')!;
    expect(conv).toEqual({ name: 'shared.weight', shape: [8, 8, 3, 3], dtype: 'float32', bytes: 8 * 8 * 3 * 3 * 4 });
    expect(file.notes.some((n) => n.includes("external file 'tiny_cnn_external.onnx.data'"))).toBe(true);
  });

  it('binds symbolic dimensions by name, or takes them as 1 and says so', async () => {
    const unbound = await readOnnx(source('typed_data'));
    expect(unbound.file.graph!.inputs[0]!.shape).toEqual([1, 3, 28, 28]);
    expect(unbound.file.notes.join(' ')).toMatch(/'p2o\.DynamicDimension\.0' of 'x' is symbolic.*took it as 1/);
    const bound = await readOnnx(source('typed_data'), { bind: { 'p2o.DynamicDimension.0': 4 } });
    const report = analyze(bound.file.graph!);
    expect(report.model.input).toEqual([4, 3, 28, 28]);
    expect(report.model.output).toEqual([4, 6]);
    expect(bound.file.notes.join(' ')).not.toMatch(/symbolic/);
    const seq = analyze((await readOnnx(source('attention'), { bind: { batch: 2, sequence: 7 } })).file.graph!);
    expect(seq.model.output).toEqual([2, 7, 32]);
  });

  it('honours asymmetric pads, auto_pad SAME_UPPER, ConvTranspose output_shape and Gemm transB = 0', async () => {
    const report = analyze((await readOnnx(source('typed_data'))).file.graph!);
    const at = (n: string) => report.layers.find((l) => l.name === n)!;
    // pads [top 0, left 1, bottom 2, right 1], stride 2: H = ⌊(28 + 0 + 2 − 3)/2⌋ + 1 = 14, W = ⌊(28 + 1 + 1 − 3)/2⌋ + 1 = 14.
    expect(at('stem.conv').formulas.shape!.map((n) => n.count.terms)).toEqual(['⌊(28 + 0 + 2 − 3)/2⌋ + 1', '⌊(28 + 2·1 − 3)/2⌋ + 1']);
    // SAME_UPPER keeps ⌈14/2⌉ = 7; ConvTranspose to output_shape 14.
    expect(at('dw').outputShape).toEqual([1, 4, 7, 7]);
    expect(at('up').outputShape).toEqual([1, 2, 14, 14]);
    // Gemm with transB = 0 reads B as [K, N] = [98, 6]: 98·6 weights + 6 biases.
    expect(at('head').params).toBe(98 * 6 + 6);
  });

  it('lists the stored tensors with dtype and bytes, and the producer and opset', async () => {
    const { file } = await readOnnx(source('resnet18'));
    expect(file.metadata['producer']).toBe('pytorch 1.13.0');
    expect(file.metadata['graph']).toBe('torch_jit');
    expect(file.graph!.name).toBe('resnet18');
    expect(file.metadata['opset']).toBe('ai.onnx 13');
    expect(file.tensors.find((t) => t.name === 'fc.weight')).toEqual({ name: 'fc.weight', shape: [1000, 512], dtype: 'float32', bytes: 2048000 });
  });

  it('sniffs ONNX by its first bytes', () => {
    expect(onnx.sniff(readFileSync(new URL('resnet18.onnx', DIR)).subarray(0, 64))).toBe(true);
    expect(onnx.sniff(new TextEncoder().encode('{"architectures": []}'))).toBe(false);
    expect(onnx.sniff(new Uint8Array([0x50, 0x4b, 3, 4]))).toBe(false);
  });
});
