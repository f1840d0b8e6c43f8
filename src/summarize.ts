/**
 * @module
 * From what the user typed to a Report: a zoo name, notation text or a Spec.
 */
import { analyze, type Convention, type Report } from './analyze/index.js';
import { ModelError } from './errors.js';
import { build } from './describe/build.js';
import { looksLikeNotation, parseNotation, type NotationOptions } from './describe/notation.js';
import type { Spec } from './describe/spec.js';
import { checkConvention, checkShape, checkSize } from './options.js';
import type { Shape } from './types.js';

export { parseShape } from './options.js';
import { findModel, getModel } from './zoo/index.js';

/** Options of summarize(). */
export interface SummarizeOptions {
  /** Input shape, batch first; overrides the model's own. */
  readonly input?: Shape;
  /** Batch size; replaces the first dimension of the input. */
  readonly batch?: number;
  /** Sequence length, for models with a sequence input (transformers, RNNs). */
  readonly seq?: number;
  /** Default: the model's own (Keras's models count in 'keras'), else 'pytorch'. */
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
  // The library checks its options itself, with the command line's words (which name the flags instead).
  if (options.input !== undefined) checkShape(options.input, 'input');
  const batch = options.batch === undefined ? undefined : checkSize(options.batch, 'batch');
  if (options.seq !== undefined) checkSize(options.seq, 'seq');
  if (options.convention !== undefined) checkConvention(options.convention, 'convention');
  const resolved = resolveSpec(input, options.notation);
  // The batch size applies to every input (T5's decoder ids too), not only the first.
  const spec =
    batch === undefined || !resolved.extraInputs
      ? resolved
      : { ...resolved, extraInputs: resolved.extraInputs.map((i) => ({ ...i, shape: [batch, ...i.shape.slice(1)] })) };
  let shape = options.input ?? spec.input;
  // The batch is dimension 0 unless the spec's layout puts it elsewhere (LNC: dimension 1).
  const batchAxis = spec.batchAxis ?? 0;
  if (spec.inputLayout && shape && shape.length !== spec.inputLayout.length) {
    throw new ModelError('input', `'${spec.name}' declares the layout ${spec.inputLayout}, of ${spec.inputLayout.length} dimensions, but the input [${shape.join(', ')}] has ${shape.length}.`);
  }
  if (shape && batch !== undefined) shape = shape.map((d, i) => (i === batchAxis ? batch : d));
  if (options.seq !== undefined) {
    if (spec.seqAxis === undefined || !shape) throw new ModelError('input', `'${spec.name}' has no sequence input, so --seq does not apply. Use --input to set its input shape.`);
    shape = shape.map((d, i) => (i === spec.seqAxis ? options.seq! : d));
  }
  try {
    const report = analyze(build(spec, shape), {
      convention: options.convention ?? spec.convention ?? 'pytorch',
      ...(spec.source ? { source: spec.source } : {}),
      notes: spec.notes ?? [],
      ...(spec.inputLayout ? { inputLayout: spec.inputLayout } : {}),
      ...(spec.approximate ? { approximate: spec.approximate } : {}),
    });
    if (!spec.layout) return report;
    // Keras prints the batch as None; a batch size the user set is shown as it is.
    const layout = spec.layout === 'keras' && batch !== undefined ? 'channels-last' : spec.layout;
    return { ...report, model: { ...report.model, layout } };
  } catch (e) {
    // Errors located in the notation text carry it, so the CLI can draw a code frame.
    if (e instanceof ModelError && e.loc?.kind === 'text' && spec.text === undefined) {
      throw new ModelError(e.code, e.message, { layer: e.layer, details: e.details });
    }
    throw e;
  }
}
