/**
 * @module
 * Multi-head attention on [N, L, d_model] (batch first; [L, N, d_model] with batch_first false), self-attention on one input or cross-attention with a
 * second input, the memory [N, S, d_kv], supplying keys and values. Grouped-query attention shares each of
 * num_kv_heads key/value heads among num_heads/num_kv_heads query heads.
 *
 * Weights, separate projections (Llama, Qwen): q_proj [h·d_head, d_model], k_proj and v_proj [h_kv·d_head, d_kv],
 * out_proj [d_model, h·d_head], each with an optional bias (k_bias apart: Whisper's k_proj has none); qk_norm adds
 * norm weights for q and k: [d_head] shared by the heads (Qwen3, Gemma 3), one per head [h, d_head] (StableLM 2,
 * qk_norm_shape 'heads') or one over the whole projection [h·d_head] (OLMo 2, 'all'); RMSNorms unless
 * qk_norm_type is 'layer' (LayerNorms without bias). `packed` gives PyTorch's nn.MultiheadAttention instead: in_proj_weight [3·d_model, d_model]
 * and in_proj_bias [3·d_model] (q/k/v_proj_weight when the memory is narrower or wider), out_proj.
 *
 * MACs: the four projections, plus QKᵀ and AV, each N·h·L·S·d_head. A causal mask skips half the scores in
 * principle, but the matrix multiplies run in full, so masking changes no count.
 * FLOPs: 4 per score (scale 1, softmax 3), 1 per biased projection output, 4 per element of each q/k RMSNorm (6 for a
 * LayerNorm).
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** Normalised attention attributes. */
export interface Attention {
  readonly num_heads: number;
  readonly num_kv_heads: number;
  /** Undefined: d_model/num_heads. */
  readonly head_dim: number | undefined;
  readonly qkv_bias: boolean;
  /** The key projection's bias: qkv_bias unless set (Whisper's k_proj has none). */
  readonly k_bias?: boolean;
  readonly out_bias: boolean;
  readonly packed: boolean;
  readonly qk_norm: boolean;
  /** The q/k norm weights: 'head' [d_head] shared by the heads, 'heads' one per head, 'all' over the whole projection. */
  readonly qk_norm_shape?: 'head' | 'heads' | 'all';
  readonly qk_norm_type?: 'rms' | 'layer';
  readonly causal: boolean;
  readonly dropout: number;
  /**
   * A sliding window: each query sees only the last `window` positions. It changes no count here (the score
   * matrices are computed in full, as eager attention does); a KV cache keeps only that many tokens.
   */
  readonly window?: number;
  /** [N, L, d] when true (nncalc's default), [L, N, d] when false (PyTorch's default). */
  readonly batch_first: boolean;
  /** Widths the spec gave (PyTorch's embed_dim, kdim, vdim); checked against the inputs. */
  readonly d_model?: number | undefined;
  readonly kdim?: number | undefined;
  readonly vdim?: number | undefined;
}

/** The sizes one attention call works with. */
export interface AttentionDims {
  readonly n: number;
  readonly l: number;
  readonly s: number;
  readonly dModel: number;
  readonly dKv: number;
  readonly dHead: number;
  readonly cross: boolean;
}

export function readAttention(r: Attrs): Attention {
  const num_heads = r.int('num_heads', { min: 1 });
  const packed = r.bool('packed', false);
  const num_kv_heads = r.int('num_kv_heads', { min: 1, default: num_heads });
  if (num_heads % num_kv_heads !== 0) {
    r.fail('num_kv_heads', `'num_heads' must be a multiple of 'num_kv_heads' (each key/value head serves a group of query heads). Received: num_heads=${num_heads}, num_kv_heads=${num_kv_heads}.`);
  }
  const head_dim = r.has('head_dim') ? r.int('head_dim', { min: 1 }) : undefined;
  const bias = r.bool('bias', true);
  if (packed) {
    // nn.MultiheadAttention has one bias flag and neither grouped heads, a free head size nor q/k norms.
    for (const key of ['num_kv_heads', 'head_dim', 'qk_norm', 'qk_norm_shape', 'qk_norm_type', 'qkv_bias', 'k_bias', 'out_bias']) {
      if (r.has(key)) r.fail(key, `'${key}' does not apply to packed attention (PyTorch's nn.MultiheadAttention, whose only bias switch is 'bias').`);
    }
  }
  const qkv_bias = r.bool('qkv_bias', bias);
  const qk_norm = r.bool('qk_norm', false);
  for (const key of ['qk_norm_shape', 'qk_norm_type']) {
    if (!qk_norm && r.has(key)) r.fail(key, `'${key}' describes the q/k norms, which need qk_norm: true.`);
  }
  return {
    num_heads,
    num_kv_heads,
    head_dim,
    qkv_bias,
    k_bias: r.bool('k_bias', qkv_bias),
    out_bias: r.bool('out_bias', bias),
    packed,
    qk_norm,
    qk_norm_shape: r.oneOf('qk_norm_shape', ['head', 'heads', 'all'] as const, 'head'),
    qk_norm_type: r.oneOf('qk_norm_type', ['rms', 'layer'] as const, 'rms'),
    causal: r.bool('causal', false),
    dropout: r.num('dropout', { min: 0, max: 1, default: 0 }),
    ...(r.has('window') ? { window: r.int('window', { min: 1 }) } : {}),
    batch_first: r.bool('batch_first', true),
    d_model: r.has('d_model') ? r.int('d_model', { min: 1 }) : undefined,
    kdim: r.has('kdim') ? r.int('kdim', { min: 1 }) : undefined,
    vdim: r.has('vdim') ? r.int('vdim', { min: 1 }) : undefined,
  };
}

