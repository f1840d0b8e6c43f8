/**
 * @module
 * Keras's VGG16 and VGG19 (keras.applications.vgg16/vgg19): configurations D and E of Simonyan & Zisserman 2015,
 * Table 1, with 3×3 'same' convs named block<b>_conv<i>, 2×2 max pools block<b>_pool, then flatten, fc1, fc2 and
 * predictions. The counts equal torchvision's vgg16/vgg19: the same layers, no BatchNorm.
 */
import type { LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { conv, dense, kerasEntry, kerasSpec, pool } from './common.js';
import { op } from '../../describe/spec.js';

/** Convs per block, and the block widths 64, 128, 256, 512, 512. */
const WIDTHS = [64, 128, 256, 512, 512] as const;

function vgg(convs: readonly number[]): LayerSpec[] {
  const layers: LayerSpec[] = [];
  convs.forEach((n, b) => {
    for (let i = 1; i <= n; i++) layers.push(...conv(`block${b + 1}_conv${i}`, WIDTHS[b]!, 3, { padding: 'same', activation: 'relu' }));
    layers.push(pool('max', `block${b + 1}_pool`, 2, 2));
  });
  return [...layers, op('flatten', {}, { name: 'flatten' }), ...dense('fc1', 4096, 'relu'), ...dense('fc2', 4096, 'relu'), ...dense('predictions', 1000, 'softmax')];
}

export const kerasVggs: readonly ZooEntry[] = [
  // Keras's VGG16 documentation and model.summary(): Total params: 138,357,544; VGG19: 143,667,240.
  kerasEntry('VGG16', 'Keras VGG16: 13 convs in five blocks, fc1, fc2, predictions', () => kerasSpec('VGG16', 224, vgg([2, 2, 3, 3, 3])), 138_357_544),
  kerasEntry('VGG19', 'Keras VGG19: 16 convs in five blocks, fc1, fc2, predictions', () => kerasSpec('VGG19', 224, vgg([2, 2, 4, 4, 4])), 143_667_240),
];
