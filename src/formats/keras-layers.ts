/**
 * @module
 * One Keras layer (class name and config) as nncalc ops, for keras-config.ts. Keras's defaults apply where the
 * config leaves a key out (padding 'valid', strides 1, use_bias true, pool strides = pool_size). `ranks` are the
 * ranks of the layer's inputs as Keras sees them (4 for an image (N, H, W, C)): they decide how a channels-last
 * axis maps to nncalc's channels-first one.
 */
import type { OpSpec } from '../describe/spec.js';
import type { Raw } from '../ops/attrs.js';
import { ModelError } from '../errors.js';

/** A layer nncalc has no translation for: its name and class, and why. */
export class KerasUnsupported extends ModelError {
  constructor(
    readonly kerasLayer: string,
    readonly cls: string,
    why: string,
  ) {
    super('unsupported', `Keras layer '${kerasLayer}' (${cls}): ${why}`, { layer: kerasLayer });
  }
}

/** A layer's rows (the last one holds its output) and the rank of its output. */
export interface Converted {
  readonly ops: OpSpec[];
  readonly rank: number;
}

type Obj = Record<string, unknown>;

/** Keras activation names → nncalc op kinds ('linear' is none). */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  relu: 'relu', relu6: 'relu6', swish: 'silu', silu: 'silu', sigmoid: 'sigmoid', softmax: 'softmax', gelu: 'gelu', tanh: 'tanh',
  hard_swish: 'hardswish', hard_silu: 'hardswish', hard_sigmoid: 'hardsigmoid', elu: 'elu', softplus: 'softplus', mish: 'mish', leaky_relu: 'leaky_relu',
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** An int or a list of ints (kernel_size: 3 or [3, 3]) as nncalc takes it: one number when all are equal. */
function size(v: unknown, fallback?: number): number | number[] | undefined {
  if (v === undefined || v === null) return fallback;
  const xs = Array.isArray(v) ? v : [v];
  if (!xs.length || !xs.every((x) => typeof x === 'number' && Number.isSafeInteger(x))) return undefined;
  return xs.every((x) => x === xs[0]) ? (xs[0] as number) : (xs as number[]);
}

/** A channels-last axis of a rank-r Keras tensor as nncalc's axis (images move C from last to 1). */
function axis(a: unknown, r: number, layer: string, cls: string): number {
  const k = num(a) ?? -1;
  const p = k < 0 ? r + k : k;
  if (p < 0 || p >= r) throw new KerasUnsupported(layer, cls, `axis ${k} of a ${r}-D tensor`);
  return r === 4 ? [0, 2, 3, 1][p]! : p;
}

