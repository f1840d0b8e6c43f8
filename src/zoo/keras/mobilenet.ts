/**
 * @module
 * Keras's MobileNet, MobileNetV2 and MobileNetV3Small/Large (keras.applications.mobilenet, mobilenet_v2,
 * mobilenet_v3) at width 1.0 on 224×224, under Keras's names.
 *
 * - MobileNet (Howard et al. 2017): conv1, then 13 depthwise-separable blocks conv_dw_<i>/conv_pw_<i> with ReLU(6.);
 *   a stride-2 depthwise conv is 'valid' after a ((0, 1), (0, 1)) ZeroPadding2D. The top is a 1×1 conv
 *   `conv_preds` on the pooled features (keepdims), a Reshape and the softmax Activation `predictions`.
 * - MobileNetV2 (Sandler et al. 2018): inverted residual blocks block_<i>_expand/depthwise/project, BN epsilon 1e-3.
 * - MobileNetV3 (Howard et al. 2019): a Rescaling to [−1, 1] first (include_preprocessing), blocks
 *   expanded_conv_<i>/ with squeeze-excitation (1×1 convs with biases, hard-sigmoid gate) and hard-swish, and a top
 *   of 1×1 convs Conv_2 and Logits. The layer names are those of Keras 2 (slashes); Keras's unnamed activations
 *   take its automatic names (re_lu, activation, …).
 * No conv before a BatchNormalization has a bias.
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import { makeDivisible } from '../blocks.js';
import type { ZooEntry } from '../entry.js';
import { act, autoNames, bn, conv, correctPad, dense, depthwise, gap, kerasEntry, kerasSpec, zeroPad } from './common.js';

/** MobileNet v1: (pointwise filters, stride) of blocks 1 … 13. */
const V1: readonly (readonly [number, number])[] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

function mobilenetV1(): LayerSpec[] {
  const layers: LayerSpec[] = [...conv('conv1', 32, 3, { stride: 2, padding: 'same', bias: false }), bn('conv1_bn'), act('conv1_relu', 'relu6')];
  V1.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) layers.push(zeroPad(`conv_pad_${id}`, [0, 1, 0, 1]));
    layers.push(
      depthwise(`conv_dw_${id}`, 3, { stride, padding: stride === 1 ? 'same' : 'valid', bias: false }), bn(`conv_dw_${id}_bn`), act(`conv_dw_${id}_relu`, 'relu6'),
      ...conv(`conv_pw_${id}`, filters, 1, { padding: 'same', bias: false }), bn(`conv_pw_${id}_bn`), act(`conv_pw_${id}_relu`, 'relu6'),
    );
  });
  return [
    ...layers,
    gap('global_average_pooling2d', true),
    op('dropout', { p: 1e-3 }, { name: 'dropout' }),
    ...conv('conv_preds', 1000, 1, { padding: 'same' }),
    op('reshape', { shape: [-1, 1000] }, { name: 'reshape_2' }),
    act('predictions', 'softmax'),
  ];
}

/** MobileNetV2: (expansion, filters, stride) of blocks 0 … 16. */
const V2: readonly (readonly [number, number, number])[] = [
  [1, 16, 1], [6, 24, 2], [6, 24, 1], [6, 32, 2], [6, 32, 1], [6, 32, 1], [6, 64, 2], [6, 64, 1], [6, 64, 1], [6, 64, 1],
  [6, 96, 1], [6, 96, 1], [6, 96, 1], [6, 160, 2], [6, 160, 1], [6, 160, 1], [6, 320, 1],
];

const bn2 = (name: string) => bn(name, 1e-3, { momentum: 0.999 });

function mobilenetV2(): LayerSpec[] {
  const layers: LayerSpec[] = [...conv('Conv1', 32, 3, { stride: 2, padding: 'same', bias: false }), bn2('bn_Conv1'), act('Conv1_relu', 'relu6')];
  let [channels, size] = [32, 112];
  V2.forEach(([expansion, filters, stride], id) => {
    const p = id ? `block_${id}_` : 'expanded_conv_';
    const body: LayerSpec[] = [];
    if (id) body.push(...conv(`${p}expand`, expansion * channels, 1, { padding: 'same', bias: false }), bn2(`${p}expand_BN`), act(`${p}expand_relu`, 'relu6'));
    if (stride === 2) body.push(zeroPad(`${p}pad`, correctPad(size, 3)));
    body.push(
      depthwise(`${p}depthwise`, 3, { stride, padding: stride === 1 ? 'same' : 'valid', bias: false }), bn2(`${p}depthwise_BN`), act(`${p}depthwise_relu`, 'relu6'),
      ...conv(`${p}project`, makeDivisible(filters), 1, { padding: 'same', bias: false }), bn2(`${p}project_BN`),
    );
    const keep = channels === makeDivisible(filters) && stride === 1;
    layers.push(...(keep ? [parallel([body, []], op('add', {}, { name: `${p}add` }))] : body));
    [channels, size] = [makeDivisible(filters), Math.ceil(size / stride)];
  });
  return [
    ...layers,
    ...conv('Conv_1', 1280, 1, { bias: false }), bn2('Conv_1_bn'), act('out_relu', 'relu6'),
    gap('global_average_pooling2d'),
    ...dense('predictions', 1000, 'softmax'),
  ];
}

