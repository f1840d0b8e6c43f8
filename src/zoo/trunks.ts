/**
 * @module
 * The classification trunks torchvision reuses as the backbones of its segmentation and detection models, written
 * once for the classifiers and the dense-prediction families alike:
 * - ResNet (He et al. 2016; ResNeXt and Wide ResNet through groups and width): torchvision's `replace_stride_with_dilation`
 *   turns a stage's stride 2 into dilation 2 (its first block keeps the previous dilation), and the norm is
 *   BatchNorm2d or the detection backbones' FrozenBatchNorm2d. Blocks reuse one ReLU module: `relu`, `relu#2`, `relu#3`.
 * - MobileNet v3 (Howard et al. 2019, Tables 1 and 2): `dilated` gives the last stage (C5) dilation 2 instead of
 *   stride 2, `reducedTail` halves its channels (SSDlite), and the norm is configurable.
 * Each builder also names the layers whose outputs the dense heads read (relative to the trunk's scope).
 */
import { isOp, isParallel, op, repeat, residual, seq, type LayerSpec, type OpSpec } from '../describe/spec.js';
import { convNormAct, makeDivisible, normLayer, residualIf, sameConv, squeezeExcitation, type Norm } from './blocks.js';

/**
 * The module-path name `build` gives the last layer of `layer` when it sits at `position` of an nn.Sequential (or
 * under its own name elsewhere): enough for the trunks here, whose last layers are named or positional.
 */
export function lastName(layer: LayerSpec, position?: number): string {
  if (isOp(layer)) return layer.name ?? String(position);
  if (isParallel(layer)) return layer.merge.name ?? String(position);
  const name = position !== undefined ? String(position) : layer.block;
  const last = layer.layers.length - 1;
  const inner = lastName(layer.layers[last]!, layer.indexed ? last : undefined);
  return name === undefined ? inner : `${name}.${inner}`;
}

// ---- ResNet ----

export interface ResNetVariant {
  readonly block: 'basic' | 'bottleneck';
  readonly layers: readonly [number, number, number, number];
  readonly groups?: number;
  readonly widthPerGroup?: number;
}

/** How a trunk is built into a larger model. */
export interface TrunkOptions {
  /** The norm after each conv (default BatchNorm2d, eps 1e-5). */
  readonly norm?: Norm;
  /** ResNet: replace the stride of layer2, layer3, layer4 by dilation (torchvision's replace_stride_with_dilation). */
  readonly dilate?: readonly [boolean, boolean, boolean];
}

/** A trunk's layers, and the names and channels of the outputs of its stages (ResNet: layer1 … layer4). */
export interface Trunk {
  readonly layers: readonly LayerSpec[];
  readonly outputs: readonly string[];
  readonly channels: readonly number[];
}

const BN: Norm = { eps: 1e-5, momentum: 0.1 };

/** One residual block: body, optional downsample shortcut, add, ReLU. */
function resBlock(v: ResNetVariant, planes: number, stride: number, dilation: number, inplanes: number, norm: Norm): LayerSpec[] {
  const expansion = v.block === 'basic' ? 1 : 4;
  const out = planes * expansion;
  const conv = (name: string, c: number, kernel: number, s = 1, groups = 1, d = 1): OpSpec => sameConv(c, kernel, s, groups, { name }, d);
  const bn = (name: string): OpSpec => normLayer(norm, { name });
  const relu = (name = 'relu'): OpSpec => op('relu', {}, { name });
  const shortcut = stride !== 1 || inplanes !== out ? [seq('downsample', [conv('0', out, 1, stride), bn('1')])] : [];
  const width = Math.floor(planes * ((v.widthPerGroup ?? 64) / 64)) * (v.groups ?? 1);
  const body =
    v.block === 'basic'
      ? [conv('conv1', planes, 3, stride), bn('bn1'), relu(), conv('conv2', planes, 3), bn('bn2')]
      : [conv('conv1', width, 1), bn('bn1'), relu(), conv('conv2', width, 3, stride, v.groups ?? 1, dilation), bn('bn2'), relu('relu#2'), conv('conv3', out, 1), bn('bn3')];
  return [residual(body, op('add', {}, { name: 'add' }), shortcut), relu(v.block === 'basic' ? 'relu#2' : 'relu#3')];
}

/** torchvision's ResNet up to layer4: conv1, bn1, relu, maxpool, four stages (no pooling or classifier). */
export function resnetTrunk(v: ResNetVariant, opts: TrunkOptions = {}): Trunk {
  const norm = opts.norm ?? BN;
  const expansion = v.block === 'basic' ? 1 : 4;
  let inplanes = 64;
  let dilation = 1;
  const stages = v.layers.map((n, i) => {
    const planes = 64 * 2 ** i;
    let stride = i > 0 ? 2 : 1;
    const previous = dilation;
    if (i > 0 && opts.dilate?.[i - 1]) {
      dilation *= stride;
      stride = 1;
    }
    return repeat(`layer${i + 1}`, n, (b) => {
      const block = resBlock(v, planes, b === 0 ? stride : 1, b === 0 ? previous : dilation, inplanes, norm);
      inplanes = planes * expansion;
      return block;
    });
  });
  return {
    layers: [
      op('conv2d', { out: 64, kernel: 7, stride: 2, padding: 3, bias: false }, { name: 'conv1' }),
      normLayer(norm, { name: 'bn1' }),
      op('relu', {}, { name: 'relu' }),
      op('maxpool2d', { kernel: 3, stride: 2, padding: 1 }, { name: 'maxpool' }),
      ...stages,
    ],
    outputs: v.layers.map((n, i) => `layer${i + 1}.${n - 1}.${v.block === 'basic' ? 'relu#2' : 'relu#3'}`),
    channels: v.layers.map((_, i) => 64 * 2 ** i * expansion),
  };
}

