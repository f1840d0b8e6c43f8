/**
 * @module
 * torchvision 0.14's dense one-stage detectors (torchvision.models.detection) in the configuration of their published
 * COCO weights, under its module names, 91 classes, on one 800×800 image (kept as it is by the transform):
 * - RetinaNet (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017) and FCOS (Tian et al., "FCOS: Fully
 *   Convolutional One-Stage Object Detection", ICCV 2019) on ResNet-50 (frozen BatchNorm) with an FPN on layer2–layer4
 *   plus P6 and P7 (3×3/2 convs from P5, the second after a ReLU): five levels, 100² … 7² positions at 800×800.
 * - Each head (classification, then regression) is one module applied to every level in turn: four 3×3 convs of 256
 *   with ReLU (FCOS: GroupNorm(32) before each ReLU), then the predictor. RetinaNet predicts 9 anchors × 91 classes and
 *   9 × 4 offsets per position; FCOS 91 classes, 4 distances (through a functional ReLU, `relu`) and a centerness per
 *   position (one anchor, whose size is the level's stride).
 * Post-processing (per level top-k, box decoding, NMS) keeps at most 300 (RetinaNet) or 100 (FCOS) detections per image;
 * it depends on the image, so its MACs and FLOPs are unknown.
 */
import { block, op, type LayerSpec, type Spec } from '../describe/spec.js';
import { call, conv, resnet50Fpn, transform, type Call } from './detection-blocks.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';

const CLASSES = 91;

/** The tower of four 3×3 convs of one head on one level: RetinaNet's conv.i.0/conv.i.1, FCOS's flat conv.0 … conv.11. */
function tower(path: string, c: Call, level: string, gn: boolean): { layers: LayerSpec[]; last: string } {
  const layers: LayerSpec[] = [];
  let from = level;
  for (let i = 0; i < 4; i++) {
    if (gn) {
      const [cv, norm, relu] = [3 * i, 3 * i + 1, 3 * i + 2].map(String) as [string, string, string];
      layers.push(
        conv(256, 3, { name: c.name(cv), inputs: [from], ...c.tie(`${path}.conv.${cv}`) }),
        op('groupnorm', { groups: 32 }, { name: c.name(norm), ...c.tie(`${path}.conv.${norm}`) }),
        op('relu', { inplace: false }, { name: c.name(relu) }), // FCOS's towers build nn.ReLU()
      );
      from = `conv.${c.name(relu)}`;
    } else {
      layers.push(block(String(i), [conv(256, 3, { name: c.name('0'), inputs: [from], ...c.tie(`${path}.conv.${i}.0`) }), op('relu', {}, { name: c.name('1') })]));
      from = `conv.${i}.${c.name('1')}`;
    }
  }
  return { layers: [block('conv', layers)], last: from };
}

/** One head applied to every level: the tower, then the predictors (name, channels) reading it. */
function head(name: string, levels: readonly string[], gn: boolean, predictors: readonly (readonly [string, number])[], extra?: (c: Call) => LayerSpec[]): LayerSpec {
  const path = `head.${name}`;
  const layers = levels.flatMap((level, i) => {
    const c = call(i + 1);
    const t = tower(path, c, level, gn);
    return [...t.layers, ...predictors.map(([p, out]) => conv(out, 3, { name: c.name(p), inputs: [t.last], ...c.tie(`${path}.${p}`) })), ...(extra?.(c) ?? [])];
  });
  return block(name, layers);
}

function oneStage(name: string, kind: 'retinanet' | 'fcos'): Spec {
  const p = resnet50Fpn([2, 3, 4], 'p6p7');
  const retina = kind === 'retinanet';
  const anchors = retina ? 9 : 1;
  const keep = retina ? 300 : 100;
  const heads: LayerSpec = {
    block: 'head',
    type: retina ? 'RetinaNetHead' : 'FCOSHead',
    layers: retina
      ? [head('classification_head', p.levels, false, [['cls_logits', anchors * CLASSES]]), head('regression_head', p.levels, false, [['bbox_reg', anchors * 4]])]
      : [
          head('classification_head', p.levels, true, [['cls_logits', CLASSES]]),
          // bbox_regression = relu(bbox_reg(x)); bbox_ctrness reads the tower, not the ReLU.
          head('regression_head', p.levels, true, [['bbox_reg', 4], ['bbox_ctrness', 1]], (c) => [op('relu', { inplace: false }, { name: c.name('relu'), inputs: [c.name('bbox_reg')] })]),
        ],
  };
  const predictions = p.levels.flatMap((_, i) => {
    const c = call(i + 1);
    return retina ? [`head.classification_head.${c.name('cls_logits')}`, `head.regression_head.${c.name('bbox_reg')}`] : [`head.classification_head.${c.name('cls_logits')}`, `head.regression_head.${c.name('relu')}`, `head.regression_head.${c.name('bbox_ctrness')}`];
  });
  return {
    name,
    input: [1, 3, 800, 800],
    source: `torchvision.models.detection.${name}(weights=DEFAULT), torchvision 0.14`,
    layers: [
      transform(),
      p.backbone,
      heads,
      op('anchors', { per_location: [anchors] }, { name: 'anchor_generator', inputs: ['transform', ...p.levels] }),
      op('box_filter', { keep }, { name: 'postprocess_detections', label: `keep ${keep} per image`, inputs: ['transform', 'anchor_generator', ...predictions] }),
    ],
    notes: ['Detection post-processing (top-k per level, box decoding, non-maximum suppression) depends on the image: its MACs and FLOPs are unknown.'],
  };
}

const entry = (name: string, title: string, spec: () => Spec, published: number): ZooEntry => ({ ...torchvisionEntry(name, title, spec, published), source: `torchvision.models.detection.${name}` });

/** Published parameter counts: num_params of each model's COCO_V1 weights in torchvision 0.14. */
export const oneStages: readonly ZooEntry[] = [
  entry('retinanet_resnet50_fpn', 'RetinaNet, ResNet-50 FPN: 9 anchors per position on P3–P7, 91 classes, 800×800', () => oneStage('retinanet_resnet50_fpn', 'retinanet'), 34_014_999),
  entry('fcos_resnet50_fpn', 'FCOS, ResNet-50 FPN: anchor-free, centerness, 91 classes, 800×800', () => oneStage('fcos_resnet50_fpn', 'fcos'), 32_269_600),
];
