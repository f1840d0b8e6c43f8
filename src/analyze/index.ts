/**
 * @module
 * analyze(graph): one walk in topological order. Each op's pure rules give the output shape, the weights,
 * the MACs and the FLOPs, each as a Count; parameters are derived from the weights.
 */
import { ModelError } from '../errors.js';
import { plus, times, type Int } from '../int.js';
import { findOp } from '../ops/index.js';
import type { Graph, Shape } from '../types.js';
import { evaluateDeferred } from '../describe/deferred.js';
import { analyzeNode, type Derived, type LayerContext } from './layer.js';
import { INPUT_RF, type ReceptiveField } from './receptive-field.js';
import { SCHEMA, type Convention, type Diagnostic, type LayerReport, type Report, type SequenceInfo, type WeightReport } from './report.js';
import { ruleNotes } from './rules.js';

export type { Convention, Diagnostic, FileInfo, LayerReport, Report, SequenceInfo, ShapeLayout, Totals, TrainingTotals, WeightReport } from './report.js';

/** Options of one analysis. */
export interface AnalyzeOptions {
  /** 'pytorch' (default): BN running statistics are buffers. 'keras': they are non-trainable parameters. */
  readonly convention?: Convention;
  /** Where the network came from, shown in reports. */
  readonly source?: string;
  /** Notes to carry into the report, before the implicit rules the layers record. */
  readonly notes?: readonly string[];
  /** What the input's dimensions are, when the spec declares it ('LNC'). */
  readonly inputLayout?: string;
  /** Why the totals are approximate; the report says so in its model, its diagnostics and its footer. */
  readonly approximate?: string;
  /** The sequence length of a sequence model, for the report. */
  readonly sequence?: SequenceInfo;
  /** Warnings found before the analysis (a sequence past a model's trained context). */
  readonly warnings?: readonly string[];
}

const BYTES = 4; // fp32

/** The spatial sizes along H seen so far, for shape errors: 224 → 112 → 56. */
function chain(input: Shape, rows: readonly LayerReport[]): string | undefined {
  // Only image-shaped (N, C, H, W) tensors have an H to follow; token sequences do not.
  if (input.length !== 4) return undefined;
  const sizes = [input[2]!];
  for (const r of rows) {
    const h = r.outputShape[2];
    if (r.outputShape.length === 4 && h !== undefined && h !== sizes[sizes.length - 1]) sizes.push(h);
  }
  return sizes.length > 1 ? `Spatial size so far: ${sizes.join(' → ')}.` : undefined;
}

/** The ids of the layers that only training outputs need (the graph's own outputs do not read them). */
function trainingOnly(graph: Graph): Set<string> {
  if (!graph.trainingOutputs?.length) return new Set();
  const inputs = new Map(graph.nodes.map((n) => [n.id, n.inputs]));
  const reach = (from: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const stack = from.map((r) => r.split(':')[0]!);
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id) || !inputs.has(id)) continue;
      seen.add(id);
      for (const r of inputs.get(id)!) stack.push(r.split(':')[0]!);
    }
    return seen;
  };
  const inference = reach(graph.outputs);
  return new Set([...reach(graph.trainingOutputs)].filter((id) => !inference.has(id)));
}

/**
 * Analyses a graph: per-layer shapes, parameters, MACs and FLOPs, and totals.
 * @example analyze(build(parseNotation('224x224x3, conv3-64, maxpool, FC-10'))).totals.params
 */
