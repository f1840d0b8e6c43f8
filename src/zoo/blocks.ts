/**
 * @module
 * The building blocks torchvision's mobile and efficient families share (MobileNet v2/v3, MnasNet, EfficientNet,
 * RegNet, ShuffleNet, ResNet): the channel rounding of TensorFlow's reference code, the bias-free conv that a
 * BatchNorm follows, Conv2dNormActivation, SqueezeExcitation and the residual an inverted bottleneck keeps only
 * when its shape does not change.
 */
import { block, isOp, isParallel, op, parallel, residual, seq, type LayerSpec, type OpSpec } from '../describe/spec.js';

/**
 * torchvision's _make_divisible: `v` rounded to the nearest multiple of `divisor` (halves up), at least `min`,
 * and one step up when rounding would lose more than 10 % of `v`. 83 → 80, 84 → 88, 18 → 24 (16 < 0.9·18).
 */
export function makeDivisible(v: number, divisor = 8, min = divisor): number {
  const rounded = Math.max(min, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/**
 * A conv without bias (the BatchNorm after it has β) padded by ⌊(k − 1)/2⌋·dilation, so an odd kernel at stride 1
 * keeps the size. `meta` names it or says where it reads from; unnamed, it takes its position in an nn.Sequential.
 */
export const sameConv = (out: number, kernel: number, stride = 1, groups = 1, meta: Omit<OpSpec, 'op' | 'attrs'> = {}, dilation = 1): OpSpec =>
  op('conv2d', { out, kernel, stride, padding: ((kernel - 1) >> 1) * dilation, ...(dilation === 1 ? {} : { dilation }), groups, bias: false }, meta);

/**
 * BatchNorm settings; eps and momentum change no count, but each model is written as torchvision configures it.
 * `kind` is the norm's op, batchnorm2d unless given (the detection backbones' frozen_batchnorm2d has no momentum).
 */
export type Norm = { readonly eps: number; readonly momentum?: number; readonly kind?: string };

/** The norm layer of `norm`'s kind and settings. */
export const normLayer = (norm: Norm, meta: Omit<OpSpec, 'op' | 'attrs'> = {}): OpSpec => {
  const { kind = 'batchnorm2d', ...attrs } = norm;
  return op(kind, attrs, meta);
};

/** torchvision's Conv2dNormActivation: an nn.Sequential of the conv, BatchNorm, then the activation if any. */
export function convNormAct(name: string | undefined, out: number, kernel: number, opts: { stride?: number; groups?: number; dilation?: number; act?: string; norm?: Norm } = {}): LayerSpec {
  const { stride = 1, groups = 1, dilation = 1, act, norm = { eps: 1e-5, momentum: 0.1 } } = opts;
  return seq(name, [sameConv(out, kernel, stride, groups, {}, dilation), normLayer(norm), ...(act ? [op(act)] : [])]);
}

/**
 * torchvision's SqueezeExcitation: pool to 1×1, fc1 (1×1 conv to `squeeze` channels), the activation, fc2 (back to
 * `channels`), the gate's `scale` (sigmoid; MobileNet v3's hard-sigmoid), then the gate multiplies the block's input.
 * `inplace`: the activation runs in place (EfficientNet passes SiLU(inplace=True); MobileNet v3 and RegNet do not).
 */
export function squeezeExcitation(name: string | undefined, channels: number, squeeze: number, activation: string, scale = 'sigmoid', inplace = false): LayerSpec {
  const gate: OpSpec[] = [
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('conv2d', { out: squeeze, kernel: 1 }, { name: 'fc1' }),
    // SqueezeExcitation calls `activation()`: not in place, unless the model passes one that is (EfficientNet).
    op(activation, { inplace }, { name: 'activation' }),
    op('conv2d', { out: channels, kernel: 1 }, { name: 'fc2' }),
    op(scale, {}, { name: 'scale_activation' }),
  ];
  return block(name, [parallel([gate, []], op('mul', {}, { name: 'mul' }))]);
}

/** An inverted residual block: `body`, plus its input (a layer `add`) when `keep`: stride 1 and in = out channels. */
export const residualIf = (keep: boolean, body: LayerSpec): LayerSpec =>
  block(undefined, [keep ? residual([body], op('add', {}, { name: 'add' })) : body]);

/**
 * The same layers, reading `from` instead of the previous layer (a head on an earlier feature map, a branch that reads
 * a norm drawn in another branch): the first op reads `from`, and each branch of a parallel does.
 */
export function reading(layer: LayerSpec, from: string): LayerSpec {
  if (isOp(layer)) return { ...layer, inputs: [from] };
  if (isParallel(layer)) return { ...layer, parallel: layer.parallel.map((b) => reading(b, from)) };
  const [first, ...rest] = layer.layers;
  // An empty block passes its input through: it has no layer that could read `from`.
  if (first === undefined) throw new Error('bug: reading() on an empty block, which passes its input through');
  return { ...layer, layers: [reading(first, from), ...rest] };
}
