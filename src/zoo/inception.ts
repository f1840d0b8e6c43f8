/**
 * @module
 * GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", CVPR 2015) and Inception v3 (Szegedy et al.,
 * "Rethinking the Inception Architecture for Computer Vision", CVPR 2016) as torchvision 0.14 builds them,
 * under its module names. Each Inception module runs parallel branches on one tensor and concatenates them
 * (a functional `torch.cat`, here the layer `cat`).
 *
 * Every convolution is torchvision's BasicConv2d: conv without bias, BatchNorm (eps 0.001) and a functional ReLU
 * (the layer `relu`). How torchvision's GoogLeNet differs from the paper's Table 1: batch norm throughout and no
 * LRN; the "5×5" branch uses a 3×3 kernel (a known torchvision bug, kept for its weights); max pools use ceil_mode
 * and the one after inception4e is 2×2/2 rather than 3×3/2; dropout before fc is 0.2 (paper 0.4). Its auxiliary
 * heads (after inception4a and 4d) pool adaptively to 4×4, then BasicConv2d 1×1-128, fc 2048→1024, ReLU,
 * dropout 0.7 and fc to the classes.
 * torchvision's Inception v3 follows TensorFlow's implementation, from which its weights were ported: the 35×35
 * modules keep a 5×5 branch beside the double 3×3, and the auxiliary head on the 17×17 grid (after Mixed_6e) is
 * avgpool 5×5/3, BasicConv2d 1×1-128, BasicConv2d 5×5-768, global pooling and fc.
 * Functional poolings inside modules are the layers `avgpool`/`maxpool`; InceptionE's inner concatenations are
 * `branch3x3_cat` and `branch3x3dbl_cat`.
 * Auxiliary heads run only in training: they are training outputs (torchvision's order: GoogLeNet's aux2 before
 * aux1), placed where the forward pass calls them, so their parameters count but their MACs are not inference's.
 * transform_input is False, as torchvision builds it with weights=None (it turns the per-channel input
 * re-scaling on only when loading ImageNet weights); that re-scaling has no parameters or MACs, so no layer stands for it.
 */
import { block, op, parallel, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { reading } from './blocks.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';

type Size = number | readonly [number, number];

/** torchvision's BasicConv2d as a module `name`: conv (no bias), bn (eps 0.001), functional relu. */
const basic = (name: string, out: number, kernel: Size, stride = 1, padding: Size = 0): LayerSpec =>
  block(name, [
    op('conv2d', { out, kernel, stride, padding, bias: false }, { name: 'conv' }),
    op('batchnorm2d', { eps: 0.001 }, { name: 'bn' }),
    op('relu', {}, { name: 'relu' }),
  ]);

const cat = (name = 'cat'): OpSpec => op('concat', { dim: 1 }, { name });
const maxpool = (name: string | undefined, kernel: number, stride: number, extra: { padding?: number; ceil_mode?: boolean } = {}): OpSpec =>
  op('maxpool2d', { kernel, stride, ...extra }, name === undefined ? {} : { name });
const avgpool3 = (): OpSpec => op('avgpool2d', { kernel: 3, stride: 1, padding: 1 }, { name: 'avgpool' });

// ---------------------------------------------------------------- GoogLeNet

/** An Inception module of GoogLeNet: 1×1 ‖ 1×1→3×3 ‖ 1×1→"5×5" (3×3 in torchvision) ‖ maxpool→1×1. */
function googlenetModule(name: string, c1: number, r3: number, c3: number, r5: number, c5: number, pool: number): LayerSpec {
  return block(name, [
    parallel(
      [
        basic('branch1', c1, 1),
        seq('branch2', [basic('0', r3, 1), basic('1', c3, 3, 1, 1)]),
        seq('branch3', [basic('0', r5, 1), basic('1', c5, 3, 1, 1)]),
        seq('branch4', [maxpool(undefined, 3, 1, { padding: 1, ceil_mode: true }), basic('1', pool, 1)]),
      ],
      cat(),
    ),
  ]);
}

/** GoogLeNet's auxiliary classifier reading the output of module `from`. */
const googlenetAux = (name: string, from: string): LayerSpec =>
  block(name, [
    op('adaptive_avgpool2d', { output: 4 }, { name: 'avgpool', inputs: [`${from}.cat`] }),
    basic('conv', 128, 1),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1024 }, { name: 'fc1' }),
    op('relu', {}, { name: 'relu' }),
    op('dropout', { p: 0.7 }, { name: 'dropout' }),
    op('linear', { out: 1000 }, { name: 'fc2' }),
  ]);

