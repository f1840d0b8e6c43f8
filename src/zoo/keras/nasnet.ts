/**
 * @module
 * Keras's NASNetMobile and NASNetLarge (keras.applications.nasnet; Zoph et al., "Learning Transferable
 * Architectures for Scalable Image Recognition", CVPR 2018), under Keras's names.
 *
 * A 3×3 'valid' stem conv, two reduction cells (stem_1, stem_2), then three stacks of normal cells with a reduction
 * cell between them. Each cell reads the two previous cells' outputs: `p` is brought to the cell's width by
 * `adjust_block` (a 1×1 projection, or, when its size differs, two strided 1×1 average pools of it, the second one
 * pixel shifted by zero padding and cropping, each with a 1×1 conv, concatenated). Cells are made of
 * `separable_conv_block`s: ReLU, a separable conv (stride-2 ones 'valid' after correct_pad), BatchNormalization,
 * ReLU, a separable conv, BatchNormalization. No conv has a bias; BatchNormalization has momentum 0.9997.
 * NASNetMobile keeps the reduction cell's output as the next cell's `p`; NASNetLarge skips it (skip_reduction).
 * Unnamed layers take Keras's automatic names (activation, zero_padding2d, cropping2d, concatenate, add, …).
 */
import { op, type OpSpec, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { autoNames, correctPad, kerasEntry, kerasSpec } from './common.js';

/** A tensor of the cell graph: the layer that makes it, its channels and its side. */
interface T {
  readonly name: string;
  readonly channels: number;
  readonly size: number;
}

function nasnet(penultimate: number, blocks: number, stemFilters: number, skipReduction: boolean, side: number): LayerSpec[] {
  const auto = autoNames();
  const layers: OpSpec[] = [];
  /** Adds one layer reading `from` (names), and returns its output. */
  const add = (kind: string, attrs: Record<string, unknown>, name: string, from: readonly T[], out: { channels?: number; size?: number } = {}): T => {
    layers.push(op(kind, attrs as never, { name, inputs: from.map((t) => t.name) }));
    return { name, channels: out.channels ?? from[0]!.channels, size: out.size ?? from[0]!.size };
  };
  const relu = (x: T, name = auto('activation')) => add('relu', {}, name, [x]);
  const bn = (x: T, name: string) => add('batch_normalization', { epsilon: 1e-3, momentum: 0.9997 }, name, [x]);
  const conv1 = (x: T, filters: number, name: string) => add('conv2d', { out: filters, kernel: 1, bias: false }, name, [x], { channels: filters });
  const sepconv = (x: T, filters: number, k: number, stride: number, name: string) =>
    add('separable_conv2d', { out: filters, kernel: k, stride, padding: stride === 1 ? 'same' : 0, bias: false }, name, [x], {
      channels: filters,
      size: stride === 1 ? x.size : Math.floor((x.size - k) / stride) + 1,
    });
  const pool = (kind: 'max' | 'avg', x: T, k: number, stride: number, padding: 'same' | 'valid', name: string) =>
    add(kind === 'max' ? 'maxpool2d' : 'avgpool2d', { kernel: k, stride, padding: padding === 'same' ? 'same' : 0 }, name, [x], { size: padding === 'same' ? Math.ceil(x.size / stride) : Math.floor((x.size - k) / stride) + 1 });
  const sum = (a: T, b: T, name = auto('add')) => add('add', {}, name, [a, b]);
  const concat = (xs: readonly T[], name: string) => add('concat', {}, name, xs, { channels: xs.reduce((s, t) => s + t.channels, 0) });

  /** _separable_conv_block. */
  const sepBlock = (ip: T, filters: number, k: number, stride: number, id: string): T => {
    let x = relu(ip);
    if (stride === 2) x = add('zero_padding2d', { padding: correctPad(x.size, k) }, `separable_conv_1_pad_${id}`, [x], { size: x.size + 2 * Math.floor(k / 2) - (x.size % 2 === 0 ? 1 : 0) });
    x = sepconv(x, filters, k, stride, `separable_conv_1_${id}`);
    x = bn(x, `separable_conv_1_bn_${id}`);
    x = relu(x);
    x = sepconv(x, filters, k, 1, `separable_conv_2_${id}`);
    return bn(x, `separable_conv_2_bn_${id}`);
  };

  /** _adjust_block: `p` at the width and size of `ip`. */
  const adjust = (p: T | undefined, ip: T, filters: number, id: string): T => {
    if (!p) return ip;
    if (p.size !== ip.size) {
      const r = relu(p, `adjust_relu_1_${id}`);
      const half = Math.ceil(r.size / 2);
      const p1 = conv1(add('avgpool2d', { kernel: 1, stride: 2 }, `adjust_avg_pool_1_${id}`, [r], { size: half }), filters >> 1, `adjust_conv_1_${id}`);
      let p2 = add('zero_padding2d', { padding: [0, 1, 0, 1] }, auto('zero_padding2d'), [r], { size: r.size + 1 });
      p2 = add('cropping2d', { cropping: [1, 0, 1, 0] }, auto('cropping2d'), [p2], { size: r.size });
      p2 = conv1(add('avgpool2d', { kernel: 1, stride: 2 }, `adjust_avg_pool_2_${id}`, [p2], { size: half }), filters >> 1, `adjust_conv_2_${id}`);
      return bn(concat([p1, p2], auto('concatenate')), `adjust_bn_${id}`);
    }
    if (p.channels !== filters) return bn(conv1(relu(p), filters, `adjust_conv_projection_${id}`), `adjust_bn_${id}`);
    return p;
  };

  /** _normal_a_cell: returns the cell's output and its `ip`, the next cell's `p`. */
  const normal = (ip: T, p0: T | undefined, filters: number, id: string): [T, T] => {
    const p = adjust(p0, ip, filters, id);
    const h = bn(conv1(relu(ip), filters, `normal_conv_1_${id}`), `normal_bn_1_${id}`);
    const x1 = sum(sepBlock(h, filters, 5, 1, `normal_left1_${id}`), sepBlock(p, filters, 3, 1, `normal_right1_${id}`), `normal_add_1_${id}`);
    const x2 = sum(sepBlock(p, filters, 5, 1, `normal_left2_${id}`), sepBlock(p, filters, 3, 1, `normal_right2_${id}`), `normal_add_2_${id}`);
    const x3 = sum(pool('avg', h, 3, 1, 'same', `normal_left3_${id}`), p, `normal_add_3_${id}`);
    const x4 = sum(pool('avg', p, 3, 1, 'same', `normal_left4_${id}`), pool('avg', p, 3, 1, 'same', `normal_right4_${id}`), `normal_add_4_${id}`);
    const x5 = sum(sepBlock(h, filters, 3, 1, `normal_left5_${id}`), h, `normal_add_5_${id}`);
    return [concat([p, x1, x2, x3, x4, x5], `normal_concat_${id}`), ip];
  };

  /** _reduction_a_cell: halves the size; returns the output and its `ip`. */
  const reduction = (ip: T, p0: T | undefined, filters: number, id: string): [T, T] => {
    const p = adjust(p0, ip, filters, id);
    const h = bn(conv1(relu(ip), filters, `reduction_conv_1_${id}`), `reduction_bn_1_${id}`);
    const h3 = add('zero_padding2d', { padding: correctPad(h.size, 3) }, `reduction_pad_1_${id}`, [h], { size: h.size + 2 - (h.size % 2 === 0 ? 1 : 0) });
    const x1 = sum(sepBlock(h, filters, 5, 2, `reduction_left1_${id}`), sepBlock(p, filters, 7, 2, `reduction_right1_${id}`), `reduction_add_1_${id}`);
    const x2 = sum(pool('max', h3, 3, 2, 'valid', `reduction_left2_${id}`), sepBlock(p, filters, 7, 2, `reduction_right2_${id}`), `reduction_add_2_${id}`);
    const x3 = sum(pool('avg', h3, 3, 2, 'valid', `reduction_left3_${id}`), sepBlock(p, filters, 5, 2, `reduction_right3_${id}`), `reduction_add3_${id}`);
    const x4 = sum(x2, pool('avg', x1, 3, 1, 'same', `reduction_left4_${id}`));
    const x5 = sum(sepBlock(x1, filters, 3, 1, `reduction_left4_${id}`), pool('max', h3, 3, 2, 'valid', `reduction_right5_${id}`), `reduction_add4_${id}`);
    return [concat([x2, x3, x4, x5], `reduction_concat_${id}`), ip];
  };

  const filters = penultimate / 24;
  const input: T = { name: 'input', channels: 3, size: side };
  let x = add('conv2d', { out: stemFilters, kernel: 3, stride: 2, bias: false }, 'stem_conv1', [input], { channels: stemFilters, size: Math.floor((side - 3) / 2) + 1 });
  x = bn(x, 'stem_bn1');
  let p: T | undefined;
  [x, p] = reduction(x, p, filters / 4, 'stem_1');
  [x, p] = reduction(x, p, filters / 2, 'stem_2');
  for (const [stage, width] of [[0, filters], [1, 2 * filters], [2, 4 * filters]] as const) {
    if (stage > 0) {
      const [out, ip] = reduction(x, p, width, `reduce_${stage * blocks}`);
      x = out;
      if (!skipReduction) p = ip;
    }
    for (let i = 0; i < blocks; i++) [x, p] = normal(x, p, width, String(stage === 0 ? i : stage * blocks + i + 1));
  }
  x = relu(x);
  const pooled = add('global_avgpool', {}, 'global_average_pooling2d', [x]);
  return [...layers, op('linear', { out: 1000 }, { name: 'predictions', inputs: [pooled.name] }), op('softmax', {}, { name: 'predictions_softmax', implicit: true })];
}

export const kerasNasnets: readonly ZooEntry[] = [
  // Keras's model.summary(): Total params 5,326,716 (trainable 5,289,978) and 88,949,818 (trainable 88,753,150);
  // keras.io's table: 5.3M and 88.9M.
  kerasEntry('NASNetMobile', 'Keras NASNetMobile (4 @ 1056): 12 normal and 4 reduction cells, 224×224', () => kerasSpec('NASNetMobile', 224, nasnet(1056, 4, 32, false, 224)), 5_326_716),
  kerasEntry('NASNetLarge', 'Keras NASNetLarge (6 @ 4032): 18 normal and 4 reduction cells, 331×331', () => kerasSpec('NASNetLarge', 331, nasnet(4032, 6, 96, true, 331)), 88_949_818),
];
