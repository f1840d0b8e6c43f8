/**
 * @module
 * Keras's EfficientNetB0…B7 (keras.applications.efficientnet; Tan & Le, ICML 2019) and EfficientNetV2B0…B3, S, M
 * and L (efficientnet_v2; Tan & Le, ICML 2021), under Keras's names (stem_conv, block1a_dwconv, block2b_se_reduce,
 * top_conv, predictions).
 *
 * B0…B7 begin with Rescaling(1/255) and a Normalization adapted to ImageNet (its mean, variance and count are
 * 7 non-trainable weights), then (weights='imagenet', the default) a second Rescaling by 1/√stddev; a stride-2
 * depthwise conv is 'valid' after keras' correct_pad. BatchNormalization: epsilon 1e-3 (V2: momentum 0.9).
 * V2's B variants rescale and normalise by constants (no weights), S/M/L rescale to [−1, 1]; V2 mixes
 * FusedMBConv blocks (one k×k conv in place of expand and depthwise) with MBConv blocks, pads 'same' and rounds
 * widths without V1's 10 % rule. Squeeze-excitation squeezes to ⌊input filters · 0.25⌋ with 1×1 convs with biases.
 * A residual block with a stochastic-depth rate above 0 (all but the first) has a Dropout `drop` before its add.
 */
import { op, parallel, type LayerSpec } from '../../describe/spec.js';
import type { ZooEntry } from '../entry.js';
import { act, bn, conv, correctPad, dense, depthwise, gap, kerasEntry, kerasSpec, zeroPad } from './common.js';

/** One stage: kernel, repeats, filters in and out, expansion, squeeze-excitation ratio, stride, fused (V2). */
type Stage = readonly [kernel: number, repeats: number, filtersIn: number, filtersOut: number, expand: number, se: number, stride: number, fused?: boolean];

const V1_STAGES: readonly Stage[] = [
  [3, 1, 32, 16, 1, 0.25, 1], [3, 2, 16, 24, 6, 0.25, 2], [5, 2, 24, 40, 6, 0.25, 2], [3, 3, 40, 80, 6, 0.25, 2],
  [5, 3, 80, 112, 6, 0.25, 1], [5, 4, 112, 192, 6, 0.25, 2], [3, 1, 192, 320, 6, 0.25, 1],
];

const V2_STAGES: Readonly<Record<string, readonly Stage[]>> = {
  b: [[3, 1, 32, 16, 1, 0, 1, true], [3, 2, 16, 32, 4, 0, 2, true], [3, 2, 32, 48, 4, 0, 2, true], [3, 3, 48, 96, 4, 0.25, 2], [3, 5, 96, 112, 6, 0.25, 1], [3, 8, 112, 192, 6, 0.25, 2]],
  s: [[3, 2, 24, 24, 1, 0, 1, true], [3, 4, 24, 48, 4, 0, 2, true], [3, 4, 48, 64, 4, 0, 2, true], [3, 6, 64, 128, 4, 0.25, 2], [3, 9, 128, 160, 6, 0.25, 1], [3, 15, 160, 256, 6, 0.25, 2]],
  m: [[3, 3, 24, 24, 1, 0, 1, true], [3, 5, 24, 48, 4, 0, 2, true], [3, 5, 48, 80, 4, 0, 2, true], [3, 7, 80, 160, 4, 0.25, 2], [3, 14, 160, 176, 6, 0.25, 1], [3, 18, 176, 304, 6, 0.25, 2], [3, 5, 304, 512, 6, 0.25, 1]],
  l: [[3, 4, 32, 32, 1, 0, 1, true], [3, 7, 32, 64, 4, 0, 2, true], [3, 7, 64, 96, 4, 0, 2, true], [3, 10, 96, 192, 4, 0.25, 2], [3, 19, 192, 224, 6, 0.25, 1], [3, 25, 224, 384, 6, 0.25, 2], [3, 7, 384, 640, 6, 0.25, 1]],
};

