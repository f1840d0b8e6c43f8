/**
 * @module
 * The pieces every Hugging Face family is built from, as Spec layers with the module names `transformers` uses.
 *
 * Attention is one `attention` layer per attention module (`model.layers.0.self_attn`, `transformer.h.0.attn`):
 * it holds the q/k/v and output projections, so its parameters equal that module's, and its MACs count the
 * projections plus QKᵀ and AV (2·N·h·L·S·d_head). The weights inside it carry the attention op's names
 * (q_proj, k_proj, v_proj, out_proj), not each family's (c_attn, query, o_proj, dense).
 */
import type { Raw } from '../../ops/attrs.js';
import { isOp, isParallel, op, type BlockSpec, type LayerSpec, type OpSpec, type Spec } from '../../describe/spec.js';
import type { HfConfig, LayerCount } from './config.js';

/**
 * The layer's role in the report's breakdown; 'mixer' is Mamba's state-space mixer. Multimodal models give each tower one role ('vision', 'text',
 * 'projector') beside the language model's own roles, so the breakdown is per part.
 */
export type Role = 'embeddings' | 'attention' | 'mlp' | 'experts' | 'mixer' | 'norms' | 'head' | 'vision' | 'text' | 'projector';

/** The sequence length a model is analysed at unless --seq says otherwise. */
export const DEFAULT_SEQ = 128;

/** 128 tokens, or fewer when the position table is shorter. */
export const defaultSeq = (positions?: number): number => Math.min(DEFAULT_SEQ, positions ?? DEFAULT_SEQ);

const extra = (name: string, role: Role, inputs?: readonly string[], tied?: Readonly<Record<string, string>>): Omit<OpSpec, 'op' | 'attrs'> => ({
  name,
  role,
  ...(inputs ? { inputs } : {}),
  ...(tied ? { tied } : {}),
});

export const embedding = (name: string, rows: number, dim: number, opts: { inputs?: readonly string[]; tied?: string; role?: Role } = {}): OpSpec =>
  op('embedding', { num_embeddings: rows, embedding_dim: dim }, extra(name, opts.role ?? 'embeddings', opts.inputs, opts.tied ? { weight: opts.tied } : undefined));

export const linear = (name: string, out: number, bias: boolean, role: Role, opts: { inputs?: readonly string[]; tied?: string } = {}): OpSpec =>
  op('linear', { out, bias }, extra(name, role, opts.inputs, opts.tied ? { weight: opts.tied } : undefined));

export const layerNorm = (name: string, inputs?: readonly string[]): OpSpec => op('layernorm', {}, extra(name, 'norms', inputs));
export const rmsNorm = (name: string, inputs?: readonly string[]): OpSpec => op('rmsnorm', {}, extra(name, 'norms', inputs));

export const add = (name: string, role: Role, inputs?: readonly string[]): OpSpec => op('add', {}, extra(name, role, inputs));
export const mul = (name: string, role: Role, inputs?: readonly string[]): OpSpec => op('mul', {}, extra(name, role, inputs));

/** `transformers`' activation names → nncalc's ops; the GELU approximations all count as one GELU. */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  gelu: 'gelu',
  gelu_new: 'gelu',
  gelu_fast: 'gelu',
  gelu_python: 'gelu',
  gelu_pytorch_tanh: 'gelu',
  gelu_accurate: 'gelu',
  quick_gelu: 'gelu',
  silu: 'silu',
  swish: 'silu',
  relu: 'relu',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
};

/** An activation layer; one nncalc has no rule for is a custom layer without parameters or MACs (FLOPs unknown). */
export function activation(name: string, fn: string, role: Role): OpSpec {
  const kind = ACTIVATIONS[fn];
  return kind ? op(kind, {}, extra(name, role)) : op('custom', { type: fn, params: 0, macs: 0 }, extra(name, role));
}

/** What an attention module looks like. */
export interface AttentionShape {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly hidden: number;
  readonly qkvBias: boolean;
  readonly outBias: boolean;
  readonly qkNorm?: boolean;
  readonly causal: boolean;
}