// ---- MobileNet v3 ----

/** One bneck row of Tables 1 and 2: kernel, expanded channels, output channels, SE, activation, stride. */
export type Bneck = readonly [kernel: number, expanded: number, out: number, se: boolean, act: 'RE' | 'HS', stride: number];

export const v3Large: readonly Bneck[] = [
  [3, 16, 16, false, 'RE', 1], [3, 64, 24, false, 'RE', 2], [3, 72, 24, false, 'RE', 1],
  [5, 72, 40, true, 'RE', 2], [5, 120, 40, true, 'RE', 1], [5, 120, 40, true, 'RE', 1],
  [3, 240, 80, false, 'HS', 2], [3, 200, 80, false, 'HS', 1], [3, 184, 80, false, 'HS', 1], [3, 184, 80, false, 'HS', 1],
  [3, 480, 112, true, 'HS', 1], [3, 672, 112, true, 'HS', 1],
  [5, 672, 160, true, 'HS', 2], [5, 960, 160, true, 'HS', 1], [5, 960, 160, true, 'HS', 1],
];

export const v3Small: readonly Bneck[] = [
  [3, 16, 16, true, 'RE', 2], [3, 72, 24, false, 'RE', 2], [3, 88, 24, false, 'RE', 1],
  [5, 96, 40, true, 'HS', 2], [5, 240, 40, true, 'HS', 1], [5, 240, 40, true, 'HS', 1],
  [5, 120, 48, true, 'HS', 1], [5, 144, 48, true, 'HS', 1],
  [5, 288, 96, true, 'HS', 2], [5, 576, 96, true, 'HS', 1], [5, 576, 96, true, 'HS', 1],
];

/** How a MobileNet v3 trunk is built. */
export interface V3Options {
  /** torchvision builds v3's BatchNorm with TensorFlow's eps 0.001 and momentum 0.01. */
  readonly norm?: Norm;
  /** The last stage (the last three bnecks) dilated by 2 instead of strided. */
  readonly dilated?: boolean;
  /** The last stage's channels halved (torchvision's reduced_tail). */
  readonly reducedTail?: boolean;
}

/** A v3 trunk's `features`, and the positions where each stage begins ([0, first stride-2 bnecks…, last conv]). */
export interface V3Features {
  readonly layers: readonly LayerSpec[];
  readonly stages: readonly number[];
  /** Output channels of each feature position. */
  readonly channels: readonly number[];
}

/** v3's squeeze-excitation gate: ⌊channels/4⌋ rounded to a multiple of 8, ReLU, then a hard-sigmoid. */
const se = (channels: number): LayerSpec => squeezeExcitation(undefined, channels, makeDivisible(Math.floor(channels / 4)), 'relu', 'hardsigmoid');

/** MobileNet v3's `features`: the stem, the bnecks of `setting`, and the last 1×1 conv to 6× the last bneck's channels. */
export function mobilenetV3Features(setting: readonly Bneck[], opts: V3Options = {}): V3Features {
  const norm = opts.norm ?? { eps: 0.001, momentum: 0.01 };
  const tail = setting.length - 3;
  const features: LayerSpec[] = [convNormAct(undefined, 16, 3, { stride: 2, act: 'hardswish', norm })];
  const channels = [16];
  const stages = [0];
  let inp = 16;
  setting.forEach(([kernel, e, o, gated, a, s], i) => {
    const divider = opts.reducedTail && i >= tail ? 2 : 1;
    const [expanded, out] = [makeDivisible(e / (i > tail ? divider : 1)), makeDivisible(o / divider)];
    const dilation = opts.dilated && i >= tail ? 2 : 1;
    const act = a === 'HS' ? 'hardswish' : 'relu';
    const body = seq('block', [
      ...(expanded !== inp ? [convNormAct(undefined, expanded, 1, { act, norm })] : []),
      convNormAct(undefined, expanded, kernel, { stride: dilation > 1 ? 1 : s, groups: expanded, dilation, act, norm }),
      ...(gated ? [se(expanded)] : []),
      convNormAct(undefined, out, 1, { norm }),
    ]);
    if (s > 1) stages.push(features.length);
    features.push(residualIf(s === 1 && inp === out, body));
    channels.push(out);
    inp = out;
  });
  stages.push(features.length);
  features.push(convNormAct(undefined, 6 * inp, 1, { act: 'hardswish', norm }));
  channels.push(6 * inp);
  return { layers: features, stages, channels };
}
