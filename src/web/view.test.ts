import { describe, expect, test } from 'vitest';
import { sum } from '../int.js';
import { count } from '../render/format.js';
import { summarize } from '../summarize.js';
import { largest, MAX_BARS } from './figures.js';
import { DEFAULT_OPTIONS } from './protocol.js';
import { treeRows, reportView } from './view.js';

describe('the page\'s view of a report', () => {
  test('resnet50 as a tree: each module row sums exactly the layers under its path, and comes before them', () => {
    const report = summarize('resnet50');
    const rows = treeRows(report);
    expect(rows.filter((r) => !r.module).map((r) => r.name)).toEqual(report.layers.map((l) => l.name));
    for (const key of ['layer1', 'layer3', 'layer3.5', 'layer4.0.downsample']) {
      const row = rows.find((r) => r.module && r.key === key)!;
      const inside = report.layers.filter((l) => l.name.startsWith(`${key}.`));
      expect(row.params).toBe(count(sum(inside.map((l) => l.params ?? 0))));
      expect(row.macs).toBe(count(sum(inside.map((l) => l.macs ?? 0))));
      expect(row.layers).toBe(inside.length);
      expect(rows.indexOf(row)).toBeLessThan(rows.findIndex((r) => r.name === inside[0]!.name));
    }
    const conv = rows.find((r) => r.name === 'layer3.5.conv2')!;
    expect(conv).toMatchObject({ parent: 'layer3.5', level: 2, module: false });
    expect(rows.find((r) => r.key === 'layer3.5')).toMatchObject({ parent: 'layer3', level: 1, type: report.modules?.['layer3.5'] });
  });

  test('VGG-16: the block diagram\'s boxes, the spatial chain and the stages', () => {
    const v = reportView(summarize('vgg16'), DEFAULT_OPTIONS, { ms: 0 });
    expect(v.blocks!.map((b) => b.label)).toEqual([
      'input', 'conv3-64 ×2', 'maxpool', 'conv3-128 ×2', 'maxpool', 'conv3-256 ×3', 'maxpool', 'conv3-512 ×3', 'maxpool',
      'conv3-512 ×3', 'maxpool', 'flatten', 'FC-4096', 'FC-4096', 'FC-1000',
    ]);
    expect(v.blocks![11]).toMatchObject({ kind: 'vector', n: 25_088 }); // 512·7·7
    expect(v.chain.map((c) => c.h)).toEqual([224, 112, 56, 28, 14, 7]);
    expect(v.groups.title).toBe('stage');
    expect(v.groups.bars.map((b) => b.pText)).toEqual(['38,720', '221,440', '1,475,328', '5,899,776', '7,079,424', '102,764,544', '16,781,312', '4,097,000']);
    expect(v.graph).toBeUndefined();
    expect(v.markdown).toContain('| features.0 (Conv2d) |');
    expect(v.csv.split('\r\n')[1]).toMatch(/^features\.0,Conv2d,conv2d,conv3-64,1x64x224x224,1792,/);
  });

  test('a branched model gets a graph, and its copied table follows the chosen depth', () => {
    const v = reportView(summarize('resnet50'), { ...DEFAULT_OPTIONS, depth: 1 }, { ms: 0 });
    expect(v.blocks).toBeUndefined();
    expect(v.graph!.layers).toHaveLength(summarize('resnet50').layers.length);
    expect(v.csv.split('\r\n').slice(1, 6).map((l) => l.split(',')[0])).toEqual(['conv1', 'bn1', 'relu', 'maxpool', 'layer1']);
  });

  test('a chart keeps the largest bars in model order', () => {
    const v = reportView(summarize('densenet121'), DEFAULT_OPTIONS, { ms: 0 });
    expect(v.byLayerOf).toBeGreaterThan(MAX_BARS);
    expect(v.byLayer).toHaveLength(MAX_BARS);
    expect(v.groups.bars.map((b) => b.label)).toContain('features.denseblock3'); // a stage, or a module at depth 2
    const bars = [10, 1, 50, 2, 40].map((p, i) => ({ label: `l${i}`, detail: '', p, m: 0, pText: '', mText: '' }));
    expect(largest(bars, 3).map((b) => b.label)).toEqual(['l0', 'l2', 'l4']);
  });
});
