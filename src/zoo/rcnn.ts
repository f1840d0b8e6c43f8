/**
 * @module
 * torchvision 0.14's two-stage detectors (torchvision.models.detection) in the configuration of their published COCO
 * weights, under its module names, on one 800×800 image (the transform keeps it: its shorter side is already
 * min_size 800, and 800 is a multiple of 32):
 * - Faster R-CNN (Ren et al., NeurIPS 2015) on ResNet-50 + FPN and on MobileNet v3 Large + FPN, 91 COCO classes;
 * - Mask R-CNN (He et al., ICCV 2017) adds a mask head; Keypoint R-CNN adds a keypoint head (2 classes, 17 keypoints).
 * The region proposal network runs its head (3×3 conv, ReLU, objectness and box 1×1 convs) once per pyramid level, then
 * `rpn.filter_proposals` decodes, ranks and suppresses (a box_filter: unknown MACs and FLOPs) and keeps at most 1,000
 * proposals per image (post_nms_top_n at test time). The box head (RoIAlign 7×7, two 1,024-wide FCs, classifier and
 * box regressor) is counted on those 1,000 proposals, and the mask and keypoint heads (RoIAlign 14×14) on the at most
 * 100 detections per image that `roi_heads.postprocess_detections` keeps (box_detections_per_img): the most these
 * heads can see. Each such layer's label says which count it is counted at.
 * Not counted as layers: the functional ReLUs after fc6 and fc7 are `relu_fc6`, `relu_fc7`; the masks' sigmoid and
 * pasting into the image and the keypoints' decoding happen in post-processing, after the last layers here.
 * Parameters match torchvision's published num_params: the backbone's FrozenBatchNorm2d holds buffers only. (With
 * those weights torchvision also freezes the first backbone stages for fine-tuning, requires_grad=False; nncalc counts
 * them as trainable parameters all the same.)
 */
import { block, op, type LayerSpec, type Spec } from '../describe/spec.js';
import { call, conv, mobilenetV3Fpn, perBox, resnet50Fpn, transform, type Pyramid } from './detection-blocks.js';
import { torchvisionEntry, type ZooEntry } from './entry.js';

const PROPOSALS = 1000;
const DETECTIONS = 100;
const RPN = `${PROPOSALS} RoIs per image`;
const DET = `${DETECTIONS} detections per image`;

/** The RPN over the pyramid `levels` with `anchors` per position: its shared head, anchors and proposal filter. */
function rpn(levels: readonly string[], anchors: number): LayerSpec {
  const head = levels.flatMap((level, i) => {
    const c = call(i + 1);
    const t = `conv.0.${c.name('1')}`;
    return [
      block('conv', [block('0', [conv(256, 3, { name: c.name('0'), inputs: [level], ...c.tie('rpn.head.conv.0.0') }), op('relu', {}, { name: c.name('1') })])]),
      conv(anchors, 1, { name: c.name('cls_logits'), inputs: [t], ...c.tie('rpn.head.cls_logits') }),
      conv(4 * anchors, 1, { name: c.name('bbox_pred'), inputs: [t], ...c.tie('rpn.head.bbox_pred') }),
    ];
  });
  const outputs = levels.flatMap((_, i) => [call(i + 1).name('cls_logits'), call(i + 1).name('bbox_pred')].map((n) => `head.${n}`));
  return {
    block: 'rpn',
    type: 'RegionProposalNetwork',
    layers: [
      { block: 'head', type: 'RPNHead', layers: head },
      op('anchors', { per_location: [anchors] }, { name: 'anchor_generator', inputs: ['transform', ...levels] }),
      op('box_filter', { keep: PROPOSALS }, { name: 'filter_proposals', label: `keep ${PROPOSALS} per image`, inputs: ['transform', 'anchor_generator', ...outputs] }),
    ],
  };
}

type Extra = 'mask' | 'keypoint' | undefined;

