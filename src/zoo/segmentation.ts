/**
 * @module
 * torchvision 0.14's semantic segmentation models (torchvision.models.segmentation), under its module names, with
 * 21 classes (the VOC labels of its published weights) on a 520×520 image (the size their transforms resize to):
 * - FCN (Long, Shelhamer & Darrell, CVPR 2015) on ResNet-50/101: FCNHead = 3×3 conv to C/4, BN, ReLU, dropout 0.1,
 *   1×1 conv to the classes;
 * - DeepLabV3 (Chen et al., "Rethinking Atrous Convolution for Semantic Image Segmentation", 2017) on ResNet-50/101
 *   and MobileNet v3 Large: ASPP (a 1×1 conv, three 3×3 convs dilated 12, 24, 36 and image pooling, each to 256
 *   channels, concatenated and projected to 256), then a 3×3 conv, BN, ReLU and a 1×1 conv to the classes;
 * - LR-ASPP (Howard et al., "Searching for MobileNetV3", ICCV 2019, §6.3) on MobileNet v3 Large: a 1×1 conv
 *   branch gated by a pooled sigmoid branch on the 1/16 features, upsampled to the 1/8 features and classified
 *   there, plus a 1×1 classifier of the 1/8 features.
 * The backbones are the classifiers' trunks (trunks.ts) with BatchNorm: ResNets dilate layer3 and layer4 instead of
 * striding (output stride 8), MobileNet v3 dilates its last stage (output stride 16). The logits are resized to the
 * image bilinearly (a functional F.interpolate, here the layer `upsample`).
 * With aux_loss=True an FCNHead on an earlier feature map (ResNet layer3, 1024 channels; MobileNet features[4],
 * 40 channels) adds a second output, `aux`. torchvision runs it in eval mode too (its forward always computes
 * result["aux"]), so its MACs are part of every forward pass here, as PyTorch measures them. The published weights were
 * trained with the auxiliary head, so their num_params counts it; the `_noaux` entries are what weights=None builds by
 * default. LR-ASPP has no auxiliary head (torchvision refuses aux_loss for it).
 */
