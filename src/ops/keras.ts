/**
 * @module
 * Layers Keras Applications use that have no PyTorch twin in nncalc, with Keras's names and defaults:
 * ZeroPadding2D, Cropping2D, Rescaling, Normalization (with the mean, variance and count it adapts) and BatchNormalization
 * (which, unlike PyTorch's, can leave out γ or β: Inception's `scale=False`). Tensors stay channels first
 * (N, C, …); Keras's channels-last axis -1 is nncalc's axis 1.
 */
import { lit, mul, term } from '../count.js';
import type { Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp, elements } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised ZeroPadding2D (and Cropping2D) attributes: rows added (removed) above and below, columns left and right. */
export interface ZeroPadding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** Reads n, [h, w] or [top, bottom, left, right] (Keras's ((top, bottom), (left, right))) from `key`. */
function readSides(r: Attrs, key: string, fallback?: readonly number[]): ZeroPadding {
  const p = r.list(key, fallback ? { min: 0, default: fallback } : { min: 0 });
  if (p.length === 1) return { top: p[0]!, bottom: p[0]!, left: p[0]!, right: p[0]! };
  if (p.length === 2) return { top: p[0]!, bottom: p[0]!, left: p[1]!, right: p[1]! };
  if (p.length === 4) return { top: p[0]!, bottom: p[1]!, left: p[2]!, right: p[3]! };
  return r.fail(key, `'${key}' must be n, [h, w] or [top, bottom, left, right]. Received: ${key}=${fmtShape(p)}.`);
}

export const zeroPadding2d = defineOp<ZeroPadding>({
  kind: 'zero_padding2d',
  title: 'ZeroPadding2D',
  doc:
    "Keras ZeroPadding2D: zeros around an image. `padding` is n (every side), [h, w] (top and bottom h, left and right w) " +
    'or [top, bottom, left, right], as Keras writes ((top, bottom), (left, right)). No parameters, no FLOPs.',
  attrs: (r) => readSides(r, 'padding', [1]),
  shape(a, [x]) {
    if (x!.length !== 4) throw shapeError(`zero_padding2d expects an image (N, C, H, W), but received ${fmtShape(x!)}.`);
    const [n, c, h, w] = x as [number, number, number, number];
    return [[n, c, h + a.top + a.bottom, w + a.left + a.right]];
  },
  label: (a) => `pad ${a.top === a.bottom && a.left === a.right && a.top === a.left ? a.top : `(${a.top},${a.bottom}),(${a.left},${a.right})`}`,
});

export const cropping2d = defineOp<ZeroPadding>({
  kind: 'cropping2d',
  title: 'Cropping2D',
  doc:
    "Keras Cropping2D: removes rows and columns at the edges of an image. `cropping` is n, [h, w] or [top, bottom, left, right], " +
    'as Keras writes ((top, bottom), (left, right)). No parameters, no FLOPs.',
  attrs: (r) => readSides(r, 'cropping'),
  shape(a, [x]) {
    if (x!.length !== 4) throw shapeError(`cropping2d expects an image (N, C, H, W), but received ${fmtShape(x!)}.`);
    const [n, c, h, w] = x as [number, number, number, number];
    const [ho, wo] = [h - a.top - a.bottom, w - a.left - a.right];
    if (ho < 1 || wo < 1) throw shapeError(`cropping2d removes ${a.top + a.bottom} rows and ${a.left + a.right} columns of ${fmtShape(x!)}, leaving nothing.`);
    return [[n, c, ho, wo]];
  },
  label: () => 'crop',
});

/** Normalised Rescaling attributes: y = x·scale + offset. */
export interface Rescaling {
  readonly scale: readonly number[];
  readonly offset: readonly number[];
}

const nonzero = (v: readonly number[]): boolean => v.some((x) => x !== 0);

export const rescaling = defineOp<Rescaling>({
  kind: 'rescaling',
  title: 'Rescaling',
  doc: 'Keras Rescaling: x·scale + offset (one value, or one per channel). No parameters. FLOPs: 1 per element, +1 with an offset.',
  attrs: (r) => ({ scale: r.list('scale', { integer: false, default: [1] }), offset: r.list('offset', { integer: false, default: [0] }) }),
  shape(a, [x]) {
    for (const [key, v] of [['scale', a.scale], ['offset', a.offset]] as const) {
      if (v.length !== 1 && v.length !== x![1]) {
        throw shapeError(`rescaling has ${v.length} values of '${key}', but its input ${fmtShape(x!)} has ${x![1]} channels: give one value, or one per channel.`);
      }
    }
    return [x!];
  },
  flops: (a, [x]) => (nonzero(a.offset) ? mul(elements(x!), lit(2)) : elements(x!)),
  label: () => 'rescale',
});

/** Normalised Normalization attributes. */
export interface Normalization {
  /** True when the mean and variance are learned from data (adapt): then they, and the count, are weights. */
  readonly adapted: boolean;
}

export const normalization = defineOp<Normalization>({
  kind: 'normalization',
  title: 'Normalization',
  doc:
    'Keras Normalization over the channels: (x − mean)/√variance. Adapted to data (the default) it keeps mean and variance [C] and ' +
    'the sample count [] as non-trainable weights, 2·C + 1 (statistics: buffers in the PyTorch convention); given as constants ' +
    '(adapted: false), none. FLOPs: 2 per element.',
  attrs: (r) => ({ adapted: r.bool('adapted', true) }),
  shape(_, [x]) {
    if (x!.length < 2) throw shapeError(`normalization expects (N, C, …), but received ${fmtShape(x!)}.`);
    return [x!];
  },
  weights(a, [x]) {
    if (!a.adapted) return [];
    const c = x![1]!;
    const stat = (name: string, shape: number[], count = term('C', c)): Weight => ({ name, shape, dims: shape.length ? ['C'] : [], count, buffer: true, trainable: false });
    return [stat('mean', [c]), stat('variance', [c]), stat('count', [], lit(1))];
  },
  flops: (_, [x]) => mul(lit(2), elements(x!)),
  label: () => 'normalize',
});

/** Normalised BatchNormalization attributes, with Keras's names and defaults. */
export interface BatchNormalization {
  readonly epsilon: number;
  readonly momentum: number;
  /** β: a learned shift. */
  readonly center: boolean;
  /** γ: a learned scale (Inception's conv blocks leave it out). */
  readonly scale: boolean;
}

export const batchNormalization = defineOp<BatchNormalization>({
  kind: 'batch_normalization',
  title: 'BatchNormalization',
  doc:
    'Keras BatchNormalization over the channels: gamma [C] (with scale) and beta [C] (with center) are trainable; moving_mean and ' +
    'moving_variance [C] are non-trainable in Keras (buffers in the PyTorch convention). FLOPs: 2 per element.',
  attrs: (r) => ({
    epsilon: r.num('epsilon', { min: 0, default: 1e-3 }),
    momentum: r.num('momentum', { min: 0, max: 1, default: 0.99 }),
    center: r.bool('center', true),
    scale: r.bool('scale', true),
  }),
  shape(_, [x]) {
    if (x!.length < 2) throw shapeError(`batch_normalization expects (N, C, …), but received ${fmtShape(x!)}.`);
    return [x!];
  },
  weights(a, [x]) {
    const c = x![1]!;
    const w = (name: string, buffer: boolean): Weight => ({ name, shape: [c], dims: ['C'], count: term('C', c), ...(buffer ? { buffer, trainable: false } : {}) });
    return [...(a.scale ? [w('gamma', false)] : []), ...(a.center ? [w('beta', false)] : []), w('moving_mean', true), w('moving_variance', true)];
  },
  flops: (_, [x]) => mul(lit(2), elements(x!)),
  label: () => 'BN',
});
