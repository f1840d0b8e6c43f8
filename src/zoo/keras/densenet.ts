/**
 * @module
 * Keras's DenseNet121/169/201 (keras.applications.densenet; Huang et al., "Densely Connected Convolutional
 * Networks", CVPR 2017): the architecture torchvision builds too (convs without biases, growth rate 32, 1×1
 * bottlenecks of 4·32 channels, transitions halving the channels), under Keras's names (conv1/conv,
 * conv2_block1_1_conv, pool2_conv, bn). BatchNormalization has epsilon 1.001e-5.
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, bn, classifierTop, conv, kerasEntry, kerasSpec, pool, zeroPad } from './common.js';

const EPS = 1.001e-5;
const GROWTH = 32;

/** conv_block: BN, ReLU, 1×1 conv to 4·32, BN, ReLU, 3×3 conv to 32, concatenated to the block's input. */
function convBlock(name: string): LayerSpec {
  const body = [
    bn(`${name}_0_bn`, EPS), act(`${name}_0_relu`, 'relu'),
    ...conv(`${name}_1_conv`, 4 * GROWTH, 1, { bias: false }), bn(`${name}_1_bn`, EPS), act(`${name}_1_relu`, 'relu'),
    ...conv(`${name}_2_conv`, GROWTH, 3, { padding: 'same', bias: false }),
  ];
  return parallel([[], body], op('concat', {}, { name: `${name}_concat` }));
}

function densenet(blocks: readonly [number, number, number, number]): LayerSpec[] {
  const layers: LayerSpec[] = [
    zeroPad('zero_padding2d', 3),
    ...conv('conv1/conv', 64, 7, { stride: 2, bias: false }), bn('conv1/bn', EPS), act('conv1/relu', 'relu'),
    zeroPad('zero_padding2d_1', 1),
    pool('max', 'pool1', 3, 2),
  ];
  let channels = 64;
  blocks.forEach((n, i) => {
    for (let b = 1; b <= n; b++) layers.push(convBlock(`conv${i + 2}_block${b}`));
    channels += n * GROWTH;
    if (i < 3) {
      // transition_block(x, 0.5): int(C·0.5) output channels, then a 2×2 average pool.
      const name = `pool${i + 2}`;
      channels = Math.floor(channels * 0.5);
      layers.push(bn(`${name}_bn`, EPS), act(`${name}_relu`, 'relu'), ...conv(`${name}_conv`, channels, 1, { bias: false }), pool('avg', `${name}_pool`, 2, 2));
    }
  });
  return [...layers, bn('bn', EPS), act('relu', 'relu'), ...classifierTop()];
}

const entry = (depth: number, blocks: readonly [number, number, number, number], published: number): ZooEntry =>
  kerasEntry(`DenseNet${depth}`, `Keras DenseNet${depth}: dense blocks [${blocks.join(', ')}], growth rate 32`, () => kerasSpec(`DenseNet${depth}`, 224, densenet(blocks)), published);

/** Totals of Keras's model.summary(), which keras.io's table rounds to 8.1M, 14.3M and 20.2M. */
export const kerasDensenets: readonly ZooEntry[] = [
  entry(121, [6, 12, 24, 16], 8_062_504),
  entry(169, [6, 12, 32, 32], 14_307_880),
  entry(201, [6, 12, 48, 32], 20_242_984),
];
