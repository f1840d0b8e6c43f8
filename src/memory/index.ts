/**
 * @module
 * memory(report, options): the bytes a model needs, each figure with its formula and its assumptions: the weights
 * at a storage type, the activations at the report's batch (sum and peak live set), the KV cache of a decoder at a
 * context length, what a training step keeps (weights, gradients, optimizer state, tensors saved for backward), and
 * per-GPU figures under data, tensor and pipeline parallelism. docs/memory.md gives every rule with its source.
 */
import { batchOf, type LayerReport, type MemoryReport, type Report } from '../analyze/report.js';
import { add, mul, term } from '../count.js';
import { ModelError } from '../errors.js';
import { div, plus, times, type Int } from '../int.js';
import { inference, training, type ActivationOptions } from './activations.js';
import { dtype as findDtype, type Dtype } from './dtype.js';
import { cacheLayers, kvCache } from './kv.js';
import { checkLayout, perGpu, shardOf, type Layout, type Sharding } from './parallel.js';
import { checkOptimizer, modelStates, tensorStates, type Optimizer, type Precision } from './training.js';
import { storedWeights, weightBytes } from './weights.js';

export { parseMemory, gpu, GPUS, type Gpu } from './gpus.js';
export { dtype, dtypeNames } from './dtype.js';

/** What to size. Every field is optional: the defaults give fp32 inference at the report's batch. */
export interface MemoryOptions {
  /** Storage type of the weights: 'fp32' (default), 'bf16', 'int4', 'nf4', 'q4_k', … */
  readonly dtype?: string;
  /** Train with this optimizer: 'sgd', 'momentum', 'adam', 'adamw', 'adam8bit', 'adafactor'. */
  readonly train?: string;
  /** Training precision; default: mixed when the weights are 16-bit, else fp32. */
  readonly precision?: Precision;
  /** Recompute each block in backward, keeping only block inputs. */
  readonly checkpoint?: boolean;
  /** Tokens in the KV cache per sequence; default: the report's sequence length. */
  readonly context?: number;
  /** Storage type of the KV cache; default fp16, or the weights' type when that is 16- or 32-bit. */
  readonly kvDtype?: string;
  /** A fused attention kernel: no score matrices are kept. */
  readonly fusedAttention?: boolean;
  /** Where dropout masks live: 'cuda' (default) keeps 1-byte masks, 'cpu' masks of the activation dtype. */
  readonly device?: 'cuda' | 'cpu';
  readonly gpus?: number;
  readonly sharding?: Sharding;
  readonly tp?: number;
  readonly pp?: number;
}

const PLAIN = new Set(['fp32', 'fp16', 'bf16']);

/** The activations' dtype: the weights' when they are 16 or 32-bit, else fp16 (a quantised model computes in 16-bit). */
const activationType = (w: Dtype, precision: Precision | undefined): Dtype =>
  precision === 'mixed' || precision === 'bf16' || precision === 'fp16' ? findDtype(precision === 'fp16' ? 'fp16' : 'bf16') : PLAIN.has(w.name) ? w : findDtype('fp16');

/** The repeated block a layer belongs to, for checkpointing: its scope at the depth where the model repeats. */
function blocks(report: Report): (l: LayerReport) => string | undefined {
  const counts = new Map<number, Set<string>>();
  for (const l of report.layers) {
    for (let d = 1; d <= l.scope.length; d++) {
      const key = l.scope.slice(0, d).join('.');
      if (/\.\d+$|^\d+$/.test(key)) (counts.get(d) ?? counts.set(d, new Set()).get(d)!).add(key);
    }
  }
  // The shallowest depth whose numbered modules repeat (decoder layers, residual blocks).
  const depth = [...counts.entries()].filter(([, s]) => s.size >= 2).sort((a, b) => a[0] - b[0])[0]?.[0];
  if (depth === undefined) return () => undefined;
  return (l) => (l.scope.length >= depth && counts.get(depth)!.has(l.scope.slice(0, depth).join('.')) ? l.scope.slice(0, depth).join('.') : undefined);
}

/** The parameters (not buffers) of a report, once each, with whether they train. */
const params = (report: Report) =>
  report.layers.flatMap((l) => l.weights.filter((w) => w.tiedTo === undefined && (!w.buffer || report.model.convention === 'keras')).map((w) => ({ shape: w.shape, trainable: w.trainable, layer: l })));