export function analyze(graph: Graph, options: AnalyzeOptions = {}): Report {
  const convention = options.convention ?? 'pytorch';
  const shapes = new Map<string, readonly Shape[]>(graph.inputs.map((i) => [i.id, [i.shape]]));
  const lookup = (ref: string): Shape | undefined => {
    const colon = ref.indexOf(':');
    return colon < 0 ? shapes.get(ref)?.[0] : shapes.get(ref.slice(0, colon))?.[Number(ref.slice(colon + 1))];
  };
  const weightsById = new Map<string, WeightReport>();
  const rfs = new Map<string, ReceptiveField | null>(graph.inputs.map((i) => [i.id, INPUT_RF]));
  const layers: LayerReport[] = [];
  const diagnostics: Diagnostic[] = (options.warnings ?? []).map((message) => ({ severity: 'warning', message }));
  const training = trainingOnly(graph);
  // Layers with the same op, attributes and input shapes share what the op's rules give them.
  const memo = new Map<string, Derived>();
  const keys: LayerContext['keys'] = new Map();
  // Weights are kept by name only for layers that tie to them.
  const ties = graph.nodes.some((n) => n.tied !== undefined);
  for (const written of graph.nodes) {
    // Attributes that read other tensors' shapes (like(skip)) are evaluated now that those shapes are known.
    const node = evaluateDeferred(written, lookup);
    const def = findOp(node.op);
    if (!def) throw new ModelError('spec', `unknown op '${node.op}'.`, { layer: node.id, loc: node.loc });
    const inputs = node.inputs.map((ref) => {
      const s = lookup(ref);
      if (!s) throw new ModelError('spec', `layer '${node.id}' reads '${ref}', which is not an earlier layer, an output of one, or an input.`, { layer: node.id, loc: node.loc });
      return s;
    });
    const { layer, outputs } = analyzeNode(node, def, {
      convention,
      inputs,
      weightsById,
      memo,
      keys,
      rfs: node.inputs.map((r) => rfs.get(r.includes(':') ? r.slice(0, r.indexOf(':')) : r) ?? null),
      context: () => {
        const from = node.inputs.map((r) => (graph.inputs.some((i) => i.id === r) ? 'the network input' : `'${r}'`)).join(', ');
        return [`Its input is [${inputs.map((s) => s.join(', ')).join('], [')}] from ${from}.`, ...[chain(graph.inputs[0]!.shape, layers)].filter((c): c is string => !!c)];
      },
    });
    shapes.set(node.id, outputs);
    rfs.set(node.id, layer.rf);
    // A weight shared with another stands for that one, so a layer may tie to it as well.
    if (ties) for (const w of layer.weights) weightsById.set(`${node.id}.${w.name}`, w.tiedTo === undefined ? w : (weightsById.get(w.tiedTo) ?? w));
    if (layer.op === 'custom') diagnostics.push({ severity: layer.params === null || layer.macs === null || layer.flops === null ? 'warning' : 'info', message: layer.note!, layer: layer.name });
    if (training.has(node.id)) (layer as { training?: true }).training = true;
    if (node.rule) (layer as { rule?: string }).rule = node.rule;
    layers.push(layer);
  }
  if (options.approximate) diagnostics.unshift({ severity: 'warning', message: options.approximate });
  const sum = (f: (l: LayerReport) => Int | null, only: (l: LayerReport) => boolean = () => true): Int => {
    let s: Int = 0;
    for (const l of layers) if (only(l)) s = plus(s, f(l) ?? 0);
    return s;
  };
  // Training-only layers count their parameters; what they compute is not part of inference.
  const inference = (l: LayerReport) => !l.training;
  const trainingLayers = layers.filter((l) => l.training);
  const roles: Record<string, Int> = {};
  for (const l of layers) if (l.role) roles[l.role] = plus(roles[l.role] ?? 0, l.params ?? 0);
  const params = sum((l) => l.params);
  // Unknown is not zero: a total of which no layer knows its part is marked unknown, not reported as 0.
  const unknownTotals = (
    [
      ['macs', (l: LayerReport) => l.macs !== null],
      ['flops', (l: LayerReport) => l.flops !== null],
      ['activationBytes', (l: LayerReport) => l.outputShape.length > 0],
    ] as const
  )
    .filter(([, known]) => layers.length > 0 && !layers.some(known))
    .map(([key]) => key);
  const totals = {
    params,
    trainable: sum((l) => l.trainable),
    nonTrainable: sum((l) => l.nonTrainable),
    buffers: sum((l) => l.buffers),
    macs: sum((l) => l.macs, inference),
    flops: sum((l) => l.flops, inference),
    paramBytes: times(params, BYTES),
    bufferBytes: times(sum((l) => l.buffers), BYTES),
    activationBytes: sum((l) => l.outputBytes, inference),
    layers: layers.length,
    unknown: layers.filter((l) => l.params === null || l.macs === null || l.flops === null).length,
    tied: sum((l) => l.tied),
    ...(layers.some((l) => l.active !== undefined) ? { active: sum((l) => l.active ?? l.params) } : {}),
    ...(Object.keys(roles).length ? { roles } : {}),
    ...(trainingLayers.length
      ? {
          training: {
            layers: trainingLayers.length,
            params: sum((l) => l.params, (l) => !!l.training),
            macs: sum((l) => l.macs, (l) => !!l.training),
            flops: sum((l) => l.flops, (l) => !!l.training),
            activationBytes: sum((l) => l.outputBytes, (l) => !!l.training),
          },
        }
      : {}),
    ...(unknownTotals.length ? { unknownTotals } : {}),
  };
  return {
    schema: SCHEMA,
    model: {
      name: graph.name,
      ...(options.source ? { source: options.source } : {}),
      input: graph.inputs[0]!.shape,
      ...(options.inputLayout ? { inputLayout: options.inputLayout } : {}),
      output: lookup(graph.outputs[0] ?? '') ?? graph.inputs[0]!.shape,
      convention,
      dtype: 'f32',
      notes: [...(options.notes ?? []), ...ruleNotes(layers)],
      ...(options.sequence ? { sequence: options.sequence } : {}),
      ...(options.approximate ? { approximate: options.approximate } : {}),
    },
    totals,
    layers,
    diagnostics,
    ...(graph.modules && Object.keys(graph.modules).length ? { modules: graph.modules } : {}),
  };
}
