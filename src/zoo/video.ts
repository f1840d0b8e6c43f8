/**
 * @module
 * torchvision 0.14's convolutional video classifiers (torchvision.models.video), 400 Kinetics classes, on one clip
 * [1, 3, T, H, W] of the length and crop their weights are evaluated with, under torchvision's module names:
 * - R3D-18, MC3-18 and R(2+1)D-18 (Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action
 *   Recognition", CVPR 2018), 16 frames of 112×112: ResNet-18's basic blocks [2, 2, 2, 2] in 3-D. R3D uses 3×3×3
 *   convs throughout; MC3 ("mixed convolutions") only in layer1 and 1×3×3 convs after it, whose shortcuts stride H and W
 *   only; R(2+1)D factors each 3×3×3 conv into a 1×3×3 spatial conv to M channels, BatchNorm, ReLU and a 3×1×1
 *   temporal conv, with M = ⌊27·c_in·c_out/(9·c_in + 3·c_out)⌋ so that the pair has about the parameters of the 3-D
 *   conv (§3.5; torchvision computes M once per block from its input and output channels and uses it for both convs).
 *   The stem is a 3×7×7 conv (R(2+1)D: 1×7×7 to 45 channels, then 3×1×1). Each block's ReLU module runs once; the
 *   convs' own ReLUs are in their Sequentials.
 * - S3D (Xie et al., "Rethinking Spatiotemporal Feature Learning", ECCV 2018), 128 frames of 224×224 (torchvision
 *   evaluates its weights on 128-frame clips): GoogLeNet's Inception layout in 3-D with every k×k×k conv separated
 *   into 1×k×k and k×1×1 (each with BatchNorm eps 0.001 and ReLU); the logits are a 1×1×1 conv averaged over time and
 *   space (a functional torch.mean, here the layers `mean` and `flatten`).
 */
