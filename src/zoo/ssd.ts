/**
 * @module
 * torchvision 0.14's single-shot detectors (torchvision.models.detection) in the configuration of their published COCO
 * weights, under its module names, 91 classes:
 * - SSD300 (Liu et al., "SSD: Single Shot MultiBox Detector", ECCV 2016) on VGG-16, on a 300×300 image (the transform
 *   resizes every image to 300×300): VGG-16's convs up to conv4_3 (the third max pool with ceil_mode, 75 → 38), whose
 *   output feeds the head after an L2 normalisation and a learned per-channel scale (`scale_weight`, initialised to 20;
 *   the functional F.normalize is the layer `l2norm`); then conv5, a 3×3/1 max pool, the dilated fc6 (3×3, dilation 6)
 *   and fc7 (1×1), and four extra blocks down to 1×1. Six maps (38, 19, 10, 5, 3, 1) with 4, 6, 6, 6, 4, 4 default
 *   boxes per position, 8,732 in all; each map has its own 3×3 classifier and box regressor.
 * - SSDlite320 (Sandler et al., "MobileNetV2", CVPR 2018, §6.2) on MobileNet v3 Large with the reduced tail (its last
 *   stage halved) and BatchNorm eps 0.001, on 320×320: the first map is the expansion of the C4 block (block 13) at 1/16,
 *   the second the end of the features at 1/32, then four extra blocks (1×1, depthwise 3×3/2, 1×1, ReLU6). Six maps (20,
 *   10, 5, 3, 2, 1), 6 default boxes per position, 3,234 in all; heads are depthwise 3×3 + 1×1 per map.
 * Post-processing (box decoding, score thresholds, per-class NMS) keeps at most 200 (SSD300) or 300 (SSDlite) detections
 * per image; it depends on the image, so its MACs and FLOPs are unknown.
 */
