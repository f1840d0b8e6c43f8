/**
 * @module
 * Activation memory, from the layers in the order they run.
 *
 * Inference: the sum of every layer's output (what per-layer tables such as torchinfo's and Keras's add up; not a
 * memory figure, since views and in-place results take no new memory) and the peak live
 * set: walking the layers in order, an output is allocated unless the layer is a view (flatten, reshape, split,
 * dropout at inference) or runs in place (`inplace: true`), and a tensor is freed after its last reader. The network
 * input is the caller's and is not counted; the outputs stay.
 *
 * Training: what one step keeps for backward, per op as PyTorch's autograd saves it (docs/memory.md §2.2): a conv
 * or linear its input, ReLU its output, GELU/SiLU/ReLU6 their input, sigmoid/tanh/softmax their output, BatchNorm
 * its input and two floats per channel, LayerNorm its input and two floats per row, max pooling its input and int64
 * indices of its output, dropout a mask, attention its Q, K, V, softmax and output. Each storage is counted once,
 * whichever ops save it (a ReLU's in-place output is also the next conv's input). Gradient checkpointing keeps only
 * each block's input, plus one block's saved tensors while it is recomputed.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { cmp, plus, prod, sum, times, type Int } from '../int.js';
import type { Shape } from '../types.js';

/** How activations are stored and where the step runs. */
export interface ActivationOptions {
  /** Bytes per activation element: 4 at fp32, 2 under 16-bit or mixed precision. */
  readonly bytes: number;
  /** Dropout masks: 'cuda' keeps bool masks (1 byte an element), 'cpu' a mask of the activation's dtype. */
  readonly device?: 'cuda' | 'cpu';
  /** A fused attention kernel (FlashAttention, SDPA): no L×S score matrices are kept. */
  readonly fusedAttention?: boolean;
}

/** Ops whose output is a view of their first input: no new memory. */
const VIEWS = new Set(['flatten', 'reshape', 'unflatten', 'permute', 'transpose', 'squeeze', 'unsqueeze', 'split', 'chunk', 'select', 'identity', 'dropout', 'dropout1d', 'dropout2d', 'dropout3d']);

