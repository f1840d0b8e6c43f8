/**
 * @module
 * Keras's ConvNeXtTiny, Small, Base, Large and XLarge (keras.applications.convnext; Liu et al., "A ConvNet for the
 * 2020s", CVPR 2022), under Keras's names (convnext_tiny_stem_conv, convnext_tiny_stage_0_block_0_depthwise_conv,
 * convnext_tiny_head_dense). The counts equal torchvision's convnext_* for the four sizes both build.
 *
 * Keras's Dense layers act on the last (channel) axis of a channels-last tensor; on nncalc's channels-first tensors
 * the same layer is a 1×1 conv with a bias (the same weights, MACs and FLOPs), and Keras's LayerNormalization over
 * channels is layernorm2d. The prestem Normalization takes ImageNet's mean and variance as constants (no weights);
 * each block ends in LayerScale γ [C], an identity (stochastic depth 0) and the residual add (add, add_1, …, Keras's
 * automatic names).
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, autoNames, conv, dense, gap, kerasEntry, kerasSpec } from './common.js';

const ln = (name: string) => op('layernorm2d', { eps: 1e-6 }, { name });

function convnext(model: string, dims: readonly number[], depths: readonly number[]): LayerSpec[] {
  const auto = autoNames();
  const layers: LayerSpec[] = [
    op('normalization', { adapted: false }, { name: `${model}_prestem_normalization` }),
    ...conv(`${model}_stem_conv`, dims[0]!, 4, { stride: 4 }),
    ln(`${model}_stem_layernorm`),
  ];
  depths.forEach((depth, i) => {
    const dim = dims[i]!;
    if (i > 0) layers.push(ln(`${model}_downsampling_layernorm_${i - 1}`), ...conv(`${model}_downsampling_conv_${i - 1}`, dim, 2, { stride: 2 }));
    for (let j = 0; j < depth; j++) {
      const name = `${model}_stage_${i}_block_${j}`;
      const body = [
        ...conv(`${name}_depthwise_conv`, dim, 7, { padding: 'same', groups: dim }),
        ln(`${name}_layernorm`),
        ...conv(`${name}_pointwise_conv_1`, 4 * dim, 1),
        act(`${name}_gelu`, 'gelu'),
        ...conv(`${name}_pointwise_conv_2`, dim, 1),
        op('parameter', { shape: [dim, 1, 1], mode: 'mul' }, { name: `${name}_layer_scale` }),
        op('identity', {}, { name: `${name}_identity` }),
      ];
      layers.push(parallel([[], body], op('add', {}, { name: auto('add') })));
    }
  });
  return [...layers, gap(`${model}_head_gap`), op('layernorm', { eps: 1e-6 }, { name: `${model}_head_layernorm` }), ...dense(`${model}_head_dense`, 1000, 'softmax')];
}

/** Size, stage widths, stage depths, Keras's model.summary() total (keras.io's table: 28.6M, 50.2M, 88.5M, 197.7M, 350.1M). */
const SIZES: readonly (readonly [string, readonly number[], readonly number[], number])[] = [
  ['Tiny', [96, 192, 384, 768], [3, 3, 9, 3], 28_589_128],
  ['Small', [96, 192, 384, 768], [3, 3, 27, 3], 50_223_688],
  ['Base', [128, 256, 512, 1024], [3, 3, 27, 3], 88_591_464],
  ['Large', [192, 384, 768, 1536], [3, 3, 27, 3], 197_767_336],
  ['XLarge', [256, 512, 1024, 2048], [3, 3, 27, 3], 350_196_968],
];

export const kerasConvnexts: readonly ZooEntry[] = SIZES.map(([size, dims, depths, published]) => {
  const cls = `ConvNeXt${size}`;
  return kerasEntry(cls, `Keras ${cls}: widths ${dims.join('/')}, blocks [${depths.join(', ')}]`, () => kerasSpec(cls, 224, convnext(`convnext_${size.toLowerCase()}`, dims, depths)), published);
});
