/**
 * @module
 * RegNetX and RegNetY (Radosavovic, Kosaraju, Girshick, He & Dollár, "Designing Network Design Spaces",
 * CVPR 2020) as torchvision 0.14 builds them, under its module names.
 *
 * A RegNet is a stem (3×3/2 conv to 32 channels), four stages of residual bottleneck blocks (1×1 conv, 3×3
 * grouped conv with the stride, [squeeze-and-excitation,] 1×1 conv, added to the input or to a 1×1 strided
 * projection of it, then ReLU), global pooling and a linear classifier. Its per-stage widths and depths are not
 * listed but generated from six numbers (depth d, w_0, w_a, w_m, group width g, SE ratio), §3.3 of the paper:
 * - block j's continuous width u_j = w_0 + w_a·j is snapped to w_0·w_m^s_j, with s_j = round(log(u_j/w_0)/log w_m),
 *   then rounded to a multiple of 8;
 * - consecutive blocks of equal width form a stage (stride 2 on its first block);
 * - the group width is capped at the stage width, and the width is rounded to a multiple of it (never more
 *   than 10 % down), so every 3×3 conv has width/g groups.
 * torchvision's models all have bottleneck ratio 1, so the bottleneck width equals the stage width. torchvision
 * evaluates the first two steps in float32; for its models double precision gives the same widths.
 * RegNetY adds an SE gate after the 3×3 conv whose squeeze width is 1/4 of the block's input width.
 * The residual sum is a layer named `add`, and the SE gate's product `scale · x` a layer named `mul`.
 */
import { block, op, parallel, residual, type LayerSpec, type Spec } from '../describe/spec.js';
import { convNormAct, makeDivisible, squeezeExcitation } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

/** The design-space parameters of one model. */
export interface RegNetParams {
  readonly depth: number;
  readonly w0: number;
  readonly wa: number;
  readonly wm: number;
  readonly groupWidth: number;
  /** RegNetY: squeeze width = ratio · block input width. */
  readonly se?: number;
}

/** One generated stage. */
export interface RegNetStage {
  readonly width: number;
  readonly depth: number;
  readonly groupWidth: number;
}

/** Python's round(): halves go to the even neighbour (torch.round does the same). */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** The stages a RegNet's parameters generate (torchvision's BlockParams.from_init_params). */
export function regnetStages(p: RegNetParams): RegNetStage[] {
  const QUANT = 8;
  const widths = Array.from({ length: p.depth }, (_, j) => {
    const s = roundHalfEven(Math.log((p.w0 + p.wa * j) / p.w0) / Math.log(p.wm));
    return roundHalfEven((p.w0 * p.wm ** s) / QUANT) * QUANT;
  });
  const stages: RegNetStage[] = [];
  for (const w of widths) {
    const last = stages[stages.length - 1];
    if (last && last.width === w) stages[stages.length - 1] = { ...last, depth: last.depth + 1 };
    else stages.push({ width: w, depth: 1, groupWidth: p.groupWidth });
  }
  return stages.map((s) => {
    const g = Math.min(s.groupWidth, s.width);
    return { width: makeDivisible(s.width, g), depth: s.depth, groupWidth: g };
  });
}

/** One residual bottleneck block (torchvision's ResBottleneckBlock). */
function resBlock(name: string, win: number, s: RegNetStage, stride: number, se: number | undefined): LayerSpec {
  const w = s.width;
  const f = block('f', [
    convNormAct('a', w, 1, { act: 'relu' }),
    convNormAct('b', w, 3, { stride, groups: w / s.groupWidth, act: 'relu' }),
    ...(se ? [squeezeExcitation('se', w, roundHalfEven(se * win), 'relu')] : []),
    convNormAct('c', w, 1),
  ]);
  const add = op('add', {}, { name: 'add' });
  // torchvision computes proj(x) + f(x): the projection runs first.
  const sum = win !== w || stride !== 1 ? parallel([convNormAct('proj', w, 1, { stride }), f], add) : residual([f], add);
  return block(name, [sum, op('relu', {}, { name: 'activation' })]);
}

function regnet(name: string, p: RegNetParams): Spec {
  const stem = 32;
  let width = stem;
  const stages = regnetStages(p).map((s, i) => {
    const blocks = Array.from({ length: s.depth }, (_, j) => resBlock(`block${i + 1}-${j}`, j === 0 ? width : s.width, s, j === 0 ? 2 : 1, p.se));
    width = s.width;
    return block(`block${i + 1}`, blocks);
  });
  return torchvisionSpec(name, [
    convNormAct('stem', stem, 3, { stride: 2, act: 'relu' }),
    block('trunk_output', stages),
    op('adaptive_avgpool2d', { output: 1 }, { name: 'avgpool' }),
    op('flatten', {}, { name: 'flatten' }),
    op('linear', { out: 1000 }, { name: 'fc' }),
  ]);
}

/** [name, d, w_0, w_a, w_m, g, published parameters (the weights' num_params)]; RegNetY has SE ratio 0.25. */
const MODELS: readonly (readonly [string, number, number, number, number, number, number])[] = [
  ['x_400mf', 22, 24, 24.48, 2.54, 16, 5_495_976],
  ['x_800mf', 16, 56, 35.73, 2.28, 16, 7_259_656],
  ['x_1_6gf', 18, 80, 34.01, 2.25, 24, 9_190_136],
  ['x_3_2gf', 25, 88, 26.31, 2.25, 48, 15_296_552],
  ['x_8gf', 23, 80, 49.56, 2.88, 120, 39_572_648],
  ['x_16gf', 22, 216, 55.59, 2.1, 128, 54_278_536],
  ['x_32gf', 23, 320, 69.86, 2.0, 168, 107_811_560],
  ['y_400mf', 16, 48, 27.89, 2.09, 8, 4_344_144],
  ['y_800mf', 14, 56, 38.84, 2.4, 16, 6_432_512],
  ['y_1_6gf', 27, 48, 20.71, 2.65, 24, 11_202_430],
  ['y_3_2gf', 21, 80, 42.63, 2.66, 24, 19_436_338],
  ['y_8gf', 17, 192, 76.82, 2.19, 56, 39_381_472],
  ['y_16gf', 18, 200, 106.23, 2.48, 112, 83_590_140],
  ['y_32gf', 20, 232, 115.89, 2.53, 232, 145_046_770],
  ['y_128gf', 27, 456, 160.83, 2.52, 264, 644_812_894],
];

/** '1_6gf' → '1.6GF'. */
const flops = (s: string): string => s.replace('_', '.').toUpperCase();

export const regnets: readonly ZooEntry[] = MODELS.map(([id, depth, w0, wa, wm, groupWidth, published]) => {
  const name = `regnet_${id}`;
  const y = id.startsWith('y');
  const params: RegNetParams = { depth, w0, wa, wm, groupWidth, ...(y ? { se: 0.25 } : {}) };
  const title = `RegNet${y ? 'Y' : 'X'}-${flops(id.slice(2))}: d=${depth}, w₀=${w0}, wₐ=${wa}, wₘ=${wm}, g=${groupWidth}${y ? ', SE' : ''}`;
  return torchvisionEntry(name, title, () => regnet(name, params), published);
});