import { block, op, parallel, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { sameConv } from './blocks.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';
import { lastName, mobilenetV3Features, resnetTrunk, v3Large } from './trunks.js';

const CLASSES = 21;
const SIDE = 520;

const bn = (name?: string): OpSpec => op('batchnorm2d', {}, name === undefined ? {} : { name });
/** The heads' nn.ReLU(), which torchvision's FCNHead and DeepLabHead build without inplace. */
const relu = (name?: string): OpSpec => op('relu', { inplace: false }, name === undefined ? {} : { name });

/** Bilinear resize of `from` to the size of `like` (F.interpolate(x, size=like.shape[-2:], mode="bilinear")). */
const resize = (name: string, from: string, like: string): OpSpec => op('upsample', { mode: 'bilinear', align_corners: false }, { name, inputs: [from, like] });

/** FCNHead(c, classes) named `name`, reading `from`. */
const fcnHead = (name: string, c: number, from: string): LayerSpec =>
  seq(name, [
    sameConv(c / 4, 3, 1, 1, { inputs: [from] }),
    bn(),
    relu(),
    op('dropout', { p: 0.1 }),
    op('conv2d', { out: CLASSES, kernel: 1 }),
  ]);

/** ASPP(c, [12, 24, 36]) on the features `from`: five parallel branches to 256 channels, concatenated, projected. */
function aspp(from: string): LayerSpec {
  const branch = (i: number, layers: LayerSpec): LayerSpec => block('convs', [block(String(i), [layers])]);
  const dilated = (i: number, rate: number): LayerSpec =>
    branch(i, { layers: [sameConv(256, 3, 1, 1, { name: '0' }, rate), bn('1'), relu('2')], type: 'ASPPConv' });
  // ASPPPooling: pool to 1×1, 1×1 conv, BN, ReLU, then a functional resize back to the feature map.
  const pooling = branch(4, {
    layers: [op('adaptive_avgpool2d', { output: 1 }, { name: '0' }), sameConv(256, 1, 1, 1, { name: '1' }), bn('2'), relu('3'), resize('interpolate', '3', from)],
    type: 'ASPPPooling',
  });
  return {
    block: '0',
    type: 'ASPP',
    layers: [
      parallel([branch(0, seq(undefined, [sameConv(256, 1), bn(), relu()])), dilated(1, 12), dilated(2, 24), dilated(3, 36), pooling], op('concat', { dim: 1 }, { name: 'cat' })),
      seq('project', [sameConv(256, 1), bn(), relu(), op('dropout', { p: 0.5 })]),
    ],
  };
}

/** DeepLabHead(c, classes) on the features `from`: ASPP, 3×3 conv, BN, ReLU, 1×1 conv to the classes. */
const deeplabHead = (from: string): LayerSpec => ({
  block: 'classifier',
  type: 'DeepLabHead',
  layers: [aspp(from), sameConv(256, 3, 1, 1, { name: '1' }), bn('2'), relu('3'), op('conv2d', { out: CLASSES, kernel: 1 }, { name: '4' })],
});

interface Backbone {
  /** The module `backbone` (torchvision's IntermediateLayerGetter: the trunk's children up to the last one read). */
  readonly backbone: LayerSpec;
  /** Names of the features the head and the auxiliary head read, and their channels. */
  readonly out: string;
  readonly aux: string;
  readonly auxChannels: number;
}

function resnetBackbone(depth: 50 | 101): Backbone {
  const t = resnetTrunk({ block: 'bottleneck', layers: [3, 4, depth === 50 ? 6 : 23, 3] }, { dilate: [false, true, true] });
  return { backbone: block('backbone', t.layers), out: `backbone.${t.outputs[3]}`, aux: `backbone.${t.outputs[2]}`, auxChannels: t.channels[2]! };
}

/** MobileNet v3 Large's features up to the last conv, last stage dilated; the aux head reads features[stages[-4]]. */
function mobilenetBackbone(): Backbone {
  const f = mobilenetV3Features(v3Large, { dilated: true });
  const high = f.stages[f.stages.length - 1]!;
  const low = f.stages[f.stages.length - 4]!;
  const name = (i: number) => `backbone.${lastName(f.layers[i]!, i)}`;
  return { backbone: seq('backbone', f.layers.slice(0, high + 1)), out: name(high), aux: name(low), auxChannels: f.channels[low]! };
}

type Head = 'fcn' | 'deeplabv3';

function segmentation(name: string, head: Head, backbone: Backbone, aux: boolean): Spec {
  const main = head === 'fcn' ? fcnHead('classifier', 2048, backbone.out) : deeplabHead(backbone.out);
  const auxLayers = aux ? [fcnHead('aux_classifier', backbone.auxChannels, backbone.aux), resize('aux', 'aux_classifier.4', 'input')] : [];
  return {
    name,
    input: [1, 3, SIDE, SIDE],
    source: `torchvision.models.segmentation.${name.replace(/_noaux$/, '')}(weights=None, weights_backbone=None, aux_loss=${aux ? 'True' : 'False'}), torchvision 0.14`,
    layers: [backbone.backbone, main, resize('out', 'classifier.4', 'input'), ...auxLayers],
    outputs: aux ? ['out', 'aux'] : ['out'],
  };
}

function lraspp(): Spec {
  const b = mobilenetBackbone();
  return {
    name: 'lraspp_mobilenet_v3_large',
    input: [1, 3, SIDE, SIDE],
    source: 'torchvision.models.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None), torchvision 0.14',
    layers: [
      b.backbone,
      {
        block: 'classifier',
        type: 'LRASPPHead',
        layers: [
          seq('cbr', [sameConv(128, 1, 1, 1, { inputs: [b.out] }), bn(), op('relu', { inplace: true })]),
          seq('scale', [op('adaptive_avgpool2d', { output: 1 }, { inputs: [b.out] }), sameConv(128, 1), op('sigmoid')]),
          op('mul', {}, { name: 'mul', inputs: ['cbr.2', 'scale.2'] }),
          resize('interpolate', 'mul', b.aux),
          op('conv2d', { out: CLASSES, kernel: 1 }, { name: 'low_classifier', inputs: [b.aux] }),
          op('conv2d', { out: CLASSES, kernel: 1 }, { name: 'high_classifier', inputs: ['interpolate'] }),
          op('add', {}, { name: 'add', inputs: ['low_classifier', 'high_classifier'] }),
        ],
      },
      resize('out', 'classifier.add', 'input'),
    ],
  };
}

/** [name, head, backbone, title, num_params of the COCO_WITH_VOC_LABELS_V1 weights (trained with the aux head)]. */
const MODELS: readonly (readonly [string, Head, () => Backbone, string, number])[] = [
  ['fcn_resnet50', 'fcn', () => resnetBackbone(50), 'FCN on a dilated ResNet-50', 35_322_218],
  ['fcn_resnet101', 'fcn', () => resnetBackbone(101), 'FCN on a dilated ResNet-101', 54_314_346],
  ['deeplabv3_resnet50', 'deeplabv3', () => resnetBackbone(50), 'DeepLabV3 (ASPP) on a dilated ResNet-50', 42_004_074],
  ['deeplabv3_resnet101', 'deeplabv3', () => resnetBackbone(101), 'DeepLabV3 (ASPP) on a dilated ResNet-101', 60_996_202],
  ['deeplabv3_mobilenet_v3_large', 'deeplabv3', mobilenetBackbone, 'DeepLabV3 (ASPP) on MobileNet v3 Large', 11_029_328],
];

const segEntry = (name: string, title: string, spec: () => Spec, published?: number): ZooEntry => ({
  ...torchvisionEntry(name, title, spec, published),
  source: `torchvision.models.segmentation.${name.replace(/_noaux$/, '')}`,
});

export const segmentations: readonly ZooEntry[] = [
  ...MODELS.flatMap(([name, head, backbone, title, published]) => [
    segEntry(name, `${title}, with the auxiliary FCN head (as published), 21 classes, 520×520`, () => segmentation(name, head, backbone(), true), published),
    segEntry(`${name}_noaux`, `${title}, without the auxiliary head, 21 classes, 520×520`, () => segmentation(`${name}_noaux`, head, backbone(), false)),
  ]),
  segEntry('lraspp_mobilenet_v3_large', 'LR-ASPP on MobileNet v3 Large, 21 classes, 520×520', lraspp, 3_221_538),
];
