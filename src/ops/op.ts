import { add, fmt, lit, mul, rename, sameCount, term, type Count } from '../count.js';
import { ModelError } from '../errors.js';
import { prod, type Int } from '../int.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';

/** A derivation step recorded while inferring a shape: 'H_out' = ⌊(224 + 2·1 − 3)/1⌋ + 1. */
export interface ShapeNote {
  readonly label: string;
  readonly count: Count;
}

/** The receptive-field window of a spatial op (along one axis; nncalc assumes square windows for RF). */
export interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: number;
}

/** What an op may know about the analysis it is part of. */
export interface OpContext {
  readonly convention: 'pytorch' | 'keras';
}

/**
 * Everything nncalc knows about one kind of layer. All functions are pure.
 * Add a kind by writing one file that exports `defineOp({...})` and listing it in ops/index.ts.
 */
export interface OpDef<A = unknown> {
  /** Key in specs, graphs and reports: 'conv2d'. */
  readonly kind: string;
  /** The PyTorch class name shown in tables: 'Conv2d'. */
  readonly title: string;
  /** One sentence for `explain`, the docs and the web page, including what it counts. */
  readonly doc: string;
  /** Validate and normalise attributes (fill defaults, expand 3 → [3, 3]). Throws ModelError. */
  attrs(r: Attrs): A;
  /** Output shapes from input shapes; records derivation steps through `note` when given. */
  shape(a: A, inputs: readonly Shape[], note?: (n: ShapeNote) => void): Shape[];
  /**
   * Declared parameter tensors, in PyTorch's layout. `ctx.convention` lets a layer whose parameters differ
   * between frameworks (an LSTM's one or two bias vectors) declare the chosen framework's.
   */
  weights?(a: A, inputs: readonly Shape[], ctx?: OpContext): Weight[];
  /** Multiply-accumulates of one forward pass. Absent: 0 (only conv, linear and matmul are MACs). */
  macs?(a: A, inputs: readonly Shape[], outputs: readonly Shape[]): Count;
  /** Floating-point operations that are not part of a MAC (bias adds, activations, pooling). Absent: 0. */
  flops?(a: A, inputs: readonly Shape[], outputs: readonly Shape[]): Count;
  /**
   * Why this layer's MACs and FLOPs cannot be counted from shapes, when they cannot (non-maximum suppression compares
   * boxes that depend on the data): they are then unknown, never zero, and the reason is the layer's note.
   */
  unknown?(a: A): string | undefined;
  /** Parameters used per token, when fewer than all (a mixture of experts routes each token to top_k experts). */
  active?(a: A, inputs: readonly Shape[]): Count;
  /** Spatial window for receptive fields, along the first spatial axis. Absent: pointwise. */
  window?(a: A, inputs: readonly Shape[]): Window;
  /** A short label in the VGG paper's vocabulary: 'conv3-64', 'FC-4096'. */
  label?(a: A, inputs: readonly Shape[]): string;
  /**
   * True for an op that holds weights without knowing what it computes (a module read from a weights-only file):
   * its parameters come from its weights, its MACs and FLOPs are unknown (null) and its output shape is unknown ([]).
   */
  readonly opaque?: boolean;
  /** The class name shown for a layer when its attributes name one (an opaque module's 'Linear' or 'BF16'). */
  type?(a: A): string | undefined;
}

/** A layer's parameters from its weights' counts: a + a + a → 3·a, otherwise a + b + c; undefined for none. */
export function paramsFormula(counts: readonly Count[]): Count | undefined {
  if (counts.length === 0) return undefined;
  const first = counts[0]!;
  if (counts.length > 1 && counts.every((c) => sameCount(c, first))) return mul(lit(counts.length), first);
  return add(...counts);
}

/** A layer's FLOPs: each multiply-accumulate counts as two, plus the op's other floating-point operations. */
export function flopsOf(macs: Count, other: Count): Count {
  if (macs.value === 0) return other;
  const twice = mul(lit(2), rename(macs, 'MACs'));
  return other.value === 0 ? twice : add(twice, other);
}

/** Identity helper that fixes the attribute type for inference. */
export const defineOp = <A>(op: OpDef<A>): OpDef<A> => op;

/** Number of elements of a shape. */
export const numel = (shape: Shape): Int => prod(shape);

/** Number of elements of a shape used as one tensor size (a flatten, a reshape): a safe integer, else a shape error. */
export function size(shape: Shape): number {
  const n = numel(shape);
  if (typeof n === 'number') return n;
  throw new ModelError('shape', `[${shape.join(', ')}] holds ${fmt(n)} elements, too many for one dimension (the limit is 2^53 − 1).`);
}

/** The element count of a shape as a formula: N·C·H·W = 1·64·224·224. */
export function elements(shape: Shape, names?: readonly string[]): Count {
  const defaults = shape.length === 4 ? ['N', 'C', 'H', 'W'] : shape.length === 3 ? ['N', 'C', 'L'] : shape.length === 2 ? ['N', 'F'] : shape.map((_, i) => `d${i}`);
  const labels = names ?? (shape.length === 5 ? ['N', 'C', 'D', 'H', 'W'] : defaults);
  return mul(...shape.map((d, i) => term(labels[i] ?? `d${i}`, d)));
}
