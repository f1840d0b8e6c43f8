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
 *   residual `result += input` a layer `add`.
 */
import { op, parallel, residual, seq, block, type LayerSpec, type OpSpec, type Spec } from '../spec/spec.js';
import type { ZooEntry } from './entry.js';

/**
 * Rounds a channel count to the nearest multiple of `divisor`, never below `divisor` and never more than
 * 10% down: the rule of TensorFlow's MobileNet code, which torchvision and MNASNet's depths share.
 */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

type Act = 'relu' | 'relu6' | 'hardswish';

/** A bias-free conv with 'same' padding; layers inside an nn.Sequential take their position as name. */
const conv = (out: number, kernel: number, stride = 1, groups = 1): OpSpec =>
  op('conv2d', { out, kernel, stride, padding: (kernel - 1) / 2, groups, bias: false });

/** torchvision's Conv2dNormActivation, an nn.Sequential of conv, BN and activation (named by its position). */
function convBnAct(out: number, kernel: number, stride: number, groups: number, act: Act | undefined, bn: Record<string, number> = {}): LayerSpec {
  return seq(undefined, [conv(out, kernel, stride, groups), op('batchnorm2d', bn), ...(act ? [op(act)] : [])]);
}

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
      conv(c, 3, stride, c), op('batchnorm2d'), op('relu'),
      conv(out, 1), op('batchnorm2d'), op('relu'),
    ];
    c = out;
    return seq(undefined, layers);
  });
  return {
    name: 'mobilenet_v1',
    input: [1, 3, 224, 224],
    source: 'Howard et al. 2017, Table 1 (width multiplier 1.0, resolution 224)',
    layers: [
      seq('features', [convBnAct(32, 3, 2, 1, 'relu'), ...blocks]),
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
  const features: LayerSpec[] = [convBnAct(32, 3, 2, 1, 'relu6')];
  let inp = 32;
  for (const [t, c, n, s] of v2Setting) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = Math.round(inp * t);
      const body = seq('conv', [
        ...(t !== 1 ? [convBnAct(hidden, 1, 1, 1, 'relu6')] : []),
        convBnAct(hidden, 3, stride, hidden, 'relu6'),
        conv(c, 1),
        op('batchnorm2d'),
      ]);
      features.push(block(undefined, [stride === 1 && inp === c ? residual([body], op('add', {}, { name: 'add' })) : body]));
      inp = c;
    }
  }
  features.push(convBnAct(1280, 1, 1, 1, 'relu6'));
  return {
    name: 'mobilenet_v2',
    input: [1, 3, 224, 224],
    source: 'torchvision.models.mobilenet_v2(weights=None), torchvision 0.14',
    layers: [
      seq('features', features),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'adaptive_avg_pool2d' }),
      op('flatten', {}, { name: 'flatten' }),
      seq('classifier', [op('dropout', { p: 0.2 }), op('linear', { out: 1000 })]),
    ],
  };
}

// ---- v3 ----

/** One bneck row of Tables 1 and 2: kernel, expanded channels, output channels, SE, activation, stride. */
type Bneck = readonly [kernel: number, expanded: number, out: number, se: boolean, act: 'RE' | 'HS', stride: number];

const v3Large: readonly Bneck[] = [
  [3, 16, 16, false, 'RE', 1], [3, 64, 24, false, 'RE', 2], [3, 72, 24, false, 'RE', 1],
  [5, 72, 40, true, 'RE', 2], [5, 120, 40, true, 'RE', 1], [5, 120, 40, true, 'RE', 1],
  [3, 240, 80, false, 'HS', 2], [3, 200, 80, false, 'HS', 1], [3, 184, 80, false, 'HS', 1], [3, 184, 80, false, 'HS', 1],
  [3, 480, 112, true, 'HS', 1], [3, 672, 112, true, 'HS', 1],
  [5, 672, 160, true, 'HS', 2], [5, 960, 160, true, 'HS', 1], [5, 960, 160, true, 'HS', 1],
];

