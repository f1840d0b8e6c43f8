import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { build } from '../describe/build.js';
import { op, type OpSpec } from '../describe/spec.js';
import type { Shape } from '../types.js';

const one = (layer: OpSpec, input: Shape) => analyze(build({ name: 't', input, layers: [layer] })).layers[0]!;

/** LeNet-5's Table I (LeCun et al. 1998), per C3 map: the S2 maps it sees. */
const tableI = [
  [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 0], [5, 0, 1],
  [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 0], [4, 5, 0, 1], [5, 0, 1, 2],
  [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];
const c3 = (table: number[][] = tableI) =>
  op('table_conv2d', { out: table.length, kernel: 5, fan_in: table.map((m) => m.length), connections: table.flat() }, { name: 'C3' });

describe('table_conv2d', () => {
  test("LeNet-5's C3: 1,516 parameters, MACs over the existing connections only", () => {
    const l = one(c3(), [1, 6, 14, 14]);
    // 14 − 5 + 1 = 10.
    expect(l.outputShape).toEqual([1, 16, 10, 10]);
    // Σfan_in = 6·3 + 9·4 + 1·6 = 18 + 36 + 6 = 60 kernels of 5·5 = 1,500 weights, plus 16 biases = 1,516 (the paper's figure).
    expect(l.weights.map((w) => [w.name, w.shape, w.count])).toEqual([
      ['weight', [60, 5, 5], 1500],
      ['bias', [16], 16],
    ]);
    expect(l.params).toBe(1516);
    expect(l.trainable).toBe(1516);
    expect(l.weights[0]!.formula).toMatchObject({ formula: 'k·k·Σfan_in', terms: '5·5·(6·3 + 9·4 + 1·6)' });
    // 10·10 positions · 5·5 · 60 connections = 150,000; a full 6→16 conv would need 10·10·5·5·6·16 = 240,000.
    expect(l.macs).toBe(150_000);
    // 2·150,000 + one bias add per output (16·10·10 = 1,600) = 301,600. MACs + bias adds = 151,600, the paper's connection count.
    expect(l.flops).toBe(301_600);
    expect(Number(l.macs!) + 1600).toBe(151_600);
  });

  test('a full table is an ordinary convolution', () => {
    const full = [[0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 2]];
    const t = one(op('table_conv2d', { out: 4, kernel: 3, fan_in: 3, connections: full.flat() }), [1, 3, 8, 8]);
    const c = one(op('conv2d', { out: 4, kernel: 3 }), [1, 3, 8, 8]);
    // 3·3·3·4 + 4 = 112 parameters; 6·6 positions · 3·3 · 12 connections = 3,888 MACs.
    expect([t.params, t.macs, t.outputShape]).toEqual([112, 3888, [1, 4, 6, 6]]);
    expect([c.params, c.macs, c.flops, c.outputShape]).toEqual([t.params, t.macs, t.flops, t.outputShape]);
  });

  test('a block-diagonal table is a grouped convolution', () => {
    const t = one(op('table_conv2d', { out: 4, kernel: 3, padding: 1, fan_in: 2, connections: [0, 1, 0, 1, 2, 3, 2, 3] }), [1, 4, 6, 6]);
    const g = one(op('conv2d', { out: 4, kernel: 3, padding: 1, groups: 2 }), [1, 4, 6, 6]);
    // 3·3·2·4 + 4 = 76 parameters; 6·6 positions · 3·3 · 8 connections = 2,592 MACs.
    expect([t.params, t.macs]).toEqual([76, 2592]);
    expect([g.params, g.macs, g.outputShape]).toEqual([t.params, t.macs, t.outputShape]);
  });

  test('stride and padding follow the convolution rule', () => {
    // ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4.
    const l = one(op('table_conv2d', { out: 2, kernel: 3, stride: 2, padding: 1, fan_in: [1, 2], connections: [0, 0, 1] }), [1, 2, 7, 7]);
    expect(l.outputShape).toEqual([1, 2, 4, 4]);
    // 4·4 positions · 3·3 · (1 + 2) connections = 432.
    expect(l.macs).toBe(432);
    expect(l.label).toBe('conv3-2 table');
  });

  test('bias: false drops the per-map bias', () => {
    const l = one(op('table_conv2d', { out: 2, kernel: 3, fan_in: 1, connections: [0, 1], bias: false }), [1, 2, 5, 5]);
    // 3·3·2 = 18 weights; no bias adds, so FLOPs are 2·MACs = 2·(3·3 positions · 3·3 · 2) = 324.
    expect([l.params, l.flops]).toEqual([18, 324]);
  });

  test('an input map the input does not have is an error naming the layer, the output map and the index', () => {
    const bad = tableI.map((m) => [...m]);
    bad[5]![2] = 6; // C3 map 5 sees S2 maps 5, 0, 1: the third entry, at flat position 3·5 + 2 = 17.
    const e = errorOf(() => one(c3(bad), [1, 6, 14, 14]));
    expect(e.layer).toBe('C3');
    expect(e.code).toBe('shape');
    expect(e.message).toContain("layer 'C3'");
    expect(e.message).toContain('output map 5 reads input map 6');
    expect(e.message).toContain('connections[17]=6');
  });

  test('malformed tables are spec errors', () => {
    const err = (attrs: Record<string, unknown>) => errorOf(() => one(op('table_conv2d', { out: 2, kernel: 3, ...attrs }, { name: 'c' }), [1, 4, 8, 8]));
    const twice = err({ fan_in: [2, 2], connections: [0, 1, 3, 3] });
    expect([twice.code, twice.layer]).toEqual(['spec', 'c']);
    expect(twice.message).toContain('output map 1 lists input map 3 twice');
    expect(err({ fan_in: [2], connections: [0, 1] }).message).toContain("'fan_in' must be an integer ≥ 1 or a list of 2 of them");
    expect(err({ fan_in: [2, 1], connections: [0, 1] }).message).toContain("'connections' must be an integer ≥ 0 or a list of 3 of them");
    expect(err({ fan_in: [1, 1], connections: [0, -1] }).code).toBe('spec');
    expect(err({ connections: [0, 1] }).message).toContain("'fan_in' is required");
  });
});
