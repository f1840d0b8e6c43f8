import { describe, expect, test } from 'vitest';
import { paramsUnder, zooReport } from '../../test/helpers.js';
import { familyTests } from '../../test/zoo-family.js';
import { minus, plus, type Int } from '../int.js';
import { summarize } from '../summarize.js';

/**
 * num_params of each model's COCO_WITH_VOC_LABELS_V1 weights in torchvision 0.14 (FCN_ResNet50_Weights, …,
 * LRASPP_MobileNet_V3_Large_Weights). Those weights were trained with aux_loss=True (LR-ASPP has no auxiliary head).
 */
const published: Record<string, number> = {
  fcn_resnet50: 35_322_218,
  fcn_resnet101: 54_314_346,
  deeplabv3_resnet50: 42_004_074,
  deeplabv3_resnet101: 60_996_202,
  deeplabv3_mobilenet_v3_large: 11_029_328,
  lraspp_mobilenet_v3_large: 3_221_538,
};

const params = (name: string, prefix: string) => paramsUnder(zooReport(name), prefix);

describe('segmentation totals', () => {
  // 21 VOC classes at the image's own size.
  familyTests(published, { output: () => [1, 21, 520, 520] });
});

describe('segmentation heads by hand', () => {
  test('FCN-ResNet50: the ResNet-50 trunk plus FCNHead(2048); the auxiliary FCNHead(1024) adds 2,365,205', () => {
    // ResNet-50 without its fc (2,048·1,000 + 1,000 = 2,049,000): 25,557,032 − 2,049,000 = 23,508,032.
    expect(params('fcn_resnet50_noaux', 'backbone.')).toBe(23_508_032);
    // FCNHead(2048): 3×3 2,048 → 512 without bias 9,437,184 + BN 1,024 + 1×1 512 → 21 with bias 10,773 = 9,448,981.
    expect(params('fcn_resnet50_noaux', 'classifier.')).toBe(9_448_981);
    expect(zooReport('fcn_resnet50_noaux').totals.params).toBe(23_508_032 + 9_448_981);
    // FCNHead(1024): 9·1,024·256 = 2,359,296 + 512 + 256·21 + 21 = 5,397: 2,365,205 = 35,322,218 − 32,957,013.
    expect(params('fcn_resnet50', 'aux_classifier.')).toBe(2_365_205);
  });

  test('the dilated ResNet keeps 1/8 of the image, and the auxiliary head runs in every forward pass', () => {
    const r = zooReport('fcn_resnet50');
    // 520/2 (conv1) /2 (maxpool) /2 (layer2) = 65; layer3 and layer4 dilate instead of striding.
    expect(r.layers.find((l) => l.name === 'backbone.layer4.2.relu#3')!.outputShape).toEqual([1, 2048, 65, 65]);
    expect(r.layers.find((l) => l.name === 'backbone.layer4.1.conv2')!.attrs['dilation']).toEqual([4, 4]);
    // Aux head on 65×65: 65²·256·1,024·9 = 9,968,025,600 + 65²·21·256 = 22,713,600: 9,990,739,200 MACs, the difference
    // torchvision measures between fcn_resnet50 and fcn_resnet50_noaux.
    const aux = r.layers.filter((l) => l.name.startsWith('aux_classifier.')).map((l) => l.macs!).reduce<Int>(plus, 0);
    expect(aux).toBe(9_990_739_200);
    expect(minus(r.totals.macs, zooReport('fcn_resnet50_noaux').totals.macs)).toBe(9_990_739_200);
    expect(r.layers.find((l) => l.name === 'aux')!.outputShape).toEqual([1, 21, 520, 520]);
  });

  test('DeepLabV3: ASPP of five 256-channel branches, the last pooled to 1×1 and resized back', () => {
    // ASPP(2048): 1×1 524,288 + BN 512; three dilated 3×3 3·(4,718,592 + 512); pooling 1×1 524,288 + 512;
    // project 1,280 → 256 327,680 + 512: 15,535,104. Then 3×3 589,824 + 512 and 1×1 5,397: 16,130,837.
    expect(params('deeplabv3_resnet50_noaux', 'classifier.0.')).toBe(15_535_104);
    expect(params('deeplabv3_resnet50_noaux', 'classifier.')).toBe(16_130_837);
    const r = zooReport('deeplabv3_resnet50_noaux');
    expect(r.layers.find((l) => l.name === 'classifier.0.convs.3.0')!.attrs['dilation']).toEqual([36, 36]);
    expect(r.layers.find((l) => l.name === 'classifier.0.convs.4.interpolate')!.outputShape).toEqual([1, 256, 65, 65]);
    expect(r.layers.find((l) => l.name === 'classifier.0.cat')!.outputShape).toEqual([1, 1280, 65, 65]);
  });

  test('LR-ASPP: MobileNet v3 Large features plus a 249,586-parameter head', () => {
    // mobilenet_v3_large 5,483,032 minus its classifier (960·1,280 + 1,280 + 1,280·1,000 + 1,000 = 2,511,080): 2,971,952.
    expect(params('lraspp_mobilenet_v3_large', 'backbone.')).toBe(2_971_952);
    // cbr 960·128 + BN 256; scale 960·128; low 40·21 + 21; high 128·21 + 21: 122,880 + 256 + 122,880 + 861 + 2,709.
    expect(params('lraspp_mobilenet_v3_large', 'classifier.')).toBe(249_586);
    const r = zooReport('lraspp_mobilenet_v3_large');
    // The dilated last stage keeps 1/16 (⌈520/16⌉ = 33), upsampled to the 1/8 features (65) it is added to.
    expect(r.layers.find((l) => l.name === 'classifier.cbr.2')!.outputShape).toEqual([1, 128, 33, 33]);
    expect(r.layers.find((l) => l.name === 'classifier.add')!.outputShape).toEqual([1, 21, 65, 65]);
  });

  test('another image size flows through, the resizes follow it', () => {
    const r = summarize('deeplabv3_mobilenet_v3_large', { input: [1, 3, 480, 640] });
    expect(r.model.output).toEqual([1, 21, 480, 640]);
    expect(r.layers.find((l) => l.name === 'aux')!.outputShape).toEqual([1, 21, 480, 640]);
  });
});
