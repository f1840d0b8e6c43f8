/**
 * @module
 * What every Keras Applications model shares: its entry (`keras:ResNet50`, counted in Keras's convention, shapes
 * shown channels last with a None batch), its Spec, and the layers written the way `keras.applications` writes
 * them, under Keras's layer names. The engine's tensors stay channels first; only the table shows them as Keras does.
 *
 * Keras runs an activation given to Conv2D or Dense (`activation='relu'`) inside that layer; nncalc shows it as a row
 * of its own, `<layer>_<activation>` (dimmed in the terminal), so that its FLOPs are counted.
 */
import { op, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';

/** The note every Keras model carries about fused activations. */
const FUSED_NOTE = "Keras applies a Conv2D's or Dense's own activation inside the layer; nncalc shows it as a row of its own, named <layer>_<activation>.";

/** The entry of `keras.applications.<cls>`, typed as `keras:<cls>`. */
export const kerasEntry = (cls: string, title: string, spec: () => Spec, published?: number): ZooEntry => ({
  name: `keras:${cls}`,
  title,
  source: `keras.applications.${cls}`,
  family: 'keras',
  convention: 'keras',
  ...(published === undefined ? {} : { published }),
  spec,
});

/** What `keras.applications.<cls>(weights=None)` builds with its top, on one RGB image `side` pixels square. */
export const kerasSpec = (cls: string, side: number, layers: readonly LayerSpec[], notes: readonly string[] = []): Spec => ({
  name: `keras:${cls}`,
  input: [1, 3, side, side],
  source: `keras.applications.${cls}(include_top=True, weights=None), Keras's layer names`,
  layers,
  convention: 'keras',
  layout: 'keras',
  notes: [...notes, FUSED_NOTE],
});

/** An activation, by Keras's name ('relu', 'swish', 'softmax', 'relu6' for ReLU(6.)), as nncalc's op kind. */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  relu: 'relu',
  relu6: 'relu6',
  swish: 'silu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  gelu: 'gelu',
  tanh: 'tanh',
  hard_swish: 'hardswish',
  hard_sigmoid: 'hardsigmoid',
};

/** An Activation layer (or ReLU layer) named as Keras names it. */
export const act = (name: string, activation: string): OpSpec => op(ACTIVATIONS[activation] ?? activation, {}, { name });

/** The activation a Conv2D or Dense applies itself, as its own row `<layer>_<activation>`. */
const fused = (layer: string, activation: string | undefined): OpSpec[] =>
  activation ? [op(ACTIVATIONS[activation] ?? activation, {}, { name: `${layer}_${activation}`, implicit: true })] : [];

/** Conv2D options, with Keras's defaults: stride 1, 'valid' padding, a bias, no activation. */
export interface ConvOpts {
  readonly stride?: number;
  readonly padding?: 'same' | 'valid';
  readonly bias?: boolean;
  readonly groups?: number;
  readonly activation?: string;
}

/** Keras's Conv2D (filters, kernel_size), then its fused activation if any. */
export function conv(name: string, filters: number, kernel: number | readonly [number, number], o: ConvOpts = {}): OpSpec[] {
  const attrs = { out: filters, kernel: typeof kernel === 'number' ? kernel : [...kernel], stride: o.stride ?? 1, padding: o.padding === 'same' ? 'same' : 0, bias: o.bias ?? true, groups: o.groups ?? 1 };
  return [op('conv2d', attrs, { name }), ...fused(name, o.activation)];
}

/** Keras's DepthwiseConv2D (depth multiplier 1), with Keras's defaults: 'valid' padding, a bias. */
export const depthwise = (name: string, kernel: number, o: { stride?: number; padding?: 'same' | 'valid'; bias?: boolean } = {}): OpSpec =>
  op('depthwise_conv2d', { kernel, stride: o.stride ?? 1, padding: o.padding === 'same' ? 'same' : 0, bias: o.bias ?? true }, { name });

/** Keras's Dense, then its fused activation if any. */
export const dense = (name: string, units: number, activation?: string): OpSpec[] => [op('linear', { out: units }, { name }), ...fused(name, activation)];

/** Keras's BatchNormalization over the channels. */
export const bn = (name: string, epsilon = 1e-3, extra: { scale?: boolean; momentum?: number } = {}): OpSpec =>
  op('batch_normalization', { epsilon, ...(extra.momentum === undefined ? {} : { momentum: extra.momentum }), ...(extra.scale === false ? { scale: false } : {}) }, { name });

/** ZeroPadding2D: n on every side, or [top, bottom, left, right]. */
export const zeroPad = (name: string, padding: number | readonly [number, number, number, number]): OpSpec =>
  op('zero_padding2d', { padding: typeof padding === 'number' ? padding : [...padding] }, { name });

/** GlobalAveragePooling2D. */
export const gap = (name: string, keepdims = false): OpSpec => op('global_avgpool', keepdims ? { keepdims } : {}, { name });

/** MaxPooling2D / AveragePooling2D (pool_size, strides, padding). */
export const pool = (kind: 'max' | 'avg', name: string, size: number, stride: number, padding: 'same' | 'valid' = 'valid'): OpSpec =>
  op(kind === 'max' ? 'maxpool2d' : 'avgpool2d', { kernel: size, stride, padding: padding === 'same' ? 'same' : 0 }, { name });

/** The classification top most models share: global average pooling, then Dense(1000, softmax) named predictions. */
export const classifierTop = (poolName = 'avg_pool'): LayerSpec[] => [gap(poolName), ...dense('predictions', 1000, 'softmax')];

/**
 * keras.applications' `correct_pad`: the ZeroPadding2D [top, bottom, left, right] before a stride-2 'valid' conv
 * of `kernel` on a square `size`-pixel input: (k//2 − 1, k//2) per axis for an even size, (k//2, k//2) for an odd
 * one, so the conv gives ⌈size/2⌉ either way. Computed for the model's default input size.
 */
export function correctPad(size: number, kernel: number): [number, number, number, number] {
  const adjust = size % 2 === 0 ? 1 : 0;
  const c = Math.floor(kernel / 2);
  return [c - adjust, c, c - adjust, c];
}

/** Keras's names for unnamed layers, per class: the first is 'activation', then 'activation_1', 'activation_2', … */
export function autoNames(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return k === 0 ? base : `${base}_${k}`;
  };
}

