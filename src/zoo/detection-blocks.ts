/**
 * @module
 * What torchvision 0.14's detection models share: the input transform, the backbones with a Feature Pyramid Network
 * (Lin et al., "Feature Pyramid Networks for Object Detection", CVPR 2017) and heads that run once per pyramid level.
 * - The pretrained configuration, which torchvision's published parameter counts describe: FrozenBatchNorm2d in the
 *   backbone (weight, bias and statistics all buffers, so no parameters).
 * - FPN (torchvision's FeaturePyramidNetwork): a 1×1 `inner_blocks.i` conv to 256 channels per input level, top-down
 *   from the coarsest: each level adds the nearest-neighbour upsampling of the level above (the functional
 *   F.interpolate and sum, here `upsample_i` and `add_i`), then a 3×3 `layer_blocks.i` conv; extra levels are a
 *   1×1/2 max pool of the last output (LastLevelMaxPool, `pool`) or two 3×3/2 convs P6 and P7 (LastLevelP6P7).
 * - A head shared by the levels is one module called once per level; nncalc writes call k as `name#k`, which shares
 *   the first call's weights (counted once), so its MACs are per level and its parameters once.
 */
import { block, isOp, isParallel, op, seq, type LayerSpec, type OpSpec } from '../describe/spec.js';
import type { Norm } from './blocks.js';
import { lastName, mobilenetV3Features, resnetTrunk, v3Large } from './trunks.js';

/** torchvision's FrozenBatchNorm2d, the norm of its pretrained detection backbones. */
export const FROZEN: Norm = { kind: 'frozen_batchnorm2d', eps: 1e-5 };

/** GeneralizedRCNNTransform: resize (shorter side 800, longer at most 1333, unless a fixed `size`) and pad. */
export const transform = (opts: { min_size?: number; max_size?: number; size?: number; size_divisible?: number } = {}): OpSpec =>
  op(
    'detection_transform',
    opts.size === undefined ? { min_size: opts.min_size ?? 800, max_size: opts.max_size ?? 1333 } : { size: opts.size, size_divisible: opts.size_divisible ?? 1 },
    { name: 'transform' },
  );

/** Call k (1-based) of a module called once per level: its name, and for k ≥ 2 the weights it shares with call 1. */
export interface Call {
  readonly k: number;
  readonly name: (base: string) => string;
  readonly tie: (path: string) => { readonly tied?: Readonly<Record<string, string>> };
}

export const call = (k: number): Call => ({
  k,
  name: (base) => (k === 1 ? base : `${base}#${k}`),
  tie: (path) => (k === 1 ? {} : { tied: { '*': path } }),
});

/** A conv with bias, padded to keep the size at stride 1: Conv2dNormActivation without a norm, or a plain Conv2d. */
export const conv = (out: number, kernel: number, meta: Omit<OpSpec, 'op' | 'attrs'>, stride = 1): OpSpec =>
  op('conv2d', { out, kernel, stride, padding: (kernel - 1) >> 1 }, meta);

/** The backbone's feature pyramid: the names of its levels (full ids), in torchvision's order. */
export interface Pyramid {
  readonly backbone: LayerSpec;
  readonly levels: readonly string[];
}

