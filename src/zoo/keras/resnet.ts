/**
 * @module
 * Keras's ResNet50/101/152 (keras.applications.resnet) and ResNet50V2/101V2/152V2 (resnet_v2), under Keras's
 * names (conv1_conv, conv2_block1_1_conv, conv5_block3_out, predictions).
 *
 * v1 (He et al. 2016) differs from torchvision's resnet50 in ways that change the counts: every conv has a bias,
 * and the stride of a downsampling block is on its first 1×1 conv (torchvision's v1.5 puts it on the 3×3).
 * BatchNormalization has epsilon 1.001e-5. v2 (He et al., "Identity Mappings in Deep Residual Networks", 2016)
 * is pre-activation: BN and ReLU before each block's convs (`_preact_bn`), no BN after conv1, `post_bn` at the end;
 * only the first and last conv of a block have biases, and each stack downsamples in its last block, whose identity
 * shortcut is a 1×1 max pool of stride 2 (Keras names it max_pooling2d, max_pooling2d_1, …).
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, bn, classifierTop, conv, kerasEntry, kerasSpec, pool, zeroPad } from './common.js';

const EPS = 1.001e-5;

/** keras.applications.resnet.block1: a bottleneck with the stride on its first 1×1 conv. */
function block1(name: string, filters: number, stride: number, convShortcut: boolean): LayerSpec[] {
  const body = [
    ...conv(`${name}_1_conv`, filters, 1, { stride }), bn(`${name}_1_bn`, EPS), act(`${name}_1_relu`, 'relu'),
    ...conv(`${name}_2_conv`, filters, 3, { padding: 'same' }), bn(`${name}_2_bn`, EPS), act(`${name}_2_relu`, 'relu'),
    ...conv(`${name}_3_conv`, 4 * filters, 1), bn(`${name}_3_bn`, EPS),
  ];
  const shortcut = convShortcut ? [...conv(`${name}_0_conv`, 4 * filters, 1, { stride }), bn(`${name}_0_bn`, EPS)] : [];
  return [parallel([body, shortcut], op('add', {}, { name: `${name}_add` })), act(`${name}_out`, 'relu')];
}

/** stack1: the first block projects (and strides), the others keep the shape. */
const stack1 = (name: string, filters: number, blocks: number, stride: number): LayerSpec[] =>
  Array.from({ length: blocks }, (_, i) => block1(`${name}_block${i + 1}`, filters, i === 0 ? stride : 1, i === 0)).flat();

/** The counter Keras gives unnamed MaxPooling2D layers: max_pooling2d, max_pooling2d_1, … */
interface Names {
  pools: number;
}

/** keras.applications.resnet_v2's block2: pre-activation bottleneck, stride on the 3×3 conv. */
function block2(name: string, filters: number, stride: number, convShortcut: boolean, names: Names): LayerSpec[] {
  const preact = [bn(`${name}_preact_bn`, EPS), act(`${name}_preact_relu`, 'relu')];
  const body = [
    ...conv(`${name}_1_conv`, filters, 1, { bias: false }), bn(`${name}_1_bn`, EPS), act(`${name}_1_relu`, 'relu'),
    zeroPad(`${name}_2_pad`, 1),
    ...conv(`${name}_2_conv`, filters, 3, { stride, bias: false }), bn(`${name}_2_bn`, EPS), act(`${name}_2_relu`, 'relu'),
    ...conv(`${name}_3_conv`, 4 * filters, 1),
  ];
  const out = op('add', {}, { name: `${name}_out` });
  // The projection reads the pre-activated tensor; an identity (or strided 1×1 max pool) shortcut reads the block input.
  if (convShortcut) return [...preact, parallel([body, conv(`${name}_0_conv`, 4 * filters, 1, { stride })], out)];
  const shortcut = stride > 1 ? [pool('max', `max_pooling2d${names.pools++ ? `_${names.pools - 1}` : ''}`, 1, stride)] : [];
  return [parallel([[...preact, ...body], shortcut], out)];
}

/** stack2: a projecting first block, then identity blocks, the last one strided. */
function stack2(name: string, filters: number, blocks: number, stride: number, names: Names): LayerSpec[] {
  return Array.from({ length: blocks }, (_, i) => block2(`${name}_block${i + 1}`, filters, i === blocks - 1 ? stride : 1, i === 0, names)).flat();
}

function resnet(depths: readonly [number, number, number, number], v2: boolean): LayerSpec[] {
  const names: Names = { pools: 0 };
  const stages = depths.flatMap((n, i) => {
    const filters = 64 * 2 ** i;
    return v2 ? stack2(`conv${i + 2}`, filters, n, i === 3 ? 1 : 2, names) : stack1(`conv${i + 2}`, filters, n, i === 0 ? 1 : 2);
  });
  return [
    zeroPad('conv1_pad', 3),
    ...conv('conv1_conv', 64, 7, { stride: 2 }),
    ...(v2 ? [] : [bn('conv1_bn', EPS), act('conv1_relu', 'relu')]),
    zeroPad('pool1_pad', 1),
    pool('max', 'pool1_pool', 3, 2),
    ...stages,
    ...(v2 ? [bn('post_bn', EPS), act('post_relu', 'relu')] : []),
    ...classifierTop(),
  ];
}

const entry = (cls: string, depths: readonly [number, number, number, number], v2: boolean, published: number): ZooEntry =>
  kerasEntry(
    cls,
    `Keras ${cls}: ${v2 ? 'pre-activation ' : ''}bottleneck blocks [${depths.join(', ')}]${v2 ? '' : ', convs with biases'}`,
    () => kerasSpec(cls, 224, resnet(depths, v2)),
    published,
  );

/** Totals of Keras's model.summary() for each (Total params), the figures keras.io's table rounds to 25.6M … 60.4M. */
export const kerasResnets: readonly ZooEntry[] = [
  entry('ResNet50', [3, 4, 6, 3], false, 25_636_712),
  entry('ResNet101', [3, 4, 23, 3], false, 44_707_176),
  entry('ResNet152', [3, 8, 36, 3], false, 60_419_944),
  entry('ResNet50V2', [3, 4, 6, 3], true, 25_613_800),
  entry('ResNet101V2', [3, 4, 23, 3], true, 44_675_560),
  entry('ResNet152V2', [3, 8, 36, 3], true, 60_380_648),
];
