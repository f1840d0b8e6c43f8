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
import { FAMILIES, familyOf, findModel, getModel, zoo } from '../src/zoo/index.js';

const names = zoo.map((e) => e.name);

describe.each(names)('%s', (name) => {
  const entry = zoo.find((e) => e.name === name)!;
  const graph = build(entry.spec());
  const r = analyze(graph);

  test('layer rows add up to the totals', () => {
    const total = (f: (l: (typeof r.layers)[number]) => Int | null, only = (_: (typeof r.layers)[number]) => true) => sum(r.layers.filter(only).map((l) => f(l) ?? 0));
    expect(total((l) => l.params)).toBe(r.totals.params);
    // Training-only layers (auxiliary heads) are apart from the inference MACs.
    expect(total((l) => l.macs, (l) => !l.training)).toBe(r.totals.macs);
    expect(total((l) => l.macs, (l) => !!l.training)).toBe(r.totals.training?.macs ?? 0);
    expect(total((l) => l.buffers)).toBe(r.totals.buffers);
    expect(plus(r.totals.trainable, r.totals.nonTrainable)).toBe(r.totals.params);
  });

  test('collapsing to any depth keeps the totals (a module holding an unknown layer is unknown)', () => {
    for (const depth of [1, 2, 3]) {
      const c = collapse(r, depth);
      expect(c.layers.reduce((s, l) => s + Number(l.params ?? 0), 0)).toBe(Number(r.totals.params));
      const macs = c.layers.reduce((s, l) => s + Number(l.macs ?? 0), 0);
      const all = Number(r.totals.macs) + Number(r.totals.training?.macs ?? 0);
      if (r.totals.unknown === 0) expect(macs).toBe(all);
      else expect(macs).toBeLessThanOrEqual(all);
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

test('a loose spelling of two names finds neither, and says which they are', () => {
  // Without separators regnet_x_32gf and regnet_x_3_2gf are both 'regnetx32gf'.
  expect(findModel('regnet_x_32gf')?.name).toBe('regnet_x_32gf');
  expect(findModel('RegNet_X_3_2GF')?.name).toBe('regnet_x_3_2gf');
  expect(findModel('regnet-x-32gf')).toBeUndefined();
  expect(() => getModel('regnet-x-32gf')).toThrow(/could be any of regnet_x_3_2gf, regnet_x_32gf; write the name exactly/);
});

test('summarize finds every entry by name', () => {
  expect(summarize('VGG-16').model.name).toBe('vgg16');
  expect(summarize('keras:resnet50').model.name).toBe('keras:ResNet50');
});
