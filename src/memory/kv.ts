/**
 * @module
 * The KV cache of a decoder at inference: per token, 2 (K and V) × Σ over attention layers of
 * n_kv_heads·head_dim elements; grouped-query and multi-query attention cache only their key/value heads, a layer
 * with a sliding window caches at most its window, and multi-head latent attention (DeepSeek-V2/V3) caches its
 * compressed latent plus one shared RoPE key, kv_lora_rank + qk_rope_head_dim elements a layer, whatever the heads.
 *
 * Published checks (docs/memory.md §5): Llama-2-7B keeps 2·32·4096·2 bytes = 0.5 MiB a token at fp16,
 * Llama-2-70B with 8 KV heads 2·80·1024·2 = 320 KiB, DeepSeek-V3 (512 + 64)·61·2 = 70,272 bytes.
 */
import { add, divide, lit, mul, term, type Count } from '../count.js';
import { sum, times } from '../int.js';
import type { Report } from '../analyze/report.js';

/** What one attention layer caches per token. */
export interface CacheLayer {
  readonly name: string;
  /** Elements cached per token: 2·n_kv_heads·head_dim, or the latent width for MLA. */
  readonly perToken: number;
  /** How perToken is made: '2·h_kv·d_head' or 'd_c + d_rope'. */
  readonly formula: string;
  readonly terms: string;
  /** Sliding window: the most tokens this layer keeps. */
  readonly window?: number;
}

/** The cache of a whole model at a context length and batch. */
export interface KvCache {
  readonly layers: readonly CacheLayer[];
  /** Bytes per token with no window applied. */
  readonly perToken: Count;
  readonly total: Count;
  readonly assumptions: readonly string[];
}

/** The attention layers of a report as cache layers: MHA/GQA/MQA attention ops and MLA ops. */
export function cacheLayers(report: Report): CacheLayer[] {
  const out: CacheLayer[] = [];
  for (const l of report.layers) {
    const a = l.attrs as Record<string, unknown>;
    const window = typeof a['window'] === 'number' ? a['window'] : typeof a['sliding_window'] === 'number' ? a['sliding_window'] : undefined;
    const w = window !== undefined ? { window } : {};
    if (l.op === 'mla') {
      const c = Number(a['kv_lora_rank']);
      const r = Number(a['qk_rope_head_dim']);
      out.push({ name: l.name, perToken: c + r, formula: 'd_c + d_rope', terms: `${c} + ${r}`, ...w });
    } else if (l.op === 'attention' && !a['cross'] && (l.inputShapes.length === 1 || a['causal'])) {
      const heads = Number(a['num_heads']);
      const kv = Number(a['num_kv_heads'] ?? heads);
      const dModel = l.inputShapes[0]?.[l.inputShapes[0].length - 1] ?? 0;
      const dHead = typeof a['head_dim'] === 'number' ? a['head_dim'] : dModel / heads;
      out.push({ name: l.name, perToken: 2 * kv * dHead, formula: '2·h_kv·d_head', terms: `2·${kv}·${dHead}`, ...w });
    }
  }
  return out;
}

/** A cached element's storage: `bytes` per `block` elements (fp16: 2 per 1; q8_0: 34 per 32). */
export interface CacheType {
  readonly block: number;
  readonly bytes: number;
}

/** Bytes of `elements` at a storage type: elements·bytes, or ⌈elements/block⌉·bytes for a block type. */
const stored = (elements: Count, t: CacheType): Count =>
  t.block === 1 ? mul(elements, term('bytes', t.bytes)) : mul(divide(elements, term('block', t.block), 'ceil'), term('bytes per block', t.bytes));

/** Bytes of the cache for `context` tokens per sequence and `batch` sequences, stored as `t`. */
export function kvCache(layers: readonly CacheLayer[], context: number, batch: number, t: CacheType): KvCache {
  const same = layers.every((l) => l.perToken === layers[0]?.perToken && l.window === undefined);
  const perLayer = (l: CacheLayer): Count => term(l.formula, l.perToken);
  const perTokenElements: Count =
    layers.length === 0 ? lit(0) : same ? mul(term('layers', layers.length), perLayer(layers[0]!)) : add(...groupsOf(layers).map(([f, n, pt]) => mul(term(`layers(${f})`, n), term(f, pt))));
  const perToken = stored(perTokenElements, t);
  // Windowed layers keep min(context, window) tokens; the others keep the whole context.
  const tokens = (l: CacheLayer) => Math.min(context, l.window ?? context);
  const windowed = layers.filter((l) => l.window !== undefined && l.window < context);
  const elements = windowed.length
    ? mul(term('Σ_layers elements·min(context, window)', sum(layers.map((l) => times(l.perToken, tokens(l))))), term('batch', batch))
    : mul(term('elements per token', perTokenElements.value), term('context', context), term('batch', batch));
  const total = stored(elements, t);
  const assumptions = [
    t.block === 1 ? `${t.bytes} byte${t.bytes === 1 ? '' : 's'} per cached element` : `${t.bytes} bytes per ${t.block} cached elements`,
    ...(windowed.length ? [`${windowed.length} sliding-window layer${windowed.length === 1 ? '' : 's'} keep only their last ${[...new Set(windowed.map((l) => l.window))].join('/')} tokens (a runtime that frees the rest)`] : []),
    ...(layers.some((l) => l.formula === 'd_c + d_rope') ? ['multi-head latent attention caches its compressed latent and shared RoPE key, as TensorRT-LLM, vLLM and llama.cpp do (transformers decompresses it)'] : []),
  ];
  return { layers, perToken, total, assumptions };
}

/** Layers grouped by their per-token formula and size, for a compact sum: 16·(2·8·128) + 8·(…). */
function groupsOf(layers: readonly CacheLayer[]): [string, number, number][] {
  const g = new Map<string, [string, number, number]>();
  for (const l of layers) {
    const key = `${l.terms}`;
    const e = g.get(key);
    if (e) e[1]++;
    else g.set(key, [l.formula, 1, l.perToken]);
  }
  return [...g.values()];
}
