/**
 * @module
 * From what the user typed to a Report: a zoo name, notation text or a Spec. Inputs that do not fit the model are
 * errors, not quiet numbers: a zoo model given the wrong channel count, an FC word applied to a feature map, a
 * sequence longer than a learned position table.
 */
import { analyze, type Convention, type Report, type SequenceInfo } from './analyze/index.js';
import { fmt } from './count.js';
import { ModelError } from './errors.js';
import { prod } from './int.js';
import { build } from './describe/build.js';
import { denseSpec, opsInOrder, type DensePlan } from './describe/dense.js';
import { looksLikeNotation, parseNotation, type NotationOptions } from './describe/notation.js';
import type { Spec } from './describe/spec.js';
import { checkConvention, checkShape, checkSize } from './options.js';
import { memory, type MemoryOptions } from './memory/index.js';
import type { Graph, Shape } from './types.js';

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
  /** Dense evaluation (VGG §3.2): the FC layers after the flatten applied as convolutions. */
  readonly dense?: boolean;
  /** Memory figures to compute (storage type, training, KV context, GPUs); default fp32 inference. `false`: none. */
  readonly memory?: MemoryOptions | false;
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

/** A zoo model's weights fix its input channels: another count is an error, with the transposed shape when it looks channels-last. */
function checkChannels(spec: Spec, given: Shape): void {
  const own = spec.input;
  if (!own || own.length < 3 || given.length !== own.length || given[1] === own[1]) return;
  const c = own[1]!;
  const last = given[given.length - 1]!;
  const transposed = [given[0]!, last, ...given.slice(1, -1)];
  const hint =
    last === c
      ? [`[${given.join(', ')}] looks channels-last (N, H, W, C); nncalc takes channels first: --input ${transposed.join(',')}${given.length === 4 ? ` (or ${given[1]}x${given[2]}x${c})` : ''}.`]
      : [`Give ${c} channel${c === 1 ? '' : 's'}: --input ${[given[0]!, c, ...given.slice(2)].join(',')}${given.length === 4 ? ` (or ${given[2]}x${given[3]}x${c})` : ''}.`];
  throw new ModelError('input', `'${spec.name}' takes ${c} input channel${c === 1 ? '' : 's'}, as its first layer's weights are built for, but the input [${given.join(', ')}] has ${given[1]}.`, {
    details: hint,
  });
}

/** The sequence length, checked against a learned position table (an error) or a rotary model's trained context (a warning). */
function sequence(spec: Spec, shape: Shape, given: boolean, warnings: string[]): SequenceInfo | undefined {
  if (spec.seqAxis === undefined || shape[spec.seqAxis] === undefined) return undefined;
  const length = shape[spec.seqAxis]!;
  const p = spec.positions;
  if (p && length > p.max) {
    const what = `${length.toLocaleString('en-US')} tokens`;
    if (p.kind === 'learned') {
      throw new ModelError('input', `'${spec.name}' has a learned position table of ${p.max.toLocaleString('en-US')} rows (${p.key}), so it cannot read ${what}: position ${p.max.toLocaleString('en-US')} has no embedding.`, {
        details: [`Use --seq ${p.max} or less.`],
      });
    }
    warnings.push(`'${spec.name}' was trained on up to ${p.max.toLocaleString('en-US')} tokens (${p.key}); at ${what} its rotary positions run past that. The counts hold; the model may not work as trained.`);
  }
  return { length, axis: spec.seqAxis, given, ...(p ? { positions: p } : {}) };
}

