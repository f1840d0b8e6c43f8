/** Layers that share what their op's rules give: the memo key, and that sharing changes no figure. */
import { describe, expect, test } from 'vitest';
import type { Graph, Node } from '../types.js';
import { analyze } from './index.js';
import { signature } from './layer.js';

const conv = (id: string, input: string, extra: Record<string, unknown> = {}): Node => ({ id, op: 'conv2d', attrs: { out: 16, kernel: 3, padding: 1, ...extra }, inputs: [input], scope: [] });

describe('signature', () => {
  test('keeps apart what JSON would merge, and what differs only in shape', () => {
    const node = (attrs: Record<string, unknown>): Node => ({ id: 'n', op: 'batchnorm', attrs, inputs: ['x'], scope: [] });
    expect(signature(node({ eps: null }), [[1, 4]])).toBeDefined();
    // NaN and Infinity are written as null by JSON: such layers are never shared.
    expect(signature(node({ eps: Number.NaN }), [[1, 4]])).toBeUndefined();
    expect(signature(node({ eps: Infinity }), [[1, 4]])).toBeUndefined();
    expect(signature(node({ eps: [1, Number.NaN] }), [[1, 4]])).toBeUndefined();
    expect(signature(node({ eps: { a: 1 } }), [[1, 4]])).toBeUndefined();
    // JSON writes undefined and holes in a list as null.
    expect(signature(node({ eps: [undefined, 1] }), [[1, 4]])).toBeUndefined();
    expect(signature(node({ eps: [, 1] }), [[1, 4]])).toBeUndefined();
    expect(signature(node({ eps: undefined }), [[1, 4]])).toBe(signature(node({}), [[1, 4]]));
    expect(signature(node({}), [[1, 23]])).not.toBe(signature(node({}), [[12, 3]]));
    expect(signature(node({}), [[1, 2], [3]])).not.toBe(signature(node({}), [[1], [2, 3]]));
    expect(signature(node({}), [[]])).not.toBe(signature(node({}), []));
    expect(signature(node({ a: 'x;b=1' }), [[1]])).not.toBe(signature(node({ a: 'x', b: 1 }), [[1]]));
  });
});

describe('layers with one signature', () => {
  test('share their rules and keep their own names, inputs and ties', () => {
    const graph: Graph = {
      name: 'chain',
      inputs: [{ id: 'x', shape: [1, 16, 8, 8] }],
      nodes: [
        conv('a', 'x'),
        conv('b', 'a'),
        { ...conv('c', 'b'), tied: { weight: 'a.weight' } },
        conv('c2', 'c'),
        conv('d', 'c2', { stride: 2 }),
        conv('e', 'd'),
      ],
      outputs: ['e'],
    };
    const r = analyze(graph);
    // Each conv: (3·3·16 + 1)·16 = 2,320 parameters; at 8×8, 16·16·9 MACs per position × 64 positions = 147,456.
    const [a, b, c, c2, d, e] = r.layers;
    for (const l of [a!, b!]) expect([l.params, l.macs, l.outputShape]).toEqual([2_320, 147_456, [1, 16, 8, 8]]);
    expect(b!.inputs).toEqual(['a']);
    // c shares a's weight: only its 16 biases count.
    expect([c!.params, c!.tied, c!.weights[0]!.tiedTo]).toEqual([16, 2_304, 'a.weight']);
    expect(a!.weights[0]!.tiedTo).toBeUndefined();
    // c2 has c's signature but ties nothing: all 2,320 of its own.
    expect([c2!.params, c2!.tied, c2!.weights[0]!.tiedTo, c2!.note]).toEqual([2_320, 0, undefined, undefined]);
    expect(c!.note).toBe('shares weight with a.weight (counted once)');
    // Stride 2 halves 8 → 4: 16·16·9·16 = 36,864 MACs; e reads [1, 16, 4, 4], a new signature.
    expect([d!.macs, d!.outputShape]).toEqual([36_864, [1, 16, 4, 4]]);
    expect([e!.macs, e!.outputShape]).toEqual([36_864, [1, 16, 4, 4]]);
    expect(r.totals.params).toBe(5 * 2_320 + 16);
    expect(a!.formulas.macs?.value).toBe(147_456);
    expect(e!.formulas.macs?.value).toBe(36_864);
  });
});
