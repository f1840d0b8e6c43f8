/**
 * @module
 * The op table: every layer kind nncalc can count, keyed by the name used in specs and reports.
 * A literal table, not import-time registration, so it can be read and listed.
 */
import * as act from './activation.js';
import { conv1d, conv2d, conv3d } from './conv.js';
import { custom } from './custom.js';
import { linear } from './linear.js';
import { add, concat, multiply } from './merge.js';
import { batchnorm1d, batchnorm2d, batchnorm3d, lrn } from './norm.js';
import type { OpDef } from './op.js';
import * as pool from './pool.js';
import { dropout, flatten, identity } from './reshape.js';
import { rbf } from './rbf.js';
import { channelShuffle, chunk } from './shuffle.js';
import { subsample2d } from './subsample.js';
import { attention } from './attention.js';
import { convTranspose1d, convTranspose2d, convTranspose3d } from './conv-transpose.js';
import { embedding, parameter } from './embedding.js';
import { moe } from './moe.js';
import { groupnorm, instancenorm1d, instancenorm2d, instancenorm3d, layernorm, rmsnorm } from './norms.js';
import { prelu } from './prelu.js';
import { gru, lstm, rnn } from './recurrent.js';
import { depthwiseConv2d, separableConv2d } from './separable.js';
import { pad, permute, reshape, slice, split, squeeze, transpose, unflatten, unsqueeze } from './shape-ops.js';
import { transformerDecoderLayer, transformerEncoderLayer } from './transformer.js';
import { pixelShuffle, pixelUnshuffle, upsample } from './upsample.js';
import { tableConv2d } from './table-conv.js';
import { layernorm2d } from './layernorm2d.js';
import { patchMerge } from './patch-merging.js';
import { select } from './select.js';
import { windowAttention } from './window-attention.js';
import { windowAttentionV2 } from './window-attention-v2.js';
import { frozenBatchnorm2d } from './frozen-batchnorm.js';
import { multiscaleAttention } from './multiscale-attention.js';
import { roiAlign } from './roi-align.js';
import { anchors, defaultBoxes } from './anchors.js';
import { boxFilter } from './box-filter.js';
import { detectionTransform } from './detection-transform.js';
import { normalize } from './normalize.js';
import { tensors } from './tensors.js';
import { matmul } from './matmul.js';
import { elementwise } from './elementwise.js';
import { tensor } from './tensor.js';
import { reduce } from './reduce.js';
import { batchNormalization, cropping2d, normalization, rescaling, zeroPadding2d } from './keras.js';
import { spellings } from './keywords.js';
import { mla } from './mla.js';
import { selectiveScan } from './selective-scan.js';
import { disentangledAttention } from './disentangled-attention.js';
import { similarity } from './similarity.js';