/** An input as [N, L, d], whatever its layout. */
const batchFirst = (a: Attention, s: Shape): Shape => (a.batch_first ? s : [s[1]!, s[0]!, s[2]!]);

/** Batch, lengths and widths of the query input and the memory, checked. */
export function attentionDims(a: Attention, inputs: readonly Shape[], what = 'attention'): AttentionDims {
  if (inputs.length > 2) throw shapeError(`${what} reads a query input and at most one memory, but received ${inputs.length} inputs.`);
  for (const s of inputs) {
    if (s.length !== 3) {
      throw shapeError(`${what} expects ${a.batch_first ? '[N, L, d_model] inputs, batch first' : '[L, N, d_model] inputs, sequence first (batch_first false)'}, but received ${fmtShape(s)}.`);
    }
  }
  const [x, m] = inputs.map((s) => batchFirst(a, s));
  const mem = m ?? x!;
  if (mem[0] !== x![0]) throw shapeError(`${what} needs the query ${fmtShape(inputs[0]!)} and the memory ${fmtShape(inputs[1]!)} to have the same batch size.`);
  const dModel = x![2]!;
  const given = (key: string, value: number | undefined, actual: number, of: string): void => {
    if (value !== undefined && value !== actual) throw shapeError(`${what} was given ${key} ${value}, but ${of} has ${actual} features.`);
  };
  given('d_model', a.d_model, dModel, `its input ${fmtShape(inputs[0]!)}`);
  given('kdim', a.kdim, mem[2]!, `its memory ${fmtShape(inputs[inputs.length - 1]!)}`);
  given('vdim', a.vdim, mem[2]!, `its memory ${fmtShape(inputs[inputs.length - 1]!)}`);
  if (a.head_dim === undefined && dModel % a.num_heads !== 0) {
    throw shapeError(`${what} splits d_model into num_heads heads, so d_model must be divisible by num_heads. Received: d_model=${dModel}, num_heads=${a.num_heads}.`, [
      `d_head = d_model/num_heads = ${dModel}/${a.num_heads} = ${(dModel / a.num_heads).toFixed(2)} is not a whole number; set head_dim to choose it.`,
    ]);
  }
  return { n: x![0]!, l: x![1]!, s: mem[1]!, dModel, dKv: mem[2]!, dHead: a.head_dim ?? dModel / a.num_heads, cross: m !== undefined };
}

/** The width of the concatenated query heads (h·d_head, or d_model when that is what it is). */
function qWidth(a: Attention, d: AttentionDims): Count {
  return a.head_dim === undefined ? term('d_model', d.dModel) : mul(term('h', a.num_heads), term('d_head', d.dHead));
}

function kvWidth(a: Attention, d: AttentionDims): Count {
  return a.num_kv_heads === a.num_heads ? qWidth(a, d) : mul(term('h_kv', a.num_kv_heads), term('d_head', d.dHead));
}

const kvIn = (d: AttentionDims): Count => (d.dKv === d.dModel ? term('d_model', d.dModel) : term('d_kv', d.dKv));

export function attentionWeights(a: Attention, d: AttentionDims, prefix = ''): Weight[] {
  const model = term('d_model', d.dModel);
  const q = qWidth(a, d);
  const kv = kvWidth(a, d);
  const w = (name: string, shape: number[], count: Count): Weight => ({ name: prefix + name, shape, count });
  const out = [w('out_proj.weight', [d.dModel, dim(q)], mul(model, q)), ...(a.out_bias ? [w('out_proj.bias', [d.dModel], model)] : [])];
  if (a.packed) {
    const bias = a.qkv_bias ? [w('in_proj_bias', [3 * d.dModel], mul(lit(3), model))] : [];
    if (d.dKv === d.dModel) return [w('in_proj_weight', [3 * d.dModel, d.dModel], mul(lit(3), model, model)), ...bias, ...out];
    const kdim = term('d_kv', d.dKv);
    return [
      w('q_proj_weight', [d.dModel, d.dModel], mul(model, model)),
      w('k_proj_weight', [d.dModel, d.dKv], mul(model, kdim)),
      w('v_proj_weight', [d.dModel, d.dKv], mul(model, kdim)),
      ...bias,
      ...out,
    ];
  }
  const proj = (name: string, width: Count, input: Count, bias = a.qkv_bias): Weight[] => [
    w(`${name}.weight`, [dim(width), dim(input)], mul(width, input)),
    ...(bias ? [w(`${name}.bias`, [dim(width)], width)] : []),
  ];
  return [...proj('q_proj', q, model), ...proj('k_proj', kv, kvIn(d), a.k_bias ?? a.qkv_bias), ...proj('v_proj', kv, kvIn(d)), ...qkNormWeights(a, d, w), ...out];
}