import { block, op, seq, type BlockSpec, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { convNormAct, reading, type Norm } from './blocks.js';
import { conv, transform } from './detection-blocks.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';
import { mobilenetV3Features, v3Large } from './trunks.js';

const CLASSES = 91;

/** The heads: for each map i, module_list.i of the regression head (4 per box), then of the classification head. */
function heads(maps: readonly string[], boxes: readonly number[], predictor: (i: number, out: number, from: string) => LayerSpec): LayerSpec {
  const head = (name: string, per: number) => ({
    block: name,
    layers: [{ block: 'module_list', layers: maps.map((m, i) => predictor(i, per * boxes[i]!, m)) }],
  });
  return { block: 'head', type: 'SSDHead', layers: [head('regression_head', 4), head('classification_head', CLASSES)] };
}

/** The last layer of each map's regressor, then of its classifier; `suffix` reaches into a predictor block. */
const outputs = (maps: number, suffix: string): string[] =>
  ['regression_head', 'classification_head'].flatMap((h) => Array.from({ length: maps }, (_, i) => `head.${h}.module_list.${i}${suffix}`));

function detector(name: string, side: number, backbone: LayerSpec, maps: readonly string[], boxes: readonly number[], keep: number, predictor: (i: number, out: number, from: string) => LayerSpec, suffix = ''): Spec {
  return {
    name,
    input: [1, 3, side, side],
    source: `torchvision.models.detection.${name}(weights=DEFAULT), torchvision 0.14`,
    layers: [
      transform({ size: side }),
      backbone,
      heads(maps, boxes, predictor),
      op('default_boxes', { per_location: boxes }, { name: 'anchor_generator', inputs: ['transform', ...maps] }),
      op('box_filter', { keep }, { name: 'postprocess_detections', label: `keep ${keep} per image`, inputs: ['transform', 'anchor_generator', ...outputs(maps.length, suffix)] }),
    ],
    notes: ['Detection post-processing (box decoding, score thresholds, non-maximum suppression) depends on the image: its MACs and FLOPs are unknown.'],
  };
}

// ---- SSD300 ----

const relu = (): OpSpec => op('relu');
const c3 = (out: number, extra: Record<string, number> = {}): OpSpec => op('conv2d', { out, kernel: 3, padding: 1, ...extra });

function ssd300(): Spec {
  const pool = (extra: Record<string, unknown> = {}): OpSpec => op('maxpool2d', { kernel: 2, stride: 2, ...extra });
  const stage = (out: number, n: number) => Array.from({ length: n }, () => [c3(out), relu()]).flat();
  // VGG-16's features up to conv4_3's ReLU (features[0:23]), the third pool rounding up.
  const features = [...stage(64, 2), pool(), ...stage(128, 2), pool(), ...stage(256, 3), pool({ ceil_mode: true }), ...stage(512, 3)];
  const extra = (mid: number, out: number, second: Record<string, number>) => seq(undefined, [op('conv2d', { out: mid, kernel: 1 }), relu(), op('conv2d', { out, kernel: 3, ...second }), relu()]);
  const backbone: LayerSpec = {
    block: 'backbone',
    type: 'SSDFeatureExtractorVGG',
    layers: [
      seq('features', features),
      // scale_weight.view(1, -1, 1, 1) * F.normalize(x): the first map the head reads.
      op('normalize', { dim: 1 }, { name: 'l2norm' }),
      op('parameter', { shape: [1, 512, 1, 1], mode: 'mul' }, { name: 'scale_weight' }),
      seq('extra', [
        seq(undefined, [
          op('maxpool2d', { kernel: 2, stride: 2 }, { inputs: ['features.22'] }),
          ...stage(512, 3),
          seq(undefined, [op('maxpool2d', { kernel: 3, stride: 1, padding: 1 }), c3(1024, { padding: 6, dilation: 6 }), relu(), op('conv2d', { out: 1024, kernel: 1 }), relu()]),
        ]),
        extra(256, 512, { padding: 1, stride: 2 }),
        extra(128, 256, { padding: 1, stride: 2 }),
        extra(128, 256, {}),
        extra(128, 256, {}),
      ]),
    ],
  };
  const maps = ['backbone.scale_weight', 'backbone.extra.0.7.4', 'backbone.extra.1.3', 'backbone.extra.2.3', 'backbone.extra.3.3', 'backbone.extra.4.3'];
  const boxes = [4, 6, 6, 6, 4, 4];
  return detector('ssd300_vgg16', 300, backbone, maps, boxes, 200, (i, out, from) => conv(out, 3, { name: String(i), inputs: [from] }));
}

// ---- SSDlite320 ----

const LITE: Norm = { eps: 0.001, momentum: 0.03 };

/** A block named `name` instead of by its position. */
const named = (l: LayerSpec, name: string): LayerSpec => ({ ...(l as BlockSpec), block: name });

function ssdlite(): Spec {
  const f = mobilenetV3Features(v3Large, { norm: LITE, reducedTail: true });
  const c4 = f.stages[f.stages.length - 2]!;
  // features[c4] is the strided block: block(undefined, [seq('block', [expand, depthwise, SE, project])]).
  const inner = ((f.layers[c4] as BlockSpec).layers[0] as BlockSpec).layers;
  const cna = (out: number, kernel: number, opts: { stride?: number; groups?: number } = {}) => convNormAct(undefined, out, kernel, { ...opts, act: 'relu6', norm: LITE });
  const extra = (out: number) => seq(undefined, [cna(out / 2, 1), cna(out / 2, 3, { stride: 2, groups: out / 2 }), cna(out, 1)]);
  const backbone: LayerSpec = {
    block: 'backbone',
    type: 'SSDLiteFeatureExtractorMobileNet',
    layers: [
      seq('features', [
        // Up to the C4 block's expansion conv (1/16), then from its depthwise conv to the end (1/32).
        seq(undefined, [...f.layers.slice(0, c4), inner[0]!]),
        seq(undefined, [block(undefined, inner.slice(1).map((l, i) => named(l, String(i + 1)))), ...f.layers.slice(c4 + 1)]),
      ]),
      seq('extra', [extra(512), extra(256), extra(256), extra(128)]),
    ],
  };
  const channels = [672, 480, 512, 256, 256, 128];
  const maps = ['backbone.features.0.13.2', 'backbone.features.1.3.2', ...[0, 1, 2, 3].map((i) => `backbone.extra.${i}.2.2`)];
  const boxes = [6, 6, 6, 6, 6, 6];
  // _prediction_block: depthwise 3×3 + BN + ReLU6, then a 1×1 conv with bias.
  const predictor = (i: number, out: number, from: string): LayerSpec => seq(String(i), [reading(cna(channels[i]!, 3, { groups: channels[i]! }), from), op('conv2d', { out, kernel: 1 })]);
  return detector('ssdlite320_mobilenet_v3_large', 320, backbone, maps, boxes, 300, predictor, '.1');
}

const entry = (name: string, title: string, spec: () => Spec, published: number): ZooEntry => ({ ...torchvisionEntry(name, title, spec, published), source: `torchvision.models.detection.${name}` });

/** Published parameter counts: num_params of each model's COCO_V1 weights in torchvision 0.14. */
export const ssds: readonly ZooEntry[] = [
  entry('ssd300_vgg16', 'SSD300 on VGG-16: 8,732 default boxes on six maps, 91 classes, 300×300', ssd300, 35_641_826),
  entry('ssdlite320_mobilenet_v3_large', 'SSDlite320 on MobileNet v3 Large (reduced tail): 3,234 default boxes, 320×320', ssdlite, 3_440_060),
];