import { block, op, parallel, repeat, residual, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';

const KINETICS = 400;
type Triple = readonly [number, number, number];

const conv3d = (out: number, kernel: Triple, stride: Triple, padding: Triple, meta: Omit<OpSpec, 'op' | 'attrs'> = {}): OpSpec =>
  op('conv3d', { out, kernel, stride, padding, bias: false }, meta);

const videoSpec = (name: string, input: readonly number[], layers: readonly LayerSpec[]): Spec => ({
  name,
  input,
  source: `torchvision.models.video.${name}(weights=None), torchvision 0.14`,
  layers,
});

// ---- Video ResNets ----

type ConvKind = 'simple' | 'no_temporal' | '2plus1d';

/** One conv_builder(c_in, c_out, mid, stride): a layer, or R(2+1)D's Sequential of spatial conv, BN, ReLU, temporal conv. */
function builder(kind: ConvKind, out: number, mid: number, stride: number): LayerSpec {
  if (kind === 'simple') return conv3d(out, [3, 3, 3], [stride, stride, stride], [1, 1, 1]);
  if (kind === 'no_temporal') return conv3d(out, [1, 3, 3], [1, stride, stride], [0, 1, 1]);
  return seq(undefined, [conv3d(mid, [1, 3, 3], [1, stride, stride], [0, 1, 1]), op('batchnorm3d'), op('relu'), conv3d(out, [3, 1, 1], [stride, 1, 1], [1, 0, 0])]);
}

/** A BasicBlock of torchvision's VideoResNet. */
function basicBlock(kind: ConvKind, inplanes: number, planes: number, stride: number): LayerSpec[] {
  const mid = Math.floor((inplanes * planes * 27) / (inplanes * 9 + 3 * planes));
  const downStride: Triple = kind === 'no_temporal' ? [1, stride, stride] : [stride, stride, stride];
  const shortcut = stride !== 1 || inplanes !== planes ? [seq('downsample', [op('conv3d', { out: planes, kernel: 1, stride: downStride, bias: false }), op('batchnorm3d')])] : [];
  return [
    residual(
      [seq('conv1', [builder(kind, planes, mid, stride), op('batchnorm3d'), op('relu')]), seq('conv2', [builder(kind, planes, mid, 1), op('batchnorm3d')])],
      op('add', {}, { name: 'add' }),
      shortcut,
    ),
    op('relu', {}, { name: 'relu' }),
  ];
}

function videoResnet(name: string, kinds: readonly ConvKind[], stem: 'basic' | '2plus1d'): Spec {
  let inplanes = 64;
  const stages = kinds.map((kind, i) => {
    const planes = 64 * 2 ** i;
    return repeat(`layer${i + 1}`, 2, (b) => {
      const layers = basicBlock(kind, inplanes, planes, b === 0 && i > 0 ? 2 : 1);
      inplanes = planes;
      return layers;
    });
  });
  const stemLayers =
    stem === 'basic'
      ? [conv3d(64, [3, 7, 7], [1, 2, 2], [1, 3, 3]), op('batchnorm3d'), op('relu')]
      : [conv3d(45, [1, 7, 7], [1, 2, 2], [0, 3, 3]), op('batchnorm3d'), op('relu'), conv3d(64, [3, 1, 1], [1, 1, 1], [1, 0, 0]), op('batchnorm3d'), op('relu')];
  return videoSpec(name, [1, 3, 16, 112, 112], [
    seq('stem', stemLayers),
    ...stages,
    op('adaptive_avgpool3d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: KINETICS }, { name: 'fc' }),
  ]);
}

// ---- S3D ----

/** torchvision's Conv3dNormActivation without bias: conv, BatchNorm3d (eps 0.001, momentum 0.001), ReLU. */
const cna = (out: number, kernel: Triple, stride: Triple = [1, 1, 1], padding: Triple = [0, 0, 0]): LayerSpec =>
  seq(undefined, [conv3d(out, kernel, stride, padding), op('batchnorm3d', { eps: 0.001, momentum: 0.001 }), op('relu')]);

/** TemporalSeparableConv: 1×k×k (stride 1×s×s), then k×1×1 (stride s×1×1). */
const separable = (out: number, k: number, s: number, p: number): LayerSpec => seq(undefined, [cna(out, [1, k, k], [1, s, s], [0, p, p]), cna(out, [k, 1, 1], [s, 1, 1], [p, 0, 0])]);

/** SepInceptionBlock3D: 1×1 ‖ 1×1 → separable 3 ‖ 1×1 → separable 3 ‖ maxpool 3 → 1×1, concatenated. */
function inception(b0: number, b1mid: number, b1: number, b2mid: number, b2: number, b3: number): LayerSpec {
  return block(undefined, [
    parallel(
      [
        seq('branch0', [conv3d(b0, [1, 1, 1], [1, 1, 1], [0, 0, 0]), op('batchnorm3d', { eps: 0.001, momentum: 0.001 }), op('relu')]),
        seq('branch1', [cna(b1mid, [1, 1, 1]), separable(b1, 3, 1, 1)]),
        seq('branch2', [cna(b2mid, [1, 1, 1]), separable(b2, 3, 1, 1)]),
        seq('branch3', [op('maxpool3d', { kernel: 3, stride: 1, padding: 1 }), cna(b3, [1, 1, 1])]),
      ],
      op('concat', { dim: 1 }, { name: 'cat' }),
    ),
  ]);
}

function s3d(): Spec {
  const pool = (kernel: Triple, stride: Triple, padding: Triple): OpSpec => op('maxpool3d', { kernel, stride, padding });
  return videoSpec('s3d', [1, 3, 128, 224, 224], [
    seq('features', [
      separable(64, 7, 2, 3),
      pool([1, 3, 3], [1, 2, 2], [0, 1, 1]),
      cna(64, [1, 1, 1]),
      separable(192, 3, 1, 1),
      pool([1, 3, 3], [1, 2, 2], [0, 1, 1]),
      inception(64, 96, 128, 16, 32, 32),
      inception(128, 128, 192, 32, 96, 64),
      pool([3, 3, 3], [2, 2, 2], [1, 1, 1]),
      inception(192, 96, 208, 16, 48, 64),
      inception(160, 112, 224, 24, 64, 64),
      inception(128, 128, 256, 24, 64, 64),
      inception(112, 144, 288, 32, 64, 64),
      inception(256, 160, 320, 32, 128, 128),
      pool([2, 2, 2], [2, 2, 2], [0, 0, 0]),
      inception(256, 160, 320, 32, 128, 128),
      inception(384, 192, 384, 48, 128, 128),
    ]),
    op('avgpool3d', { kernel: [2, 7, 7], stride: 1 }, { name: 'avgpool' }),
    seq('classifier', [op('dropout', { p: 0.2 }), op('conv3d', { out: KINETICS, kernel: 1 })]),
    // torch.mean(x, dim=(2, 3, 4)).
    op('adaptive_avgpool3d', { output: 1 }, { name: 'mean' }),
    op('flatten', {}, { name: 'flatten' }),
  ]);
}

/** Published parameter counts: num_params of each model's KINETICS400_V1 weights in torchvision 0.14. */
export const videos: readonly ZooEntry[] = [
  { ...torchvisionEntry('r3d_18', 'R3D-18: 3-D ResNet-18 on 16 frames of 112×112, 400 classes', () => videoResnet('r3d_18', ['simple', 'simple', 'simple', 'simple'], 'basic'), 33_371_472), source: 'torchvision.models.video.r3d_18' },
  { ...torchvisionEntry('mc3_18', 'MC3-18: 3-D convs in layer1, 2-D after it; 16 frames of 112×112', () => videoResnet('mc3_18', ['simple', 'no_temporal', 'no_temporal', 'no_temporal'], 'basic'), 11_695_440), source: 'torchvision.models.video.mc3_18' },
  { ...torchvisionEntry('r2plus1d_18', 'R(2+1)D-18: each 3-D conv split into spatial and temporal; 16 frames of 112×112', () => videoResnet('r2plus1d_18', ['2plus1d', '2plus1d', '2plus1d', '2plus1d'], '2plus1d'), 31_505_325), source: 'torchvision.models.video.r2plus1d_18' },
  { ...torchvisionEntry('s3d', 'S3D: separable 3-D Inception on 128 frames of 224×224, 400 classes', s3d, 8_320_048), source: 'torchvision.models.video.s3d' },
];
