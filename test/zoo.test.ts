/**
 * Invariants over the whole zoo: row sums equal totals, collapsing keeps totals, the Keras convention moves
 * exactly the buffers into non-trainable parameters, graphs survive a JSON round trip, and every entry's
 * published figure (where its source publishes one) is met.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../src/analyze/index.js';
import { collapse } from '../src/analyze/collapse.js';
import { build } from '../src/describe/build.js';
import { summarize } from '../src/summarize.js';
import { zoo } from '../src/zoo/index.js';

const names = zoo.map((e) => e.name);

describe.each(names)('%s', (name) => {
  const entry = zoo.find((e) => e.name === name)!;
  const graph = build(entry.spec());
  const r = analyze(graph);

  test('layer rows add up to the totals', () => {
    const sum = (f: (l: (typeof r.layers)[number]) => number | null) => r.layers.reduce((s, l) => s + (f(l) ?? 0), 0);
    expect(sum((l) => l.params)).toBe(r.totals.params);
    expect(sum((l) => l.macs)).toBe(r.totals.macs);
    expect(sum((l) => l.buffers)).toBe(r.totals.buffers);
    expect(r.totals.trainable + r.totals.nonTrainable).toBe(r.totals.params);
  });

  test('collapsing to any depth keeps the totals (a module holding an unknown layer is unknown)', () => {
    for (const depth of [1, 2, 3]) {
      const c = collapse(r, depth);
      expect(c.layers.reduce((s, l) => s + (l.params ?? 0), 0)).toBe(r.totals.params);
      const macs = c.layers.reduce((s, l) => s + (l.macs ?? 0), 0);
      if (r.totals.unknown === 0) expect(macs).toBe(r.totals.macs);
      else expect(macs).toBeLessThanOrEqual(r.totals.macs);
    }
  });

  test('the Keras convention counts the buffers as non-trainable parameters', () => {
    const k = analyze(graph, { convention: 'keras' }).totals;
    expect(k.params).toBe(r.totals.params + r.totals.buffers);
    expect(k.nonTrainable).toBe(r.totals.nonTrainable + r.totals.buffers);
    expect(k.trainable).toBe(r.totals.trainable);
    expect(k.buffers).toBe(0);
  });

  test('the graph is plain data: a JSON round trip analyses the same', () => {
    const again = analyze(JSON.parse(JSON.stringify(graph)));
    expect(again.totals).toEqual(r.totals);
  });

  test.runIf(entry.published !== undefined)('meets its published parameter count', () => {
    // LeNet-5 (1998) publishes its trainable count; the fixed RBF centres come on top.
    const counted = name === 'lenet5-1998' ? r.totals.trainable : r.totals.params;
    expect(counted).toBe(entry.published);
  });

  test('every layer is counted, but for data-dependent post-processing, which says why', () => {
    // A detector's box decoding and non-maximum suppression depend on the image: unknown, never zero.
    const unknown = r.layers.filter((l) => l.params === null || l.macs === null || l.flops === null);
    for (const l of unknown) {
      expect(l.op).toBe('box_filter');
      expect([l.params, l.macs, l.flops]).toEqual([0, null, null]);
      expect(l.note).toMatch(/depend on the image/);
    }
    expect(r.totals.unknown).toBe(unknown.length);
    expect(r.diagnostics).toEqual([]);
  });
});

test('zoo names are unique and lower-case', () => {
  expect(new Set(names).size).toBe(names.length);
  for (const n of names) expect(n).toBe(n.toLowerCase());
});

test('summarize finds every entry by name', () => {
  expect(summarize('VGG-16').model.name).toBe('vgg16');
});
