/**
 * @module
 * Model states per GPU when training is spread over several: data parallelism with ZeRO stages 1–3 or FSDP,
 * tensor parallelism (Megatron) and pipeline parallelism.
 *
 * With t-way tensor and p-way pipeline parallelism, one GPU holds the parameters of its pipeline stage, its matrices
 * split t ways (attention and MLP projections, the vocabulary-parallel embedding and head) and its vectors (norms,
 * biases) whole. The N = gpus/(t·p) data-parallel replicas of that shard then share, per ZeRO (Rajbhandari et al.
 * 2020, §5, Fig. 1), with Ψ the shard's parameters and K the optimizer's bytes per parameter:
 *   DP (none)  2Ψ + 2Ψ + KΨ          ZeRO-1  2Ψ + 2Ψ + KΨ/N
 *   ZeRO-2     2Ψ + (2 + K)Ψ/N        ZeRO-3  (2 + 2 + K)Ψ/N (FSDP FULL_SHARD; SHARD_GRAD_OP is ZeRO-2)
 * Weights and gradients use their own byte counts, so fp32 and pure 16-bit training follow the same rules.
 * ZeRO-3 also gathers, while a layer runs, that layer's full 16-bit parameters and gradients: DeepSpeed sizes this
 * as 4 bytes × the largest layer's parameters (`estimate_zero3_model_states_mem_needs`); it is reported apart.
 */
import { add, divide, lit, mul, term, type Count } from '../count.js';
import { ModelError } from '../errors.js';
import { cmp, plus, type Int } from '../int.js';

/** How the data-parallel replicas share model states. */
export type Sharding = 'none' | 'zero1' | 'zero2' | 'zero3' | 'fsdp' | 'fsdp-grad-op';

/** A parallel layout. */
export interface Layout {
  readonly gpus: number;
  readonly sharding: Sharding;
  /** Tensor-parallel degree t. */
  readonly tp: number;
  /** Pipeline-parallel degree p. */
  readonly pp: number;
}

/** One GPU's share of a tensor's model states. */
export interface Shard {
  readonly weights: Int;
  readonly grads: Int;
  readonly optimizer: Int;
}

/** Checks a layout: whole numbers, GPUs a multiple of t·p, one sharding scheme. */
export function checkLayout(l: Layout, heads?: number): Layout {
  if (l.gpus % (l.tp * l.pp) !== 0) {
    throw new ModelError('input', `--gpus ${l.gpus} is not a multiple of --tp ${l.tp} × --pp ${l.pp} = ${l.tp * l.pp}: every data-parallel replica needs a whole set of tensor- and pipeline-parallel GPUs.`);
  }
  if (heads !== undefined && l.tp > 1 && heads % l.tp !== 0) {
    throw new ModelError('input', `--tp ${l.tp} does not divide the ${heads} attention heads: tensor parallelism gives each GPU a whole number of heads.`);
  }
  return l;
}

/** The ZeRO stage a sharding scheme amounts to. */
const stage = (s: Sharding): 0 | 1 | 2 | 3 => (s === 'zero1' ? 1 : s === 'zero2' || s === 'fsdp-grad-op' ? 2 : s === 'zero3' || s === 'fsdp' ? 3 : 0);

const NAMES: Readonly<Record<Sharding, string>> = {
  none: 'plain data parallelism (every GPU holds all model states)',
  zero1: 'ZeRO-1 (optimizer states partitioned)',
  zero2: 'ZeRO-2 (optimizer states and gradients partitioned)',
  zero3: 'ZeRO-3 (optimizer states, gradients and parameters partitioned)',
  fsdp: 'FSDP FULL_SHARD (as ZeRO-3)',
  'fsdp-grad-op': 'FSDP SHARD_GRAD_OP (as ZeRO-2)',
};

/** Per-GPU model states of one shard (a tensor-parallel slice of a pipeline stage) under the layout. */
export interface PerGpu {
  readonly weights: Count;
  readonly grads: Count;
  readonly optimizer: Count;
  readonly total: Count;
  readonly scheme: string;
}

/** Splits the shard's model states across the N data-parallel replicas. */
export function perGpu(shard: Shard, layout: Layout): PerGpu {
  const n = layout.gpus / (layout.tp * layout.pp);
  const z = stage(layout.sharding);
  const N = term('N', n);
  const part = (c: Count, split: boolean): Count => (split && n > 1 ? divide(c, N, 'ceil') : c);
  const w = term('W', shard.weights);
  const g = term('G', shard.grads);
  const o = term('O', shard.optimizer);
  const weights = part(w, z >= 3);
  const grads = part(g, z >= 2);
  const optimizer = part(o, z >= 1);
  return { weights, grads, optimizer, total: add(weights, grads, optimizer), scheme: `${NAMES[layout.sharding]} over N = ${n} replica${n === 1 ? '' : 's'}` };
}

