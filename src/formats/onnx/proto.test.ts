import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOfAsync } from '../../../test/helpers.js';
import { ffield, intsAttr, lfield, model, node, smallModel, tag, tensor, valueInfo, varint, vfield } from '../../../test/onnx-bytes.js';
import { analyze } from '../../analyze/index.js';
import { memorySource, type ByteSource } from '../../io/bytes.js';
import { parseOnnx, readOnnx } from '../onnx.js';

const read = (bytes: Uint8Array | number[]) => readOnnx(memorySource(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), 'bad.onnx'));
/** The ModelError reading `bytes` gives; every one names the format and a byte offset. */
async function failure(bytes: Uint8Array | number[]) {
  const e = await errorOfAsync(() => read(bytes));
  expect(e.message).toMatch(/^onnx: /);
  return e;
}

describe('the ONNX reader on bytes it builds field by field', () => {
  it('reads a small model: Conv → Relu → GlobalAveragePool → Flatten → Gemm', async () => {
    const { file } = await read(smallModel());
    const report = analyze(file.graph!);
    expect(report.layers.map((l) => `${l.name} ${l.op}`)).toEqual(['conv conv2d', 'act relu', 'pool global_avgpool', 'Flatten flatten', 'fc linear']);
    // conv 4·3·3·3 + 4 = 112, fc 10·4 + 10 = 50
    expect(report.totals.params).toBe(162);
    expect(report.model.output).toEqual([1, 10]);
  });
  it('accepts packed dims and ints as protobuf requires', async () => {
    const packedDims = [...lfield(1, [4, 3, 3, 3]), ...vfield(2, 1), ...lfield(8, 'w'), ...lfield(9, new Array<number>(4 * 27 * 4).fill(0))];
    const m = model({
      nodes: [node('Conv', ['x', 'w'], ['y'], '/c/Conv', [[...lfield(1, 'pads'), ...lfield(8, [1, 1, 1, 1]), ...vfield(20, 7)]])],
      inits: [packedDims],
      inputs: [valueInfo('x', [1, 3, 8, 8])],
      outputs: [valueInfo('y', [1, 4, 8, 8])],
    });
    const report = analyze((await read(m)).file.graph!);
    expect(report.layers[0]!.outputShape).toEqual([1, 4, 8, 8]);
    expect(report.totals.params).toBe(108);
  });
  it('a bias added after MatMul or a bias-less Conv joins that layer only when it lies on the channel axis', async () => {
    const graph = (biasDims: number[]) =>
      model({
        nodes: [node('Conv', ['x', 'w'], ['c'], '/conv/Conv'), node('Add', ['c', 'b'], ['y'], '/conv/Add')],
        inits: [tensor('w', [4, 3, 1, 1]), tensor('b', biasDims)],
        inputs: [valueInfo('x', [1, 3, 4, 4])],
        outputs: [valueInfo('y', [1, 4, 4, 4])],
      });
    // [4, 1, 1] broadcasts onto the channels: the conv's bias, one layer 'conv' with 4·3 + 4 parameters.
    const fused = analyze((await read(graph([4, 1, 1]))).file.graph!);
    expect(fused.layers.map((l) => `${l.name} ${l.op} ${l.params}`)).toEqual(['conv conv2d 16']);
    // [4] broadcasts onto the width (also 4 here): not a bias, a learned tensor added after the conv.
    const apart = analyze((await read(graph([4]))).file.graph!);
    expect(apart.layers.map((l) => `${l.name} ${l.op} ${l.params}`)).toEqual(['conv.Conv conv2d 12', 'conv.Add parameter 4']);
    const mm = model({
      nodes: [node('MatMul', ['x', 'w'], ['m'], '/fc/MatMul'), node('Add', ['bias', 'm'], ['y'], '/fc/Add')],
      inits: [tensor('w', [8, 5]), tensor('bias', [5])],
      inputs: [valueInfo('x', [1, 7, 8])],
      outputs: [valueInfo('y', [1, 7, 5])],
    });
    const linear = analyze((await read(mm)).file.graph!);
    expect(linear.layers.map((l) => `${l.name} ${l.op} ${l.params}`)).toEqual(['fc linear 45']);
    expect(linear.layers[0]!.macs).toBe(7 * 8 * 5);
  });
  it('an op nncalc has no rule for is unknown, never zero', async () => {
    const m = model({
      nodes: [node('Relu', ['x'], ['r'], '/a/Relu'), node('MyOp', ['r', 'w'], ['y'], '/b/MyOp')],
      inits: [tensor('w', [5, 5])],
      inputs: [valueInfo('x', [1, 5])],
      outputs: [valueInfo('y', [1, 5])],
    });
    const report = analyze((await read(m)).file.graph!);
    const custom = report.layers.find((l) => l.type === 'MyOp')!;
    expect(custom.macs).toBeNull();
    expect(custom.flops).toBeNull();
    // Its stored input is counted once, as a tensor layer feeding it.
    expect(report.totals.params).toBe(25);
    expect(report.totals.unknown).toBe(1);
    expect(report.diagnostics[0]!.message).toContain("no rule for 'MyOp'");
  });
});