/** FeaturePyramidNetwork over `inputs` (full ids of the body's outputs, finest first), 256 channels, named `fpn`. */
function fpn(inputs: readonly string[], extra: 'pool' | 'p6p7'): { layer: LayerSpec; levels: string[] } {
  const n = inputs.length;
  const inner = (i: number) => block('inner_blocks', [block(String(i), [conv(256, 1, { name: '0', inputs: [inputs[i]!] })])]);
  const out = (i: number, from: string) => block('layer_blocks', [block(String(i), [conv(256, 3, { name: '0', inputs: [from] })])]);
  const layers: LayerSpec[] = [inner(n - 1), out(n - 1, `inner_blocks.${n - 1}.0`)];
  let last = `inner_blocks.${n - 1}.0`;
  for (let i = n - 2; i >= 0; i--) {
    layers.push(
      inner(i),
      op('upsample', { mode: 'nearest' }, { name: `upsample_${i}`, inputs: [last, `inner_blocks.${i}.0`] }),
      op('add', {}, { name: `add_${i}`, inputs: [`inner_blocks.${i}.0`, `upsample_${i}`] }),
      out(i, `add_${i}`),
    );
    last = `add_${i}`;
  }
  const levels = inputs.map((_, i) => `backbone.fpn.layer_blocks.${i}.0`);
  const p5 = `layer_blocks.${n - 1}.0`;
  if (extra === 'pool') {
    // F.max_pool2d(p5, 1, 2, 0).
    layers.push(op('maxpool2d', { kernel: 1, stride: 2 }, { name: 'extra_blocks', inputs: [p5] }));
    levels.push('backbone.fpn.extra_blocks');
  } else {
    // LastLevelP6P7(256, 256) reads P5 (its in and out channels are equal), and P7 reads relu(P6).
    layers.push(block('extra_blocks', [conv(256, 3, { name: 'p6', inputs: [p5] }, 2), op('relu', { inplace: false }, { name: 'relu' }), conv(256, 3, { name: 'p7' }, 2)]));
    levels.push('backbone.fpn.extra_blocks.p6', 'backbone.fpn.extra_blocks.p7');
  }
  return { layer: { block: 'fpn', type: 'FeaturePyramidNetwork', layers }, levels };
}

/**
 * ResNet-50 (frozen BatchNorm) as `backbone.body`, with an FPN on its stages `returned` (1 = layer1 … 4 = layer4):
 * torchvision's resnet_fpn_backbone / _resnet_fpn_extractor.
 */
export function resnet50Fpn(returned: readonly number[], extra: 'pool' | 'p6p7'): Pyramid {
  const t = resnetTrunk({ block: 'bottleneck', layers: [3, 4, 6, 3] }, { norm: FROZEN });
  const inputs = returned.map((s) => `backbone.body.${t.outputs[s - 1]}`);
  const { layer, levels } = fpn(inputs, extra);
  return { backbone: block('backbone', [block('body', t.layers), layer]), levels };
}

/**
 * MobileNet v3 Large's features (frozen BatchNorm) as `backbone.body`, with an FPN on the outputs of features[13] (the
 * first, strided block of the last stage, 160 channels) and features[16] (the last conv, 960 channels), both at 1/32:
 * torchvision's _mobilenet_extractor(fpn=True), which returns the last two stage starts.
 */
export function mobilenetV3Fpn(): Pyramid {
  const f = mobilenetV3Features(v3Large, { norm: FROZEN });
  const returned = f.stages.slice(-2);
  const inputs = returned.map((i) => `backbone.body.${lastName(f.layers[i]!, i)}`);
  const { layer, levels } = fpn(inputs, 'pool');
  return { backbone: block('backbone', [seq('body', f.layers.slice(0, returned[1]! + 1)), layer]), levels };
}

/** `layers` with every op labelled with what it runs on: 'FC-1024 (1000 RoIs per image)'. */
export function perBox(layers: readonly LayerSpec[], what: string): LayerSpec[] {
  return layers.map((l): LayerSpec => {
    if (isOp(l)) {
      const a = l.attrs as Readonly<Record<string, unknown>>;
      const base =
        l.op === 'linear' ? `FC-${String(a['out'])}` : l.op === 'conv2d' ? `conv${String(a['kernel'])}-${String(a['out'])}` : l.op === 'conv_transpose2d' ? `deconv${String(a['kernel'])}-${String(a['out'])}` : l.op;
      return { ...l, label: `${base} (${what})` };
    }
    if (isParallel(l)) return { ...l, parallel: perBox(l.parallel, what), merge: perBox([l.merge], what)[0] as OpSpec };
    return { ...l, layers: perBox(l.layers, what) };
  });
}
