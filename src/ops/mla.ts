/**
 * @module
 * Multi-head latent attention (DeepSeek-V2, V3; DeepSeek-AI 2024) on [N, L, d_model], as `transformers`' DeepseekV2Attention.
 * Queries go through a low-rank bottleneck (q_a_proj to r_q, RMSNorm, q_b_proj) or straight through q_proj; keys and
 * values through a shared latent: kv_a_proj_with_mqa gives r_kv latent values plus one rotary key part of d_rope shared
 * by all heads, kv_a_layernorm normalises the latent, and kv_b_proj expands it to each head's non-rotary key part
 * (d_nope) and its value (d_v). Each head's query and key are d_nope + d_rope wide; o_proj maps the h·d_v values back.
 *
 * Weights: q_proj [h·(d_nope + d_rope), d_model] or q_a_proj [r_q, d_model], q_a_layernorm [r_q], q_b_proj
 * [h·(d_nope + d_rope), r_q]; kv_a_proj_with_mqa [r_kv + d_rope, d_model]; kv_a_layernorm [r_kv]; kv_b_proj
 * [h·(d_nope + d_v), r_kv]; o_proj [d_model, h·d_v]. `bias` (attention_bias) adds biases to q_a_proj,
 * kv_a_proj_with_mqa and o_proj.
 * MACs: the projections, QKᵀ N·h·L·L·(d_nope + d_rope) and AV N·h·L·L·d_v (the latent is expanded, as transformers
 * does; an absorbed-weights kernel does other arithmetic). FLOPs: 4 per score, 4 per element of each RMSNorm, the biases.
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised multi-head latent attention attributes. */
export interface Mla {
  readonly num_heads: number;
  /** 0: queries are projected directly by q_proj. */
  readonly q_lora_rank: number;
  readonly kv_lora_rank: number;
  readonly qk_nope_head_dim: number;
  readonly qk_rope_head_dim: number;
  readonly v_head_dim: number;
  readonly bias: boolean;
  readonly causal: boolean;
}

interface Dims {
  readonly n: Count;
  readonly l: Count;
  readonly model: Count;
}

function dims(x: Shape): Dims {
  if (x.length !== 3) throw shapeError(`mla expects [N, L, d_model], batch first, but received ${fmtShape(x)}.`);
  return { n: term('N', x[0]!), l: term('L', x[1]!), model: term('d_model', x[2]!) };
}

/** The symbols of one call: h, r_q, r_kv and the head widths. */
function sym(a: Mla) {
  const nope = term('d_nope', a.qk_nope_head_dim);
  const rope = term('d_rope', a.qk_rope_head_dim);
  return {
    h: term('h', a.num_heads),
    rq: term('r_q', a.q_lora_rank),
    rkv: term('r_kv', a.kv_lora_rank),
    rope,
    v: term('d_v', a.v_head_dim),
    qk: add(nope, rope),
    nopeV: add(nope, term('d_v', a.v_head_dim)),
    kvA: add(term('r_kv', a.kv_lora_rank), rope),
  };
}

export const mla = defineOp<Mla>({
  kind: 'mla',
  title: 'MultiHeadLatentAttention',
  doc:
    "DeepSeek's multi-head latent attention on [N, L, d_model]: queries through q_proj or the low-rank q_a_proj → RMSNorm → q_b_proj; " +
    'keys and values through a shared latent (kv_a_proj_with_mqa to r_kv + d_rope, RMSNorm, kv_b_proj to h·(d_nope + d_v)); o_proj. ' +
    'MACs: the projections + QKᵀ N·h·L·L·(d_nope + d_rope) + AV N·h·L·L·d_v. FLOPs: 4 per score, 4 per RMSNorm element, biases.',
  attrs: (r) => ({
    num_heads: r.int('num_heads', { min: 1 }),
    q_lora_rank: r.int('q_lora_rank', { min: 0, default: 0 }),
    kv_lora_rank: r.int('kv_lora_rank', { min: 1 }),
    qk_nope_head_dim: r.int('qk_nope_head_dim', { min: 0 }),
    qk_rope_head_dim: r.int('qk_rope_head_dim', { min: 0 }),
    v_head_dim: r.int('v_head_dim', { min: 1 }),
    bias: r.bool('bias', false),
    causal: r.bool('causal', false),
  }),
  shape(a, [x]) {
    dims(x!);
    if (a.qk_nope_head_dim + a.qk_rope_head_dim === 0) throw shapeError('mla needs query and key heads of some width: qk_nope_head_dim + qk_rope_head_dim is 0.');
    return [x!];
  },
  weights(a, [x]) {
    const { model } = dims(x!);
    const s = sym(a);
    const w = (name: string, count: Count, shape: number[]): Weight => ({ name, shape, count });
    const lin = (name: string, out: Count, input: Count, bias: boolean): Weight[] => [
      w(`${name}.weight`, mul(out, input), [dim(out), dim(input)]),
      ...(bias ? [w(`${name}.bias`, out, [dim(out)])] : []),
    ];
    const qOut = mul(s.h, s.qk);
    const q =
      a.q_lora_rank > 0
        ? [...lin('q_a_proj', s.rq, model, a.bias), w('q_a_layernorm.weight', s.rq, [a.q_lora_rank]), ...lin('q_b_proj', qOut, s.rq, false)]
        : lin('q_proj', qOut, model, false);
    return [
      ...q,
      ...lin('kv_a_proj_with_mqa', s.kvA, model, a.bias),
      w('kv_a_layernorm.weight', s.rkv, [a.kv_lora_rank]),
      ...lin('kv_b_proj', mul(s.h, s.nopeV), s.rkv, false),
      ...lin('o_proj', model, mul(s.h, s.v), a.bias),
    ];
  },
  macs(a, [x]) {
    const { n, l, model } = dims(x!);
    const s = sym(a);
    const q = a.q_lora_rank > 0 ? [mul(n, l, model, s.rq), mul(n, l, s.rq, s.h, s.qk)] : [mul(n, l, model, s.h, s.qk)];
    return add(...q, mul(n, l, model, s.kvA), mul(n, l, s.rkv, s.h, s.nopeV), mul(n, s.h, l, l, s.qk), mul(n, s.h, l, l, s.v), mul(n, l, s.h, s.v, model));
  },
  flops(a, [x]) {
    const { n, l, model } = dims(x!);
    const s = sym(a);
    const parts: Count[] = [mul(n, s.h, l, l, lit(4)), mul(lit(4), n, l, s.rkv)];
    if (a.q_lora_rank > 0) parts.push(mul(lit(4), n, l, s.rq));
    if (a.bias) parts.push(mul(n, l, s.kvA), mul(n, l, model), ...(a.q_lora_rank > 0 ? [mul(n, l, s.rq)] : []));
    return add(...parts);
  },
  label: (a) => `MLA-${a.num_heads}`,
});