/** MobileNetV3: (expansion, filters, kernel, stride, squeeze-excitation, hard-swish) of blocks 0 … n. */
type V3Block = readonly [number, number, number, number, boolean, boolean];
const V3_LARGE: readonly V3Block[] = [
  [1, 16, 3, 1, false, false], [4, 24, 3, 2, false, false], [3, 24, 3, 1, false, false],
  [3, 40, 5, 2, true, false], [3, 40, 5, 1, true, false], [3, 40, 5, 1, true, false],
  [6, 80, 3, 2, false, true], [2.5, 80, 3, 1, false, true], [2.3, 80, 3, 1, false, true], [2.3, 80, 3, 1, false, true],
  [6, 112, 3, 1, true, true], [6, 112, 3, 1, true, true],
  [6, 160, 5, 2, true, true], [6, 160, 5, 1, true, true], [6, 160, 5, 1, true, true],
];
const V3_SMALL: readonly V3Block[] = [
  [1, 16, 3, 2, true, false], [72 / 16, 24, 3, 2, false, false], [88 / 24, 24, 3, 1, false, false],
  [4, 40, 5, 2, true, true], [6, 40, 5, 1, true, true], [6, 40, 5, 1, true, true],
  [3, 48, 5, 1, true, true], [3, 48, 5, 1, true, true],
  [6, 96, 5, 2, true, true], [6, 96, 5, 1, true, true], [6, 96, 5, 1, true, true],
];

const bn3 = (name: string) => bn(name, 1e-3, { momentum: 0.999 });

function mobilenetV3(blocks: readonly V3Block[], lastPoint: number): LayerSpec[] {
  const auto = autoNames();
  const activation = (hs: boolean): LayerSpec => (hs ? act(auto('activation'), 'hard_swish') : act(auto('re_lu'), 'relu'));
  const layers: LayerSpec[] = [
    op('rescaling', { scale: 1 / 127.5, offset: -1 }, { name: 'rescaling' }),
    ...conv('Conv', 16, 3, { stride: 2, padding: 'same', bias: false }), bn3('Conv/BatchNorm'), activation(true),
  ];
  let [channels, size] = [16, 112];
  blocks.forEach(([expansion, filters, kernel, stride, se, hs], id) => {
    const p = id ? `expanded_conv_${id}/` : 'expanded_conv/';
    const expanded = makeDivisible(channels * expansion);
    const body: LayerSpec[] = [];
    if (id) body.push(...conv(`${p}expand`, expanded, 1, { padding: 'same', bias: false }), bn3(`${p}expand/BatchNorm`), activation(hs));
    if (stride === 2) body.push(zeroPad(`${p}depthwise/pad`, correctPad(size, kernel)));
    body.push(depthwise(`${p}depthwise`, kernel, { stride, padding: stride === 1 ? 'same' : 'valid', bias: false }), bn3(`${p}depthwise/BatchNorm`), activation(hs));
    if (se) {
      const gate = [
        gap(`${p}squeeze_excite/AvgPool`, true),
        ...conv(`${p}squeeze_excite/Conv`, makeDivisible(expanded * 0.25), 1, { padding: 'same' }),
        act(`${p}squeeze_excite/Relu`, 'relu'),
        ...conv(`${p}squeeze_excite/Conv_1`, expanded, 1, { padding: 'same' }),
        act(auto('activation'), 'hard_sigmoid'),
      ];
      body.push(parallel([[], gate], op('mul', {}, { name: `${p}squeeze_excite/Mul` })));
    }
    body.push(...conv(`${p}project`, filters, 1, { padding: 'same', bias: false }), bn3(`${p}project/BatchNorm`));
    layers.push(...(stride === 1 && channels === filters ? [parallel([body, []], op('add', {}, { name: `${p}Add` }))] : body));
    [channels, size] = [filters, Math.ceil(size / stride)];
  });
  return [
    ...layers,
    ...conv('Conv_1', makeDivisible(channels * 6), 1, { padding: 'same', bias: false }), bn3('Conv_1/BatchNorm'), activation(true),
    gap('global_average_pooling2d', true),
    ...conv('Conv_2', lastPoint, 1, { padding: 'same' }), activation(true),
    op('dropout', { p: 0.2 }, { name: 'dropout' }),
    ...conv('Logits', 1000, 1, { padding: 'same' }),
    op('flatten', {}, { name: 'flatten' }),
    act('Predictions', 'softmax'),
  ];
}

export const kerasMobilenets: readonly ZooEntry[] = [
  // Keras's model.summary(): Total params 4,253,864 (trainable 4,231,976); keras.io's table: 4.3M.
  kerasEntry('MobileNet', 'Keras MobileNet (alpha 1.0): 13 depthwise-separable blocks, a 1×1 conv classifier', () => kerasSpec('MobileNet', 224, mobilenetV1()), 4_253_864),
  // Keras's model.summary(): Total params 3,538,984 (trainable 3,504,872); keras.io's table: 3.5M.
  kerasEntry('MobileNetV2', 'Keras MobileNetV2 (alpha 1.0): 17 inverted residual blocks', () => kerasSpec('MobileNetV2', 224, mobilenetV2()), 3_538_984),
  // Keras's model.summary(): Total params 5,507,432 and 2,554,968 (not in keras.io's table).
  kerasEntry('MobileNetV3Large', 'Keras MobileNetV3Large: 15 blocks with squeeze-excitation and hard-swish', () => kerasSpec('MobileNetV3Large', 224, mobilenetV3(V3_LARGE, 1280)), 5_507_432),
  kerasEntry('MobileNetV3Small', 'Keras MobileNetV3Small: 11 blocks with squeeze-excitation and hard-swish', () => kerasSpec('MobileNetV3Small', 224, mobilenetV3(V3_SMALL, 1024)), 2_554_968),
];