export function kerasLayerOps(name: string, cls: string, c: Obj, ranks: readonly number[]): Converted {
  const r = ranks[0] ?? 0;
  const no = (why: string): never => {
    throw new KerasUnsupported(name, cls, why);
  };
  const one = (op: string, attrs: Raw = {}, rank = r): Converted => ({ ops: [{ op, attrs, name }], rank });
  /** The layer, then its own activation as a row `<name>_<activation>`. */
  const withActivation = (op: string, attrs: Raw, rank = r): Converted => {
    const act = c['activation'];
    if (act === undefined || act === null || act === 'linear') return one(op, attrs, rank);
    if (typeof act !== 'string' || !ACTIVATIONS[act]) return no(`activation ${JSON.stringify(act)?.slice(0, 60)}`);
    return { ops: [{ op, attrs, name }, { op: ACTIVATIONS[act]!, attrs: act === 'softmax' && rank === 4 ? { dim: 1 } : {}, name: `${name}_${act}`, implicit: true }], rank };
  };
  const padding = (): Raw[string] => {
    const p = c['padding'] ?? 'valid';
    if (p === 'same') return 'same';
    if (p === 'valid') return 0;
    return no(`padding ${JSON.stringify(p)}`);
  };
  if (c['data_format'] === 'channels_first') no("data_format 'channels_first'");
  const image = () => r === 4 || no(`an input of rank ${r}, where an image (N, H, W, C) was expected`);
  const bias = c['use_bias'] !== false;
  switch (cls) {
    case 'Conv2D':
      image();
      return withActivation('conv2d', { out: num(c['filters']) ?? no('no filters'), kernel: size(c['kernel_size']) ?? no('no kernel_size'), stride: size(c['strides'], 1)!, padding: padding(), dilation: size(c['dilation_rate'], 1)!, groups: num(c['groups']) ?? 1, bias });
    case 'DepthwiseConv2D':
      image();
      return withActivation('depthwise_conv2d', { kernel: size(c['kernel_size']) ?? no('no kernel_size'), stride: size(c['strides'], 1)!, padding: padding(), depth_multiplier: num(c['depth_multiplier']) ?? 1, bias });
    case 'SeparableConv2D':
      image();
      return withActivation('separable_conv2d', { out: num(c['filters']) ?? no('no filters'), kernel: size(c['kernel_size']) ?? no('no kernel_size'), stride: size(c['strides'], 1)!, padding: padding(), depth_multiplier: num(c['depth_multiplier']) ?? 1, bias });
    case 'Conv2DTranspose':
      image();
      if (c['padding'] === 'same' || (c['output_padding'] ?? null) !== null) no("padding 'same' or an output_padding");
      return withActivation('conv_transpose2d', { out: num(c['filters']) ?? no('no filters'), kernel: size(c['kernel_size']) ?? no('no kernel_size'), stride: size(c['strides'], 1)!, padding: 0, bias });
    case 'Dense': {
      const units = num(c['units']) ?? no('no units');
      // Over the channels of an image, Dense is a 1×1 conv: the same weights and MACs.
      return r === 4 ? withActivation('conv2d', { out: units, kernel: 1, bias }) : withActivation('linear', { out: units, bias });
    }
    case 'BatchNormalization': {
      const ax = Array.isArray(c['axis']) && c['axis'].length === 1 ? c['axis'][0] : c['axis'];
      if (axis(ax, r, name, cls) !== 1) no(`axis ${JSON.stringify(c['axis'])}, not the channels`);
      return one('batch_normalization', { epsilon: num(c['epsilon']) ?? 1e-3, momentum: num(c['momentum']) ?? 0.99, center: c['center'] !== false, scale: c['scale'] !== false });
    }
    case 'LayerNormalization': {
      const ax = Array.isArray(c['axis']) && c['axis'].length === 1 ? c['axis'][0] : c['axis'];
      if (axis(ax ?? -1, r, name, cls) !== (r === 4 ? 1 : r - 1)) no(`axis ${JSON.stringify(c['axis'])}, not the last`);
      const [center, scale] = [c['center'] !== false, c['scale'] !== false];
      if (center && !scale) no('center without scale');
      const eps = num(c['epsilon']) ?? 1e-3;
      return r === 4 ? (center && scale ? one('layernorm2d', { eps }) : no('an image without center or scale')) : one('layernorm', { eps, elementwise_affine: scale, bias: center });
    }
    case 'Activation': {
      const a = c['activation'];
      if (a === 'linear') return one('identity');
      if (typeof a !== 'string' || !ACTIVATIONS[a]) return no(`activation ${JSON.stringify(a)?.slice(0, 60)}`);
      return one(ACTIVATIONS[a]!, a === 'softmax' && r === 4 ? { dim: 1 } : {});
    }
    case 'ReLU': {
      const max = c['max_value'] ?? c['maxValue'];
      const slope = num(c['negative_slope']) ?? 0;
      if ((num(c['threshold']) ?? 0) !== 0) no('a threshold');
      if (max === 6 && slope === 0) return one('relu6');
      if (max !== null && max !== undefined) no(`max_value ${String(max)}`);
      return slope ? one('leaky_relu', { negative_slope: slope }) : one('relu');
    }
    case 'LeakyReLU':
      return one('leaky_relu', { negative_slope: num(c['negative_slope']) ?? num(c['alpha']) ?? 0.3 });
    case 'ELU':
      return one('elu');
    case 'Softmax':
      return one('softmax', { dim: axis(c['axis'], r, name, cls) });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      image();
      const pool = size(c['pool_size'], 2) ?? no('a bad pool_size');
      return one(cls === 'MaxPooling2D' ? 'maxpool2d' : 'avgpool2d', { kernel: pool, stride: size(c['strides'] ?? null, undefined) ?? pool, padding: padding() });
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      image();
      const keep = c['keepdims'] === true;
      return one(cls === 'GlobalAveragePooling2D' ? 'global_avgpool' : 'global_maxpool', keep ? { keepdims: true } : {}, keep ? 4 : 2);
    }
    case 'Flatten':
      return one('flatten', {}, 2);
    case 'Reshape': {
      const t = c['target_shape'];
      if (!Array.isArray(t) || !t.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) return no(`target_shape ${JSON.stringify(t)?.slice(0, 60)} (nncalc needs every size)`);
      const d = t as number[];
      return one('reshape', { shape: d.length === 3 ? [-1, d[2]!, d[0]!, d[1]!] : [-1, ...d] }, d.length + 1);
    }
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianDropout':
    case 'AlphaDropout':
      return one('dropout', { p: num(c['rate']) ?? 0.5 });
    case 'GaussianNoise':
    case 'ActivityRegularization':
      return one('identity');
    case 'ZeroPadding2D':
    case 'Cropping2D': {
      image();
      const key = cls === 'ZeroPadding2D' ? 'padding' : 'cropping';
      const p = c[key];
      const flat = typeof p === 'number' ? p : Array.isArray(p) ? p.flat() : undefined;
      const amounts = typeof flat === 'number' ? flat : Array.isArray(flat) && flat.every((x) => typeof x === 'number') ? (flat.length === 2 ? [flat[0], flat[0], flat[1], flat[1]] : flat) : undefined;
      if (amounts === undefined) return no(`${key} ${JSON.stringify(p)?.slice(0, 60)}`);
      return one(cls === 'ZeroPadding2D' ? 'zero_padding2d' : 'cropping2d', { [key]: amounts as number | number[] });
    }
    case 'Rescaling':
      return one('rescaling', { scale: (c['scale'] as number | number[]) ?? 1, offset: (c['offset'] as number | number[]) ?? 0 });
    case 'Normalization':
      return one('normalization', { adapted: c['mean'] === undefined || c['mean'] === null });
    case 'Add':
      return one('add');
    case 'Multiply':
      return one('mul');
    case 'Concatenate':
      return one('concat', { dim: axis(c['axis'], r, name, cls) });
    case 'Embedding':
      if (r !== 2) no(`an input of rank ${r}; Embedding takes ids (N, L)`);
      return one('embedding', { num_embeddings: num(c['input_dim']) ?? no('no input_dim'), embedding_dim: num(c['output_dim']) ?? no('no output_dim') }, 3);
    case 'LSTM':
    case 'GRU':
    case 'SimpleRNN': {
      if (r !== 3) no(`an input of rank ${r}; a recurrent layer takes (N, L, features)`);
      if (c['go_backwards'] === true || c['stateful'] === true) no('go_backwards or stateful');
      const kind = cls === 'LSTM' ? 'lstm' : cls === 'GRU' ? 'gru' : 'rnn';
      const act = c['activation'] ?? 'tanh';
      if (kind === 'rnn' && act !== 'tanh' && act !== 'relu') no(`activation ${String(act)}`);
      const attrs: Raw = { hidden_size: num(c['units']) ?? no('no units'), batch_first: true, bias: c['use_bias'] !== false, ...(kind === 'gru' ? { reset_after: c['reset_after'] === true } : {}), ...(kind === 'rnn' ? { nonlinearity: act as string } : {}) };
      const layer: OpSpec = { op: kind, attrs, name };
      if (c['return_sequences'] === true) return { ops: [layer], rank: 3 };
      // The last step of the sequence, which Keras returns without return_sequences.
      return { ops: [layer, { op: 'select', attrs: { dim: 1, index: -1 }, name: `${name}_last`, implicit: true }], rank: 2 };
    }
    case 'UpSampling2D': {
      image();
      if ((c['interpolation'] ?? 'nearest') !== 'nearest' && c['interpolation'] !== 'bilinear') no(`interpolation ${String(c['interpolation'])}`);
      return one('upsample', { scale_factor: size(c['size'], 2)!, mode: c['interpolation'] === 'bilinear' ? 'bilinear' : 'nearest' });
    }
    default:
      return no('a layer class nncalc has no translation for');
  }
}
