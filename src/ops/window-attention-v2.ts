/**
 * @module
 * Swin V2's window attention (Liu et al., "Swin Transformer V2: Scaling Up Capacity and Resolution", CVPR 2022,
 * §3.2), as torchvision's ShiftedWindowAttentionV2 computes it on a channels-last image [N, H, W, C]. The windows,
 * padding, shift and projections are Swin V1's (ops/window-attention.ts); what changes:
 * - scaled cosine attention: q and k are normalised per head and their product is multiplied by a learned
 *   logit_scale [h, 1, 1] (clamped at log 100) instead of 1/√d_head;
 * - the position bias comes from a small MLP, cpb_mlp (Linear 2 → 512, ReLU, Linear 512 → h without bias), run once
 *   per call on the (2·w_h − 1)·(2·w_w − 1) log-spaced relative coordinates, then 16·sigmoid. Those coordinates are
 *   a float buffer, relative_coords_table [1, 2·w_h − 1, 2·w_w − 1, 2]; there is no learned table.
 * qkv keeps a bias of 3C parameters, though torchvision zeroes its k third at every call.
 * MACs: V1's (qkv, QKᵀ, AV, proj on the padded tokens) plus cpb_mlp's cells·(2·512 + 512·h).
 * FLOPs: V1's (per score: logit scale 1, softmax 3, bias 1, mask 1 when shifted; 1 per biased projection output),
 * plus 3 per element of q and k (the normalisation: square, sum, divide), 2 per bias entry h·M·M (sigmoid, ×16) and
 * 2 per hidden unit of cpb_mlp (bias, ReLU).
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { dims, flops as v1Flops, macs as v1Macs, perWindow, projectionWeights, readWindowAttention, tableSides, windowLabel, windowShape, type WindowAttention } from './window-attention.js';

/** Window attention V2: V1's attributes and the hidden width of the position-bias MLP (512 in torchvision). */
export interface WindowAttentionV2 extends WindowAttention {
  readonly cpb_hidden: number;
}

/** The relative coordinates cpb_mlp reads: (2·w_h − 1)·(2·w_w − 1). */
const cells = (a: WindowAttentionV2): Count => mul(...tableSides(a));

function weights(a: WindowAttentionV2, x: Shape): Weight[] {
  const h = term('h', a.num_heads);
  const hidden = term('hidden', a.cpb_hidden);
  const [rows, cols] = tableSides(a);
  return [
    { name: 'logit_scale', shape: [a.num_heads, 1, 1], dims: ['h', '1', '1'], count: h },
    ...projectionWeights(a, x[3]!),
    { name: 'cpb_mlp.0.weight', shape: [a.cpb_hidden, 2], dims: ['hidden', '2'], count: mul(lit(2), hidden) },
    { name: 'cpb_mlp.0.bias', shape: [a.cpb_hidden], dims: ['hidden'], count: hidden },
    { name: 'cpb_mlp.2.weight', shape: [a.num_heads, a.cpb_hidden], dims: ['h', 'hidden'], count: mul(hidden, h) },
    { name: 'relative_coords_table', shape: [1, dim(rows), dim(cols), 2], dims: ['1', '(2·w_h − 1)', '(2·w_w − 1)', '2'], count: mul(rows, cols, lit(2)), buffer: true, trainable: false },
  ];
}

function macs(a: WindowAttentionV2, x: Shape): Count {
  const hidden = term('hidden', a.cpb_hidden);
  return add(v1Macs(a, x), mul(cells(a), add(mul(lit(2), hidden), mul(hidden, term('h', a.num_heads)))));
}

function flops(a: WindowAttentionV2, x: Shape): Count {
  const d = dims(a, x);
  const normalise = mul(...perWindow(d), lit(2), term('C', d.c), lit(3));
  const bias = mul(term('h', a.num_heads), term('M', d.m), term('M', d.m), lit(2));
  return add(v1Flops(a, x), normalise, bias, mul(cells(a), term('hidden', a.cpb_hidden), lit(2)));
}

export const windowAttentionV2 = defineOp<WindowAttentionV2>({
  kind: 'window_attention_v2',
  title: 'ShiftedWindowAttentionV2',
  doc:
    'Swin V2\'s (shifted) window self-attention on [N, H, W, C]: V1\'s windows and projections with scaled cosine attention and a ' +
    'position bias from cpb_mlp (2 → 512 → h). Weights: qkv C·3C + 3C, proj C·C + C, logit_scale h, cpb_mlp 3·512 + 512·h; buffer: ' +
    'relative_coords_table (2·w_h − 1)·(2·w_w − 1)·2. MACs: V1\'s plus (2·w_h − 1)·(2·w_w − 1)·(2·512 + 512·h) for cpb_mlp.',
  attrs: (r) => ({ ...readWindowAttention(r), cpb_hidden: r.int('cpb_hidden', { min: 1, default: 512 }) }),
  shape: (a, [x], note) => windowShape(a, x!, note),
  weights: (a, [x]) => weights(a, x!),
  macs: (a, [x]) => macs(a, x!),
  flops: (a, [x]) => flops(a, x!),
  label: (a) => `${windowLabel(a)} v2`,
});
