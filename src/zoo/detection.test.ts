import { describe, expect, test } from 'vitest';
import { paramsUnder, zooReport } from '../../test/helpers.js';
import { familyTests } from '../../test/zoo-family.js';
import { sum } from '../int.js';
import { summarize } from '../summarize.js';

/**
 * num_params of each model's COCO_V1 weights in torchvision 0.14 (FasterRCNN_ResNet50_FPN_Weights.COCO_V1.meta, …), the
 * figures of torchvision's table of detection weights. They count the pretrained configuration, whose backbone norm is
 * FrozenBatchNorm2d: its weight, bias and statistics are all buffers.
 */
const published: Record<string, number> = {
  fasterrcnn_resnet50_fpn: 41_755_286,
  fasterrcnn_mobilenet_v3_large_fpn: 19_386_354,
  maskrcnn_resnet50_fpn: 44_401_393,
  keypointrcnn_resnet50_fpn: 59_137_258,
  retinanet_resnet50_fpn: 34_014_999,
  fcos_resnet50_fpn: 32_269_600,
  ssd300_vgg16: 35_641_826,
  ssdlite320_mobilenet_v3_large: 3_440_060,
};

/** The most detections per image each model keeps (detections_per_img / box_detections_per_img). */
const detections: Record<string, number> = {
  fasterrcnn_resnet50_fpn: 100,
  fasterrcnn_mobilenet_v3_large_fpn: 100,
  maskrcnn_resnet50_fpn: 100,
  keypointrcnn_resnet50_fpn: 100,
  retinanet_resnet50_fpn: 300,
  fcos_resnet50_fpn: 100,
  ssd300_vgg16: 200,
  ssdlite320_mobilenet_v3_large: 300,
};

const faster = zooReport('fasterrcnn_resnet50_fpn');
const at = (r: ReturnType<typeof summarize>, name: string) => r.layers.find((l) => l.name === name)!;
const params = paramsUnder;

describe('detection totals', () => {
  // The boxes: at most detections_per_img per image. Under the Keras convention every buffer (FrozenBatchNorm2d's four
  // tensors, SSDlite's running statistics) is a non-trainable parameter.
  familyTests(published, { output: (name) => [detections[name]!, 4] });
});