export const ops: Readonly<Record<string, OpDef<any>>> = {
  conv1d,
  conv2d,
  conv3d,
  table_conv2d: tableConv2d,
  subsample2d,
  rbf,
  linear,
  maxpool1d: pool.maxpool1d,
  maxpool2d: pool.maxpool2d,
  maxpool3d: pool.maxpool3d,
  avgpool1d: pool.avgpool1d,
  avgpool2d: pool.avgpool2d,
  avgpool3d: pool.avgpool3d,
  adaptive_avgpool1d: pool.adaptiveAvgpool1d,
  adaptive_avgpool2d: pool.adaptiveAvgpool2d,
  adaptive_avgpool3d: pool.adaptiveAvgpool3d,
  adaptive_maxpool1d: pool.adaptiveMaxpool1d,
  adaptive_maxpool2d: pool.adaptiveMaxpool2d,
  adaptive_maxpool3d: pool.adaptiveMaxpool3d,
  global_avgpool: pool.globalAvgpool,
  global_maxpool: pool.globalMaxpool,
  batchnorm1d,
  batchnorm2d,
  batchnorm3d,
  frozen_batchnorm2d: frozenBatchnorm2d,
  lrn,
  relu: act.relu,
  relu6: act.relu6,
  leaky_relu: act.leakyRelu,
  elu: act.elu,
  gelu: act.gelu,
  silu: act.silu,
  sigmoid: act.sigmoid,
  tanh: act.tanh,
  hardswish: act.hardswish,
  hardsigmoid: act.hardsigmoid,
  softplus: act.softplus,
  mish: act.mish,
  exp: act.exp,
  softmax: act.softmax,
  log_softmax: act.logSoftmax,
  flatten,
  dropout,
  identity,
  add,
  mul: multiply,
  concat,
  channel_shuffle: channelShuffle,
  chunk,
  custom,
  tensors,
  conv_transpose1d: convTranspose1d,
  conv_transpose2d: convTranspose2d,
  conv_transpose3d: convTranspose3d,
  depthwise_conv2d: depthwiseConv2d,
  separable_conv2d: separableConv2d,
  layernorm,
  rmsnorm,
  groupnorm,
  instancenorm1d,
  instancenorm2d,
  instancenorm3d,
  prelu,
  embedding,
  parameter,
  reshape,
  permute,
  transpose,
  squeeze,
  unsqueeze,
  unflatten,
  split,
  slice,
  pad,
  upsample,
  pixel_shuffle: pixelShuffle,
  pixel_unshuffle: pixelUnshuffle,
  rnn,
  lstm,
  gru,
  attention,
  moe,
  transformer_encoder_layer: transformerEncoderLayer,
  transformer_decoder_layer: transformerDecoderLayer,
  layernorm2d,
  patch_merge: patchMerge,
  select,
  window_attention: windowAttention,
  window_attention_v2: windowAttentionV2,
  multiscale_attention: multiscaleAttention,
  roi_align: roiAlign,
  anchors,
  default_boxes: defaultBoxes,
  box_filter: boxFilter,
  detection_transform: detectionTransform,
  normalize,
  matmul,
  elementwise,
  tensor,
  reduce,
  zero_padding2d: zeroPadding2d,
  cropping2d,
  rescaling,
  normalization,
  batch_normalization: batchNormalization,
  mla,
  selective_scan: selectiveScan,
  disentangled_attention: disentangledAttention,
  similarity,
};

/** PyTorch's other class and function names, and short forms, lower-cased (titles and Keras's names are added below). */
const torchNames: Readonly<Record<string, string>> = {
  conv: 'conv2d',
  fc: 'linear',
  maxpool: 'maxpool2d',
  max_pool2d: 'maxpool2d',
  avgpool: 'avgpool2d',
  batchnorm: 'batchnorm2d',
  swish: 'silu',
  layer_norm: 'layernorm',
  dropout1d: 'dropout',
  dropout2d: 'dropout',
  dropout3d: 'dropout',
  cat: 'concat',
  interpolate: 'upsample',
  spatialdropout1d: 'dropout',
  spatialdropout2d: 'dropout',
  spatialdropout3d: 'dropout',
  globalaveragepooling1d: 'global_avgpool',
  globalaveragepooling3d: 'global_avgpool',
  globalmaxpooling1d: 'global_maxpool',
  globalmaxpooling3d: 'global_maxpool',
  globalavgpool2d: 'global_avgpool',
  globalmaxpool2d: 'global_maxpool',
};

/** `name` → `kind`, lower-cased, for each name that is not the kind itself. */
const named = (pairs: readonly (readonly [string | undefined, string])[]): Record<string, string> =>
  Object.fromEntries(pairs.flatMap(([name, kind]) => (name !== undefined && name.toLowerCase() !== kind ? [[name.toLowerCase(), kind]] : [])));

/**
 * Other names accepted for op kinds in specs, lower-cased: each op's title (PyTorch's class name, or Keras's for
 * Keras's layers), Keras's class names (Dense, MaxPooling2D, …) and PyTorch's other names.
 */
export const opAliases: Readonly<Record<string, string>> = {
  ...named(Object.values(ops).map((d) => [d.title, d.kind] as const)),
  ...named(Object.entries(spellings).map(([kind, s]) => [s.keras, kind] as const)),
  ...torchNames,
};

/** The op for a kind or alias, or undefined. */
export function findOp(kind: string): OpDef<unknown> | undefined {
  const k = kind.toLowerCase();
  // Own properties only: 'constructor' or '__proto__' must not find Object's.
  const alias = Object.hasOwn(opAliases, k) ? opAliases[k]! : k;
  return Object.hasOwn(ops, alias) ? ops[alias] : undefined;
}