/** Where the FC layers meet the flattened map, found by analysing the Spec at its own input (the size it was trained on). */
function densePlan(spec: Spec, shape: Shape): DensePlan {
  const probe = analyze(build(spec, spec.input ?? shape));
  const ops = opsInOrder(spec.layers);
  const layers = probe.layers;
  const f = layers.findIndex((l) => l.op === 'flatten' && l.inputShapes[0]?.length === 4 && l.outputShape.length === 2);
  const chain = new Set(f >= 0 ? [layers[f]!.name] : []);
  const fcs: number[] = [];
  const softmaxes: number[] = [];
  for (let j = f + 1; f >= 0 && j < layers.length; j++) {
    const l = layers[j]!;
    if (l.inputs.length !== 1 || !chain.has(l.inputs[0]!)) continue;
    if (l.op === 'linear') fcs.push(j);
    else if (l.op === 'softmax') softmaxes.push(j);
    else if (l.weights.length > 0 || l.outputShape.length !== 2) continue;
    chain.add(l.name);
  }
  if (fcs.length === 0 || ops.length !== layers.length) {
    throw new ModelError('input', `--dense turns the FC layers that read a flattened feature map into convolutions (VGG §3.2), but '${spec.name}' has no FC layer after a flatten of an [N, C, H, W] map.`);
  }
  return { flatten: f, kernel: layers[f]!.inputShapes[0]!.slice(2), fcs, softmaxes };
}

/** An FC word of the notation applied to a feature map: the paper's FC layers need a flat input. */
function checkFlatFc(graph: Graph, report: Report): void {
  // Only layers the notation wrote as FC-n carry that label in the graph; a zoo model's linear layers may read sequences.
  const written = new Map(graph.nodes.filter((n) => n.op === 'linear' && /^fc-?\d+$/i.test(n.label ?? '')).map((n) => [n.id, n]));
  const bad = report.layers.find((l) => written.has(l.name) && (l.inputShapes[0]?.length ?? 0) > 2);
  if (!bad) return;
  const x = bad.inputShapes[0]!;
  const node = written.get(bad.name);
  throw new ModelError('notation', `${bad.label} is applied to [${x.join(', ')}], which still has spatial axes; a fully connected layer needs a vector of features.`, {
    layer: bad.name,
    ...(node?.loc ? { loc: node.loc } : {}),
    details: [
      `Write 'flatten' before ${bad.label} (it gives ${x.slice(1).map(fmt).join('·')} = ${fmt(prod(x.slice(1)))} features), or leave the implicit flatten on (without --no-implicit or --no-implicit-flatten).`,
    ],
  });
}

/**
 * Analyses a model given as a zoo name, notation text or a Spec.
 * @example summarize('vgg16').totals.params // 138357544
 */
export function summarize(input: string | Spec, options: SummarizeOptions = {}): Report {
  const report = analyzeSpec(input, options);
  return options.memory === false ? report : { ...report, memory: memory(report, options.memory ?? {}) };
}

function analyzeSpec(input: string | Spec, options: SummarizeOptions): Report {
  // The library checks its options itself, with the command line's words (which name the flags instead).
  if (options.input !== undefined) checkShape(options.input, 'input');
  const batch = options.batch === undefined ? undefined : checkSize(options.batch, 'batch');
  if (options.seq !== undefined) checkSize(options.seq, 'seq');
  if (options.convention !== undefined) checkConvention(options.convention, 'convention');
  const zoo = typeof input === 'string' && findModel(input.trim()) !== undefined;
  const resolved = resolveSpec(input, options.notation);
  // The batch size applies to every input (T5's decoder ids too), not only the first.
  let spec =
    batch === undefined || !resolved.extraInputs
      ? resolved
      : { ...resolved, extraInputs: resolved.extraInputs.map((i) => ({ ...i, shape: [batch, ...i.shape.slice(1)] })) };
  if (options.input && zoo) checkChannels(spec, options.input);
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
  const warnings: string[] = [];
  const seq = shape ? sequence(spec, shape, options.seq !== undefined || options.input !== undefined, warnings) : undefined;
  try {
    if ((options.dense || spec.dense) && shape) spec = denseSpec(spec, densePlan(spec, shape));
    const graph = build(spec, shape);
    const report = analyze(graph, {
      convention: options.convention ?? spec.convention ?? 'pytorch',
      ...(spec.source ? { source: spec.source } : {}),
      notes: spec.notes ?? [],
      ...(spec.inputLayout ? { inputLayout: spec.inputLayout } : {}),
      ...(spec.approximate ? { approximate: spec.approximate } : {}),
      ...(seq ? { sequence: seq } : {}),
      warnings,
    });
    checkFlatFc(graph, report);
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
