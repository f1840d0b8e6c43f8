/** Module paths from ONNX node names, as PyTorch's exporter writes them. */
import { describe, expect, test } from 'vitest';
import { layerIds, scopeOf } from './scope.js';

const cases: [string, string[], string][] = [
  // 'layer1.0' inside 'layer1' is its child '0'.
  ['/layer1/layer1.0/conv1/Conv', ['layer1', '0', 'conv1'], 'Conv'],
  ['/encoder/layers/encoder_layer_0/self_attention/MatMul_1', ['encoder', 'layers', 'encoder_layer_0', 'self_attention'], 'MatMul_1'],
  ['model/conv2d/Conv2D', ['model', 'conv2d'], 'Conv2D'],
  ['Conv_12', [], 'Conv_12'],
  ['', [], 'Relu'],
  ['a//b/', ['a'], 'b'],
  ['/features/features.0/', ['features'], 'features.0'],
  // 'layer1.' inside 'layer1' names nothing; 'layer1..2' inside 'layer1.' is its child '2'.
  ['/layer1/layer1./layer1..2/Conv', ['layer1', '2'], 'Conv'],
];

describe('scopeOf', () => {
  test.each(cases)('%s', (name, path, local) => {
    expect(scopeOf(name, 'Relu')).toEqual({ path, local });
  });
  test('layer ids: a module with one layer names it, other layers are named inside their module', () => {
    const a = scopeOf('/layers/layers.7/conv1/Conv', 'Conv');
    const b = scopeOf('/layers/layers.7/Add', 'Add');
    const c = scopeOf('/layers/layers.7/Relu', 'Relu');
    expect(layerIds([a, b, c], new Set())).toEqual(['layers.7.conv1', 'layers.7.Add', 'layers.7.Relu']);
  });
});
