/**
 * @module
 * How PyTorch and Keras spell each op and its attributes: the keyword each framework uses for an nncalc attribute
 * (`out` is PyTorch's out_channels and Keras's filters), the order of their positional arguments, and Keras's
 * class name. The attribute reader accepts these keywords as aliases, spec calls such as `Conv2d(3, 64, 3)` take
 * their positional order from here, and docs/ops.md lists them.
 */

/** An attribute's keyword in PyTorch and in Keras; null when that framework has no such argument. */
export type Keyword = readonly [torch: string | null, keras: string | null];

/** How the frameworks spell one op kind. */
export interface Spelling {
  /** Keras's class name, when Keras has the layer. */
  readonly keras?: string;
  /** nncalc attribute → its PyTorch and Keras keywords. Attributes not listed have no framework keyword. */
  readonly words: Readonly<Record<string, Keyword>>;
  /** PyTorch's positional arguments, as nncalc attributes; '*name' takes all the remaining ones as a list. */
  readonly torchArgs?: readonly string[];
  /** Keras's positional arguments, as nncalc attributes. */
  readonly kerasArgs?: readonly string[];
  /** Arguments Keras fills when they are not given, where nncalc would require them (MaxPooling2D's pool_size 2). */
  readonly kerasDefaults?: Readonly<Record<string, unknown>>;
  /** PyTorch's defaults where nncalc's differ: nn.MultiheadAttention is sequence first, nncalc's attention batch first. */
  readonly torchDefaults?: Readonly<Record<string, unknown>>;
}

const same = (name: string): Keyword => [name, name];
const torch = (name: string): Keyword => [name, null];

const window = (padding: Keyword = same('padding')): Record<string, Keyword> => ({
  kernel: ['kernel_size', 'kernel_size'],
  stride: ['stride', 'strides'],
  padding,
});