const v3Small: readonly Bneck[] = [
  [3, 16, 16, true, 'RE', 2], [3, 72, 24, false, 'RE', 2], [3, 88, 24, false, 'RE', 1],
  [5, 96, 40, true, 'HS', 2], [5, 240, 40, true, 'HS', 1], [5, 240, 40, true, 'HS', 1],
  [5, 120, 48, true, 'HS', 1], [5, 144, 48, true, 'HS', 1],
  [5, 288, 96, true, 'HS', 2], [5, 576, 96, true, 'HS', 1], [5, 576, 96, true, 'HS', 1],
];

/** torchvision's SqueezeExcitation: the gate (pool, fc1, ReLU, fc2, hard-sigmoid) times the input. */
function squeezeExcitation(channels: number): LayerSpec {
  const squeeze = makeDivisible(Math.floor(channels / 4));
  return block(undefined, [
    parallel(
      [
        [
          op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
          op('conv2d', { out: squeeze, kernel: 1 }, { name: 'fc1' }),
          op('relu', {}, { name: 'activation' }),
          op('conv2d', { out: channels, kernel: 1 }, { name: 'fc2' }),
          op('hardsigmoid', {}, { name: 'scale_activation' }),
        ],
        [],
      ],
      op('mul', {}, { name: 'mul' }),
    ),
  ]);
}

function mobilenetV3(name: string, setting: readonly Bneck[], lastChannel: number): Spec {
  // torchvision builds v3's BatchNorm with TensorFlow's eps and momentum.
  const bn = { eps: 0.001, momentum: 0.01 };
  const features: LayerSpec[] = [convBnAct(16, 3, 2, 1, 'hardswish', bn)];
  let inp = 16;
  for (const [kernel, expanded, out, se, a, stride] of setting) {
    const act: Act = a === 'HS' ? 'hardswish' : 'relu';
    const body = seq('block', [
      ...(expanded !== inp ? [convBnAct(expanded, 1, 1, 1, act, bn)] : []),
      convBnAct(expanded, kernel, stride, expanded, act, bn),
      ...(se ? [squeezeExcitation(expanded)] : []),
      convBnAct(out, 1, 1, 1, undefined, bn),
    ]);
    features.push(block(undefined, [stride === 1 && inp === out ? residual([body], op('add', {}, { name: 'add' })) : body]));
    inp = out;
  }
  features.push(convBnAct(6 * inp, 1, 1, 1, 'hardswish', bn));
  return {
    name,
    input: [1, 3, 224, 224],
    source: `torchvision.models.${name}(weights=None), torchvision 0.14`,
    layers: [
      seq('features', features),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('flatten', {}, { name: 'flatten' }),
      seq('classifier', [op('linear', { out: lastChannel }), op('hardswish'), op('dropout', { p: 0.2 }), op('linear', { out: 1000 })]),
    ],
  };
}

export const mobilenets: readonly ZooEntry[] = [
  {
    name: 'mobilenet_v1',
    title: 'MobileNet v1 (1.0, 224): 13 depthwise-separable blocks, from the paper',
    source: 'Howard et al. 2017, "MobileNets", Table 1',
    spec: mobilenetV1,
  },
  {
    name: 'mobilenet_v2',
    title: 'MobileNet v2: inverted residuals with linear bottlenecks',
    source: 'torchvision.models.mobilenet_v2',
    published: 3_504_872,
    spec: mobilenetV2,
  },
  {
    name: 'mobilenet_v3_large',
    title: 'MobileNet v3 Large: bnecks with squeeze-excitation and hard-swish',
    source: 'torchvision.models.mobilenet_v3_large',
    published: 5_483_032,
    spec: () => mobilenetV3('mobilenet_v3_large', v3Large, 1280),
  },
  {
    name: 'mobilenet_v3_small',
    title: 'MobileNet v3 Small: bnecks with squeeze-excitation and hard-swish',
    source: 'torchvision.models.mobilenet_v3_small',
    published: 2_542_856,
    spec: () => mobilenetV3('mobilenet_v3_small', v3Small, 1024),
  },
];
