/**
 * @module
 * ResNet (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016), ResNeXt (Xie et al. 2017)
 * and Wide ResNet (Zagoruyko & Komodakis 2016) as torchvision 0.14 builds them, under its module names.
 * Blocks reuse one ReLU module; its second and third calls are named `relu#2` and `relu#3`.
 * Bottleneck width = planes·(base_width/64)·groups, with the stride on the 3×3 conv (ResNet v1.5). The trunk
 * (everything before the pooling) is shared with the dense-prediction backbones (trunks.ts).
 */
import { op, type Spec } from '../describe/spec.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';
import { resnetTrunk, type ResNetVariant } from './trunks.js';

function resnet(name: string, v: ResNetVariant): Spec {
  return torchvisionSpec(name, [
    ...resnetTrunk(v).layers,
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'fc' }),
  ]);
}

const entry = (name: string, title: string, v: ResNetVariant, published: number): ZooEntry => torchvisionEntry(name, title, () => resnet(name, v), published);

/** Published parameter counts: num_params of each model's default weights in torchvision 0.14. */
export const resnets: readonly ZooEntry[] = [
  entry('resnet18', 'ResNet-18: basic blocks [2, 2, 2, 2]', { block: 'basic', layers: [2, 2, 2, 2] }, 11_689_512),
  entry('resnet34', 'ResNet-34: basic blocks [3, 4, 6, 3]', { block: 'basic', layers: [3, 4, 6, 3] }, 21_797_672),
  entry('resnet50', 'ResNet-50: bottleneck blocks [3, 4, 6, 3]', { block: 'bottleneck', layers: [3, 4, 6, 3] }, 25_557_032),
  entry('resnet101', 'ResNet-101: bottleneck blocks [3, 4, 23, 3]', { block: 'bottleneck', layers: [3, 4, 23, 3] }, 44_549_160),
  entry('resnet152', 'ResNet-152: bottleneck blocks [3, 8, 36, 3]', { block: 'bottleneck', layers: [3, 8, 36, 3] }, 60_192_808),
  entry('resnext50_32x4d', 'ResNeXt-50 32×4d: grouped 3×3 convs, 32 groups of width 4', { block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, widthPerGroup: 4 }, 25_028_904),
  entry('resnext101_32x8d', 'ResNeXt-101 32×8d', { block: 'bottleneck', layers: [3, 4, 23, 3], groups: 32, widthPerGroup: 8 }, 88_791_336),
  entry('resnext101_64x4d', 'ResNeXt-101 64×4d', { block: 'bottleneck', layers: [3, 4, 23, 3], groups: 64, widthPerGroup: 4 }, 83_455_272),
  entry('wide_resnet50_2', 'Wide ResNet-50-2: bottlenecks twice as wide', { block: 'bottleneck', layers: [3, 4, 6, 3], widthPerGroup: 128 }, 68_883_240),
  entry('wide_resnet101_2', 'Wide ResNet-101-2: bottlenecks twice as wide', { block: 'bottleneck', layers: [3, 4, 23, 3], widthPerGroup: 128 }, 126_886_696),
];