/** Element-wise ops that save their output for backward; other activations save their input. */
const SAVE_OUTPUT = new Set(['relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'exp']);
const ACTIVATIONS = new Set(['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'hardswish', 'hardsigmoid', 'softplus', 'mish', 'softmax', 'log_softmax', 'exp', 'prelu']);
/** Ops that save nothing: their backward needs no tensor (sums, concatenation, padding, copies). */
const SAVE_NOTHING = new Set(['add', 'concat', 'pad', 'cropping2d', 'zero_padding2d', 'rescaling', 'upsample', 'channel_shuffle', 'pixel_shuffle', 'pixel_unshuffle', 'global_avgpool', 'parameter']);

/** A tensor's storage: several tensors (views, in-place results) may share one. */
interface Storage {
  readonly bytes: Int;
  /** The network's own input: held by the caller, not counted at inference. */
  readonly input: boolean;
}

/** The storages layers read and write, resolved through views and in-place ops. */
interface Flow {
  readonly storages: Storage[];
  /** Tensor reference ('conv1', 'split:1', an input id) → storage index. */
  readonly of: Map<string, number>;
  /** Per layer: the storages it creates, and the storages of its inputs. */
  readonly created: number[][];
  readonly reads: number[][];
}

const isInplace = (l: LayerReport): boolean => (l.attrs as Record<string, unknown>)['inplace'] === true;

/** A dropout that drops nothing (p = 0, as ViT's and Swin's are): PyTorch returns its input, in training too. */
const dropsNothing = (l: LayerReport): boolean => l.op.startsWith('dropout') && (l.attrs as Record<string, unknown>)['p'] === 0;

function flow(report: Report, o: ActivationOptions, train = false): Flow {
  const storages: Storage[] = [];
  const of = new Map<string, number>();
  const created: number[][] = [];
  const reads: number[][] = [];
  const bytes = (s: Shape): Int => times(prod(s), o.bytes);
  const storageOf = (ref: string, shape: Shape): number => {
    const known = of.get(ref);
    if (known !== undefined) return known;
    // A graph input, or an extra output (chunk:1) first seen where it is read.
    const base = ref.includes(':') ? of.get(ref.split(':')[0]!) : undefined;
    if (base !== undefined) return base;
    storages.push({ bytes: bytes(shape), input: true });
    of.set(ref, storages.length - 1);
    return storages.length - 1;
  };
  for (const l of report.layers) {
    const ins = l.inputs.map((r, i) => storageOf(r, l.inputShapes[i] ?? []));
    reads.push(ins);
    // In training, dropout draws a new tensor; at inference it returns its input.
    const view = VIEWS.has(l.op) && !(train && l.op.startsWith('dropout') && !dropsNothing(l));
    if ((view || isInplace(l)) && ins.length > 0) {
      of.set(l.name, ins[0]!);
      created.push([]);
    } else {
      storages.push({ bytes: bytes(l.outputShape), input: false });
      of.set(l.name, storages.length - 1);
      created.push([storages.length - 1]);
    }
  }
  return { storages, of, created, reads };
}

/**
 * A module's input stays alive until the module returns, as in PyTorch's eager mode, where the forward method's
 * argument holds it (a Bottleneck keeps `x` for its shortcut). nn.Sequential rebinds its input as it goes, so
 * it holds nothing: modules whose class is Sequential (or unnamed) are skipped.
 */
function holdModuleInputs(report: Report, f: Flow, last: number[]): void {
  const modules = report.modules ?? {};
  // A graph read from a file without classes (ONNX) names no module: nothing is held.
  if (Object.keys(modules).length === 0) return;
  const span = new Map<string, [number, number]>();
  report.layers.forEach((l, i) => {
    let key = '';
    for (let d = 1; d <= l.scope.length; d++) {
      key = d === 1 ? l.scope[0]! : `${key}.${l.scope[d - 1]}`;
      const cls = modules[key];
      if (cls === undefined || cls === 'Sequential' || cls === 'ModuleList') continue;
      const s = span.get(key);
      if (s) s[1] = i;
      else span.set(key, [i, i]);
    }
  });
  for (const [key, [first, end]] of span) {
    for (const s of f.reads[first]!) {
      const inside = report.layers[first]!.inputs.some((r) => r.startsWith(`${key}.`));
      if (!inside && last[s]! < end) last[s] = end;
    }
  }
}

/** Inference memory: the sum of outputs and the peak live set, with where the peak falls. */
export interface Inference {
  readonly sum: Int;
  readonly peak: Int;
  readonly peakAt: string;
  /** The largest transient buffer inside one layer (attention scores), counted in the live set while that layer runs. */
  readonly attentionScores: Int;
}

/** Score and probability matrices an unfused attention layer materialises: 2·N·h·L·S elements. */
function scores(l: LayerReport, o: ActivationOptions): Int {
  if (l.op !== 'attention' || o.fusedAttention) return 0;
  const a = l.attrs as Record<string, unknown>;
  const q = l.inputShapes[0] ?? [];
  const kv = l.inputShapes[1] ?? q;
  const h = Number(a['num_heads']);
  return times(times(times(q[0] ?? 1, h), times(q[1] ?? 1, kv[1] ?? 1)), 2 * o.bytes);
}

export function inference(report: Report, o: ActivationOptions): Inference {
  const f = flow(report, o);
  const last = new Array<number>(f.storages.length).fill(-1);
  f.reads.forEach((ins, i) => ins.forEach((s) => (last[s] = i)));
  holdModuleInputs(report, f, last);
  for (const out of report.model.output ? [report.layers.length ? report.layers[report.layers.length - 1]!.name : ''] : []) {
    const s = f.of.get(out);
    if (s !== undefined) last[s] = Infinity; // the outputs stay with the caller
  }
  // Each storage nncalc allocated is freed after the layer that last reads it (or at once, when nothing reads it).
  const freeAt: number[][] = [];
  f.created.forEach((made, i) => {
    for (const s of made) {
      const at = last[s] === -1 ? i : last[s]!;
      if (Number.isFinite(at)) (freeAt[at] ??= []).push(s);
    }
  });
  let live: Int = 0;
  let peak: Int = 0;
  let peakAt = '';
  let attention: Int = 0;
  let total: Int = 0;
  report.layers.forEach((l, i) => {
    total = plus(total, times(prod(l.outputShape), o.bytes));
    for (const s of f.created[i]!) live = plus(live, f.storages[s]!.bytes);
    const transient = scores(l, o);
    if (cmp(transient, attention) > 0) attention = transient;
    const now = plus(live, transient);
    if (cmp(now, peak) > 0) {
      peak = now;
      peakAt = l.name;
    }
    for (const s of freeAt[i] ?? []) live = plus(live, times(-1, f.storages[s]!.bytes));
  });
  return { sum: total, peak, peakAt, attentionScores: attention };
}

/** One saved item: a storage the step keeps, or new bytes (a mask, indices, statistics). */
type Saved = { readonly storage: number } | { readonly bytes: Int; readonly what: string };

/** What one layer saves for backward. */
function saves(l: LayerReport, ins: readonly number[], out: number, o: ActivationOptions): { items: Saved[]; ruled: boolean } {
  const input = ins[0];
  const s = (k: number | undefined): Saved[] => (k === undefined ? [] : [{ storage: k }]);
  const outN = prod(l.outputShape);
  const op = l.op;
  if (VIEWS.has(op) && op !== 'dropout' && !op.startsWith('dropout')) return { items: [], ruled: true };
  if (dropsNothing(l)) return { items: [], ruled: true };
  if (op.startsWith('dropout')) return { items: [{ bytes: times(outN, o.device === 'cpu' ? o.bytes : 1), what: 'dropout mask' }], ruled: true };
  if (SAVE_NOTHING.has(op)) return { items: [], ruled: true };
  if (SAVE_OUTPUT.has(op)) return { items: s(out), ruled: true };
  if (ACTIVATIONS.has(op)) {
    if (!isInplace(l)) return { items: s(input), ruled: true };
    // In place, ReLU, LeakyReLU and ELU keep their output for backward (the storage they overwrote); the others'
    // backward reads the input they overwrote, so autograd keeps a copy of it (PyTorch 1.13's ReLU6, SiLU, Hardswish).
    if (op === 'relu' || op === 'leaky_relu' || op === 'elu') return { items: s(out), ruled: true };
    return { items: [{ bytes: times(outN, o.bytes), what: 'copy of the input an in-place activation overwrote' }], ruled: true };
  }
  if (/^(conv|conv_transpose|depthwise|separable|table_conv|subsample)/.test(op) || op === 'linear' || op === 'rbf' || op === 'embedding') return { items: s(input), ruled: true };
  if (/^batchnorm|^batch_normalization|^instancenorm|^groupnorm/.test(op)) {
    const c = l.outputShape[1] ?? 1;
    return { items: [...s(input), { bytes: times(2 * 4, c), what: 'BatchNorm batch statistics' }], ruled: true };
  }
  if (op === 'layernorm' || op === 'rmsnorm' || op === 'layernorm2d') {
    const rows = prod(l.outputShape.slice(0, -1));
    return { items: [...s(input), { bytes: times(op === 'rmsnorm' ? 4 : 8, rows), what: 'normalisation statistics' }], ruled: true };
  }
  if (/maxpool/.test(op)) return { items: [...s(input), { bytes: times(outN, 8), what: 'max-pool indices (int64)' }], ruled: true };
  if (/pool/.test(op)) return { items: s(input), ruled: true };
  if (op === 'multiply') return { items: ins.map((k) => ({ storage: k })), ruled: true };
  if (op === 'attention') {
    const a = l.attrs as Record<string, unknown>;
    const q = l.inputShapes[0] ?? [];
    const kv = l.inputShapes[1] ?? q;
    const h = Number(a['num_heads']);
    const hkv = Number(a['num_kv_heads'] ?? h);
    const dModel = q[q.length - 1] ?? 0;
    const dHead = typeof a['head_dim'] === 'number' ? a['head_dim'] : dModel / h;
    const n = q[0] ?? 1;
    const tokQ = times(n, q[1] ?? 1);
    const tokK = times(n, kv[1] ?? 1);
    const items: Saved[] = [...s(input), ...(ins[1] !== undefined ? s(ins[1]) : [])];
    items.push({ bytes: times(times(tokQ, h * dHead), o.bytes), what: 'attention Q' });
    items.push({ bytes: times(times(tokK, 2 * hkv * dHead), o.bytes), what: 'attention K and V' });
    items.push({ bytes: times(times(tokQ, h * dHead), o.bytes), what: 'attention output (out-projection input)' });
    const scores = times(times(tokQ, h), kv[1] ?? 1);
    if (o.fusedAttention) items.push({ bytes: times(times(tokQ, h), 4), what: 'attention logsumexp (fp32)' });
    else {
      items.push({ bytes: times(scores, o.bytes), what: 'attention softmax' });
      // Dropout on the probabilities keeps its mask and its output, which AV reads.
      if (Number(a['dropout'] ?? 0) > 0) items.push({ bytes: times(scores, (o.device === 'cpu' ? o.bytes : 1) + o.bytes), what: 'attention dropout mask and output' });
    }
    return { items, ruled: true };
  }
  // No rule: assume it keeps its inputs, and say so.
  return { items: ins.map((k) => ({ storage: k })), ruled: false };
}

/** What a training step keeps for backward. */
export interface Training {
  readonly saved: Int;
  /** Saved bytes by what they are ('activations', 'max-pool indices (int64)', …). */
  readonly byKind: Readonly<Record<string, Int>>;
  /** Op kinds without a saved-tensor rule, whose inputs were assumed saved. */
  readonly unruled: readonly string[];
}

export function training(report: Report, o: ActivationOptions, checkpoint?: (l: LayerReport) => string | undefined): Training {
  const f = flow(report, o, true);
  const seen = new Set<number>();
  const byKind: Record<string, Int> = {};
  const unruled = new Set<string>();
  const blockSaved = new Map<string, Int>();
  const blockInputs = new Map<string, number>();
  let saved: Int = 0;
  const note = (what: string, b: Int, block: string | undefined) => {
    if (block !== undefined) blockSaved.set(block, plus(blockSaved.get(block) ?? 0, b));
    else {
      saved = plus(saved, b);
      byKind[what] = plus(byKind[what] ?? 0, b);
    }
  };
  report.layers.forEach((l, i) => {
    const block = checkpoint?.(l);
    if (block !== undefined && !blockInputs.has(block)) blockInputs.set(block, f.reads[i]![0] ?? -1);
    const out = f.created[i]![0] ?? f.of.get(l.name)!;
    const { items, ruled } = saves(l, f.reads[i]!, out, o);
    if (!ruled) unruled.add(l.op);
    for (const it of items) {
      if ('storage' in it) {
        if (block === undefined && seen.has(it.storage)) continue;
        if (block === undefined) seen.add(it.storage);
        note('activations', f.storages[it.storage]!.bytes, block);
      } else note(it.what, it.bytes, block);
    }
  });
  if (blockSaved.size) {
    // Checkpointing: each block keeps its input; one block at a time is recomputed and holds its saved tensors.
    const inputs = [...blockInputs.values()].filter((s) => s >= 0 && !seen.has(s));
    const kept = sum(inputs.map((s) => f.storages[s]!.bytes));
    const worst = [...blockSaved.values()].reduce<Int>((m, b) => (cmp(b, m) > 0 ? b : m), 0);
    saved = plus(plus(saved, kept), worst);
    byKind['checkpointed block inputs'] = kept;
    byKind['one block recomputed'] = worst;
  }
  return { saved, byKind, unruled: [...unruled] };
}

