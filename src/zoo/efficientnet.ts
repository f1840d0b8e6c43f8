/**
 * @module
 * EfficientNet B0–B7 (Tan & Le, "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
 * ICML 2019) and EfficientNetV2-S/M/L (Tan & Le, "EfficientNetV2: Smaller Models and Faster Training",
 * ICML 2021) as torchvision 0.14 builds them, under its module names.
 *
 * B0 is the paper's Table 1: a 3×3/2 stem of 32 channels, seven stages of MBConv blocks (inverted bottleneck:
 * 1×1 expansion, depthwise k×k, squeeze-and-excitation, 1×1 projection), a 1×1 head conv to 1280 channels,
 * global pooling, dropout and a linear classifier. B1–B7 scale B0 with a width and a depth multiplier
 * (the compound coefficients of the reference implementation). How torchvision rounds them, which the paper
 * does not specify:
 * - channels: c·width rounded to the nearest multiple of 8, at least 8, and bumped up by 8 when rounding
 *   would lose more than 10 %; the head is 4× the last stage's width (1280 for B0);
 * - depths: ⌈layers·depth⌉ per stage;
 * - the squeeze width of a block's SE is ⌊c_in/4⌋ of the block's input channels, not of its expanded width.
 * EfficientNetV2 starts with Fused-MBConv stages (one full k×k conv replaces expansion + depthwise, no SE).
 * V2-S is the paper's Table 4; the paper tabulates only S, and V2-M and V2-L take their stage tables from the
 * authors' released configurations. All V2 heads have 1280 channels.
 *
 * A block adds its input back only when its stride is 1 and its width is unchanged. Stochastic depth
 * (`stochastic_depth`, drop probability rising linearly from 0 to 0.2 over the blocks) scales that residual
 * branch while training and is the identity at inference; it is written as a dropout layer. Blocks without
 * a residual never call it, so they have no such layer. The SE gate's product `scale · x` is a functional
 * multiply, here a layer named `mul`; the residual sum is a layer named `add`.
 */
import { block, op, residual, seq, type LayerSpec, type Spec } from '../describe/spec.js';
import { convNormAct, makeDivisible, squeezeExcitation, type Norm } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

/** One stage of the table: block type, expansion ratio, kernel, stride of the first block, widths, number of blocks. */
interface Stage {
  readonly fused: boolean;
  readonly expand: number;
  readonly kernel: number;
  readonly stride: number;
  readonly cin: number;
  readonly cout: number;
  readonly layers: number;
}

type Row = readonly [expand: number, kernel: number, stride: number, cin: number, cout: number, layers: number];

const stage = (fused: boolean, [expand, kernel, stride, cin, cout, layers]: Row): Stage => ({ fused, expand, kernel, stride, cin, cout, layers });

/** B0, Table 1 of the 2019 paper (stage 1's stem and stage 9's head are built separately). */
const B0: readonly Row[] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/** V2 tables: how many of the first rows are Fused-MBConv, and the rows. */
const V2: Readonly<Record<'s' | 'm' | 'l', { fused: number; rows: readonly Row[] }>> = {
  s: {
    fused: 3,
    rows: [[1, 3, 1, 24, 24, 2], [4, 3, 2, 24, 48, 4], [4, 3, 2, 48, 64, 4], [4, 3, 2, 64, 128, 6], [6, 3, 1, 128, 160, 9], [6, 3, 2, 160, 256, 15]],
  },
  m: {
    fused: 3,
    rows: [[1, 3, 1, 24, 24, 3], [4, 3, 2, 24, 48, 5], [4, 3, 2, 48, 80, 5], [4, 3, 2, 80, 160, 7], [6, 3, 1, 160, 176, 14], [6, 3, 2, 176, 304, 18], [6, 3, 1, 304, 512, 5]],
  },
  l: {
    fused: 3,
    rows: [[1, 3, 1, 32, 32, 4], [4, 3, 2, 32, 64, 7], [4, 3, 2, 64, 96, 7], [4, 3, 2, 96, 192, 10], [6, 3, 1, 192, 224, 19], [6, 3, 2, 224, 384, 25], [6, 3, 1, 384, 640, 7]],
  },
};

/** B0's table scaled: widths by `width` (rounded to multiples of 8), block counts by `depth` (rounded up). */
export function scaledStages(width: number, depth: number): Stage[] {
  return B0.map(([expand, kernel, stride, cin, cout, layers]) =>
    stage(false, [expand, kernel, stride, makeDivisible(cin * width, 8), makeDivisible(cout * width, 8), Math.ceil(layers * depth)]),
  );
}