/** The memory figures of a report. */
export function memory(report: Report, o: MemoryOptions = {}): MemoryReport {
  const w = findDtype(o.dtype ?? 'fp32');
  const optimizer: Optimizer | undefined = o.train === undefined ? undefined : checkOptimizer(o.train);
  const precision: Precision | undefined = optimizer === undefined ? undefined : (o.precision ?? (w.name === 'fp32' ? 'fp32' : 'mixed'));
  if (optimizer && !PLAIN.has(w.name)) {
    throw new ModelError('input', `training with ${w.name} weights is not modelled: --train needs --dtype fp32, fp16 or bf16 (quantised fine-tuning keeps 16-bit adapters, which nncalc does not size).`);
  }
  const act = activationType(w, precision);
  const ao: ActivationOptions = { bytes: act.bytes / act.block, device: o.device ?? 'cuda', fusedAttention: !!o.fusedAttention };
  // Without --dtype, a model file's weights are sized as it stores them.
  const wb = (o.dtype === undefined ? storedWeights(report) : undefined) ?? weightBytes(report, w);
  const inf = inference(report, ao);
  const assumptions: string[] = [...wb.assumptions, `activations in ${act.name} at batch ${batchOf(report)}${o.fusedAttention ? ', attention fused (no score matrices)' : ''}; the network input is the caller's`];

  const cache = cacheLayers(report);
  const seq = report.model.input.length === 2 ? report.model.input[1]! : undefined;
  let kv: MemoryReport['kv'];
  if (cache.length && (o.context ?? seq) !== undefined) {
    const kd = findDtype(o.kvDtype ?? (PLAIN.has(w.name) && w.name !== 'fp32' ? w.name : 'fp16'));
    const context = o.context ?? seq!;
    const c = kvCache(cache, context, batchOf(report), kd);
    kv = { bytes: c.total.value, formula: c.total, perToken: c.perToken.value, context, dtype: kd.name };
    assumptions.push(...c.assumptions.map((a) => `KV cache: ${a}`));
  }
  // A weights-only file knows no shapes: its activations are unknown, not zero, and so is its inference memory.
  const shapesKnown = !report.totals.unknownTotals?.includes('activationBytes');
  if (!shapesKnown) assumptions.push('activations unknown: the file holds weights, not an architecture nncalc knows');
  const infTotal = add(term('weights', wb.total), term('peak activations', inf.peak), ...(kv ? [term('KV cache', kv.bytes)] : []));

  let train: MemoryReport['training'];
  let perGpuFigures: MemoryReport['perGpu'];
  if (optimizer && precision) {
    const ps = params(report);
    const states = modelStates(ps, optimizer, precision);
    const blockOf = o.checkpoint ? blocks(report) : undefined;
    const saved = training(report, ao, blockOf);
    if (saved.unruled.length) assumptions.push(`no saved-tensor rule for ${saved.unruled.join(', ')}: their inputs are assumed saved`);
    assumptions.push(...states.assumptions, o.checkpoint ? 'gradient checkpointing: each repeated block keeps its input and one block is recomputed at a time' : 'no gradient checkpointing');
    const total = add(term('weights', states.weights.value), term('gradients', states.grads.value), term('optimizer', states.optimizer.value), term('saved activations', saved.saved));
    train = {
      optimizer,
      precision,
      checkpointing: !!o.checkpoint,
      weights: { bytes: states.weights.value, formula: states.weights },
      grads: { bytes: states.grads.value, formula: states.grads },
      optimizerStates: { bytes: states.optimizer.value, formula: states.optimizer },
      saved: { bytes: saved.saved, byKind: saved.byKind },
      total: { bytes: total.value, formula: total },
    };
    if ((o.gpus ?? 1) > 1 || (o.tp ?? 1) > 1 || (o.pp ?? 1) > 1) {
      const heads = report.layers.find((l) => l.op === 'attention')?.attrs['num_heads'];
      const layout: Layout = checkLayout({ gpus: o.gpus ?? (o.tp ?? 1) * (o.pp ?? 1), sharding: o.sharding ?? 'none', tp: o.tp ?? 1, pp: o.pp ?? 1 }, typeof heads === 'number' ? heads : undefined);
      const stage = pipelineStage(report, layout.pp);
      const shard = shardOf(ps.filter((p) => stage(p.layer)).map((p) => ({ shape: p.shape, states: tensorStates(p, optimizer, precision) })), layout.tp);
      const g = perGpu(shard, layout);
      // Activations per GPU: each replica runs --batch; tensor parallelism splits what lies between its column- and
      // row-parallel layers; the first pipeline stage holds p micro-batches of L/p layers, the same total (1F1B).
      const actBytes = layout.tp > 1 ? splitActivations(saved.saved, layout.tp) : saved.saved;
      const totalGpu = add(g.weights, g.grads, g.optimizer, term('activations', actBytes));
      perGpuFigures = {
        gpus: layout.gpus,
        scheme: g.scheme,
        tp: layout.tp,
        pp: layout.pp,
        weights: { bytes: g.weights.value, formula: g.weights },
        grads: { bytes: g.grads.value, formula: g.grads },
        optimizerStates: { bytes: g.optimizer.value, formula: g.optimizer },
        activations: { bytes: actBytes },
        total: { bytes: totalGpu.value, formula: totalGpu },
      };
      assumptions.push(
        `per GPU: ${g.scheme}${layout.tp > 1 ? `; tensor parallel ${layout.tp}: matrices split, vectors replicated, activations of the split regions divided by ${layout.tp}` : ''}${layout.pp > 1 ? `; pipeline ${layout.pp}: the most loaded stage, 1F1B schedule` : ''}; --batch is per replica`,
      );
    }
  }
  return {
    dtype: wb.stored ? 'stored' : w.name,
    activationDtype: act.name,
    weights: { bytes: wb.total, formula: mul(term('bytes', wb.total)), byType: wb.byType },
    ...(shapesKnown ? { activations: { sum: inf.sum, peak: inf.peak, peakAt: inf.peakAt, attentionScores: inf.attentionScores } } : {}),
    ...(kv ? { kv } : {}),
    ...(shapesKnown ? { inference: { bytes: infTotal.value, formula: infTotal } } : {}),
    ...(train ? { training: train } : {}),
    ...(perGpuFigures ? { perGpu: perGpuFigures } : {}),
    assumptions,
  };
}