function googlenet(name: string, aux: boolean): Spec {
  // Each head sits where the forward pass calls it; the module after it reads the trunk again.
  const tap = (after: string, head: string, next: LayerSpec): LayerSpec[] => (aux ? [googlenetAux(head, after), reading(next, `${after}.cat`)] : [next]);
  return {
    name,
    input: [1, 3, 224, 224],
    source: `torchvision.models.googlenet(weights=None, aux_logits=${aux ? 'True' : 'False'}), torchvision 0.14`,
    ...(aux ? { trainingOutputs: ['aux2.fc2', 'aux1.fc2'] } : {}),
    layers: [
      basic('conv1', 64, 7, 2, 3),
      maxpool('maxpool1', 3, 2, { ceil_mode: true }),
      basic('conv2', 64, 1),
      basic('conv3', 192, 3, 1, 1),
      maxpool('maxpool2', 3, 2, { ceil_mode: true }),
      googlenetModule('inception3a', 64, 96, 128, 16, 32, 32),
      googlenetModule('inception3b', 128, 128, 192, 32, 96, 64),
      maxpool('maxpool3', 3, 2, { ceil_mode: true }),
      googlenetModule('inception4a', 192, 96, 208, 16, 48, 64),
      ...tap('inception4a', 'aux1', googlenetModule('inception4b', 160, 112, 224, 24, 64, 64)),
      googlenetModule('inception4c', 128, 128, 256, 24, 64, 64),
      googlenetModule('inception4d', 112, 144, 288, 32, 64, 64),
      ...tap('inception4d', 'aux2', googlenetModule('inception4e', 256, 160, 320, 32, 128, 128)),
      maxpool('maxpool4', 2, 2, { ceil_mode: true }),
      googlenetModule('inception5a', 256, 160, 320, 32, 128, 128),
      googlenetModule('inception5b', 384, 192, 384, 48, 128, 128),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('flatten', {}, { name: 'flatten' }),
      op('dropout', { p: 0.2 }, { name: 'dropout' }),
      op('linear', { out: 1000 }, { name: 'fc' }),
    ],
  };
}

// ---------------------------------------------------------------- Inception v3

/** InceptionA (35×35): 1×1 ‖ 1×1→5×5 ‖ 1×1→3×3→3×3 ‖ avgpool→1×1. */
const inceptionA = (name: string, pool: number): LayerSpec =>
  block(name, [
    parallel(
      [
        basic('branch1x1', 64, 1),
        [basic('branch5x5_1', 48, 1), basic('branch5x5_2', 64, 5, 1, 2)],
        [basic('branch3x3dbl_1', 64, 1), basic('branch3x3dbl_2', 96, 3, 1, 1), basic('branch3x3dbl_3', 96, 3, 1, 1)],
        [avgpool3(), basic('branch_pool', pool, 1)],
      ],
      cat(),
    ),
  ]);

/** InceptionB (35×35 → 17×17): 3×3/2 ‖ 1×1→3×3→3×3/2 ‖ maxpool 3×3/2. */
const inceptionB = (name: string): LayerSpec =>
  block(name, [
    parallel(
      [
        basic('branch3x3', 384, 3, 2),
        [basic('branch3x3dbl_1', 64, 1), basic('branch3x3dbl_2', 96, 3, 1, 1), basic('branch3x3dbl_3', 96, 3, 2)],
        maxpool('maxpool', 3, 2),
      ],
      cat(),
    ),
  ]);

/** InceptionC (17×17) with c7 channels inside the factorised 7×7 branches. */
const inceptionC = (name: string, c7: number): LayerSpec => {
  const row = (n: string, out: number) => basic(n, out, [1, 7], 1, [0, 3]);
  const col = (n: string, out: number) => basic(n, out, [7, 1], 1, [3, 0]);
  return block(name, [
    parallel(
      [
        basic('branch1x1', 192, 1),
        [basic('branch7x7_1', c7, 1), row('branch7x7_2', c7), col('branch7x7_3', 192)],
        [basic('branch7x7dbl_1', c7, 1), col('branch7x7dbl_2', c7), row('branch7x7dbl_3', c7), col('branch7x7dbl_4', c7), row('branch7x7dbl_5', 192)],
        [avgpool3(), basic('branch_pool', 192, 1)],
      ],
      cat(),
    ),
  ]);
};

