/**
 * @module
 * Normalisations that compute their statistics per sample: LayerNorm, GroupNorm, InstanceNorm and RMSNorm.
 * Unlike BatchNorm they cannot be folded into a scale and shift at inference, so their FLOPs include the
 * statistics. Per element: LayerNorm, GroupNorm and InstanceNorm 5 (mean: 1 add; variance: subtract, square,
 * add; normalise: 1 multiply by 1/σ), RMSNorm 3 (square, add, multiply by 1/rms); +1 for a weight γ and +1 for
 * a bias β. The per-row square roots and divisions are left out.
 */
import { lit, mul, product, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { channelNormWeights, readStatsNorm, type BatchNorm } from './norm.js';
import { defineOp, elements, type OpDef } from './op.js';
import { axisNames, checkChannels, fmtShape, shapeError } from './spatial.js';

/** Dimension names of a shape for formulas: a sequence [N, L, d] or an image [N, C, H, W]. */
function dimNames(x: Shape): string[] {
  if (x.length === 2) return ['N', 'd'];
  if (x.length === 3) return ['N', 'L', 'd'];
  if (x.length <= 5) return ['N', 'C', ...axisNames(x.length - 2)];
  return x.map((_, i) => `d${i}`);
}

/** FLOPs per element: the normalisation's own, then 1 for γ and 1 for β. */
function perElement(x: Shape, names: readonly string[] | undefined, base: number, gamma: boolean, beta: boolean): Count {
  const extra = (gamma ? 1 : 0) + (beta ? 1 : 0);
  const each = extra === 0 ? lit(base) : term(`(${base} + ${extra})`, base + extra);
  return mul(elements(x, names), each);
}

/** Normalised attributes of a norm over the last dimensions. */
export interface LastDimsNorm {
  /** How many trailing dimensions are normalised together. */
  readonly dims: number;
  /** PyTorch's normalized_shape, when written; checked against the input. */
  readonly normalized_shape: readonly number[] | undefined;
  readonly eps: number;
  readonly elementwise_affine: boolean;
  readonly bias: boolean;
}

function readLastDims(r: Attrs, withBias: boolean, eps: number): LastDimsNorm {
  const shape = r.has('normalized_shape') ? r.list('normalized_shape', { min: 1 }) : undefined;
  if (shape && r.has('dims')) r.fail('dims', `give 'dims' or 'normalized_shape', not both. Received: dims=${r.int('dims')}, normalized_shape=${fmtShape(shape)}.`);
  const dims = shape ? shape.length : r.int('dims', { min: 1, default: 1 });
  if (dims < 1) r.fail('normalized_shape', `'normalized_shape' must name at least one dimension. Received: normalized_shape=[].`);
  const elementwise_affine = r.bool('elementwise_affine', true);
  // PyTorch 2 keeps β only when the norm is affine at all.
  const bias = withBias ? r.bool('bias', true) && elementwise_affine : false;
  return { dims, normalized_shape: shape, eps: r.num('eps', { min: 0, default: eps }), elementwise_affine, bias };
}

/** The normalised trailing shape, checking it against the input. */
function trailing(kind: string, a: LastDimsNorm, x: Shape): Shape {
  if (a.dims > x.length) {
    throw shapeError(`${kind} normalises the last ${a.dims} dimensions, but its input ${fmtShape(x)} has only ${x.length}.`);
  }
  const last = x.slice(x.length - a.dims);
  if (a.normalized_shape && a.normalized_shape.some((d, i) => d !== last[i])) {
    throw shapeError(`${kind} has normalized_shape ${fmtShape(a.normalized_shape)}, but the last ${a.dims} dimensions of its input ${fmtShape(x)} are ${fmtShape(last)}.`);
  }
  return last;
}

function lastDimsWeights(a: LastDimsNorm, x: Shape, bias: boolean): Weight[] {
  const names = dimNames(x).slice(x.length - a.dims);
  const shape = x.slice(x.length - a.dims);
  const w = (name: string): Weight => ({ name, shape, dims: names, count: product(Object.fromEntries(names.map((n, i) => [n, shape[i]!]))) });
  return [...(a.elementwise_affine ? [w('weight')] : []), ...(bias ? [w('bias')] : [])];
}

export const layernorm = defineOp<LastDimsNorm>({
  kind: 'layernorm',
  title: 'LayerNorm',
  doc:
    'Layer normalisation over the last `dims` dimensions (or PyTorch\'s normalized_shape): weight γ and bias β of that shape ' +
    '(d each for dims 1). FLOPs: 5 per element (mean, variance, normalise), +1 for γ, +1 for β.',
  attrs: (r) => readLastDims(r, true, 1e-5),
  shape(a, [x]) {
    trailing('layernorm', a, x!);
    return [x!];
  },
  weights: (a, [x]) => lastDimsWeights(a, x!, a.bias),
  flops: (a, [x]) => perElement(x!, dimNames(x!), 5, a.elementwise_affine, a.bias),
  label: () => 'LN',
});

export const rmsnorm = defineOp<LastDimsNorm>({
  kind: 'rmsnorm',
  title: 'RMSNorm',
  doc:
    'Root-mean-square normalisation (Llama, T5) over the last `dims` dimensions: weight γ of that shape, no bias ' +
    '(elementwise_affine false: none). FLOPs: 3 per element (square, sum, scale by 1/rms), +1 for γ.',
  attrs: (r) => readLastDims(r, false, 1e-6),
  shape(a, [x]) {
    trailing('rmsnorm', a, x!);
    return [x!];
  },
  weights: (a, [x]) => lastDimsWeights(a, x!, false),
  flops: (a, [x]) => perElement(x!, dimNames(x!), 3, a.elementwise_affine, false),
  label: () => 'RMSNorm',
});

/** Normalised group-norm attributes. */
export interface GroupNorm {
  readonly groups: number;
  /** The channel count, when written (PyTorch's num_channels); checked against the input. */
  readonly num_channels: number | undefined;
  readonly eps: number;
  readonly affine: boolean;
}

export const groupnorm = defineOp<GroupNorm>({
  kind: 'groupnorm',
  title: 'GroupNorm',
  doc:
    'Group normalisation: the C channels of each sample split into `groups` groups normalised separately; ' +
    'weight γ and bias β [C] when affine. FLOPs: 5 per element, +2 with affine.',
  attrs: (r) => ({
    groups: r.int('groups', { min: 1 }),
    num_channels: r.has('num_channels') ? r.int('num_channels', { min: 1 }) : undefined,
    eps: r.num('eps', { min: 0, default: 1e-5 }),
    affine: r.bool('affine', true),
  }),
  shape(a, [x]) {
    if (x!.length < 2) throw shapeError(`groupnorm expects an input (N, C, …), but received ${fmtShape(x!)}.`);
    checkChannels('groupnorm', a.num_channels, x!, 'channels (num_channels)');
    const c = x![1]!;
    if (c % a.groups !== 0) {
      throw shapeError(`groupnorm needs the channels to split evenly into groups. Received: C=${c}, groups=${a.groups}.`, [
        `C/groups = ${c}/${a.groups} = ${(c / a.groups).toFixed(2)} is not a whole number.`,
      ]);
    }
    return [x!];
  },
  weights: (a, [x]) => channelNormWeights(x![1]!, a.affine, false),
  flops: (a, [x]) => perElement(x!, undefined, 5, a.affine, a.affine),
  label: (a) => `GN${a.groups}`,
});

/** Normalised instance-norm attributes: BatchNorm's, with PyTorch's defaults of no affine and no running statistics. */
export type InstanceNorm = BatchNorm;

function instancenormOp(rank: number): OpDef<InstanceNorm> {
  const kind = `instancenorm${rank}d`;
  return defineOp<InstanceNorm>({
    kind,
    title: `InstanceNorm${rank}d`,
    doc:
      'Instance normalisation: each channel of each sample normalised over its positions. affine (default false): γ, β [C]; ' +
      'track_running_stats (default false): running mean and variance [C] as buffers, which inference then uses. ' +
      'FLOPs: 5 per element (+2 with affine), or 2 with running statistics (a folded scale and shift).',
    attrs: (r) => readStatsNorm(r, false),
    shape(a, [x]) {
      if (x!.length !== rank + 2) {
        throw shapeError(`${kind} expects a ${rank + 2}-D input (${['N', 'C', ...axisNames(rank)].join(', ')}), but received ${fmtShape(x!)}.`);
      }
      checkChannels(kind, a.num_features, x!, 'channels (num_features)');
      return [x!];
    },
    weights: (a, [x]) => channelNormWeights(x![1]!, a.affine, a.track_running_stats),
    flops: (a, [x]) => (a.track_running_stats ? mul(lit(2), elements(x!)) : perElement(x!, undefined, 5, a.affine, a.affine)),
    label: () => 'IN',
  });
}

export const instancenorm1d = instancenormOp(1);
export const instancenorm2d = instancenormOp(2);
export const instancenorm3d = instancenormOp(3);