/** round_filters: filters·width to the nearest multiple of 8 (at least 8); V1 also steps up when that loses over 10 %. */
function roundFilters(filters: number, width: number, v1: boolean): number {
  const f = filters * width;
  const rounded = Math.max(8, Math.floor((f + 4) / 8) * 8);
  return v1 && rounded < 0.9 * f ? rounded + 8 : rounded;
}

interface Variant {
  readonly v1: boolean;
  readonly width: number;
  readonly depth: number;
  readonly side: number;
  readonly stages: readonly Stage[];
  /** BatchNormalization momentum: 0.99 (Keras's default) in V1, 0.9 in V2. */
  readonly momentum: number;
}

/** Squeeze-excitation: pool, reshape to 1×1, reduce (swish), expand (sigmoid), multiply. */
function squeezeExcite(p: string, filters: number, squeeze: number): LayerSpec {
  const gate = [
    gap(`${p}se_squeeze`),
    op('reshape', { shape: [-1, filters, 1, 1] }, { name: `${p}se_reshape` }),
    ...conv(`${p}se_reduce`, squeeze, 1, { padding: 'same', activation: 'swish' }),
    ...conv(`${p}se_expand`, filters, 1, { padding: 'same', activation: 'sigmoid' }),
  ];
  return parallel([[], gate], op('mul', {}, { name: `${p}se_excite` }));
}

/** One MBConv (or V2 FusedMBConv) block at `size` pixels. */
function block(v: Variant, p: string, [kernel, , fin, fout, expand, se, stride, fused]: Stage, size: number, drop: boolean): LayerSpec[] {
  const norm = (name: string) => bn(name, 1e-3, v.v1 ? {} : { momentum: v.momentum });
  const filters = fin * expand;
  const body: LayerSpec[] = [];
  if (fused) {
    if (expand !== 1) body.push(...conv(`${p}expand_conv`, filters, kernel, { stride, padding: 'same', bias: false }), norm(`${p}expand_bn`), act(`${p}expand_activation`, 'swish'));
  } else {
    if (expand !== 1) body.push(...conv(`${p}expand_conv`, filters, 1, { padding: 'same', bias: false }), norm(`${p}expand_bn`), act(`${p}expand_activation`, 'swish'));
    const valid = v.v1 && stride === 2;
    if (valid) body.push(zeroPad(`${p}dwconv_pad`, correctPad(size, kernel)));
    body.push(depthwise(`${p}dwconv${v.v1 ? '' : '2'}`, kernel, { stride, padding: valid ? 'valid' : 'same', bias: false }), norm(`${p}bn`), act(`${p}activation`, 'swish'));
  }
  if (se > 0) body.push(squeezeExcite(p, filters, Math.max(1, Math.floor(fin * se))));
  const projectK = fused && expand === 1 ? kernel : 1;
  body.push(...conv(`${p}project_conv`, fout, projectK, { stride: projectK === 1 ? 1 : stride, padding: 'same', bias: false }), norm(`${p}project_bn`));
  if (fused && expand === 1) body.push(act(`${p}project_activation`, 'swish'));
  if (stride !== 1 || fin !== fout) return body;
  if (drop) body.push(op('dropout', { p: 0.2 }, { name: `${p}drop` }));
  return [parallel([body, []], op('add', {}, { name: `${p}add` }))];
}