/** InceptionD (17×17 → 8×8): 1×1→3×3/2 ‖ 1×1→1×7→7×1→3×3/2 ‖ maxpool 3×3/2. */
const inceptionD = (name: string): LayerSpec =>
  block(name, [
    parallel(
      [
        [basic('branch3x3_1', 192, 1), basic('branch3x3_2', 320, 3, 2)],
        [
          basic('branch7x7x3_1', 192, 1),
          basic('branch7x7x3_2', 192, [1, 7], 1, [0, 3]),
          basic('branch7x7x3_3', 192, [7, 1], 1, [3, 0]),
          basic('branch7x7x3_4', 192, 3, 2),
        ],
        maxpool('maxpool', 3, 2),
      ],
      cat(),
    ),
  ]);

/** InceptionE (8×8): 1×1 ‖ 1×1→(1×3 ‖ 3×1) ‖ 1×1→3×3→(1×3 ‖ 3×1) ‖ avgpool→1×1. */
const inceptionE = (name: string): LayerSpec => {
  const split = (a: string, b: string, joined: string) =>
    parallel([basic(a, 384, [1, 3], 1, [0, 1]), basic(b, 384, [3, 1], 1, [1, 0])], cat(joined));
  return block(name, [
    parallel(
      [
        basic('branch1x1', 320, 1),
        [basic('branch3x3_1', 384, 1), split('branch3x3_2a', 'branch3x3_2b', 'branch3x3_cat')],
        [basic('branch3x3dbl_1', 448, 1), basic('branch3x3dbl_2', 384, 3, 1, 1), split('branch3x3dbl_3a', 'branch3x3dbl_3b', 'branch3x3dbl_cat')],
        [avgpool3(), basic('branch_pool', 192, 1)],
      ],
      cat(),
    ),
  ]);
};

const inceptionAux = (from: string): LayerSpec =>
  block('AuxLogits', [
    op('avgpool2d', { kernel: 5, stride: 3 }, { name: 'avgpool', inputs: [`${from}.cat`] }),
    basic('conv0', 128, 1),
    basic('conv1', 768, 5),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'adaptive_avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'fc' }),
  ]);

function inceptionV3(name: string, aux: boolean): Spec {
  return {
    name,
    input: [1, 3, 299, 299],
    source: `torchvision.models.inception_v3(weights=None, aux_logits=${aux ? 'True' : 'False'}), torchvision 0.14`,
    ...(aux ? { trainingOutputs: ['AuxLogits.fc'] } : {}),
    layers: [
      basic('Conv2d_1a_3x3', 32, 3, 2),
      basic('Conv2d_2a_3x3', 32, 3),
      basic('Conv2d_2b_3x3', 64, 3, 1, 1),
      maxpool('maxpool1', 3, 2),
      basic('Conv2d_3b_1x1', 80, 1),
      basic('Conv2d_4a_3x3', 192, 3),
      maxpool('maxpool2', 3, 2),
      inceptionA('Mixed_5b', 32),
      inceptionA('Mixed_5c', 64),
      inceptionA('Mixed_5d', 64),
      inceptionB('Mixed_6a'),
      inceptionC('Mixed_6b', 128),
      inceptionC('Mixed_6c', 160),
      inceptionC('Mixed_6d', 160),
      inceptionC('Mixed_6e', 192),
      ...(aux ? [inceptionAux('Mixed_6e'), reading(inceptionD('Mixed_7a'), 'Mixed_6e.cat')] : [inceptionD('Mixed_7a')]),
      inceptionE('Mixed_7b'),
      inceptionE('Mixed_7c'),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('dropout', { p: 0.5 }, { name: 'dropout' }),
      op('flatten', {}, { name: 'flatten' }),
      op('linear', { out: 1000 }, { name: 'fc' }),
    ],
  };
}

export const inceptions: readonly ZooEntry[] = [
  torchvisionEntry('googlenet', 'GoogLeNet (Inception v1) with batch norm, as torchvision builds it, without auxiliary heads', () => googlenet('googlenet', false), 6_624_904),
  {
    name: 'googlenet_aux',
    title: 'GoogLeNet with its two auxiliary classifiers (aux_logits=True), which run only in training',
    source: 'torchvision.models.googlenet(aux_logits=True)',
    spec: () => googlenet('googlenet_aux', true),
  },
  torchvisionEntry('inception_v3', 'Inception v3 (299×299 input) with its auxiliary classifier (training only), torchvision’s default', () => inceptionV3('inception_v3', true), 27_161_264),
  {
    name: 'inception_v3_noaux',
    title: 'Inception v3 (299×299 input) without the auxiliary classifier (aux_logits=False)',
    source: 'torchvision.models.inception_v3(aux_logits=False)',
    spec: () => inceptionV3('inception_v3_noaux', false),
  },
];
