/**
 * Invariants over the whole zoo: row sums equal totals, collapsing keeps totals, the Keras convention moves
 * exactly the buffers into non-trainable parameters, graphs survive a JSON round trip, and every entry's
 * published figure (where its source publishes one) is met.
 */
import { describe, expect, test } from 'vitest';
import { plus, sum, type Int } from '../src/int.js';
import { analyze } from '../src/analyze/index.js';
import { collapse } from '../src/analyze/collapse.js';
import { build } from '../src/describe/build.js';
import { summarize } from '../src/summarize.js';
import { FAMILIES, familyOf, zoo } from '../src/zoo/index.js';

const names = zoo.map((e) => e.name);

describe.each(names)('%s', (name) => {
  const entry = zoo.find((e) => e.name === name)!;
  const graph = build(entry.spec());
  const r = analyze(graph);

  test('layer rows add up to the totals', () => {
    const total = (f: (l: (typeof r.layers)[number]) => Int | null) => sum(r.layers.map((l) => f(l) ?? 0));
    expect(total((l) => l.params)).toBe(r.totals.params);
    expect(total((l) => l.macs)).toBe(r.totals.macs);
    expect(total((l) => l.buffers)).toBe(r.totals.buffers);
    expect(plus(r.totals.trainable, r.totals.nonTrainable)).toBe(r.totals.params);
  });

  test('collapsing to any depth keeps the totals', () => {
    for (const depth of [1, 2, 3]) {
      const c = collapse(r, depth);
      expect(c.layers.reduce((s, l) => s + Number(l.params ?? 0), 0)).toBe(Number(r.totals.params));
      expect(c.layers.reduce((s, l) => s + Number(l.macs ?? 0), 0)).toBe(Number(r.totals.macs));
    }
  });

  test('the Keras convention counts the buffers as non-trainable parameters', () => {
    const k = analyze(graph, { convention: 'keras' }).totals;
    expect(k.params).toBe(Number(r.totals.params) + Number(r.totals.buffers));
    expect(k.nonTrainable).toBe(Number(r.totals.nonTrainable) + Number(r.totals.buffers));
    expect(k.trainable).toBe(r.totals.trainable);
    expect(k.buffers).toBe(0);
  });

  test('the graph is plain data: a JSON round trip analyses the same', () => {
    const again = analyze(JSON.parse(JSON.stringify(graph)));
    expect(again.totals).toEqual(r.totals);
  });

  test.runIf(entry.published !== undefined)('meets its published parameter count', () => {
    // LeNet-5 (1998) publishes its trainable count; the fixed RBF centres come on top. Keras's models publish
    // model.summary()'s total, in Keras's convention.
    const totals = entry.convention === 'keras' ? analyze(graph, { convention: 'keras' }).totals : r.totals;
    const counted = name === 'lenet5-1998' ? totals.trainable : totals.params;
    expect(counted).toBe(entry.published);
  });

  test('every layer is counted: no unknown ops in the zoo', () => {
    expect(r.totals.unknown).toBe(0);
    expect(r.diagnostics).toEqual([]);
  });
});

test('zoo names are unique without case, and lower-case but for the Keras class after keras:', () => {
  expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  for (const n of names) expect(n.startsWith('keras:') ? n.slice(0, 6) : n).toBe((n.startsWith('keras:') ? n.slice(0, 6) : n).toLowerCase());
});

test('every entry belongs to a family; Keras’s count in Keras’s convention, the others in PyTorch’s', () => {
  const families = Object.fromEntries(FAMILIES.map((f) => [f, zoo.filter((e) => familyOf(e) === f).length]));
  expect(Object.values(families).reduce((a, b) => a + b, 0)).toBe(zoo.length);
  for (const e of zoo) expect(e.convention ?? 'pytorch').toBe(familyOf(e) === 'keras' ? 'keras' : 'pytorch');
  expect(familyOf(zoo.find((e) => e.name === 'vgg16')!)).toBe('torchvision');
  expect(familyOf(zoo.find((e) => e.name === 'vgg-d')!)).toBe('papers');
  expect(familyOf(zoo.find((e) => e.name === 'gpt2')!)).toBe('hf');
  expect(familyOf(zoo.find((e) => e.name === 'keras:ResNet50')!)).toBe('keras');
  // A new entry takes its family from its source.
  const spec = () => ({ name: 'x', layers: [] });
  expect(familyOf({ name: 'x', title: 'x', source: 'torchvision.models.detection.ssd300_vgg16', spec })).toBe('torchvision');
  expect(familyOf({ name: 'x', title: 'x', source: 'huggingface.co/facebook/opt-125m config.json', spec })).toBe('hf');
  expect(familyOf({ name: 'x', title: 'x', source: 'He et al. 2016', spec })).toBe('papers');
});

test('summarize finds every entry by name', () => {
  expect(summarize('VGG-16').model.name).toBe('vgg16');
  expect(summarize('keras:resnet50').model.name).toBe('keras:ResNet50');
});