/** ZeRO's closed form for uniform K: (2 + 2 + K)·Ψ, (2 + 2 + K/N)·Ψ, … as written in the paper (16-bit weights and gradients). */
export function zeroFormula(psi: Int, k: number, n: number, z: 0 | 1 | 2 | 3): Count {
  const P = term('Ψ', psi);
  const K = term('K', k);
  const N = term('N', n);
  const two = lit(2);
  switch (z) {
    case 0:
      return mul(add(two, two, K), P);
    case 1:
      return add(mul(add(two, two), P), divide(mul(K, P), N, 'ceil'));
    case 2:
      return add(mul(two, P), divide(mul(add(two, K), P), N, 'ceil'));
    case 3:
      return divide(mul(add(two, two, K), P), N, 'ceil');
  }
}

/** The shard a pipeline stage and a tensor-parallel rank hold: matrices split t ways, vectors whole. */
export function shardOf(tensors: readonly { readonly shape: readonly number[]; readonly states: Shard }[], tp: number): Shard {
  let s: Shard = { weights: 0, grads: 0, optimizer: 0 };
  for (const t of tensors) {
    const split = tp > 1 && t.shape.length >= 2;
    const cut = (x: Int): Int => (split ? ceilDiv(x, tp) : x);
    s = { weights: plus(s.weights, cut(t.states.weights)), grads: plus(s.grads, cut(t.states.grads)), optimizer: plus(s.optimizer, cut(t.states.optimizer)) };
  }
  return s;
}

const ceilDiv = (x: Int, d: number): Int => divide(term('x', x), lit(d), 'ceil').value;

/** The larger of two shards by total bytes (the most loaded pipeline stage). */
export function heavier(a: Shard, b: Shard): Shard {
  const t = (s: Shard) => plus(plus(s.weights, s.grads), s.optimizer);
  return cmp(t(a), t(b)) >= 0 ? a : b;
}

/** DeepSpeed's estimators' inputs: the model's parameters, its largest layer's, and the cluster. */
export interface DeepSpeedCluster {
  readonly params: number;
  readonly largestLayer: number;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** `additional_buffer_factor`, 1.5 by default. */
  readonly buffer?: number;
}

/** GPU and CPU bytes per device, as DeepSpeed's estimator computes them. */
export interface DeepSpeedRow {
  readonly offload: string;
  readonly gpu: number;
  readonly cpu: number;
}

/**
 * `estimate_zero2_model_states_mem_needs` (deepspeed/runtime/zero/stage_1_and_2.py, current code): without offload
 * 2P + ⌊18P/GPUs⌋ on the GPU (its docs still print the older 4P + 16P/GPUs), with the optimizer offloaded 2P.
 */
export function deepspeedZero2(c: DeepSpeedCluster): DeepSpeedRow[] {
  const gpus = c.nodes * c.gpusPerNode;
  const buffer = c.buffer ?? 1.5;
  const P = c.params;
  return [
    { offload: 'offload_optimizer=cpu', gpu: 2 * P, cpu: P * Math.max(4 * gpus, 16) * buffer },
    { offload: 'offload_optimizer=none', gpu: 2 * P + Math.floor((18 * P) / gpus), cpu: 4 * P * c.gpusPerNode * buffer },
  ];
}

/** `estimate_zero3_model_states_mem_needs` (deepspeed/runtime/zero/stage3.py), for zero_init 1 and 0. */
export function deepspeedZero3(c: DeepSpeedCluster): (DeepSpeedRow & { zeroInit: 0 | 1 })[] {
  const gpus = c.nodes * c.gpusPerNode;
  const buffer = c.buffer ?? 1.5;
  const P = c.params;
  const largest = 4 * c.largestLayer;
  const factor = 1 / c.nodes;
  const rows: (DeepSpeedRow & { zeroInit: 0 | 1 })[] = [];
  for (const zeroInit of [1, 0] as const) {
    rows.push({ offload: 'offload_param=cpu, offload_optimizer=cpu', zeroInit, gpu: largest, cpu: zeroInit ? 18 * P * factor * buffer : P * Math.max(4 * c.gpusPerNode, 18 * factor) * buffer });
    rows.push({ offload: 'offload_param=none, offload_optimizer=cpu', zeroInit, gpu: largest + Math.floor((2 * P) / gpus), cpu: zeroInit ? 16 * P * factor * buffer : P * Math.max(4 * c.gpusPerNode, 16 * factor) * buffer });
    rows.push({ offload: 'offload_param=none, offload_optimizer=none', zeroInit, gpu: largest + Math.floor((18 * P) / gpus), cpu: zeroInit ? 4 * c.largestLayer * c.gpusPerNode * buffer : 4 * P * c.gpusPerNode * buffer });
  }
  return rows;
}
