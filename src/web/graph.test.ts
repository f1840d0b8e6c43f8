import { describe, expect, test } from 'vitest';
import { summarize } from '../summarize.js';
import { depths, graphAt, MAX_NODES } from './graph.js';
import { DEFAULT_OPTIONS } from './protocol.js';
import { reportView } from './view.js';

const graphOf = (name: string) => reportView(summarize(name), DEFAULT_OPTIONS, { ms: 0 }).graph!;

describe('the graph of a branched model', () => {
  test('every layer a box, every input an arrow, the model input a box of its own', () => {
    const g = graphOf('resnet50');
    const { nodes, edges } = graphAt(g, 0);
    expect(nodes).toHaveLength(g.layers.length + 1);
    expect(nodes.find((n) => n.input)!.id).toBe('input');
    // A bottleneck with a downsample: the sum reads the block's last BatchNorm and the shortcut.
    const add = g.layers.find((l) => l.name.startsWith('layer1.0.') && l.inputs.length === 2)!;
    expect(edges.filter(([, to]) => to === add.name).map(([from]) => from).sort()).toEqual(['layer1.0.bn3', 'layer1.0.downsample.1']);
  });

  test('at a depth, a module is one box and the arrows run between modules', () => {
    const { nodes, edges } = graphAt(graphOf('resnet50'), 1);
    expect(nodes.map((n) => n.id)).toEqual(['input', 'conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'flatten', 'fc']);
    expect(nodes.find((n) => n.id === 'layer2')!.detail).toMatch(/^Sequential · \d+ layers · \[1, 512, 28, 28\]$/);
    expect(edges).toContainEqual(['layer1', 'layer2']);
    expect(edges.some(([a, b]) => a === b)).toBe(false);
  });

  test('a large model starts at the finest depth with few enough boxes, or says it does not fit', () => {
    const g = graphOf('densenet121');
    const { initial, fits } = depths(g);
    expect(g.layers.length).toBeGreaterThan(MAX_NODES);
    expect(fits).toBe(true);
    expect(initial).toBeGreaterThan(0);
    expect(graphAt(g, initial).nodes.length).toBeLessThanOrEqual(MAX_NODES);
    expect(graphAt(g, initial + 1 > depths(g).max ? 0 : initial + 1).nodes.length).toBeGreaterThan(MAX_NODES);
    expect(depths(graphOf('resnet50'))).toMatchObject({ initial: 0, fits: true });
    expect(depths(graphOf('keras:NASNetLarge')).fits).toBe(false); // a thousand layers and no modules
  });
});
