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
import { tableConv2d } from './table-conv.js';

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
  adaptive_maxpool2d: pool.adaptiveMaxpool2d,
  global_avgpool: pool.globalAvgpool,
  global_maxpool: pool.globalMaxpool,
  batchnorm1d,
  batchnorm2d,
  batchnorm3d,
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
  softmax: act.softmax,
  flatten,
  dropout,
  identity,
  add,
  mul: multiply,
  concat,
  channel_shuffle: channelShuffle,
  chunk,
  custom,
};

/** Other names accepted for op kinds in specs (PyTorch and Keras class names, lower-cased). */
export const opAliases: Readonly<Record<string, string>> = {
  conv: 'conv2d',
  dense: 'linear',
  fc: 'linear',
  maxpool: 'maxpool2d',
  max_pool2d: 'maxpool2d',
  maxpooling2d: 'maxpool2d',
  avgpool: 'avgpool2d',
  averagepooling2d: 'avgpool2d',
  adaptiveavgpool2d: 'adaptive_avgpool2d',
  globalaveragepooling2d: 'global_avgpool',
  batchnorm: 'batchnorm2d',
  batchnormalization: 'batchnorm2d',
  localresponsenorm: 'lrn',
  leakyrelu: 'leaky_relu',
  swish: 'silu',
};

/** The op for a kind or alias, or undefined. */
export function findOp(kind: string): OpDef<unknown> | undefined {
  const k = kind.toLowerCase();
  return ops[k] ?? ops[opAliases[k] ?? ''];
}
