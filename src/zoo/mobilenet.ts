/**
 * @module
 * MobileNets.
 *
 * - v1: Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications" (2017),
 *   Table 1 at width multiplier 1.0 and 224×224. torchvision has no v1, so nncalc follows the paper, with these choices:
 *   · ReLU, not ReLU6: Figure 3 of the paper draws ReLU after every BN (TensorFlow's reference code later used ReLU6;
 *     neither has parameters, so the counts are the same).
 *   · No conv biases: every conv is followed by BN, whose β already shifts each channel (Figure 3).
 *   · The 13th depthwise conv has stride 1: Table 1 prints "Conv dw / s2" for it, but its input and output are
 *     both 7×7×1024 in the same table, which only stride 1 gives.
 *   · The 7×7 average pool is an adaptive pool to 1×1, which is the same at 224 and still ends in one position
 *     at the smaller resolutions of the paper's Table 6.
 *   Module names follow torchvision's style: `features.0` (conv, bn, relu), `features.1` … `features.13`
 *   (depthwise conv, bn, relu, pointwise conv, bn, relu), `avgpool`, `classifier`, `softmax`.
 * - v2: Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks" (CVPR 2018), as torchvision 0.14
 *   builds it: Table 2's bottlenecks, ReLU6, dropout 0.2 before the classifier; the expansion 1×1 conv is left out
 *   where t = 1, and the residual is used when the stride is 1 and in = out channels. The paper's closing 1×1 conv
 *   to the classes is a Linear layer (the same weights), after a functional average pool and flatten.
 * - v3: Howard et al., "Searching for MobileNetV3" (ICCV 2019), Tables 1 and 2, as torchvision 0.14 builds it:
 *   squeeze-excitation with ⌊expanded/4⌋ channels rounded to a multiple of 8 and a hard-sigmoid gate, a last
 *   1×1 conv to 6 × the last bneck's channels, a hard-swish classifier, and residuals when stride 1 and in = out.
 *   BatchNorm uses TensorFlow's eps 0.001 and momentum 0.01. The paper's two closing 1×1 convs without BN are
 *   Linear layers (the same weights). The functional `scale * input` of the SE block is a layer `mul`, the
 *   residual `result += input` a layer `add`. Its `features` are shared with the dense-prediction backbones (trunks.ts).
 */
import { op, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { convNormAct, residualIf, sameConv } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';
import { mobilenetV3Features, v3Large, v3Small, type Bneck } from './trunks.js';

// ---- v1 ----

/** Table 1: the 13 depthwise-separable blocks as [pointwise output channels, depthwise stride]. */
const v1Blocks: readonly (readonly [number, number])[] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1],
  [1024, 2], [1024, 1],
];

function mobilenetV1(): Spec {
  let c = 32;
  const blocks = v1Blocks.map(([out, stride]) => {
    const layers = [
      sameConv(c, 3, stride, c), op('batchnorm2d'), op('relu'),
      sameConv(out, 1), op('batchnorm2d'), op('relu'),
    ];
    c = out;
    return seq(undefined, layers);
  });
  return {
    name: 'mobilenet_v1',
    input: [1, 3, 224, 224],
    source: 'Howard et al. 2017, Table 1 (width multiplier 1.0, resolution 224)',
    layers: [
      seq('features', [convNormAct(undefined, 32, 3, { stride: 2, act: 'relu' }), ...blocks]),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('flatten', {}, { name: 'flatten' }),
      op('linear', { out: 1000 }, { name: 'classifier' }),
      op('softmax', { dim: 1 }, { name: 'softmax' }),
    ],
  };
}

// ---- v2 ----

/** Table 2 of the v2 paper: expansion t, output channels c, repeats n, first stride s. */
const v2Setting: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

function mobilenetV2(): Spec {
  const features: LayerSpec[] = [convNormAct(undefined, 32, 3, { stride: 2, act: 'relu6' })];
  let inp = 32;
  for (const [t, c, n, s] of v2Setting) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(inp * t);
      const body = seq('conv', [
        ...(t !== 1 ? [convNormAct(undefined, hidden, 1, { act: 'relu6' })] : []),
        convNormAct(undefined, hidden, 3, { stride, groups: hidden, act: 'relu6' }),
        sameConv(c, 1),
        op('batchnorm2d'),
      ]);
      features.push(residualIf(stride === 1 && inp === c, body));
      inp = c;
    }
  }
  features.push(convNormAct(undefined, 1280, 1, { act: 'relu6' }));
  return torchvisionSpec('mobilenet_v2', [
    seq('features', features),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'adaptive_avg_pool2d' }),
    op('flatten', {}, { name: 'flatten' }),
    seq('classifier', [op('dropout', { p: 0.2 }), op('linear', { out: 1000 })]),
  ]);
}

// ---- v3 ----

function mobilenetV3(name: string, setting: readonly Bneck[], lastChannel: number): Spec {
  return torchvisionSpec(name, [
    seq('features', mobilenetV3Features(setting).layers),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    seq('classifier', [op('linear', { out: lastChannel }), op('hardswish'), op('dropout', { p: 0.2 }), op('linear', { out: 1000 })]),
  ]);
}

export const mobilenets: readonly ZooEntry[] = [
  {
    name: 'mobilenet_v1',
    title: 'MobileNet v1 (1.0, 224): 13 depthwise-separable blocks, from the paper',
    source: 'Howard et al. 2017, "MobileNets", Table 1',
    spec: mobilenetV1,
  },
  torchvisionEntry('mobilenet_v2', 'MobileNet v2: inverted residuals with linear bottlenecks', mobilenetV2, 3_504_872),
  torchvisionEntry('mobilenet_v3_large', 'MobileNet v3 Large: bnecks with squeeze-excitation and hard-swish', () => mobilenetV3('mobilenet_v3_large', v3Large, 1280), 5_483_032),
  torchvisionEntry('mobilenet_v3_small', 'MobileNet v3 Small: bnecks with squeeze-excitation and hard-swish', () => mobilenetV3('mobilenet_v3_small', v3Small, 1024), 2_542_856),
];
