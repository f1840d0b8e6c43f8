/**
 * @module
 * analyze(graph): one walk in topological order. Each op's pure rules give the output shape, the weights,
 * the MACs and the FLOPs, each as a Count; parameters are derived from the weights.
 */
import { ModelError } from '../errors.js';
import { readAttrs } from '../ops/attrs.js';
import { findOp } from '../ops/index.js';
import { numel, type ShapeNote } from '../ops/op.js';
import type { Graph, Shape, Weight } from '../types.js';
import { add, lit, mul, rename, term, type Count } from './count.js';
import { SCHEMA, type Convention, type LayerReport, type Report, type WeightReport } from './report.js';

export type { Convention, LayerReport, Report, Totals, WeightReport } from './report.js';

/** Options of one analysis. */
export interface AnalyzeOptions {
  /** 'pytorch' (default): BN running statistics are buffers. 'keras': they are non-trainable parameters. */
  readonly convention?: Convention;
  /** Where the network came from, shown in reports. */
  readonly source?: string;
  /** Notes to carry into the report (the notation's implicit rules). */
  readonly notes?: readonly string[];
}

const BYTES = 4; // fp32

function weightCount(w: Weight): Count {
  const n = numel(w.shape);
  if (w.count && w.count.value !== n) throw new Error(`bug: ${w.name} formula ${w.count.value} ≠ numel ${n}`);
  return w.count ?? mul(...w.shape.map((d, i) => term(w.dims?.[i] ?? `d${i}`, d)));
}

/** a + a + a → 3·a, otherwise a + b + c. */
function paramsFormula(counts: readonly Count[]): Count | undefined {
  if (counts.length === 0) return undefined;
  const first = counts[0]!;
  if (counts.length > 1 && counts.every((c) => c.formula === first.formula && c.terms === first.terms)) return mul(lit(counts.length), first);
  return add(...counts);
}

/** The spatial sizes along H seen so far, for shape errors: 224 → 112 → 56. */
function chain(input: Shape, rows: readonly LayerReport[]): string | undefined {
  if (input.length < 3) return undefined;
  const sizes = [input[2]!];
  for (const r of rows) {
    const h = r.outputShape[2];
    if (r.outputShape.length >= 3 && h !== undefined && h !== sizes[sizes.length - 1]) sizes.push(h);
  }
  return sizes.length > 1 ? `Spatial size so far: ${sizes.join(' → ')}.` : undefined;
}

/**
 * Analyses a graph: per-layer shapes, parameters, MACs and FLOPs, and totals.
 * @example analyze(build(parseNotation('224x224x3, conv3-64, maxpool, FC-10'))).totals.params
 */
