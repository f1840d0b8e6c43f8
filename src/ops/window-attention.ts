/**
 * @module
 * Swin's (shifted) window multi-head self-attention (Liu et al. 2021, §3.2), as torchvision's
 * ShiftedWindowAttention computes it on a channels-last image [N, H, W, C]: H and W are padded with zeros up
 * to multiples of the window w_h × w_w, the image is cut into nW = ⌈H/w_h⌉·⌈W/w_w⌉ windows of M = w_h·w_w
 * tokens, and each window attends within itself, with a learned bias per relative position and head.
 * A shift rolls the image by `shift` positions first and masks pairs of tokens that the roll made neighbours;
 * torchvision drops the shift along an axis the window already covers whole (Swin-T's last stage, 7×7).
 *
 * Weights, in PyTorch's order: relative_position_bias_table [(2·w_h − 1)·(2·w_w − 1), h], qkv (Linear C → 3C)
 * and proj (Linear C → C), each with an optional bias. The integer relative_position_index buffer is not counted.
 * MACs, on the padded tokens T = N·nW·M: qkv T·C·3C + proj T·C·C + QKᵀ and AV N·nW·h·M·M·d_head each.
 * FLOPs: per score 4 (scale 1, softmax 3) + 1 position bias + 1 mask when shifted; 1 per biased projection output.
 */
import { dim, add, divide, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp, type ShapeNote } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised window-attention attributes. */
export interface WindowAttention {
  readonly num_heads: number;
  /** Window height and width. */
  readonly window: readonly [number, number];
  /** Cyclic shift along H and W; 0 for plain (non-shifted) windows. */
  readonly shift: readonly [number, number];
  readonly qkv_bias: boolean;
  readonly proj_bias: boolean;
}

/** The sizes one window-attention call works with. */
export interface Dims {
  readonly n: number;
  readonly c: number;
  readonly dHead: number;
  /** Windows per image and their count as a formula. */
  readonly windows: Count;
  /** Tokens per window. */
  readonly m: number;
  /** Whether some shift survives torchvision's rule (a window covering the whole padded axis is not shifted). */
  readonly shifted: boolean;
}

/** The sizes of one call on a channels-last image x; a shape error when x is not one or C does not split into the heads. */
export function dims(a: WindowAttention, x: Shape): Dims {
  if (x.length !== 4) {
    throw shapeError(`window_attention expects a channels-last image [N, H, W, C], but received ${fmtShape(x)}.`, [
      'Hint: permute an [N, C, H, W] tensor with dims [0, 2, 3, 1] first.',
    ]);
  }
  const [n, h, w, c] = x as [number, number, number, number];
  if (c % a.num_heads !== 0) {
    throw shapeError(`window_attention splits the C channels into num_heads heads, so C must be divisible by num_heads. Received: C=${c}, num_heads=${a.num_heads}.`, [
      `d_head = C/num_heads = ${c}/${a.num_heads} = ${(c / a.num_heads).toFixed(2)} is not a whole number.`,
    ]);
  }
  const [wh, ww] = a.window;
  const rows = divide(term('H', h), term('w_h', wh), 'ceil');
  const cols = divide(term('W', w), term('w_w', ww), 'ceil');
  const shifted = (a.shift[0] > 0 && wh < dim(rows) * wh) || (a.shift[1] > 0 && ww < dim(cols) * ww);
  return { n, c, dHead: c / a.num_heads, windows: mul(rows, cols), m: wh * ww, shifted };
}

/** nW, M, and the factors of a per-window matrix multiply. */
export const perWindow = (d: Dims) => [term('N', d.n), term('nW', dim(d.windows)), term('M', d.m)];

/** The qkv (C → 3C) and proj (C → C) projections' weights and biases, in PyTorch's order. */
export function projectionWeights(a: WindowAttention, c: number): Weight[] {
  const C = term('C', c);
  const w = (name: string, shape: number[], dimNames: string[], count: Count): Weight => ({ name, shape, dims: dimNames, count });
  return [
    w('qkv.weight', [3 * c, c], ['3C', 'C'], mul(lit(3), C, C)),
    ...(a.qkv_bias ? [w('qkv.bias', [3 * c], ['3C'], mul(lit(3), C))] : []),
    w('proj.weight', [c, c], ['C', 'C'], mul(C, C)),
    ...(a.proj_bias ? [w('proj.bias', [c], ['C'], C)] : []),
  ];
}