/**
 * Which layers the most loaded pipeline stage holds: the repeated blocks split into p contiguous groups (the first
 * groups one larger when they do not divide), plus the embeddings on the first stage and the head on the last;
 * the heavier of the first and last stage is returned.
 */
function pipelineStage(report: Report, p: number): (l: LayerReport) => boolean {
  if (p === 1) return () => true;
  const blockOf = blocks(report);
  const order = [...new Set(report.layers.map(blockOf).filter((b): b is string => b !== undefined))];
  if (order.length < p) throw new ModelError('input', `--pp ${p} needs at least ${p} repeated blocks to split; '${report.model.name}' has ${order.length}.`);
  const per = Math.ceil(order.length / p);
  const first = new Set(order.slice(0, per));
  const last = new Set(order.slice(order.length - (order.length - per * (p - 1))));
  const bytesOf = (keep: (l: LayerReport) => boolean) => report.layers.filter(keep).reduce<Int>((s, l) => plus(s, l.params ?? 0), 0);
  // Layers outside the blocks go with the first stage when they come before the first block, else with the last.
  const start = report.layers.findIndex((x) => blockOf(x) !== undefined);
  const index = new Map(report.layers.map((l, i) => [l, i]));
  const inFirst = (l: LayerReport) => {
    const b = blockOf(l);
    return b === undefined ? index.get(l)! < start : first.has(b);
  };
  const inLast = (l: LayerReport) => {
    const b = blockOf(l);
    return b === undefined ? index.get(l)! > start : last.has(b);
  };
  return bytesOf(inFirst) >= bytesOf(inLast) ? inFirst : inLast;
}

/** Korthikanti et al. 2022 (Table 2): tensor parallelism splits 24 of a GPT layer's 34·sbh; the other 10 are replicated. */
const splitActivations = (saved: Int, t: number): Int => div(times(saved, 10 * t + 24), 34 * t, 'ceil');
