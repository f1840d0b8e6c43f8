/**
 * @module
 * ShuffleNet V2 (Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture Design",
 * ECCV 2018), Table 5's four widths, as torchvision 0.14 builds them under its module names.
 * A stride-1 unit splits the channels in half, runs `branch2` on the second half, concatenates it after the
 * untouched first half and shuffles the channels in 2 groups (Figure 3c); a stride-2 unit runs `branch1` and
 * `branch2` on the whole input (Figure 3d). The split (`chunk`), concatenation (`cat`), `channel_shuffle` and
 * the global pool `mean` are functional in torchvision, so they carry names PyTorch's module list lacks; a
 * stride-1 unit's empty `branch1` never runs and has no layer. As in torchvision, the depthwise convs have no
 * ReLU after their BN, and no conv has a bias.
 */
import { op, parallel, repeat, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { sameConv } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

const conv = (out: number, kernel: number, stride = 1, groups = 1, inputs?: readonly string[]): OpSpec => sameConv(out, kernel, stride, groups, inputs ? { inputs } : {});
const bn = (): OpSpec => op('batchnorm2d');
const relu = (): OpSpec => op('relu');

/** branch2: 1×1 conv, BN, ReLU, 3×3 depthwise conv, BN, 1×1 conv, BN, ReLU (children 0 … 7). */
const branch2 = (c: number, stride: number, inputs?: readonly string[]): LayerSpec =>
  seq('branch2', [conv(c, 1, 1, 1, inputs), bn(), relu(), conv(c, 3, stride, c), bn(), conv(c, 1), bn(), relu()]);

/** One InvertedResidual unit of torchvision (the paper's basic unit for stride 1, its down-sampling unit for stride 2). */
function unit(inp: number, out: number, stride: number): LayerSpec[] {
  const half = out / 2;
  const shuffle = op('channel_shuffle', { groups: 2 }, { name: 'channel_shuffle' });
  if (stride === 1) {
    return [
      op('chunk', { chunks: 2, dim: 1 }, { name: 'chunk' }),
      branch2(half, 1, ['chunk:1']),
      op('concat', { dim: 1 }, { name: 'cat', inputs: ['chunk:0', 'branch2.7'] }),
      shuffle,
    ];
  }
  const branch1 = seq('branch1', [conv(inp, 3, stride, inp), bn(), conv(half, 1), bn(), relu()]);
  return [parallel([branch1, branch2(half, stride)], op('concat', { dim: 1 }, { name: 'cat' })), shuffle];
}

/** Output channels of conv1, stage2, stage3, stage4 and conv5 for each width (Table 5). */
function shufflenetV2(name: string, channels: readonly [number, number, number, number, number]): Spec {
  const repeats = [4, 8, 4];
  let inp = channels[0];
  const stages = repeats.map((n, s) => {
    const out = channels[s + 1]!;
    const stage = repeat(`stage${s + 2}`, n, (i) => unit(i === 0 ? inp : out, out, i === 0 ? 2 : 1));
    inp = out;
    return stage;
  });
  return torchvisionSpec(name, [
    seq('conv1', [conv(channels[0], 3, 2), bn(), relu()]),
    op('maxpool2d', { kernel: 3, stride: 2, padding: 1 }, { name: 'maxpool' }),
    ...stages,
    seq('conv5', [conv(channels[4], 1), bn(), relu()]),
    op('global_avgpool', {}, { name: 'mean' }),
    op('linear', { out: 1000 }, { name: 'fc' }),
  ]);
}

const entry = (name: string, width: string, channels: readonly [number, number, number, number, number], published: number): ZooEntry =>
  torchvisionEntry(name, `ShuffleNet V2 ${width}: channel split, branch, concat and channel shuffle`, () => shufflenetV2(name, channels), published);

export const shufflenets: readonly ZooEntry[] = [
  entry('shufflenet_v2_x0_5', '0.5×', [24, 48, 96, 192, 1024], 1_366_792),
  entry('shufflenet_v2_x1_0', '1×', [24, 116, 232, 464, 1024], 2_278_604),
  entry('shufflenet_v2_x1_5', '1.5×', [24, 176, 352, 704, 1024], 3_503_624),
  entry('shufflenet_v2_x2_0', '2×', [24, 244, 488, 976, 2048], 7_393_996),
];