/** The q and k norm weights: [d_head] each, one per head, or one over the whole projection. */
function qkNormWeights(a: Attention, d: AttentionDims, w: (name: string, shape: number[], count: Count) => Weight): Weight[] {
  if (!a.qk_norm) return [];
  const dh = term('d_head', d.dHead);
  if ((a.qk_norm_shape ?? 'head') === 'head') return ['q_norm.weight', 'k_norm.weight'].map((n) => w(n, [d.dHead], dh));
  const heads = [term('h', a.num_heads), term('h_kv', a.num_kv_heads)];
  return ['q_norm.weight', 'k_norm.weight'].map((n, i) =>
    w(n, a.qk_norm_shape === 'heads' ? [dim(heads[i]!), d.dHead] : [dim(mul(heads[i]!, dh))], mul(heads[i]!, dh)),
  );
}

/** Query and key positions: N·L and N·S (N·L again for self-attention). */
const rows = (d: AttentionDims) => ({ q: [term('N', d.n), term('L', d.l)], kv: [term('N', d.n), d.cross ? term('S', d.s) : term('L', d.l)] });

export function attentionMacs(a: Attention, d: AttentionDims): Count {
  const { q: qRows, kv: kvRows } = rows(d);
  const model = term('d_model', d.dModel);
  const q = qWidth(a, d);
  const kv = kvWidth(a, d);
  const kdim = a.packed && d.dKv !== d.dModel ? term('d_kv', d.dKv) : kvIn(d);
  const kvOut = a.packed ? model : kv;
  const scores = [term('N', d.n), term('h', a.num_heads), term('L', d.l), d.cross ? term('S', d.s) : term('L', d.l), term('d_head', d.dHead)];
  return add(mul(...qRows, model, q), mul(...kvRows, kdim, kvOut), mul(...kvRows, kdim, kvOut), mul(...scores), mul(...scores), mul(...qRows, q, model));
}

export function attentionFlops(a: Attention, d: AttentionDims): Count {
  const { q: qRows, kv: kvRows } = rows(d);
  const q = qWidth(a, d);
  const kv = kvWidth(a, d);
  const parts: Count[] = [mul(term('N', d.n), term('h', a.num_heads), term('L', d.l), d.cross ? term('S', d.s) : term('L', d.l), lit(4))];
  const kBias = a.k_bias ?? a.qkv_bias;
  if (a.qkv_bias) parts.push(mul(...qRows, q), mul(kBias ? lit(2) : lit(1), ...kvRows, kv));
  else if (kBias) parts.push(mul(...kvRows, kv));
  if (a.out_bias) parts.push(mul(...qRows, term('d_model', d.dModel)));
  const perNorm = lit(a.qk_norm_type === 'layer' ? 6 : 4);
  if (a.qk_norm) parts.push(mul(perNorm, ...qRows, q), mul(perNorm, ...kvRows, kv));
  return add(...parts);
}

export const attention = defineOp<Attention>({
  kind: 'attention',
  title: 'MultiheadAttention',
  doc:
    'Multi-head (or grouped-query) attention on [N, L, d_model] ([L, N, d_model] with batch_first false); a second input [N, S, d_kv] makes it cross-attention. ' +
    'Weights: q, k, v and out projections (packed: PyTorch\'s in_proj_weight 3·d_model·d_model), biases (k_bias apart), optional q/k norms ' +
    '([d_head], one per head, or over all heads). ' +
    'MACs: the projections + QKᵀ and AV (N·h·L·S·d_head each); a causal mask changes no count. FLOPs: 4 per score (scale, softmax) + bias adds.',
  attrs: (r) => readAttention(r),
  shape(a, inputs) {
    const d = attentionDims(a, inputs);
    return [a.batch_first ? [d.n, d.l, d.dModel] : [d.l, d.n, d.dModel]];
  },
  weights: (a, inputs) => attentionWeights(a, attentionDims(a, inputs)),
  macs: (a, inputs) => attentionMacs(a, attentionDims(a, inputs)),
  flops: (a, inputs) => attentionFlops(a, attentionDims(a, inputs)),
  label: (a) => (a.num_kv_heads === a.num_heads ? `MHA-${a.num_heads}` : `GQA-${a.num_heads}/${a.num_kv_heads}`),
});