/** The relative-position table's side counts, (2·w_h − 1) and (2·w_w − 1). */
export const tableSides = (a: WindowAttention): [Count, Count] => [term('(2·w_h − 1)', 2 * a.window[0] - 1), term('(2·w_w − 1)', 2 * a.window[1] - 1)];

function weights(a: WindowAttention, x: Shape): Weight[] {
  const [rows, cols] = tableSides(a);
  const table: Weight = { name: 'relative_position_bias_table', shape: [dim(rows) * dim(cols), a.num_heads], dims: ['(2·w_h − 1)·(2·w_w − 1)', 'h'], count: mul(rows, cols, term('h', a.num_heads)) };
  return [table, ...projectionWeights(a, x[3]!)];
}

/** qkv, QKᵀ, AV and proj on the padded tokens. */
export function macs(a: WindowAttention, x: Shape): Count {
  const d = dims(a, x);
  const C = term('C', d.c);
  const scores = [term('N', d.n), term('nW', dim(d.windows)), term('h', a.num_heads), term('M', d.m), term('M', d.m), term('d_head', d.dHead)];
  return add(mul(...perWindow(d), C, lit(3), C), mul(...scores), mul(...scores), mul(...perWindow(d), C, C));
}

/** Per score: scale 1, softmax 3, position bias 1, mask 1 when shifted; 1 per biased projection output. */
export function flops(a: WindowAttention, x: Shape): Count {
  const d = dims(a, x);
  const perScore = d.shifted ? term('(4 + 1 + 1)', 6) : term('(4 + 1)', 5);
  const parts = [mul(term('N', d.n), term('nW', dim(d.windows)), term('h', a.num_heads), term('M', d.m), term('M', d.m), perScore)];
  if (a.qkv_bias) parts.push(mul(...perWindow(d), lit(3), term('C', d.c)));
  if (a.proj_bias) parts.push(mul(...perWindow(d), term('C', d.c)));
  return add(...parts);
}


/** num_heads, window, shift (smaller than the window), and the biases of qkv and proj (`bias` sets both). */
export function readWindowAttention(r: Attrs): WindowAttention {
  const num_heads = r.int('num_heads', { min: 1 });
  const window = r.tuple('window', 2) as [number, number];
  const shift = r.tuple('shift', 2, { min: 0, default: 0 }) as [number, number];
  if (shift[0] >= window[0] || shift[1] >= window[1]) {
    r.fail('shift', `'shift' must be smaller than the window along each axis (Swin shifts by half a window). Received: shift=[${shift.join(', ')}], window=[${window.join(', ')}].`);
  }
  const bias = r.bool('bias', true);
  return { num_heads, window, shift, qkv_bias: r.bool('qkv_bias', bias), proj_bias: r.bool('proj_bias', bias) };
}

/** The output keeps the input's shape; the windows and their tokens are noted. */
export function windowShape(a: WindowAttention, x: Shape, note?: (n: ShapeNote) => void): Shape[] {
  const d = dims(a, x);
  note?.({ label: 'windows nW', count: d.windows });
  note?.({ label: 'tokens per window M', count: mul(term('w_h', a.window[0]), term('w_w', a.window[1])) });
  return [x];
}

/** W-MSA-h, or SW-MSA-h for shifted windows. */
export const windowLabel = (a: WindowAttention): string => `${a.shift[0] || a.shift[1] ? 'SW' : 'W'}-MSA-${a.num_heads}`;

export const windowAttention = defineOp<WindowAttention>({
  kind: 'window_attention',
  title: 'ShiftedWindowAttention',
  doc:
    'Swin\'s (shifted) window self-attention on a channels-last image [N, H, W, C]: H and W padded to multiples of the window, ' +
    'attention within each of the nW windows of M = w_h·w_w tokens. Weights: relative_position_bias_table (2·w_h − 1)·(2·w_w − 1)·h, ' +
    'qkv C·3C + 3C, proj C·C + C. MACs on the padded tokens: qkv N·nW·M·C·3C + proj N·nW·M·C·C + QKᵀ and AV N·nW·h·M·M·d_head each.',
  attrs: (r) => readWindowAttention(r),
  shape: (a, [x], note) => windowShape(a, x!, note),
  weights: (a, [x]) => weights(a, x!),
  macs: (a, [x]) => macs(a, x!),
  flops: (a, [x]) => flops(a, x!),
  label: windowLabel,
});
