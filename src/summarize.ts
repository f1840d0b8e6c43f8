/**
 * @module
 * From what the user typed to a Report: a zoo name, notation text or a Spec.
 */
import { analyze, type Convention, type Report } from './analyze/index.js';
import { ModelError } from './errors.js';
import { build } from './describe/build.js';
import { looksLikeNotation, parseNotation, type NotationOptions } from './describe/notation.js';
import type { Spec } from './describe/spec.js';
import type { Shape } from './types.js';
import { findModel, getModel } from './zoo/index.js';

/** Options of summarize(). */
export interface SummarizeOptions {
  /** Input shape, batch first; overrides the model's own. */
  readonly input?: Shape;
  /** Batch size; replaces the first dimension of the input. */
  readonly batch?: number;
  /** Sequence length, for models with a sequence input (transformers, RNNs). */
  readonly seq?: number;
  readonly convention?: Convention;
  /** Which implicit rules of the paper notation to apply. */
  readonly notation?: NotationOptions;
}

/** A zoo name or notation text → Spec. Zoo specs drop their text: the user did not write it, so errors name layers instead. */
export function resolveSpec(input: string | Spec, notation: NotationOptions = {}): Spec {
  if (typeof input !== 'string') return input;
  const entry = findModel(input.trim());
  if (entry) {
    const { text: _text, ...spec } = entry.spec();
    return { ...spec, source: entry.source };
  }
  if (looksLikeNotation(input)) return parseNotation(input, notation);
  return getModel(input.trim()).spec(); // throws: unknown model, with a did-you-mean
}

/**
 * Analyses a model given as a zoo name, notation text or a Spec.
 * @example summarize('vgg16').totals.params // 138357544
 */
export function summarize(input: string | Spec, options: SummarizeOptions = {}): Report {
  const resolved = resolveSpec(input, options.notation);
  const batch = options.batch;
  // The batch size applies to every input (T5's decoder ids too), not only the first.
  const spec =
    batch === undefined || !resolved.extraInputs
      ? resolved
      : { ...resolved, extraInputs: resolved.extraInputs.map((i) => ({ ...i, shape: [batch, ...i.shape.slice(1)] })) };
  let shape = options.input ?? spec.input;
  // The batch is dimension 0 unless the spec's layout puts it elsewhere (LNC: dimension 1).
  const batchAxis = spec.batchAxis ?? 0;
  if (spec.layout && shape && shape.length !== spec.layout.length) {
    throw new ModelError('input', `'${spec.name}' declares the layout ${spec.layout}, of ${spec.layout.length} dimensions, but the input [${shape.join(', ')}] has ${shape.length}.`);
  }
  if (shape && batch !== undefined) shape = shape.map((d, i) => (i === batchAxis ? batch : d));
  if (options.seq !== undefined) {
    if (spec.seqAxis === undefined || !shape) throw new ModelError('input', `'${spec.name}' has no sequence input, so --seq does not apply. Use --input to set its input shape.`);
    shape = shape.map((d, i) => (i === spec.seqAxis ? options.seq! : d));
  }
  try {
    return analyze(build(spec, shape), {
      convention: options.convention ?? 'pytorch',
      ...(spec.source ? { source: spec.source } : {}),
      notes: spec.notes ?? [],
      ...(spec.layout ? { layout: spec.layout } : {}),
    });
  } catch (e) {
    // Errors located in the notation text carry it, so the CLI can draw a code frame.
    if (e instanceof ModelError && e.loc?.kind === 'text' && spec.text === undefined) {
      throw new ModelError(e.code, e.message, { layer: e.layer, details: e.details });
    }
    throw e;
  }
}

/**
 * Parses an input shape: '224x224x3' (H×W×C, as the VGG paper writes it), '1,3,224,224' (batch first) or '784' (features).
 */
export function parseShape(text: string): Shape {
  const t = text.trim();
  const bad = (why: string) =>
    new ModelError('input', `cannot read the input shape '${text}': ${why}. Expected H×W×C such as 224x224x3, a batch-first list such as 1,3,224,224, or a number of features such as 784.`);
  const nums = (parts: string[]) =>
    parts.map((p) => {
      const n = Number(p.trim());
      if (!/^\d+$/.test(p.trim()) || !Number.isSafeInteger(n) || n < 1) throw bad(`'${p.trim()}' is not a positive integer`);
      return n;
    });
  if (/[x×]/i.test(t)) {
    const d = nums(t.split(/[x×]/i));
    if (d.length === 3) return [1, d[2]!, d[0]!, d[1]!];
    if (d.length === 2) return [1, 1, d[0]!, d[1]!];
    throw bad(`H×W×C has 3 sizes, found ${d.length}`);
  }
  const d = nums(t.split(','));
  return d.length === 1 ? [1, d[0]!] : d;
}
