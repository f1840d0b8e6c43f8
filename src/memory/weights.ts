/**
 * @module
 * Weight bytes at a storage type. A 16-bit or 32-bit type applies to every parameter. A quantised type applies to
 * the weight matrices the quantisers replace, and the rest stays at a 16-bit base type, as the tools leave them:
 *
 * - bitsandbytes (int8, llm.int8, nf4, fp4, nf4-dq) replaces nn.Linear weights only; transformers keeps the output
 *   head and tied weights unquantised, and embeddings and norms stay 16-bit.
 * - Plain int8, int4 and fp8 quantise every linear and convolution weight.
 * - llama.cpp (the ggml types) quantises every tensor of 2 or more dimensions but the router and position
 *   embeddings, writes 1-D tensors (norms, biases) as F32, and promotes the output head to Q6_K (Q8_0 stays Q8_0).
 *   A row whose length is not a multiple of the block falls back to Q8_0, then F16.
 *
 * A weight whose bytes the model file states (GGUF, safetensors) keeps them: the file says how it is stored.
 */
import type { LayerReport, Report, WeightReport } from '../analyze/report.js';
import { plus, prod, type Int } from '../int.js';
import { dtype as findDtype, MIXES, tensorBytes, type Dtype } from './dtype.js';

/** The bytes of every parameter and buffer, and how they split by storage type. */
export interface WeightBytes {
  readonly total: Int;
  /** Bytes and elements per storage type name. */
  readonly byType: Readonly<Record<string, { readonly bytes: Int; readonly elements: Int }>>;
  readonly assumptions: readonly string[];
  /** Every byte is the model file's own: the storage type chosen changes nothing. */
  readonly stored: boolean;
}

/**
 * The weights as a model file stores them, when the file's tensors are the whole architecture nncalc built from its
 * config (a GGUF file, safetensors beside config.json: every tensor matched, no difference): its storage types and
 * bytes, tensor by tensor, rather than a type applied to all. Undefined otherwise.
 */
export function storedWeights(report: Report): WeightBytes | undefined {
  const f = report.file;
  if (!f?.architecture || !f.check || f.check.matched === 0 || f.check.differences.length > 0) return undefined;
  const byType: Record<string, { bytes: Int; elements: Int }> = {};
  for (const d of f.dtypes) byType[d.dtype] = { bytes: d.bytes, elements: d.params };
  const types = f.dtypes.map((d) => d.dtype).join(', ');
  return { total: f.bytes, byType, stored: true, assumptions: [`weights as the model file stores them (${types}), tensor by tensor; --dtype sizes them in one type instead`] };
}

const GGML = /^(q\d|iq\d|tq\d|mxfp4|nvfp4)/;
const BNB = new Set(['int8', 'llm.int8', 'nf4', 'fp4', 'nf4-dq']);

type Role = 'linear' | 'conv' | 'head' | 'embedding' | 'position' | 'router' | 'vector' | 'other';

/** What one weight is, for the quantisers' rules. */
function roleOf(l: LayerReport, w: WeightReport): Role {
  if (w.shape.length < 2 || w.buffer) return 'vector';
  if (l.role === 'head' || /(^|\.)(lm_head|output|head|classifier)(\.|$)/.test(l.name) || w.tiedTo !== undefined) return 'head';
  if (l.op === 'embedding') return /position|wpe|pos_emb/.test(l.name) ? 'position' : 'embedding';
  if (/gate$|router/.test(l.name) && l.op === 'linear' && (l.outputShape[l.outputShape.length - 1] ?? 0) <= 512) return 'router';
  if (/conv/.test(l.op)) return 'conv';
  if (l.op === 'linear' || l.op === 'attention' || l.op === 'moe' || l.op === 'mla') return 'linear';
  return 'other';
}

/** The decoder layer a layer belongs to ('model.layers.7.mlp.down_proj' → 7), if any. */
const layerIndex = (name: string): number | undefined => {
  const m = /\.(?:layers|h|layer|blocks)\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : undefined;
};

/** llama.cpp's use_more_bits: the first and last eighth of the layers, and every third one between. */
const moreBits = (i: number, n: number): boolean => i < Math.floor(n / 8) || i >= Math.floor((7 * n) / 8) || (i - Math.floor(n / 8)) % 3 === 2;