describe('Faster R-CNN ResNet-50 FPN by hand', () => {
  test('the parameters: frozen trunk, FPN, RPN head, box head', () => {
    // ResNet-50 without fc (23,508,032) and without its BatchNorms' 53,120 γ and β, which FrozenBatchNorm2d keeps as buffers.
    expect(params(faster, 'backbone.body.')).toBe(23_454_912);
    expect(at(faster, 'backbone.body.bn1').buffers).toBe(4 * 64);
    // FPN: inner 1×1 convs 256·(256 + 512 + 1,024 + 2,048) + 4·256 = 984,064; layer 3×3 convs 4·590,080 = 2,360,320.
    expect(params(faster, 'backbone.fpn.')).toBe(3_344_384);
    // RPN head, counted once for its five calls: 590,080 + 3·256 + 3 + 12·256 + 12 = 593,935.
    expect(params(faster, 'rpn.')).toBe(593_935);
    // fc6 256·7·7·1,024 + 1,024, fc7 1,024² + 1,024, cls_score 1,024·91 + 91, bbox_pred 1,024·364 + 364.
    expect(params(faster, 'roi_heads.')).toBe(12_846_080 + 1_049_600 + 93_275 + 373_100);
  });

  test('the RPN head runs once per level; its MACs add up over the five', () => {
    // conv 3×3 256 → 256 on 200² + 100² + 50² + 25² + 13² = 53,294 positions: 53,294·256·2,304 = 31,434,080,256.
    const calls = faster.layers.filter((l) => l.name.replace(/#\d+$/, '') === 'rpn.head.conv.0.0');
    expect(calls.map((l) => l.outputShape[2])).toEqual([200, 100, 50, 25, 13]);
    expect(sum(calls.map((l) => l.macs!))).toBe(31_434_080_256);
    expect(calls.slice(1).every((l) => l.params === 0 && l.tied === 590_080)).toBe(true);
    expect(at(faster, 'rpn.anchor_generator').outputShape).toEqual([159_882, 4]);
  });

  test('the box head is counted on 1,000 proposals, and says so; post-processing is unknown', () => {
    expect(at(faster, 'rpn.filter_proposals').outputShape).toEqual([1000, 4]);
    // fc6: 1,000·12,544·1,024 = 12,845,056,000.
    expect(at(faster, 'roi_heads.box_head.fc6').macs).toBe(12_845_056_000);
    expect(at(faster, 'roi_heads.box_head.fc6').label).toBe('FC-1024 (1000 RoIs per image)');
    expect(faster.totals.unknown).toBe(2);
    expect(at(faster, 'roi_heads.postprocess_detections').macs).toBeNull();
    expect(faster.model.notes.join(' ')).toContain('1000 proposals per image');
  });

  test('another image is resized and padded as torchvision does, and a batch of two keeps 1,000 proposals each', () => {
    const wide = summarize('fasterrcnn_resnet50_fpn', { input: [1, 3, 480, 640] });
    // 480×640 → 800×1066 → padded to 800×1088; P2 is 200×272.
    expect(at(wide, 'transform').outputShape).toEqual([1, 3, 800, 1088]);
    expect(at(wide, 'backbone.fpn.layer_blocks.0.0').outputShape).toEqual([1, 256, 200, 272]);
    const two = summarize('fasterrcnn_resnet50_fpn', { batch: 2 });
    expect(at(two, 'roi_heads.box_roi_pool').outputShape).toEqual([2000, 256, 7, 7]);
  });
});

describe('the other detectors by hand', () => {
  test('Mask and Keypoint R-CNN run their heads on the 100 detections', () => {
    const mask = zooReport('maskrcnn_resnet50_fpn');
    expect(at(mask, 'roi_heads.mask_predictor.mask_fcn_logits').outputShape).toEqual([100, 91, 28, 28]);
    expect(at(mask, 'roi_heads.mask_head.0.0').label).toBe('conv3-256 (100 detections per image)');
    // Mask branch: 4·590,080 + conv5_mask 256·256·4 + 256 = 262,400 + mask_fcn_logits 256·91 + 91 = 23,387.
    expect(params(mask, 'roi_heads.mask_')).toBe(2_360_320 + 262_400 + 23_387);
    const keypoint = zooReport('keypointrcnn_resnet50_fpn');
    // 28×28 heatmaps of 17 keypoints, upsampled ×2.
    expect(at(keypoint, 'roi_heads.keypoint_predictor.interpolate').outputShape).toEqual([100, 17, 56, 56]);
  });

  test('RetinaNet: 9 anchors per position on P3–P7, 819 = 9·91 class logits', () => {
    const r = zooReport('retinanet_resnet50_fpn');
    // 9·(100² + 50² + 25² + 13² + 7²) = 9·13,343 = 120,087.
    expect(at(r, 'anchor_generator').outputShape).toEqual([120_087, 4]);
    expect(at(r, 'head.classification_head.cls_logits').outputShape).toEqual([1, 819, 100, 100]);
    expect(at(r, 'head.classification_head.cls_logits#5').outputShape).toEqual([1, 819, 7, 7]);
    expect(at(r, 'backbone.fpn.extra_blocks.p7').outputShape).toEqual([1, 256, 7, 7]);
  });

  test('SSD300: the L2-normalised conv4_3 with its 512 scales, 8,732 default boxes', () => {
    const r = zooReport('ssd300_vgg16');
    expect(at(r, 'backbone.scale_weight').params).toBe(512);
    expect(at(r, 'anchor_generator').outputShape).toEqual([8_732, 4]);
    // fc6: 3×3 512 → 1,024 dilated 6 on 19×19.
    expect(at(r, 'backbone.extra.0.7.1').params).toBe(4_719_616);
  });

  test('SSDlite320: 6 boxes per position on 20², 10², 5², 3², 2², 1²', () => {
    const r = zooReport('ssdlite320_mobilenet_v3_large');
    // 6·(400 + 100 + 25 + 9 + 4 + 1) = 3,234.
    expect(at(r, 'anchor_generator').outputShape).toEqual([3_234, 4]);
    // The reduced tail: the last conv has 6·80 = 480 channels.
    expect(at(r, 'backbone.features.1.3.2').outputShape).toEqual([1, 480, 10, 10]);
  });
});
