/**
 * @module
 * Keras's InceptionV3 (keras.applications.inception_v3; Szegedy et al., CVPR 2016) and InceptionResNetV2
 * (inception_resnet_v2; Szegedy et al., AAAI 2017), on 299×299, without auxiliary heads.
 *
 * Both build every conv as `conv2d_bn`: a conv without bias, BatchNormalization(scale=False) (β only, no γ) and a
 * ReLU. InceptionV3 names none of them, so they take Keras's automatic names (conv2d, batch_normalization,
 * activation, …); the joins are mixed0 … mixed10. InceptionResNetV2 names its residual blocks (block35_1_mixed,
 * block35_1_conv: a 1×1 conv with a bias and no BatchNormalization, block35_1_ac); the block itself, x + scale·up, is
 * the merge named block35_1, and its scaling is the row block35_1_scale.
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, autoNames, bn, classifierTop, conv, kerasEntry, kerasSpec, pool } from './common.js';

type Kernel = number | readonly [number, number];
type Auto = (base: string) => string;

/** conv2d_bn: conv (no bias), BatchNormalization(scale=False), ReLU; named name, name_bn, name_ac (InceptionResNetV2's) or automatically. */
function convBn(auto: Auto, filters: number, kernel: Kernel, o: { stride?: number; padding?: 'same' | 'valid'; name?: string } = {}): LayerSpec[] {
  const n = o.name;
  return [
    ...conv(n ?? auto('conv2d'), filters, kernel, { stride: o.stride ?? 1, padding: o.padding ?? 'same', bias: false }),
    bn(n ? `${n}_bn` : auto('batch_normalization'), 1e-3, { scale: false }),
    act(n ? `${n}_ac` : auto('activation'), 'relu'),
  ];
}

const concat = (name: string) => op('concat', {}, { name });

function inceptionV3(): LayerSpec[] {
  const auto = autoNames();
  const c = (filters: number, kernel: Kernel, stride = 1, padding: 'same' | 'valid' = 'same') => convBn(auto, filters, kernel, { stride, padding });
  const avg = () => [pool('avg', auto('average_pooling2d'), 3, 1, 'same')];
  const max = () => pool('max', auto('max_pooling2d'), 3, 2);
  const a = (i: number, poolFilters: number): LayerSpec =>
    parallel([c(64, 1), [...c(48, 1), ...c(64, 5)], [...c(64, 1), ...c(96, 3), ...c(96, 3)], [...avg(), ...c(poolFilters, 1)]], concat(`mixed${i}`));
  const b = (i: number, width: number): LayerSpec =>
    parallel(
      [
        c(192, 1),
        [...c(width, 1), ...c(width, [1, 7]), ...c(192, [7, 1])],
        [...c(width, 1), ...c(width, [7, 1]), ...c(width, [1, 7]), ...c(width, [7, 1]), ...c(192, [1, 7])],
        [...avg(), ...c(192, 1)],
      ],
      concat(`mixed${i}`),
    );
  const e = (i: number): LayerSpec =>
    parallel(
      [
        c(320, 1),
        [...c(384, 1), parallel([c(384, [1, 3]), c(384, [3, 1])], concat(`mixed9_${i - 9}`))],
        [...c(448, 1), ...c(384, 3), parallel([c(384, [1, 3]), c(384, [3, 1])], concat(auto('concatenate')))],
        [...avg(), ...c(192, 1)],
      ],
      concat(`mixed${i}`),
    );
  return [
    ...c(32, 3, 2, 'valid'), ...c(32, 3, 1, 'valid'), ...c(64, 3), max(),
    ...c(80, 1, 1, 'valid'), ...c(192, 3, 1, 'valid'), max(),
    a(0, 32), a(1, 64), a(2, 64),
    parallel([c(384, 3, 2, 'valid'), [...c(64, 1), ...c(96, 3), ...c(96, 3, 2, 'valid')], [max()]], concat('mixed3')),
    b(4, 128), b(5, 160), b(6, 160), b(7, 192),
    parallel([[...c(192, 1), ...c(320, 3, 2, 'valid')], [...c(192, 1), ...c(192, [1, 7]), ...c(192, [7, 1]), ...c(192, 3, 2, 'valid')], [max()]], concat('mixed8')),
    e(9), e(10),
    ...classifierTop(),
  ];
}

