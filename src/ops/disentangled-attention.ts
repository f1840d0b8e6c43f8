/**
 * @module
 * DeBERTa's disentangled self-attention (He et al. 2021), as `transformers`' DisentangledSelfAttention of DeBERTa-v2/v3:
 * the attention.self module, whose output projection is a separate attention.output.dense. Inputs: hidden states
 * [N, L, d_model] and, with relative attention, the relative position table [2·k, d_model] (after its LayerNorm). The
 * scores add to the content-to-content term QKᵀ a content-to-position term (c2p: queries against projected position
 * keys) and a position-to-content term (p2c: keys against projected position queries), each gathered by distance.
 *
 * Weights: query_proj, key_proj, value_proj [d_model, d_model] with biases; without share_att_key, pos_key_proj (c2p)
 * and pos_query_proj (p2c) too. MACs: q, k, v N·L·d_model² each; QKᵀ and AV N·h·L·L·d_head each; per relative term the
 * projection of the table, 2k·d_model² (once, not per batch element: transformers projects the table and repeats it;
 * with share_att_key both projections run whatever the terms), and its scores N·h·L·2k·d_head.
 * FLOPs: 4 per score, 1 per bias output, 1 per gathered relative score.
 */
import { add, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised disentangled-attention attributes. */
export interface DisentangledAttention {
  readonly num_heads: number;
  readonly c2p: boolean;
  readonly p2c: boolean;
  readonly share_att_key: boolean;
}

interface Dims {
  readonly n: number;
  readonly l: number;
  readonly d: number;
  /** Rows of the relative table, 2k; 0 without relative attention. */
  readonly span: number;
}

function dims(a: DisentangledAttention, inputs: readonly Shape[]): Dims {
  const [x, rel] = inputs;
  if (x!.length !== 3) throw shapeError(`disentangled_attention expects hidden states [N, L, d_model], but received ${fmtShape(x!)}.`);
  const d = x![2]!;
  if (d % a.num_heads !== 0) throw shapeError(`disentangled_attention splits d_model=${d} into num_heads=${a.num_heads} heads, which must divide it.`);
  const relative = a.c2p || a.p2c;
  if (relative !== (rel !== undefined)) {
    throw shapeError(relative ? 'disentangled_attention with c2p or p2c reads a second input, the relative position table [2k, d_model].' : 'disentangled_attention without c2p or p2c reads the hidden states only.');
  }
  if (rel && (rel.length !== 2 || rel[1] !== d)) throw shapeError(`disentangled_attention expects the relative position table as [2k, ${d}], but received ${fmtShape(rel)}.`);
  return { n: x![0]!, l: x![1]!, d, span: rel ? rel[0]! : 0 };
}

/** The relative terms the layer computes: [name, runs] for c2p and p2c. */
const terms = (a: DisentangledAttention): string[] => [...(a.c2p ? ['c2p'] : []), ...(a.p2c ? ['p2c'] : [])];

export const disentangledAttention = defineOp<DisentangledAttention>({
  kind: 'disentangled_attention',
  title: 'DisentangledSelfAttention',
  doc:
    "DeBERTa's attention.self on [N, L, d_model] with the relative position table [2k, d_model]: query_proj, key_proj, value_proj " +
    '(+ pos_key_proj, pos_query_proj unless share_att_key). MACs: the projections, QKᵀ and AV, and per relative term (c2p, p2c) the ' +
    "table's projection 2k·d_model² and its scores N·h·L·2k·d_head.",
  attrs(r) {
    return {
      num_heads: r.int('num_heads', { min: 1 }),
      c2p: r.bool('c2p', false),
      p2c: r.bool('p2c', false),
      share_att_key: r.bool('share_att_key', false),
    };
  },
  shape(a, inputs) {
    const { n, l, d } = dims(a, inputs);
    return [[n, l, d]];
  },
  weights(a, inputs) {
    const { d } = dims(a, inputs);
    const dm = term('d_model', d);
    const lin = (name: string): Weight[] => [
      { name: `${name}.weight`, shape: [d, d], count: mul(dm, dm) },
      { name: `${name}.bias`, shape: [d], count: dm },
    ];
    const own = a.share_att_key ? [] : [...(a.c2p ? lin('pos_key_proj') : []), ...(a.p2c ? lin('pos_query_proj') : [])];
    return [...lin('query_proj'), ...lin('key_proj'), ...lin('value_proj'), ...own];
  },
  macs(a, inputs) {
    const { n, l, d, span } = dims(a, inputs);
    const [N, L, dm, h, dh] = [term('N', n), term('L', l), term('d_model', d), term('h', a.num_heads), term('d_head', d / a.num_heads)];
    const k2 = term('2k', span);
    const parts: Count[] = [mul(lit(3), N, L, dm, dm), mul(N, h, L, L, dh), mul(N, h, L, L, dh)];
    const projections = a.share_att_key ? (terms(a).length ? 2 : 0) : terms(a).length;
    if (projections) parts.push(mul(lit(projections), k2, dm, dm));
    for (const _ of terms(a)) parts.push(mul(N, h, L, k2, dh));
    return add(...parts);
  },
  flops(a, inputs) {
    const { n, l, d, span } = dims(a, inputs);
    const [N, L, h] = [term('N', n), term('L', l), term('h', a.num_heads)];
    const projections = a.share_att_key ? (terms(a).length ? 2 : 0) : terms(a).length;
    const parts: Count[] = [mul(lit(4), N, h, L, L), mul(lit(3), N, L, term('d_model', d))];
    if (projections) parts.push(mul(lit(projections), term('2k', span), term('d_model', d)));
    if (terms(a).length) parts.push(mul(lit(terms(a).length), N, h, L, L));
    return add(...parts);
  },
  label: (a) => `DA-${a.num_heads}${terms(a).length ? ` ${terms(a).join('+')}` : ''}`,
});