/** The layers of one MBConv or Fused-MBConv block. */
function mbconv(s: Stage, cin: number, stride: number, norm: Norm): LayerSpec[] {
  const expanded = makeDivisible(cin * s.expand, 8);
  const act = { act: 'silu', norm };
  const project = convNormAct(undefined, s.cout, 1, { norm });
  if (s.fused) {
    return expanded === cin
      ? [convNormAct(undefined, s.cout, s.kernel, { stride, ...act })]
      : [convNormAct(undefined, expanded, s.kernel, { stride, ...act }), project];
  }
  return [
    ...(expanded === cin ? [] : [convNormAct(undefined, expanded, 1, act)]),
    convNormAct(undefined, expanded, s.kernel, { stride, groups: expanded, ...act }),
    squeezeExcitation(undefined, expanded, Math.max(1, Math.floor(cin / 4)), 'silu', 'sigmoid', true),
    project,
  ];
}

interface Config {
  readonly stages: readonly Stage[];
  /** Head width; undefined: 4× the last stage's width. */
  readonly head?: number;
  readonly dropout: number;
  readonly resolution: number;
  readonly norm: Norm;
}

function efficientnet(name: string, c: Config): Spec {
  const total = c.stages.reduce((s, st) => s + st.layers, 0);
  let index = 0;
  const stages = c.stages.map((s) =>
    seq(
      undefined,
      Array.from({ length: s.layers }, (_, i) => {
        const cin = i === 0 ? s.cin : s.cout;
        const stride = i === 0 ? s.stride : 1;
        const body = seq('block', mbconv(s, cin, stride, c.norm));
        const p = (0.2 * index++) / total;
        return block(undefined, stride === 1 && cin === s.cout ? [residual([body, op('dropout', { p }, { name: 'stochastic_depth' })], op('add', {}, { name: 'add' }))] : [body]);
      }),
    ),
  );
  const last = c.stages[c.stages.length - 1]!.cout;
  return torchvisionSpec(
    name,
    [
      seq('features', [
        convNormAct(undefined, c.stages[0]!.cin, 3, { stride: 2, act: 'silu', norm: c.norm }),
        ...stages,
        convNormAct(undefined, c.head ?? 4 * last, 1, { act: 'silu', norm: c.norm }),
      ]),
      op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
      op('flatten', {}, { name: 'flatten' }),
      seq('classifier', [op('dropout', { p: c.dropout }), op('linear', { out: 1000 })]),
    ],
    { side: c.resolution },
  );
}

const v1Norm: Norm = { eps: 1e-5, momentum: 0.1 };

/** [width, depth, dropout, resolution, published parameters (the weights' num_params)] for B0 … B7. */
const B: readonly (readonly [number, number, number, number, number])[] = [
  [1.0, 1.0, 0.2, 224, 5_288_548],
  [1.0, 1.1, 0.2, 240, 7_794_184],
  [1.1, 1.2, 0.3, 288, 9_109_994],
  [1.2, 1.4, 0.3, 300, 12_233_232],
  [1.4, 1.8, 0.4, 380, 19_341_616],
  [1.6, 2.2, 0.4, 456, 30_389_784],
  [1.8, 2.6, 0.5, 528, 43_040_704],
  [2.0, 3.1, 0.5, 600, 66_347_960],
];

const v1 = B.map(([width, depth, dropout, resolution, published], i): ZooEntry => {
  const name = `efficientnet_b${i}`;
  // B5–B7 keep the reference implementation's BatchNorm settings (eps 1e-3, momentum 0.01).
  const norm = i >= 5 ? { eps: 1e-3, momentum: 0.01 } : v1Norm;
  return torchvisionEntry(
    name,
    `EfficientNet-B${i}: B0 scaled ×${width} wide, ×${depth} deep, at ${resolution}×${resolution}`,
    () => efficientnet(name, { stages: scaledStages(width, depth), dropout, resolution, norm }),
    published,
  );
});

/** [size, dropout, resolution, published parameters] for V2-S, M, L. */
const V2_ENTRIES: readonly (readonly ['s' | 'm' | 'l', number, number, number])[] = [
  ['s', 0.2, 384, 21_458_488],
  ['m', 0.3, 480, 54_139_356],
  ['l', 0.4, 480, 118_515_272],
];

const v2 = V2_ENTRIES.map(([size, dropout, resolution, published]): ZooEntry => {
  const name = `efficientnet_v2_${size}`;
  const t = V2[size];
  return torchvisionEntry(
    name,
    `EfficientNetV2-${size.toUpperCase()}: Fused-MBConv then MBConv stages, at ${resolution}×${resolution}`,
    () => efficientnet(name, { stages: t.rows.map((r, i) => stage(i < t.fused, r)), head: 1280, dropout, resolution, norm: { eps: 1e-3, momentum: 0.1 } }),
    published,
  );
});

export const efficientnets: readonly ZooEntry[] = [...v1, ...v2];