function inceptionResnetV2(): LayerSpec[] {
  const auto = autoNames();
  const c = (filters: number, kernel: Kernel, stride = 1, padding: 'same' | 'valid' = 'same') => convBn(auto, filters, kernel, { stride, padding });
  const max = () => pool('max', auto('max_pooling2d'), 3, 2);
  /** inception_resnet_block: branches, concat <block>_mixed, 1×1 conv with bias back to `channels`, x + scale·up, ReLU. */
  const block = (type: 'block35' | 'block17' | 'block8', idx: number, channels: number, scale: number, relu = true): LayerSpec[] => {
    const name = `${type}_${idx}`;
    const branches =
      type === 'block35'
        ? [c(32, 1), [...c(32, 1), ...c(32, 3)], [...c(32, 1), ...c(48, 3), ...c(64, 3)]]
        : type === 'block17'
          ? [c(192, 1), [...c(128, 1), ...c(160, [1, 7]), ...c(192, [7, 1])]]
          : [c(192, 1), [...c(192, 1), ...c(224, [1, 3]), ...c(256, [3, 1])]];
    const up = [parallel(branches, concat(`${name}_mixed`)), ...conv(`${name}_conv`, channels, 1, { padding: 'same' }), op('rescaling', { scale }, { name: `${name}_scale`, implicit: true })];
    return [parallel([[], up], op('add', {}, { name })), ...(relu ? [act(`${name}_ac`, 'relu')] : [])];
  };
  return [
    ...c(32, 3, 2, 'valid'), ...c(32, 3, 1, 'valid'), ...c(64, 3), max(),
    ...c(80, 1, 1, 'valid'), ...c(192, 3, 1, 'valid'), max(),
    parallel([c(96, 1), [...c(48, 1), ...c(64, 5)], [...c(64, 1), ...c(96, 3), ...c(96, 3)], [pool('avg', auto('average_pooling2d'), 3, 1, 'same'), ...c(64, 1)]], concat('mixed_5b')),
    ...Array.from({ length: 10 }, (_, i) => block('block35', i + 1, 320, 0.17)).flat(),
    parallel([c(384, 3, 2, 'valid'), [...c(256, 1), ...c(256, 3), ...c(384, 3, 2, 'valid')], [max()]], concat('mixed_6a')),
    ...Array.from({ length: 20 }, (_, i) => block('block17', i + 1, 1088, 0.1)).flat(),
    parallel([[...c(256, 1), ...c(384, 3, 2, 'valid')], [...c(256, 1), ...c(288, 3, 2, 'valid')], [...c(256, 1), ...c(288, 3), ...c(320, 3, 2, 'valid')], [max()]], concat('mixed_7a')),
    ...Array.from({ length: 9 }, (_, i) => block('block8', i + 1, 2080, 0.2)).flat(),
    ...block('block8', 10, 2080, 1, false),
    ...convBn(auto, 1536, 1, { name: 'conv_7b' }),
    ...classifierTop(),
  ];
}

export const kerasInceptions: readonly ZooEntry[] = [
  // Keras's model.summary(): Total params 23,851,784 (trainable 23,817,352); keras.io's table: 23.9M.
  kerasEntry('InceptionV3', 'Keras InceptionV3: mixed0 … mixed10, BatchNorm without γ, 299×299, no auxiliary head', () => kerasSpec('InceptionV3', 299, inceptionV3()), 23_851_784),
  // Keras's model.summary(): Total params 55,873,736 (trainable 55,813,192); keras.io's table: 55.9M.
  kerasEntry('InceptionResNetV2', 'Keras InceptionResNetV2: 10 × block35, 20 × block17, 10 × block8, 299×299', () => kerasSpec('InceptionResNetV2', 299, inceptionResnetV2()), 55_873_736),
];
