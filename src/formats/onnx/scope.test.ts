/** Module paths from ONNX node names, as PyTorch's exporter writes them. */
import { describe, expect, test } from 'vitest';
import { layerIds, scopeOf, scopes } from './scope.js';

const cases: [string, string[], string][] = [
  // 'layer1.0' inside 'layer1' is its child '0'.
  ['/layer1/layer1.0/conv1/Conv', ['layer1', '0', 'conv1'], 'Conv'],
  ['/encoder/layers/encoder_layer_0/self_attention/MatMul_1', ['encoder', 'layers', 'encoder_layer_0', 'self_attention'], 'MatMul_1'],
  ['model/conv2d/Conv2D', ['model', 'conv2d'], 'Conv2D'],
  ['Conv_12', [], 'Conv_12'],
  ['', [], 'Relu'],
  ['a//b/', ['a'], 'b'],
  ['/features/features.0/', ['features'], 'features.0'],
];

describe('scopeOf', () => {
  test.each(cases)('%s', (name, path, local) => {
    expect(scopeOf(name, 'Relu')).toEqual({ path, local });
    expect(scopes()(name, 'Relu')).toEqual({ path, local });
  });
  test('the nodes of one module share its path', () => {
    const of = scopes();
    const a = of('/layers/layers.7/conv1/Conv', 'Conv');
    const b = of('/layers/layers.7/conv1/Relu', 'Relu');
    expect(a.path).toBe(b.path);
    expect(layerIds([a, b], new Set())).toEqual(['layers.7.conv1.Conv', 'layers.7.conv1.Relu']);
  });
});
