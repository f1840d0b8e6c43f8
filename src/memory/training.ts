/**
 * @module
 * What training keeps per parameter: the weights, their gradients and the optimizer's state, for SGD, SGD with
 * momentum, Adam/AdamW, 8-bit Adam and Adafactor, in fp32, in pure 16-bit, or in mixed precision with fp32 master
 * weights. Every figure is a Count, so the bytes come with their formula.
 *
 * Conventions, with sources (docs/memory.md):
 * - Optimizer state follows the parameter's dtype (PyTorch creates it `zeros_like` the parameter).
 * - Mixed precision is ZeRO's convention (Rajbhandari et al. 2020, §3.1): 16-bit weights and gradients, and an fp32
 *   master copy kept with the optimizer state, so Adam costs 2 + 2 + 12 = 16 bytes a parameter (K = 12).
 * - 8-bit Adam is bitsandbytes ≥ 0.44: a tensor of at least 4,096 elements keeps two uint8 states and two fp32
 *   absmax values per 256 elements; a smaller one keeps two fp32 states.
 * - Adafactor (β1 unset, transformers' default) keeps fp32 row and column statistics of a ≥ 2-D tensor
 *   (shape[:-1] and shape[:-2] + shape[-1:]) and a full fp32 second moment of a 1-D one.
 * - Frozen parameters keep their weights only.
 */
import { add, lit, mul, term, type Count } from '../count.js';
import { ModelError } from '../errors.js';
import { div, plus, prod, sum, times, type Int } from '../int.js';
import type { Shape } from '../types.js';

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'adam8bit', 'adafactor'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

export const PRECISIONS = ['fp32', 'mixed', 'bf16', 'fp16'] as const;
/** fp32: everything fp32; mixed: 16-bit weights and gradients with fp32 master weights; bf16/fp16: pure 16-bit. */
export type Precision = (typeof PRECISIONS)[number];

/** A parameter tensor as training sees it. */
export interface Param {
  readonly shape: Shape;
  readonly trainable: boolean;
}

/** Bytes per parameter of the parts that are the same for every tensor. */
interface PerParam {
  readonly weights: number;
  readonly grads: number;
  /** fp32 master copy (mixed precision). */
  readonly master: number;
  /** Bytes per element of a full-size optimizer state. */
  readonly state: number;
}

const per = (p: Precision): PerParam =>
  p === 'fp32' ? { weights: 4, grads: 4, master: 0, state: 4 } : p === 'mixed' ? { weights: 2, grads: 2, master: 4, state: 4 } : { weights: 2, grads: 2, master: 0, state: 2 };

/** Full-size states each optimizer keeps per parameter (8-bit Adam and Adafactor have their own rules). */
const STATES: Readonly<Record<Optimizer, number>> = { sgd: 0, momentum: 1, adam: 2, adamw: 2, adam8bit: 2, adafactor: 0 };

const STATE_WORDS: Readonly<Record<Optimizer, string>> = {
  sgd: 'SGD keeps no state',
  momentum: 'SGD with momentum keeps one momentum buffer',
  adam: "Adam keeps two moments (exp_avg, exp_avg_sq)",
  adamw: "AdamW keeps two moments (exp_avg, exp_avg_sq)",
  adam8bit: '8-bit Adam keeps two uint8 moments and two fp32 absmax values per 256 elements (fp32 moments below 4,096 elements)',
  adafactor: 'Adafactor keeps fp32 row and column statistics of each matrix and a full second moment of each vector',
};

/** Optimizer-state bytes of one tensor of n elements. */
function stateBytes(o: Optimizer, shape: Shape, state: number): Int {
  const n = prod(shape);
  if (o === 'adam8bit') return n < 4096 ? times(n, 2 * 4) : plus(times(n, 2), times(div(n, 256, 'ceil'), 8));
  if (o === 'adafactor') {
    if (shape.length < 2) return times(n, 4);
    const rows = prod(shape.slice(0, -1));
    const cols = times(prod(shape.slice(0, -2)), shape[shape.length - 1]!);
    return times(plus(rows, cols), 4);
  }
  return times(n, STATES[o] * state);
}

/** One tensor's weights, gradients and optimizer state in bytes (the fp32 master copy with the state). */
export function tensorStates(p: Param, optimizer: Optimizer, precision: Precision): { weights: Int; grads: Int; optimizer: Int } {
  const b = per(precision);
  const n = prod(p.shape);
  if (!p.trainable) return { weights: times(n, b.weights), grads: 0, optimizer: 0 };
  return { weights: times(n, b.weights), grads: times(n, b.grads), optimizer: plus(times(n, b.master), stateBytes(optimizer, p.shape, b.state)) };
}

/** Model states of training, each with its formula. */
export interface ModelStates {
  readonly weights: Count;
  readonly grads: Count;
  /** Optimizer state, the fp32 master copy included under mixed precision. */
  readonly optimizer: Count;
  readonly total: Count;
  /** Bytes per trainable parameter of optimizer state (ZeRO's K), when it is the same for every tensor. */
  readonly k?: number;
  readonly assumptions: readonly string[];
}

export function checkOptimizer(name: string): Optimizer {
  const n = name.toLowerCase();
  if (!(OPTIMIZERS as readonly string[]).includes(n)) throw new ModelError('input', `--train '${name}' is not an optimizer nncalc models. Known: ${OPTIMIZERS.join(', ')}.`);
  return n as Optimizer;
}

/** Weights, gradients and optimizer state of the parameters under an optimizer and a precision. */
export function modelStates(params: readonly Param[], optimizer: Optimizer, precision: Precision): ModelStates {
  const b = per(precision);
  const all = sum(params.map((p) => prod(p.shape)));
  const trainable = params.filter((p) => p.trainable);
  const P = sum(trainable.map((p) => prod(p.shape)));
  const frozen = all === P ? undefined : term('P_frozen', sum(params.filter((p) => !p.trainable).map((p) => prod(p.shape))));
  const tP = term('P', P);
  const weights = frozen ? mul(term('bytes', b.weights), add(tP, frozen)) : mul(term('bytes', b.weights), tP);
  const grads = mul(term('bytes', b.grads), tP);
  const simple = optimizer !== 'adam8bit' && optimizer !== 'adafactor';
  const states = simple ? mul(lit(STATES[optimizer] * b.state), tP) : term(`${optimizer} state`, sum(trainable.map((p) => stateBytes(optimizer, p.shape, b.state))));
  const optimizerCount = b.master ? add(mul(lit(b.master), tP), states) : states;
  const k = simple ? b.master + STATES[optimizer] * b.state : undefined;
  const words = precision === 'mixed' ? 'mixed precision: 16-bit weights and gradients, an fp32 master copy (4 bytes) kept with the optimizer state' : precision === 'fp32' ? 'fp32 weights, gradients and optimizer state' : `pure ${precision}: weights, gradients and optimizer state in ${precision}`;
  return {
    weights,
    grads,
    optimizer: optimizerCount,
    total: add(weights, grads, optimizerCount),
    ...(k !== undefined ? { k } : {}),
    assumptions: [words, `${STATE_WORDS[optimizer]}${simple && STATES[optimizer] ? ` of ${b.state} bytes each` : ''}`, ...(frozen ? ['frozen parameters keep their weights only'] : [])],
  };
}
