/**
 * @module
 * DenseNet-BC (Huang et al., "Densely Connected Convolutional Networks", CVPR 2017) as torchvision 0.14 builds it,
 * under its module names.
 *
 * Within a dense block every layer reads the concatenation of the block's input and all earlier layers' outputs, and
 * adds k (the growth rate) channels: BN-ReLU-conv1×1 to bn_size·k = 4k channels (the "B" bottleneck), then
 * BN-ReLU-conv3×3 to k. A transition (BN-ReLU-conv1×1-avgpool 2×2) halves the channels ("C", compression 0.5) and
 * the size. torchvision writes each dense layer's `torch.cat` (here a `cat` layer inside the layer's scope, even for
 * the first layer, which concatenates one tensor) and one more at the end of each block (`denseblockN.cat`).
 * As in the paper's ImageNet models (Table 1) the stem is conv7×7/2 with 2k channels and a max pool; torchvision
 * adds norm5 and a functional ReLU before the global pooling, and builds with drop_rate 0 (no dropout layers).
 * densenet161 uses k = 48 and a 96-channel stem; the others k = 32 and 64.
 */
import { block, op, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

interface Variant {
  readonly growth: number;
  readonly blocks: readonly [number, number, number, number];
  readonly init: number;
}

const BN_SIZE = 4;

const bn = (name: string): OpSpec => op('batchnorm2d', {}, { name });
const relu = (name: string): OpSpec => op('relu', {}, { name });
const conv = (name: string, out: number, kernel: number, extra: { stride?: number; padding?: number } = {}): OpSpec =>
  op('conv2d', { out, kernel, stride: extra.stride ?? 1, padding: extra.padding ?? 0, bias: false }, { name });

/**
 * Dense block `n` (1-based) reading the layer with full id `from`: each dense layer concatenates `from` and the
 * conv2 outputs before it, and the block ends by concatenating them all.
 */
function denseBlock(n: number, layers: number, growth: number, from: string): LayerSpec {
  const scope = `features.denseblock${n}`;
  const produced = (count: number) => [from, ...Array.from({ length: count }, (_, i) => `${scope}.denselayer${i + 1}.conv2`)];
  return block(`denseblock${n}`, [
    ...Array.from({ length: layers }, (_, i) =>
      block(`denselayer${i + 1}`, [
        op('concat', { dim: 1 }, { name: 'cat', inputs: produced(i) }),
        bn('norm1'),
        relu('relu1'),
        conv('conv1', BN_SIZE * growth, 1),
        bn('norm2'),
        relu('relu2'),
        conv('conv2', growth, 3, { padding: 1 }),
      ]),
    ),
    op('concat', { dim: 1 }, { name: 'cat', inputs: produced(layers) }),
  ]);
}

function densenet(name: string, v: Variant): Spec {
  const features: LayerSpec[] = [
    conv('conv0', v.init, 7, { stride: 2, padding: 3 }),
    bn('norm0'),
    relu('relu0'),
    op('maxpool2d', { kernel: 3, stride: 2, padding: 1 }, { name: 'pool0' }),
  ];
  let channels = v.init;
  let from = 'features.pool0';
  v.blocks.forEach((layers, i) => {
    features.push(denseBlock(i + 1, layers, v.growth, from));
    channels += layers * v.growth;
    if (i < v.blocks.length - 1) {
      channels = Math.floor(channels / 2);
      features.push(
        block(`transition${i + 1}`, [bn('norm'), relu('relu'), conv('conv', channels, 1), op('avgpool2d', { kernel: 2, stride: 2 }, { name: 'pool' })]),
      );
      from = `features.transition${i + 1}.pool`;
    }
  });
  features.push(bn('norm5'));
  return torchvisionSpec(name, [
    block('features', features),
    relu('relu'),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'classifier' }),
  ]);
}

const entry = (depth: number, v: Variant, published: number): ZooEntry =>
  torchvisionEntry(`densenet${depth}`, `DenseNet-${depth} (BC): dense blocks [${v.blocks.join(', ')}], growth rate ${v.growth}`, () => densenet(`densenet${depth}`, v), published);

export const densenets: readonly ZooEntry[] = [
  entry(121, { growth: 32, blocks: [6, 12, 24, 16], init: 64 }, 7_978_856),
  entry(161, { growth: 48, blocks: [6, 12, 36, 24], init: 96 }, 28_681_000),
  entry(169, { growth: 32, blocks: [6, 12, 32, 32], init: 64 }, 14_149_480),
  entry(201, { growth: 32, blocks: [6, 12, 48, 32], init: 64 }, 20_013_928),
];