export function analyze(graph: Graph, options: AnalyzeOptions = {}): Report {
  const convention = options.convention ?? 'pytorch';
  const shapes = new Map<string, readonly Shape[]>(graph.inputs.map((i) => [i.id, [i.shape]]));
  const lookup = (ref: string): Shape | undefined => {
    const [id, port] = ref.split(':') as [string, string | undefined];
    return shapes.get(id)?.[port === undefined ? 0 : Number(port)];
  };
  const layers: LayerReport[] = [];
  for (const node of graph.nodes) {
    const def = findOp(node.op);
    if (!def) throw new ModelError('spec', `unknown op '${node.op}'.`, { layer: node.id, loc: node.loc });
    const attrs = readAttrs({ op: def.kind, raw: node.attrs, layer: node.id, loc: node.loc, locOf: (k) => node.attrLocs?.[k] }, (r) => def.attrs(r));
    const inputs = node.inputs.map((ref) => {
      const s = lookup(ref);
      if (!s) throw new ModelError('spec', `layer '${node.id}' reads '${ref}', which is not an earlier layer, an output of one, or an input.`, { layer: node.id, loc: node.loc });
      return s;
    });
    const notes: ShapeNote[] = [];
    let outputs: Shape[];
    try {
      outputs = def.shape(attrs, inputs, (n) => notes.push(n));
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      const extra = node.label && !def.title.toLowerCase().startsWith(node.label.toLowerCase()) ? ` ${node.label}` : '';
      const where = `layer '${node.id}' (${def.title}${extra})`;
      const from = node.inputs[0] === 'input' ? 'the network input' : `'${node.inputs[0]}'`;
      const context = chain(graph.inputs[0]!.shape, layers);
      throw new ModelError(e.code, `${where}: ${e.message}`, {
        layer: node.id,
        loc: node.loc ?? e.loc,
        details: [...e.details, `Its input is [${inputs.map((s) => s.join(', ')).join('], [')}] from ${from}.`, ...(context ? [context] : [])],
      });
    }
    const output = outputs[0]!;
    shapes.set(node.id, outputs);

    const declared = def.weights?.(attrs, inputs, { convention }) ?? [];
    const weights: WeightReport[] = declared.map((w) => {
      const formula = weightCount(w);
      return { name: w.name, shape: w.shape, count: formula.value, trainable: w.trainable !== false && !w.buffer, buffer: !!w.buffer, formula };
    });
    const counted = weights.filter((w) => convention === 'keras' || !w.buffer);
    const params = counted.reduce((s, w) => s + w.count, 0);
    const trainable = counted.filter((w) => w.trainable).reduce((s, w) => s + w.count, 0);
    const buffers = convention === 'pytorch' ? weights.filter((w) => w.buffer).reduce((s, w) => s + w.count, 0) : 0;

    const macs = def.macs?.(attrs, inputs, outputs) ?? lit(0);
    const other = def.flops?.(attrs, inputs, outputs) ?? lit(0);
    const flops = macs.value === 0 ? other : other.value === 0 ? mul(lit(2), rename(macs, 'MACs')) : add(mul(lit(2), rename(macs, 'MACs')), other);
    const paramsCount = paramsFormula(counted.map((w) => w.formula!));

    layers.push({
      name: node.id,
      op: def.kind,
      type: def.title,
      label: node.label ?? def.label?.(attrs, inputs) ?? def.kind,
      scope: node.scope,
      implicit: !!node.implicit,
      attrs: attrs as Record<string, unknown>,
      inputShapes: inputs,
      outputShape: output,
      params,
      trainable,
      nonTrainable: params - trainable,
      buffers,
      macs: macs.value,
      flops: flops.value,
      outputBytes: numel(output) * BYTES,
      weights,
      formulas: {
        ...(paramsCount ? { params: paramsCount } : {}),
        ...(macs.value ? { macs } : {}),
        ...(flops.value ? { flops } : {}),
        ...(notes.length ? { shape: notes } : {}),
      },
    });
  }
  const sum = (f: (l: LayerReport) => number | null) => layers.reduce((s, l) => s + (f(l) ?? 0), 0);
  const totals = {
    params: sum((l) => l.params),
    trainable: sum((l) => l.trainable),
    nonTrainable: sum((l) => l.nonTrainable),
    buffers: sum((l) => l.buffers),
    macs: sum((l) => l.macs),
    flops: sum((l) => l.flops),
    paramBytes: sum((l) => l.params) * BYTES,
    bufferBytes: sum((l) => l.buffers) * BYTES,
    activationBytes: sum((l) => l.outputBytes),
    layers: layers.length,
    unknown: layers.filter((l) => l.macs === null || l.flops === null).length,
  };
  const out = lookup(graph.outputs[0] ?? '') ?? graph.inputs[0]!.shape;
  return {
    schema: SCHEMA,
    model: {
      name: graph.name,
      ...(options.source ? { source: options.source } : {}),
      input: graph.inputs[0]!.shape,
      output: out,
      convention,
      dtype: 'f32',
      notes: options.notes ?? [],
    },
    totals,
    layers,
  };
}