/** One attention module; head_dim is given only when it differs from hidden/heads, so formulas read d_model. */
export function attention(name: string, a: AttentionShape, inputs?: readonly string[]): OpSpec {
  const attrs: Raw = {
    num_heads: a.heads,
    ...(a.kvHeads !== a.heads ? { num_kv_heads: a.kvHeads } : {}),
    ...(a.headDim * a.heads !== a.hidden ? { head_dim: a.headDim } : {}),
    qkv_bias: a.qkvBias,
    out_bias: a.outBias,
    ...(a.qkNorm ? { qk_norm: true } : {}),
    ...(a.causal ? { causal: true } : {}),
  };
  return op('attention', attrs, extra(name, 'attention', inputs));
}

/** How many op layers a piece of a Spec builds (merge layers included). */
export function countOps(layers: readonly LayerSpec[]): number {
  let n = 0;
  for (const l of layers) {
    if (isOp(l)) n += 1;
    else if (isParallel(l)) n += 1 + countOps(l.parallel);
    else n += countOps(l.layers);
  }
  return n;
}

/**
 * `count` layers in a ModuleList, each a module of class `type` ('LlamaDecoderLayer'), so --depth shows their
 * class. The layers are charged against nncalc's layer limit before any is built past the first.
 */
export function stack(cfg: HfConfig, name: string, count: LayerCount, type: string, make: (i: number) => readonly LayerSpec[]): BlockSpec {
  const first = make(0);
  cfg.charge(count, countOps(first));
  return {
    block: name,
    type: 'ModuleList',
    indexed: true,
    layers: Array.from({ length: count.value }, (_, i): BlockSpec => ({ layers: i === 0 ? first : make(i), type })),
  };
}

/** The same layers with every op given `role`: one tower of a multimodal model is one part of the breakdown. */
export function withRole(layers: readonly LayerSpec[], role: Role): LayerSpec[] {
  return layers.map((l): LayerSpec => {
    if (isOp(l)) return { ...l, role };
    if (isParallel(l)) return { ...l, parallel: withRole(l.parallel, role), merge: { ...l.merge, role } };
    return { ...l, layers: withRole(l.layers, role) };
  });
}

/** Whether the input and output embeddings share one matrix: the key, else the family's default. */
export const tied = (cfg: HfConfig, fallback: boolean): boolean => cfg.bool('tie_word_embeddings', fallback);

/** What a model reads first: its shape, the axis --seq sets (none for images and audio), and how to say it. */
export interface ModelInput {
  readonly shape: readonly number[];
  readonly seqAxis?: number;
  /** 'token ids [batch, seq], 128 tokens unless --seq sets the length'. */
  readonly describe: string;
}

/** Common parts of every family's Spec: the input, the source, the notes every transformer shares. */
export function modelSpec(name: string, cfg: HfConfig, input: ModelInput, layers: Spec['layers'], notes: readonly string[], more: Partial<Spec> = {}): Spec {
  return {
    name,
    input: [...input.shape],
    ...(input.seqAxis !== undefined ? { seqAxis: input.seqAxis } : {}),
    source: `Hugging Face config.json (model_type '${cfg.family}', ${cfg.architecture})`,
    notes: [
      `${cfg.architecture} under the module names of Hugging Face transformers; input: ${input.describe}.`,
      'Each attention layer holds its q, k, v and output projections; its MACs add QKᵀ and AV, N·h·L·S·d_head each.',
      ...notes,
    ],
    ...more,
    layers,
  };
}

/** A language model's Spec: token ids [1, seq] with the sequence on axis 1. */
export function lmSpec(name: string, cfg: HfConfig, seq: number, layers: Spec['layers'], notes: readonly string[], more: Partial<Spec> = {}): Spec {
  return modelSpec(name, cfg, { shape: [1, seq], seqAxis: 1, describe: `token ids [batch, seq], ${seq} tokens unless --seq sets the length` }, layers, notes, more);
}
