/**
 * @module
 * MnasNet (Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile", CVPR 2019) as
 * torchvision 0.14 builds it, under its module names. torchvision builds MnasNet-B1, the searched model
 * without squeeze-excitation from the authors' TensorFlow release, not the MnasNet-A1 of the paper's Figure 7
 * (which has SE in some blocks and 112/160 channels where B1 has 96/192). Every depth, the stem's included,
 * is scaled by the depth multiplier α and rounded to a multiple of 8 (torchvision's "version 2"). The inverted
 * residuals use ReLU and keep the residual only when the stride is 1 and in = out channels, so the first block
 * of each stack has none.
 * The functional `x.mean([2, 3])` before the classifier is a layer `mean`; residual sums are layers `add`.
 */
import { op, seq, type LayerSpec, type OpSpec, type Spec } from '../describe/spec.js';
import { makeDivisible, residualIf, sameConv as conv } from './blocks.js';
import { torchvisionEntry, torchvisionSpec, type ZooEntry } from './entry.js';

// PyTorch's momentum is 1 − TensorFlow's 0.9997.
const bn = (): OpSpec => op('batchnorm2d', { momentum: 0.0003 });
const relu = (): OpSpec => op('relu');

/** torchvision's _InvertedResidual: expand 1×1, depthwise k×k, linear 1×1, each with BN, in a Sequential `layers`. */
function invertedResidual(inCh: number, out: number, kernel: number, stride: number, expansion: number): LayerSpec {
  const mid = inCh * expansion;
  const body = seq('layers', [conv(mid, 1), bn(), relu(), conv(mid, kernel, stride, mid), bn(), relu(), conv(out, 1), bn()]);
  return residualIf(stride === 1 && inCh === out, body);
}

/** B1's six stacks of inverted residuals: kernel, first stride, expansion, repeats (output depths come from α). */
const stacks: readonly (readonly [kernel: number, stride: number, expansion: number, repeats: number])[] = [
  [3, 2, 3, 3], [5, 2, 3, 3], [5, 2, 6, 3], [3, 1, 6, 2], [5, 2, 6, 4], [3, 1, 6, 1],
];

function mnasnet(name: string, alpha: number): Spec {
  const depths = [32, 16, 24, 40, 80, 96, 192, 320].map((d) => makeDivisible(d * alpha));
  const d = (i: number): number => depths[i]!;
  const layers: LayerSpec[] = [
    conv(d(0), 3, 2), bn(), relu(),
    // Depthwise separable, no residual.
    conv(d(0), 3, 1, d(0)), bn(), relu(),
    conv(d(1), 1), bn(),
  ];
  stacks.forEach(([kernel, stride, expansion, repeats], i) => {
    const blocks = Array.from({ length: repeats }, (_, j) =>
      j === 0 ? invertedResidual(d(i + 1), d(i + 2), kernel, stride, expansion) : invertedResidual(d(i + 2), d(i + 2), kernel, 1, expansion),
    );
    layers.push(seq(undefined, blocks));
  });
  layers.push(conv(1280, 1), bn(), relu());
  return torchvisionSpec(name, [
    seq('layers', layers),
    op('global_avgpool', {}, { name: 'mean' }),
    seq('classifier', [op('dropout', { p: 0.2 }), op('linear', { out: 1000 })]),
  ]);
}

const entry = (name: string, alpha: number, published: number): ZooEntry =>
  torchvisionEntry(name, `MnasNet-B1 at depth multiplier ${alpha}`, () => mnasnet(name, alpha), published);

export const mnasnets: readonly ZooEntry[] = [
  entry('mnasnet0_5', 0.5, 2_218_512),
  entry('mnasnet0_75', 0.75, 3_170_208),
  entry('mnasnet1_0', 1.0, 4_383_312),
  entry('mnasnet1_3', 1.3, 6_282_256),
];