function efficientnet(v: Variant): LayerSpec[] {
  const norm = (name: string) => bn(name, 1e-3, v.v1 ? {} : { momentum: v.momentum });
  const stem = roundFilters(v.stages[0]![2], v.width, v.v1);
  const bVariant = !v.v1 && v.stages === V2_STAGES['b'];
  const layers: LayerSpec[] = v.v1
    ? [
        op('rescaling', { scale: 1 / 255 }, { name: 'rescaling' }),
        op('normalization', {}, { name: 'normalization' }),
        op('rescaling', { scale: [1 / Math.sqrt(0.229), 1 / Math.sqrt(0.224), 1 / Math.sqrt(0.225)] }, { name: 'rescaling_1' }),
        zeroPad('stem_conv_pad', correctPad(v.side, 3)),
        ...conv('stem_conv', stem, 3, { stride: 2, bias: false }),
      ]
    : [
        ...(bVariant
          ? [op('rescaling', { scale: 1 / 255 }, { name: 'rescaling' }), op('normalization', { adapted: false }, { name: 'normalization' })]
          : [op('rescaling', { scale: 1 / 128, offset: -1 }, { name: 'rescaling' })]),
        ...conv('stem_conv', stem, 3, { stride: 2, padding: 'same', bias: false }),
      ];
  layers.push(norm('stem_bn'), act('stem_activation', 'swish'));
  let size = Math.ceil(v.side / 2);
  let index = 0;
  v.stages.forEach((stage, i) => {
    const [, repeats, fin, fout] = stage;
    const [rin, rout] = [roundFilters(fin, v.width, v.v1), roundFilters(fout, v.width, v.v1)];
    for (let j = 0; j < Math.ceil(v.depth * repeats); j++) {
      const s: Stage = [stage[0], repeats, j === 0 ? rin : rout, rout, stage[4], stage[5], j === 0 ? stage[6] : 1, stage[7] ?? false];
      layers.push(...block(v, `block${i + 1}${String.fromCharCode(97 + j)}_`, s, size, index > 0));
      size = Math.ceil(size / s[6]);
      index++;
    }
  });
  return [
    ...layers,
    ...conv('top_conv', roundFilters(1280, v.width, v.v1), 1, { padding: 'same', bias: false }), norm('top_bn'), act('top_activation', 'swish'),
    gap('avg_pool'),
    op('dropout', { p: 0.2 }, { name: 'top_dropout' }),
    ...dense('predictions', 1000, 'softmax'),
  ];
}

/** B0…B7: width, depth, input side, Keras's model.summary() total (keras.io's table: 5.3M, 7.9M, 9.2M, 12.3M, 19.5M, 30.6M, 43.3M, 66.7M). */
const V1: readonly (readonly [number, number, number, number])[] = [
  [1.0, 1.0, 224, 5_330_571], [1.0, 1.1, 240, 7_856_239], [1.1, 1.2, 260, 9_177_569], [1.2, 1.4, 300, 12_320_535],
  [1.4, 1.8, 380, 19_466_823], [1.6, 2.2, 456, 30_562_527], [1.8, 2.6, 528, 43_265_143], [2.0, 3.1, 600, 66_658_687],
];

/** V2: name, stages, width, depth, input side, Keras's model.summary() total (keras.io: 7.2M, 8.2M, 10.2M, 14.5M, 21.6M, 54.4M, 119.0M). */
const V2: readonly (readonly [string, string, number, number, number, number])[] = [
  ['B0', 'b', 1.0, 1.0, 224, 7_200_312], ['B1', 'b', 1.0, 1.1, 240, 8_212_124], ['B2', 'b', 1.1, 1.2, 260, 10_178_374],
  ['B3', 'b', 1.2, 1.4, 300, 14_467_622], ['S', 's', 1.0, 1.0, 384, 21_612_360], ['M', 'm', 1.0, 1.0, 480, 54_431_388],
  ['L', 'l', 1.0, 1.0, 480, 119_027_848],
];

export const kerasEfficientnets: readonly ZooEntry[] = [
  ...V1.map(([width, depth, side, published], i) => {
    const cls = `EfficientNetB${i}`;
    const v: Variant = { v1: true, width, depth, side, stages: V1_STAGES, momentum: 0.99 };
    return kerasEntry(cls, `Keras ${cls}: width ×${width}, depth ×${depth}, ${side}×${side}`, () => kerasSpec(cls, side, efficientnet(v)), published);
  }),
  ...V2.map(([size, stages, width, depth, side, published]) => {
    const cls = `EfficientNetV2${size}`;
    const v: Variant = { v1: false, width, depth, side, stages: V2_STAGES[stages]!, momentum: 0.9 };
    return kerasEntry(cls, `Keras ${cls}: Fused-MBConv and MBConv stages, ${side}×${side}`, () => kerasSpec(cls, side, efficientnet(v)), published);
  }),
];
