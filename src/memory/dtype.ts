/**
 * @module
 * Storage types and what a tensor of each costs in bytes. A type stores `block` elements in `bytes` bytes, its
 * scales included, so sub-byte and block-quantised types are exact: int4 packs 2 weights a byte; NF4 keeps one fp32
 * absmax per 64 weights (4.5 bits a weight); Q4_K keeps 144 bytes per 256 weights. A tensor's bytes are
 * ⌈elements/block⌉·bytes, or the type's own rule (LLM.int8 adds one fp32 scale per output row).
 *
 * Sources: the ggml types are ggml-common.h's `sizeof(block_*)` (src/formats/ggml-types.ts); NF4/FP4 and LLM.int8
 * are bitsandbytes' `quantize_4bit` (64-weight blocks, fp32 absmax) and `Int8Params` (int8 plus an fp32 scale per
 * row); double quantisation (QLoRA §3) stores the absmax values as 8 bits in blocks of 256 with one fp32 constant each.
 */
import { ModelError } from '../errors.js';
import { div, plus, prod, times, type Int } from '../int.js';
import { didYouMean } from '../suggest.js';
import { GGML_TYPES } from '../formats/ggml-types.js';
import type { Shape } from '../types.js';

/** A storage type. */
export interface Dtype {
  /** The name users type: 'bf16', 'int4', 'nf4', 'q4_k'. */
  readonly name: string;
  /** Elements per block and bytes per block, scales included. */
  readonly block: number;
  readonly bytes: number;
  /** Extra bytes per output row (LLM.int8's fp32 row scale). */
  readonly perRow?: number;
  /** What the type is, for the assumptions line. */
  readonly about: string;
}

const D = (name: string, block: number, bytes: number, about: string, perRow?: number): Dtype => ({ name, block, bytes, about, ...(perRow ? { perRow } : {}) });

/** The plain and bitsandbytes types. */
const PLAIN: readonly Dtype[] = [
  D('fp32', 1, 4, '32-bit float'),
  D('fp16', 1, 2, '16-bit float'),
  D('bf16', 1, 2, 'bfloat16'),
  D('fp8', 1, 1, '8-bit float (e4m3 or e5m2), scales not counted'),
  D('int8', 1, 1, '8-bit integer, scales not counted'),
  D('int4', 2, 1, '4-bit integer, two a byte, scales not counted'),
  D('nf4', 64, 36, "bitsandbytes NF4: 64 weights in 32 bytes plus an fp32 absmax (4.5 bits a weight)"),
  D('fp4', 64, 36, 'bitsandbytes FP4: 64 weights in 32 bytes plus an fp32 absmax (4.5 bits a weight)'),
  // 16,384 weights = 256 blocks of 64: 8,192 bytes of nibbles, 256 one-byte absmax values, one fp32 constant.
  D('nf4-dq', 16_384, 8_452, 'bitsandbytes NF4 with double quantisation (4.127 bits a weight)'),
  D('llm.int8', 1, 1, 'bitsandbytes LLM.int8: int8 weights plus an fp32 scale per output row', 4),
];

const byName = new Map<string, Dtype>(PLAIN.map((d) => [d.name, d]));
const ALIASES: Readonly<Record<string, string>> = { float32: 'fp32', f32: 'fp32', float16: 'fp16', f16: 'fp16', half: 'fp16', bfloat16: 'bf16', e4m3: 'fp8', e5m2: 'fp8', i8: 'int8', i4: 'int4', f64: 'fp64' };
// The ggml block types (q4_0, q4_k, iq2_xs, …), as GGUF files store them.
for (const t of GGML_TYPES) {
  const name = t.name.toLowerCase();
  if (!byName.has(ALIASES[name] ?? name)) byName.set(name, D(name, t.block, t.bytes, `ggml ${t.name}: ${t.bytes} bytes per ${t.block} weights, ${((8 * t.bytes) / t.block).toFixed(4).replace(/0+$/, '').replace(/\.$/, '')} bits a weight, scales included`));
}
byName.set('fp64', D('fp64', 1, 8, '64-bit float'));

/** llama.cpp's mixes: a base type, with attn_v and ffn_down raised to Q6_K on the "use more bits" layers. */
export const MIXES: Readonly<Record<string, { readonly base: string; readonly more: string }>> = {
  q4_k_m: { base: 'q4_k', more: 'q6_k' },
  q5_k_m: { base: 'q5_k', more: 'q6_k' },
  q4_k_s: { base: 'q4_k', more: 'q4_k' },
  q5_k_s: { base: 'q5_k', more: 'q5_k' },
};

/** Every type name nncalc knows. */
export const dtypeNames = (): string[] => [...byName.keys(), ...Object.keys(MIXES)];

/** The type with this name ('bf16', 'BF16', 'bfloat16', 'q4_k'), or a ModelError listing the names. */
export function dtype(name: string, what = '--dtype'): Dtype {
  const n = name.trim().toLowerCase();
  const mix = MIXES[n];
  if (mix) return { ...byName.get(mix.base)!, name: n, about: `llama.cpp ${n.toUpperCase()}: ${mix.base.toUpperCase()} matrices, attn_v and ffn_down ${mix.more.toUpperCase()} on the layers llama.cpp gives more bits` };
  const found = byName.get(ALIASES[n] ?? n);
  if (!found) {
    throw new ModelError('input', `${what} '${name}' is not a storage type nncalc knows.${didYouMean(n, byName.keys())}`, { details: [`Known: ${dtypeNames().join(', ')}.`] });
  }
  return found;
}

/** Bits per element of a type, as a decimal: 4.5 for nf4, 32 for fp32. */
export const bitsPerElement = (d: Dtype): number => (8 * d.bytes) / d.block;

/** Bytes of one tensor stored as `d`: ⌈elements/block⌉·bytes, plus the per-row scales of a row-scaled type. */
export function tensorBytes(shape: Shape, d: Dtype): Int {
  const n = prod(shape);
  const blocks = d.block === 1 ? n : div(n, d.block, 'ceil');
  const body = times(blocks, d.bytes);
  return d.perRow ? plus(body, times(shape[0] ?? 1, d.perRow)) : body;
}