/** attn_v and ffn_down, the tensors llama.cpp's mixes raise on the layers that get more bits. */
const raised = (l: LayerReport, w: WeightReport): boolean => /(^|\.)v_proj\.weight$/.test(w.name) || /(down_proj|mlp\.c_proj|fc2|dense_4h_to_h|w2)$/.test(l.name);

/** The storage type a quantiser leaves one weight in. */
function typeFor(role: Role, q: Dtype, base: Dtype, row: number, more: boolean): Dtype {
  if (q.name === 'fp32' || q.name === 'fp16' || q.name === 'bf16') return q;
  if (GGML.test(q.name)) {
    if (role === 'vector' || role === 'router' || role === 'position') return findDtype('fp32');
    const mix = MIXES[q.name];
    const want = role === 'head' && q.name !== 'q8_0' ? findDtype('q6_k') : mix ? findDtype(more ? mix.more : mix.base) : q;
    // Rows that do not fill whole blocks fall back to a 32-weight block type, then to F16.
    if (row % want.block === 0) return want;
    return row % 32 === 0 ? findDtype('q8_0') : findDtype('fp16');
  }
  if (BNB.has(q.name)) return role === 'linear' ? q : base;
  return role === 'linear' || role === 'conv' ? q : base;
}

/** Weight bytes of a report's parameters (and buffers) stored as `q`, the unquantised ones as `base`. */
export function weightBytes(report: Report, q: Dtype, base: Dtype = findDtype('fp16')): WeightBytes {
  const byType: Record<string, { bytes: Int; elements: Int }> = {};
  let total: Int = 0;
  const fromFile = new Set<string>();
  /** Weights whose bytes nncalc works out from `q` (the others' the model file states). */
  let sized = 0;
  const layers = new Set(report.layers.map((l) => layerIndex(l.name)).filter((i) => i !== undefined)).size;
  for (const l of report.layers) {
    const index = layerIndex(l.name);
    for (const w of l.weights) {
      if (w.tiedTo !== undefined) continue;
      const stated = (w as { bytes?: Int; dtype?: string }).bytes;
      const more = index !== undefined && raised(l, w) && moreBits(index, layers);
      const t = typeFor(roleOf(l, w), q, q.name === 'fp32' ? q : base, w.shape[w.shape.length - 1] ?? 1, more);
      const name = stated !== undefined ? ((w as { dtype?: string }).dtype ?? 'file') : t.name;
      if (stated !== undefined) fromFile.add(name);
      else sized++;
      const bytes = stated ?? tensorBytes(w.shape, t);
      const e = (byType[name] ??= { bytes: 0, elements: 0 });
      e.bytes = plus(e.bytes, bytes);
      e.elements = plus(e.elements, prod(w.shape));
      total = plus(total, bytes);
    }
  }
  const quantised = q.name !== 'fp32' && q.name !== 'fp16' && q.name !== 'bf16';
  const file = fromFile.size ? [`tensors the model file stores keep their stored size (${[...fromFile].join(', ')})`] : [];
  // A file that states every tensor's size leaves nothing to the storage type: saying 'all in fp32' would be false.
  if (sized === 0 && file.length) return { total, byType, assumptions: file, stored: true };
  const assumptions = [
    quantised
      ? GGML.test(q.name)
        ? `llama.cpp's placement: matrices ${(MIXES[q.name]?.base ?? q.name).toUpperCase()}${MIXES[q.name] ? `, attn_v and ffn_down ${MIXES[q.name]!.more.toUpperCase()} on the layers that get more bits` : ''}, the output head Q6_K, norms, biases, the router and position embeddings F32`
        : BNB.has(q.name)
          ? `bitsandbytes' placement: linear weights ${q.name}, the head, embeddings and norms ${base.name}`
          : `linear and convolution weights ${q.name}, everything else ${base.name}`
      : `every ${file.length ? 'other ' : ''}parameter and buffer in ${q.name}`,
    `${q.name}: ${q.about}`,
    ...file,
  ];
  return { total, byType, assumptions, stored: false };
}
