/**
 * @module
 * Will it fit? Given a memory budget, the largest batch (or context) whose figures stay under it, the term that
 * binds, and, when even one sample does not fit, the fewest GPUs and the strategy that would hold it.
 *
 * Memory is affine in the batch (every activation and cache tensor scales with it; weights and optimizer state do
 * not), so the largest batch is solved from two evaluations and then checked exactly. The context is searched
 * (attention scores grow with its square unless fused).
 */
import type { MemoryReport } from '../analyze/report.js';
import { cmp, div, minus, type Int } from '../int.js';
import { ModelError } from '../errors.js';
import type { Sharding } from './parallel.js';

/** One way to evaluate memory: at a batch, a context, and a layout. */
export type Evaluate = (at: { batch: number; context?: number; gpus?: number; sharding?: Sharding; tp?: number }) => Promise<MemoryReport>;

/** The figure a run needs per GPU: the per-GPU total when spread, else training or inference. */
export const need = (m: MemoryReport): Int => {
  const n = m.perGpu?.total.bytes ?? m.training?.total.bytes ?? m.inference?.bytes;
  if (n === undefined) throw new ModelError('input', 'fit needs the activations, and this model file holds weights only: nncalc does not know what the network computes.');
  return n;
};

/** The terms of a figure, largest first: which one binds. */
export function terms(m: MemoryReport): [string, Int][] {
  const t: [string, Int][] = m.perGpu
    ? [['weights', m.perGpu.weights.bytes], ['gradients', m.perGpu.grads.bytes], ['optimizer state', m.perGpu.optimizerStates.bytes], ['activations', m.perGpu.activations.bytes]]
    : m.training
      ? [['weights', m.training.weights.bytes], ['gradients', m.training.grads.bytes], ['optimizer state', m.training.optimizerStates.bytes], ['saved activations', m.training.saved.bytes]]
      : [['weights', m.weights.bytes], ...(m.activations ? [['activations (peak)', m.activations.peak] as [string, Int]] : []), ...(m.kv ? [['KV cache', m.kv.bytes] as [string, Int]] : [])];
  return t.sort((a, b) => cmp(b[1], a[1]));
}

/** The answer of `nncalc fit`. */
export interface Fit {
  readonly fits: boolean;
  /** The largest batch that fits (at the given context), or the largest context at the given batch. */
  readonly batch?: number;
  readonly context?: number;
  /** Figures at the answer (or at batch 1 when nothing fits). */
  readonly at: MemoryReport;
  readonly budget: number;
  /** The term that grows with the batch or context (what to shrink), or the largest fixed one when nothing fits. */
  readonly binding: string;
  /** When one GPU cannot hold it: the fewest GPUs and the strategy that can, if any up to 1,024. */
  readonly spread?: { readonly gpus: number; readonly strategy: string; readonly at: MemoryReport };
}

const MAX_BATCH = 2 ** 31 - 1;

/** The largest batch under `budget` bytes, or 0 when even one sample does not fit. */
export async function largestBatch(evaluate: Evaluate, budget: number, context?: number): Promise<{ batch: number; at: MemoryReport }> {
  const at1 = await evaluate({ batch: 1, ...(context ? { context } : {}) });
  if (cmp(need(at1), budget) > 0) return { batch: 0, at: at1 };
  const at2 = await evaluate({ batch: 2, ...(context ? { context } : {}) });
  const slope = minus(need(at2), need(at1));
  if (cmp(slope, 0) <= 0) return { batch: MAX_BATCH, at: at1 };
  // need(b) = need(1) + (b − 1)·slope ≤ budget.
  let b = Number(div(minus(budget, need(at1)), slope, 'floor')) + 1;
  b = Math.min(b, MAX_BATCH);
  let at = await evaluate({ batch: b, ...(context ? { context } : {}) });
  // Guard the affine model: step down while over, up while the next still fits.
  while (b > 1 && cmp(need(at), budget) > 0) at = await evaluate({ batch: --b, ...(context ? { context } : {}) });
  return { batch: b, at };
}

/** The largest context (tokens) under `budget` at a batch, by bisection between 1 and `limit`. */
export async function largestContext(evaluate: Evaluate, budget: number, batch: number, limit: number): Promise<{ context: number; at: MemoryReport }> {
  let lo = 0;
  let hi = limit;
  let best: MemoryReport | undefined;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    const m = await evaluate({ batch, context: mid });
    if (cmp(need(m), budget) <= 0) {
      lo = mid;
      best = m;
    } else hi = mid - 1;
  }
  return { context: lo, at: best ?? await evaluate({ batch, context: 1 }) };
}

/** Strategies to try when one GPU is not enough, in the order a user would reach for them. */
export function strategies(training: boolean, heads: number | undefined): { label: string; sharding?: Sharding; tp?: (n: number) => number }[] {
  const tp = (n: number) => (heads === undefined || heads % n === 0 ? n : 0);
  return training
    ? [
        { label: 'ZeRO-1', sharding: 'zero1' },
        { label: 'ZeRO-2', sharding: 'zero2' },
        { label: 'ZeRO-3 / FSDP', sharding: 'zero3' },
        { label: 'tensor parallel', tp },
      ]
    : [{ label: 'tensor parallel', tp }];
}