/** A source of `size` bytes: `head`, then zeros, then `tail`; zeros are made only for the ranges read. */
function virtualSource(head: Uint8Array, size: number, tail: Uint8Array): ByteSource {
  const stats = { requests: 0, bytes: 0 };
  return {
    name: 'virtual.onnx',
    size,
    stats,
    read(offset, length) {
      stats.requests++;
      stats.bytes += length;
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) {
        const at = offset + i;
        if (at < head.length) out[i] = head[at]!;
        else if (at >= size - tail.length) out[i] = tail[at - (size - tail.length)]!;
      }
      return Promise.resolve(out);
    },
  };
}

describe('weights are skipped, never read', () => {
  it('a 4 GiB initializer costs a few kilobytes of reading and no allocation of its size', async () => {
    // Graph: input x [1, 32768] → MatMul with a stored [32768, 32768] float32 weight (4 GiB of raw_data).
    const n = 32768;
    const rawLength = n * n * 4;
    const before = [...vfield(1, n), ...vfield(1, n), ...vfield(2, 1), ...lfield(8, 'big'), ...tag(9, 2), ...varint(rawLength)];
    const init = { head: before, length: before.length + rawLength };
    const graphRest = [...lfield(1, node('MatMul', ['x', 'big'], ['y'], '/fc/MatMul')), ...lfield(11, valueInfo('x', [1, n])), ...lfield(12, valueInfo('y', [1, n]))];
    const graphLength = 1 + varint(init.length).length + init.length + graphRest.length;
    const head = new Uint8Array([...vfield(1, 8), ...tag(7, 2), ...varint(graphLength), ...tag(5, 2), ...varint(init.length), ...init.head]);
    const tail = new Uint8Array([...graphRest, ...lfield(8, vfield(2, 13))]);
    const source = virtualSource(head, head.length + rawLength + tail.length, tail);
    const { file } = await readOnnx(source);
    const report = analyze(file.graph!);
    expect(report.totals.params).toBe(n * n);
    expect(file.tensors[0]).toEqual({ name: 'big', shape: [n, n], dtype: 'float32', bytes: rawLength });
    expect(source.stats.bytes).toBeLessThan(64 << 10);
    expect(source.stats.requests).toBeLessThanOrEqual(3);
  });
});