const conv = (rank: number, transposed: boolean): Spelling => ({
  keras: transposed ? `Conv${rank}DTranspose` : `Conv${rank}D`,
  words: {
    in: torch('in_channels'),
    out: ['out_channels', 'filters'],
    ...window(),
    ...(transposed ? { output_padding: same('output_padding') } : {}),
    dilation: ['dilation', 'dilation_rate'],
    groups: same('groups'),
    bias: ['bias', 'use_bias'],
    padding_mode: torch('padding_mode'),
  },
  torchArgs: transposed
    ? ['in', 'out', 'kernel', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation', 'padding_mode']
    : ['in', 'out', 'kernel', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode'],
  kerasArgs: ['out', 'kernel', 'stride', 'padding'],
});

const pool = (kind: 'max' | 'avg', rank: number): Spelling => ({
  keras: `${kind === 'max' ? 'Max' : 'Average'}Pooling${rank}D`,
  words: {
    kernel: ['kernel_size', 'pool_size'],
    stride: ['stride', 'strides'],
    padding: same('padding'),
    ...(kind === 'max' ? { dilation: torch('dilation') } : { count_include_pad: torch('count_include_pad') }),
    ceil_mode: torch('ceil_mode'),
  },
  torchArgs: kind === 'max' ? ['kernel', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'] : ['kernel', 'stride', 'padding', 'ceil_mode', 'count_include_pad'],
  kerasArgs: ['kernel', 'stride', 'padding'],
  kerasDefaults: { pool_size: 2 },
});

const adaptive: Spelling = { words: { output: torch('output_size') }, torchArgs: ['output'] };

const global = (kind: 'max' | 'avg'): Spelling => ({
  keras: `Global${kind === 'max' ? 'Max' : 'Average'}Pooling2D`,
  words: { keepdims: [null, 'keepdims'] },
});

const batchnorm: Spelling = {
  words: { num_features: torch('num_features'), eps: torch('eps'), momentum: torch('momentum'), affine: torch('affine'), track_running_stats: torch('track_running_stats') },
  torchArgs: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
};

const instancenorm: Spelling = {
  words: { num_features: torch('num_features'), eps: torch('eps'), momentum: torch('momentum'), affine: torch('affine'), track_running_stats: torch('track_running_stats') },
  torchArgs: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
};

const recurrent = (keras: string): Spelling => ({
  keras,
  words: {
    input_size: torch('input_size'),
    hidden_size: ['hidden_size', 'units'],
    num_layers: torch('num_layers'),
    bias: ['bias', 'use_bias'],
    batch_first: torch('batch_first'),
    dropout: same('dropout'),
    bidirectional: torch('bidirectional'),
    return_sequences: [null, 'return_sequences'],
  },
  torchArgs: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  kerasArgs: ['hidden_size'],
});

const transformerLayer: Spelling = {
  words: {
    d_model: torch('d_model'),
    nhead: torch('nhead'),
    dim_feedforward: torch('dim_feedforward'),
    dropout: torch('dropout'),
    activation: torch('activation'),
    layer_norm_eps: torch('layer_norm_eps'),
    batch_first: torch('batch_first'),
    norm_first: torch('norm_first'),
    bias: torch('bias'),
  },
  torchArgs: ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first'],
  torchDefaults: { batch_first: false },
};

const dropout: Spelling = { keras: 'Dropout', words: { p: ['p', 'rate'], inplace: torch('inplace') }, torchArgs: ['p', 'inplace'], kerasArgs: ['p'] };
// Keras's `axis` is not taken for `dim`: Keras images are channels last, nncalc's channels first, so the same number
// names different axes.
const dim: Spelling = { words: { dim: torch('dim') }, torchArgs: ['dim'] };
const inplace: Spelling = { words: { inplace: torch('inplace') }, torchArgs: ['inplace'] };

/** Spellings by op kind. Kinds not listed take nncalc's attribute names only. */
export const spellings: Readonly<Record<string, Spelling>> = {
  conv1d: conv(1, false),
  conv2d: conv(2, false),
  conv3d: conv(3, false),
  conv_transpose1d: conv(1, true),
  conv_transpose2d: conv(2, true),
  conv_transpose3d: conv(3, true),
  depthwise_conv2d: {
    keras: 'DepthwiseConv2D',
    words: { ...window(), depth_multiplier: [null, 'depth_multiplier'], dilation: [null, 'dilation_rate'], bias: [null, 'use_bias'] },
    kerasArgs: ['kernel', 'stride', 'padding', 'depth_multiplier'],
  },
  separable_conv2d: {
    keras: 'SeparableConv2D',
    words: { out: [null, 'filters'], ...window(), depth_multiplier: [null, 'depth_multiplier'], dilation: [null, 'dilation_rate'], bias: [null, 'use_bias'] },
    kerasArgs: ['out', 'kernel', 'stride', 'padding'],
  },
  linear: { keras: 'Dense', words: { in: torch('in_features'), out: ['out_features', 'units'], bias: ['bias', 'use_bias'] }, torchArgs: ['in', 'out', 'bias'], kerasArgs: ['out'] },
  maxpool1d: pool('max', 1),
  maxpool2d: pool('max', 2),
  maxpool3d: pool('max', 3),
  avgpool1d: pool('avg', 1),
  avgpool2d: pool('avg', 2),
  avgpool3d: pool('avg', 3),
  adaptive_avgpool1d: adaptive,
  adaptive_avgpool2d: adaptive,
  adaptive_avgpool3d: adaptive,
  adaptive_maxpool1d: adaptive,
  adaptive_maxpool2d: adaptive,
  adaptive_maxpool3d: adaptive,
  global_avgpool: global('avg'),
  global_maxpool: global('max'),
  batchnorm1d: batchnorm,
  batchnorm2d: batchnorm,
  batchnorm3d: batchnorm,
  batch_normalization: { keras: 'BatchNormalization', words: { epsilon: [null, 'epsilon'], momentum: [null, 'momentum'], center: [null, 'center'], scale: [null, 'scale'] } },
  zero_padding2d: { keras: 'ZeroPadding2D', words: { padding: [null, 'padding'] }, kerasArgs: ['padding'] },
  cropping2d: { keras: 'Cropping2D', words: { cropping: [null, 'cropping'] }, kerasArgs: ['cropping'] },
  rescaling: { keras: 'Rescaling', words: { scale: [null, 'scale'], offset: [null, 'offset'] }, kerasArgs: ['scale', 'offset'] },
  instancenorm1d: instancenorm,
  instancenorm2d: instancenorm,
  instancenorm3d: instancenorm,
  groupnorm: {
    keras: 'GroupNormalization',
    words: { groups: ['num_groups', 'groups'], num_channels: torch('num_channels'), eps: ['eps', 'epsilon'], affine: torch('affine') },
    torchArgs: ['groups', 'num_channels', 'eps', 'affine'],
    kerasArgs: ['groups'],
  },
  layernorm: {
    keras: 'LayerNormalization',
    words: { normalized_shape: torch('normalized_shape'), eps: ['eps', 'epsilon'], elementwise_affine: torch('elementwise_affine'), bias: torch('bias') },
    torchArgs: ['normalized_shape', 'eps', 'elementwise_affine'],
  },
  rmsnorm: { words: { normalized_shape: torch('normalized_shape'), eps: torch('eps'), elementwise_affine: torch('elementwise_affine') }, torchArgs: ['normalized_shape', 'eps', 'elementwise_affine'] },
  lrn: { words: { size: torch('size'), alpha: torch('alpha'), beta: torch('beta'), k: torch('k') }, torchArgs: ['size', 'alpha', 'beta', 'k'] },
  relu: { keras: 'ReLU', ...inplace },
  relu6: inplace,
  leaky_relu: { keras: 'LeakyReLU', words: { negative_slope: ['negative_slope', 'alpha'], inplace: torch('inplace') }, torchArgs: ['negative_slope', 'inplace'], kerasArgs: ['negative_slope'] },
  elu: { keras: 'ELU', words: { alpha: same('alpha'), inplace: torch('inplace') }, torchArgs: ['alpha', 'inplace'], kerasArgs: ['alpha'] },
  gelu: { words: { approximate: torch('approximate') }, torchArgs: ['approximate'] },
  silu: inplace,
  hardswish: inplace,
  hardsigmoid: inplace,
  mish: inplace,
  softplus: { words: { beta: torch('beta'), threshold: torch('threshold') }, torchArgs: ['beta', 'threshold'] },
  prelu: { keras: 'PReLU', words: { num_parameters: torch('num_parameters'), init: torch('init') }, torchArgs: ['num_parameters', 'init'] },
  softmax: { keras: 'Softmax', ...dim },
  log_softmax: dim,
  flatten: { keras: 'Flatten', words: { start_dim: torch('start_dim'), end_dim: torch('end_dim') }, torchArgs: ['start_dim', 'end_dim'] },
  unflatten: { words: { dim: torch('dim'), sizes: torch('unflattened_size') }, torchArgs: ['dim', 'sizes'] },
  dropout,
  concat: { keras: 'Concatenate', ...dim },
  add: { keras: 'Add', words: {} },
  mul: { keras: 'Multiply', words: {} },
  embedding: {
    keras: 'Embedding',
    words: { num_embeddings: ['num_embeddings', 'input_dim'], embedding_dim: ['embedding_dim', 'output_dim'], padding_idx: torch('padding_idx') },
    torchArgs: ['num_embeddings', 'embedding_dim', 'padding_idx'],
    kerasArgs: ['num_embeddings', 'embedding_dim'],
  },
  rnn: recurrent('SimpleRNN'),
  lstm: recurrent('LSTM'),
  gru: recurrent('GRU'),
  attention: {
    words: {
      d_model: torch('embed_dim'),
      num_heads: same('num_heads'),
      dropout: same('dropout'),
      bias: torch('bias'),
      kdim: torch('kdim'),
      vdim: torch('vdim'),
      batch_first: torch('batch_first'),
    },
    torchArgs: ['d_model', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first'],
    torchDefaults: { batch_first: false },
  },
  transformer_encoder_layer: transformerLayer,
  transformer_decoder_layer: transformerLayer,
  upsample: {
    words: { size: torch('size'), scale_factor: torch('scale_factor'), mode: torch('mode'), align_corners: torch('align_corners') },
    torchArgs: ['size', 'scale_factor', 'mode', 'align_corners'],
  },
  pixel_shuffle: { words: { upscale_factor: torch('upscale_factor') }, torchArgs: ['upscale_factor'] },
  pixel_unshuffle: { words: { downscale_factor: torch('downscale_factor') }, torchArgs: ['downscale_factor'] },
  channel_shuffle: { words: { groups: torch('groups') }, torchArgs: ['groups'] },
  chunk: { words: { chunks: torch('chunks'), dim: torch('dim') }, torchArgs: ['chunks', 'dim'] },
  split: { words: { split_size: torch('split_size_or_sections'), dim: torch('dim') }, torchArgs: ['split_size', 'dim'] },
  select: { words: { dim: torch('dim'), index: torch('index') }, torchArgs: ['dim', 'index'] },
  transpose: { words: { dim0: torch('dim0'), dim1: torch('dim1') }, torchArgs: ['dim0', 'dim1'] },
  permute: { words: { dims: torch('dims') }, torchArgs: ['*dims'] },
  reshape: { words: { shape: torch('shape') }, torchArgs: ['*shape'] },
  squeeze: { words: { dim: torch('dim') }, torchArgs: ['dim'] },
  unsqueeze: { words: { dim: torch('dim') }, torchArgs: ['dim'] },
  pad: { words: { pad: torch('pad'), mode: torch('mode'), value: torch('value') }, torchArgs: ['pad', 'mode', 'value'] },
};

/**
 * The attributes an op takes by default because of the class name it was written with, where nncalc's own
 * defaults differ: `MultiheadAttention` is sequence first as in PyTorch (the kind `attention` is batch first),
 * `MaxPooling2D` pools 2×2 as in Keras. A name both frameworks use (LSTM) takes neither. `raw` wins over them.
 */
export function withClassDefaults(name: string, def: { readonly kind: string; readonly title: string }, raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const s = Object.hasOwn(spellings, def.kind) ? spellings[def.kind]! : undefined;
  if (!s) return raw;
  const n = name.toLowerCase();
  const torch = n === def.title.toLowerCase();
  const keras = n === s.keras?.toLowerCase();
  const defaults = torch && !keras ? s.torchDefaults : keras && !torch ? s.kerasDefaults : undefined;
  if (!defaults) return raw;
  const words = keywordsOf(def.kind);
  const given = new Set(Object.keys(raw).map((k) => words.get(k) ?? k));
  const extra = Object.entries(defaults).filter(([k]) => !given.has(words.get(k) ?? k));
  return extra.length ? { ...Object.fromEntries(extra), ...raw } : raw;
}

/** Keyword → attribute, by op kind, built on first use. */
const index = new Map<string, ReadonlyMap<string, string>>();

/**
 * The attribute a keyword names for an op kind: 'kernel' for conv2d's 'kernel_size', 'out' for linear's 'units'.
 * nncalc's own attribute names map to themselves; an unknown keyword gives undefined.
 */
export function keywordsOf(kind: string): ReadonlyMap<string, string> {
  let m = index.get(kind);
  if (!m) {
    const map = new Map<string, string>();
    const s = Object.hasOwn(spellings, kind) ? spellings[kind]! : undefined;
    for (const [attr, [t, k]] of Object.entries(s?.words ?? {})) {
      for (const w of [t, k]) if (w !== null && w !== attr) map.set(w, attr);
    }
    index.set(kind, (m = map));
  }
  return m;
}

/** The framework keywords of one attribute (PyTorch first), without nncalc's own name. */
export function aliasesOf(kind: string, attr: string): string[] {
  const w = Object.hasOwn(spellings, kind) ? spellings[kind]!.words[attr] : undefined;
  return w ? [...new Set(w.filter((x): x is string => x !== null && x !== attr))] : [];
}