/** RoIHeads: box RoIAlign, TwoMLPHead, FastRCNNPredictor, the detections, then the mask or keypoint branch. */
function roiHeads(levels: readonly string[], classes: number, extra: Extra): LayerSpec {
  const maps = levels.slice(0, 4);
  const box = perBox(
    [
      op('roi_align', { output: 7, sampling_ratio: 2 }, { name: 'box_roi_pool', inputs: ['rpn.filter_proposals', ...maps] }),
      { block: 'box_head', type: 'TwoMLPHead', layers: [op('flatten', {}, { name: 'flatten' }), op('linear', { out: 1024 }, { name: 'fc6' }), op('relu', { inplace: false }, { name: 'relu_fc6' }), op('linear', { out: 1024 }, { name: 'fc7' }), op('relu', { inplace: false }, { name: 'relu_fc7' })] },
      { block: 'box_predictor', type: 'FastRCNNPredictor', layers: [op('linear', { out: classes }, { name: 'cls_score' }), op('linear', { out: 4 * classes }, { name: 'bbox_pred', inputs: ['box_head.relu_fc7'] })] },
    ],
    RPN,
  );
  const detections = op('box_filter', { keep: DETECTIONS }, { name: 'postprocess_detections', label: `keep ${DETECTIONS} per image`, inputs: ['transform', 'box_predictor.cls_score', 'box_predictor.bbox_pred', 'rpn.filter_proposals'] });
  const pool = (name: string) => op('roi_align', { output: 14, sampling_ratio: 2 }, { name, inputs: ['postprocess_detections', ...maps] });
  const branch: LayerSpec[] =
    extra === 'mask'
      ? [
          pool('mask_roi_pool'),
          // MaskRCNNHeads: four Conv2dNormActivation 3×3 256 without norm.
          { block: 'mask_head', type: 'MaskRCNNHeads', layers: [0, 1, 2, 3].map((i) => block(String(i), [conv(256, 3, { name: '0' }), op('relu', {}, { name: '1' })])) },
          {
            block: 'mask_predictor',
            type: 'MaskRCNNPredictor',
            layers: [op('conv_transpose2d', { out: 256, kernel: 2, stride: 2 }, { name: 'conv5_mask' }), op('relu', {}, { name: 'relu' }), conv(classes, 1, { name: 'mask_fcn_logits' })],
          },
        ]
      : extra === 'keypoint'
        ? [
            pool('keypoint_roi_pool'),
            // KeypointRCNNHeads: eight 3×3 convs of 512, each followed by ReLU, numbered like an nn.Sequential.
            { block: 'keypoint_head', type: 'KeypointRCNNHeads', layers: Array.from({ length: 8 }, (_, i) => [conv(512, 3, { name: String(2 * i) }), op('relu', {}, { name: String(2 * i + 1) })]).flat() },
            {
              block: 'keypoint_predictor',
              type: 'KeypointRCNNPredictor',
              layers: [
                op('conv_transpose2d', { out: 17, kernel: 4, stride: 2, padding: 1 }, { name: 'kps_score_lowres' }),
                // F.interpolate(x, scale_factor=2, mode="bilinear"): 28×28 → 56×56 heatmaps.
                op('upsample', { scale_factor: 2, mode: 'bilinear', align_corners: false }, { name: 'interpolate' }),
              ],
            },
          ]
        : [];
  return { block: 'roi_heads', type: 'RoIHeads', layers: [...box, detections, ...perBox(branch, DET)] };
}

function rcnn(name: string, pyramid: () => Pyramid, anchors: number, classes: number, extra: Extra): Spec {
  const p = pyramid();
  const last = extra === 'mask' ? ['roi_heads.mask_predictor.mask_fcn_logits'] : extra === 'keypoint' ? ['roi_heads.keypoint_predictor.interpolate'] : [];
  return {
    name,
    input: [1, 3, 800, 800],
    source: `torchvision.models.detection.${name}(weights=DEFAULT), torchvision 0.14`,
    layers: [transform(), p.backbone, rpn(p.levels, anchors), roiHeads(p.levels, classes, extra)],
    outputs: ['roi_heads.postprocess_detections', ...last],
    notes: [
      `The box head is counted on ${PROPOSALS} proposals per image (the RPN's post_nms_top_n at test time), the most it keeps.`,
      ...(extra ? [`The ${extra} head is counted on ${DETECTIONS} detections per image (box_detections_per_img), the most there are.`] : []),
      'Proposal filtering and detection post-processing (box decoding, non-maximum suppression) depend on the image: their MACs and FLOPs are unknown.',
    ],
  };
}

const entry = (name: string, title: string, spec: () => Spec, published: number): ZooEntry => ({ ...torchvisionEntry(name, title, spec, published), source: `torchvision.models.detection.${name}` });

/** Published parameter counts: num_params of each model's COCO_V1 weights in torchvision 0.14. */
export const rcnns: readonly ZooEntry[] = [
  entry('fasterrcnn_resnet50_fpn', 'Faster R-CNN, ResNet-50 FPN: 91 COCO classes, 800×800, 1,000 proposals', () => rcnn('fasterrcnn_resnet50_fpn', () => resnet50Fpn([1, 2, 3, 4], 'pool'), 3, 91, undefined), 41_755_286),
  entry('fasterrcnn_mobilenet_v3_large_fpn', 'Faster R-CNN, MobileNet v3 Large FPN: 91 classes, 800×800, 1,000 proposals', () => rcnn('fasterrcnn_mobilenet_v3_large_fpn', mobilenetV3Fpn, 15, 91, undefined), 19_386_354),
  entry('maskrcnn_resnet50_fpn', 'Mask R-CNN, ResNet-50 FPN: boxes and 28×28 masks, 800×800', () => rcnn('maskrcnn_resnet50_fpn', () => resnet50Fpn([1, 2, 3, 4], 'pool'), 3, 91, 'mask'), 44_401_393),
  entry('keypointrcnn_resnet50_fpn', 'Keypoint R-CNN, ResNet-50 FPN: people and 17 keypoints, 800×800', () => rcnn('keypointrcnn_resnet50_fpn', () => resnet50Fpn([1, 2, 3, 4], 'pool'), 3, 2, 'keypoint'), 59_137_258),
];
