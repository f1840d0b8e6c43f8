/**
 * @module
 * ResNet (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016), ResNeXt (Xie et al. 2017)
 * and Wide ResNet (Zagoruyko & Komodakis 2016) as torchvision 0.14 builds them, under its module names.
 * Blocks reuse one ReLU module; its second and third calls are named `relu#2` and `relu#3`.
 * Bottleneck width = planes·(base_width/64)·groups, with the stride on the 3×3 conv (ResNet v1.5).
 */
import { op, repeat, residual, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { sameConv } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

const conv = (name: string, out: number, kernel: number, stride = 1, groups = 1): OpSpec => sameConv(out, kernel, stride, groups, { name });
const bn = (name: string): OpSpec => op('batchnorm2d', {}, { name });
const relu = (name = 'relu'): OpSpec => op('relu', {}, { name });

interface Variant {
  readonly block: 'basic' | 'bottleneck';
  readonly layers: readonly [number, number, number, number];
  readonly groups?: number;
  readonly widthPerGroup?: number;
}

/** One residual block: body, optional downsample shortcut, add, ReLU. */
function resBlock(v: Variant, planes: number, stride: number, inplanes: number): LayerSpec[] {
  const expansion = v.block === 'basic' ? 1 : 4;
  const out = planes * expansion;
  const shortcut = stride !== 1 || inplanes !== out ? [seq('downsample', [conv('0', out, 1, stride), bn('1')])] : [];
  const body =
    v.block === 'basic'
      ? [conv('conv1', planes, 3, stride), bn('bn1'), relu(), conv('conv2', planes, 3), bn('bn2')]
      : (() => {
          const width = Math.floor(planes * ((v.widthPerGroup ?? 64) / 64)) * (v.groups ?? 1);
          return [
            conv('conv1', width, 1), bn('bn1'), relu(),
            conv('conv2', width, 3, stride, v.groups ?? 1), bn('bn2'), relu('relu#2'),
            conv('conv3', out, 1), bn('bn3'),
          ];
        })();
  return [residual(body, op('add', {}, { name: 'add' }), shortcut), relu(v.block === 'basic' ? 'relu#2' : 'relu#3')];
}

function resnet(name: string, v: Variant): Spec {
  const expansion = v.block === 'basic' ? 1 : 4;
  let inplanes = 64;
  const stage = (i: number) => {
    const planes = 64 * 2 ** i;
    return repeat(`layer${i + 1}`, v.layers[i]!, (b) => {
      const block = resBlock(v, planes, b === 0 && i > 0 ? 2 : 1, inplanes);
      inplanes = planes * expansion;
      return block;
    });
  };
  return torchvisionSpec(name, [
    op('conv2d', { out: 64, kernel: 7, stride: 2, padding: 3, bias: false }, { name: 'conv1' }),
    bn('bn1'),
    relu(),
    op('maxpool2d', { kernel: 3, stride: 2, padding: 1 }, { name: 'maxpool' }),
    stage(0),
    stage(1),
    stage(2),
    stage(3),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'fc' }),
  ]);
}

const entry = (name: string, title: string, v: Variant, published: number): ZooEntry => torchvisionEntry(name, title, () => resnet(name, v), published);

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
