/**
 * @module
 * Keras's Xception (keras.applications.xception; Chollet, "Xception: Deep Learning with Depthwise Separable
 * Convolutions", CVPR 2017) on 299×299: the entry flow (two 'valid' convs, then three blocks of separable convs
 * with a strided 1×1 conv shortcut), the middle flow (eight blocks of three separable 728 convs around an identity)
 * and the exit flow, under Keras's names (block1_conv1, block5_sepconv2, block14_sepconv2_act). The shortcut convs
 * and their BatchNormalizations are unnamed in Keras and take its automatic names (conv2d, batch_normalization, …),
 * as do the adds. No conv has a bias; BatchNormalization has Keras's defaults.
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, autoNames, bn, classifierTop, conv, kerasEntry, kerasSpec, pool } from './common.js';

/** SeparableConv2D(filters, 3, padding='same', use_bias=False) and its BatchNormalization. */
const sep = (name: string, filters: number): LayerSpec[] => [op('separable_conv2d', { out: filters, kernel: 3, padding: 'same', bias: false }, { name }), bn(`${name}_bn`)];

function xception(): LayerSpec[] {
  const auto = autoNames();
  /** A downsampling block: [act] sep, act, sep, 3×3/2 max pool, plus a strided 1×1 conv of the block's input. */
  const down = (b: number, first: number, second: number, leadingAct: boolean): LayerSpec => {
    const main = [
      ...(leadingAct ? [act(`block${b}_sepconv1_act`, 'relu')] : []),
      ...sep(`block${b}_sepconv1`, first),
      act(`block${b}_sepconv2_act`, 'relu'),
      ...sep(`block${b}_sepconv2`, second),
      pool('max', `block${b}_pool`, 3, 2, 'same'),
    ];
    const shortcut = [...conv(auto('conv2d'), second, 1, { stride: 2, padding: 'same', bias: false }), bn(auto('batch_normalization'))];
    return parallel([main, shortcut], op('add', {}, { name: auto('add') }));
  };
  const middle = (b: number): LayerSpec =>
    parallel([[1, 2, 3].flatMap((k) => [act(`block${b}_sepconv${k}_act`, 'relu'), ...sep(`block${b}_sepconv${k}`, 728)]), []], op('add', {}, { name: auto('add') }));
  return [
    ...conv('block1_conv1', 32, 3, { stride: 2, bias: false }), bn('block1_conv1_bn'), act('block1_conv1_act', 'relu'),
    ...conv('block1_conv2', 64, 3, { bias: false }), bn('block1_conv2_bn'), act('block1_conv2_act', 'relu'),
    down(2, 128, 128, false),
    down(3, 256, 256, true),
    down(4, 728, 728, true),
    ...Array.from({ length: 8 }, (_, i) => middle(i + 5)),
    down(13, 728, 1024, true),
    ...sep('block14_sepconv1', 1536), act('block14_sepconv1_act', 'relu'),
    ...sep('block14_sepconv2', 2048), act('block14_sepconv2_act', 'relu'),
    ...classifierTop(),
  ];
}

export const kerasXceptions: readonly ZooEntry[] = [
  // Keras's model.summary(): Total params 22,910,480 (trainable 22,855,952); keras.io's table: 22.9M.
  kerasEntry('Xception', 'Keras Xception: entry, middle (8 blocks) and exit flows of separable convs, 299×299', () => kerasSpec('Xception', 299, xception()), 22_910_480),
];