describe('bad ONNX input: a ModelError that names the format, the byte offset and what was wrong', () => {
  it('a truncated file, cut anywhere', async () => {
    const full = smallModel();
    for (const cut of [1, 5, 20, Math.floor(full.length / 2), full.length - 3]) {
      const e = await failure(full.subarray(0, cut));
      expect(e.message).toMatch(/byte offset \d+ of bad\.onnx/);
      expect(e.message).toMatch(/end of the file|truncated|no graph|runs .* past/);
    }
  });
  it('a length that points past the end', async () => {
    const e = await failure([...vfield(1, 8), ...tag(7, 2), ...varint(1_000_000), 0x0a, 0x00]);
    expect(e.message).toContain('graph of ModelProto declares 1000000 bytes, which runs past the end of the file');
    expect(e.message).toContain('at byte offset 3');
  });
  it('a length past the end of its enclosing message', async () => {
    const g = [...tag(1, 2), ...varint(50), ...lfield(4, 'Relu')];
    const e = await failure([...vfield(1, 8), ...lfield(7, g), ...lfield(8, vfield(2, 13))]);
    expect(e.message).toMatch(/node of GraphProto declares 50 bytes, which runs past the end of its enclosing message \(\d+ bytes left\)/);
  });
  it('graphs nested deeper than the bound, through node attributes', async () => {
    let g = [...lfield(2, 'inner')];
    for (let i = 0; i < 12; i++) g = [...lfield(1, node('If', ['c'], ['y'], `if${i}`, [[...lfield(1, 'then_branch'), ...lfield(6, g), ...vfield(20, 5)]])), ...lfield(2, `g${i}`)];
    const e = await failure([...vfield(1, 8), ...lfield(7, g)]);
    expect(e.message).toMatch(/graphs nest more than 8 deep .*byte offset \d+/);
  });
  it('a wrong wire type for a known field', async () => {
    const e = await failure([...vfield(1, 8), ...vfield(7, 3)]);
    expect(e.message).toBe('onnx: ModelProto field 7 (graph) has wire type 0 (varint); expected 2 (length-delimited) (at byte offset 2 of bad.onnx)');
    const f = await failure([...vfield(1, 8), ...lfield(7, [...lfield(5, [...ffield(1, 2)])])]);
    expect(f.message).toContain('field 1 (dims) has wire type 5 (32-bit); expected 0 (varint) or 2 (length-delimited)');
  });
  it('deprecated groups and invalid wire types', async () => {
    expect((await failure([...vfield(1, 8), ...tag(9, 3)])).message).toContain('wire type 3 (group start)');
    expect((await failure([...vfield(1, 8), ...tag(9, 7)])).message).toContain('wire type 7');
  });
  it('a varint longer than ten bytes, and a field numbered 0', async () => {
    expect((await failure([0x08, ...new Array<number>(11).fill(0xff)])).message).toContain('longer than 10 bytes');
    expect((await failure([0x00, 0x01])).message).toContain('field numbered 0');
  });
  it('raw_data whose length does not match the dims, and dims past 2^53 elements', async () => {
    const bad = [...vfield(1, 4), ...vfield(2, 1), ...lfield(8, 'w'), ...lfield(9, [0, 0, 0])];
    expect((await failure([...vfield(1, 8), ...lfield(7, lfield(5, bad))])).message).toContain("tensor 'w' is float32 [4], which takes 16 bytes, but its raw_data holds 3");
    const huge = [...vfield(1, 2 ** 40), ...vfield(1, 2 ** 40), ...vfield(2, 1), ...lfield(8, 'h')];
    expect((await failure([...vfield(1, 8), ...lfield(7, lfield(5, huge))])).message).toContain('more than 2^53 elements');
  });
  it('a node that reads a value nothing defines, or whose shapes cannot work, names the node and its offset', async () => {
    const dangling = model({ nodes: [node('Relu', ['nowhere'], ['y'], '/a/Relu')], inputs: [valueInfo('x', [1, 4])], outputs: [] });
    expect((await failure(dangling)).message).toMatch(/^onnx: node '\/a\/Relu' \(Relu\): reads 'nowhere', which no earlier node.* \(node at byte offset \d+\)$/);
    const conv = model({ nodes: [node('Conv', ['x', 'w'], ['y'], '/c/Conv')], inits: [tensor('w', [4, 5, 3, 3])], inputs: [valueInfo('x', [1, 3, 8, 8])], outputs: [] });
    expect((await failure(conv)).message).toMatch(/node '\/c\/Conv' \(Conv\): its weight 'w' has shape \[4, 5, 3, 3\] .* takes \[4, 3, 3, 3\] \(node at byte offset \d+\)/);
  });
  it('a control-flow node is a custom layer whose subgraph weights are counted and whose FLOPs are unknown', async () => {
    const body = [...lfield(2, 'then'), ...lfield(5, tensor('tw', [3, 4])), ...lfield(12, valueInfo('t', [1, 4]))];
    const m = model({
      nodes: [node('If', ['c'], ['y'], '/branch/If', [[...lfield(1, 'then_branch'), ...lfield(6, body), ...vfield(20, 5)]])],
      inputs: [valueInfo('c', [1])],
      outputs: [valueInfo('y', [1, 4])],
    });
    const report = analyze((await read(m)).file.graph!);
    const layer = report.layers[0]!;
    expect(layer.type).toBe('If');
    expect(layer.params).toBe(12);
    expect(layer.flops).toBeNull();
    expect(layer.outputShape).toEqual([1, 4]);
  });
  it('a file that is not ONNX', async () => {
    expect((await failure([...new TextEncoder().encode('{"config": 1}')])).message).toMatch(/^onnx: /);
    expect((await errorOfAsync(() => read([]))).message).toContain('has no graph');
  });
  it('a hostile count of values in one attribute is bounded', async () => {
    const ints = [...lfield(1, 'pads'), ...lfield(8, new Array<number>(70_000).fill(1))];
    const e = await failure(model({ nodes: [node('Conv', ['x', 'w'], ['y'], 'c', [ints])], inputs: [valueInfo('x', [1, 3, 8, 8])], outputs: [] }));
    expect(e.message).toContain('lists more than 65536 values');
  });
  it('parses without lowering, so a graph nncalc cannot analyse still gives its records', async () => {
    const m = await parseOnnx(memorySource(model({ nodes: [node('Relu', ['x'], ['y'])], inputs: [valueInfo('x', ['n', 4])], outputs: [], name: 'g' })));
    expect(m.graph!.inputs[0]).toEqual({ name: 'x', elemType: 1, shape: ['n', 4] });
    expect(m.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(intsAttr('a', [1]).length).toBeGreaterThan(0);
  });
});

describe('fast paths', () => {
  it('read every fixture to the same records as the general parsers', async () => {
    const dir = new URL('../../../test/fixtures/onnx/', import.meta.url);
    const names = readdirSync(dir).filter((f) => f.endsWith('.onnx'));
    expect(names.length).toBeGreaterThan(20);
    for (const f of names) {
      const bytes = readFileSync(new URL(f, dir));
      const fast = await parseOnnx(memorySource(bytes, f));
      const general = await parseOnnx(memorySource(bytes, f), { fast: false });
      expect({ f, model: fast }).toEqual({ f, model: general });
    }
  });
});
