/**
 * @module
 * One node → one LayerReport: validate attributes, infer shapes (errors name the layer and show the
 * arithmetic), derive parameters from the declared weights, count MACs and FLOPs.
 */
import { ModelError } from '../errors.js';
import { readAttrs } from '../ops/attrs.js';
import type { OpDef, ShapeNote } from '../ops/op.js';
import { flopsOf, numel, paramsFormula } from '../ops/op.js';
import type { Node, Shape, Weight } from '../types.js';
import { lit, mul, term, type Count } from '../count.js';
import { cmp, minus, sum, times, type Int } from '../int.js';
import type { Convention, LayerReport, WeightReport } from './report.js';
import { step, type ReceptiveField } from './receptive-field.js';

const BYTES = 4; // fp32

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function weightCount(w: Weight): Count {
  const n = numel(w.shape);
  if (w.count && cmp(w.count.value, n) !== 0) throw new Error(`bug: ${w.name} formula ${w.count.value} ≠ numel ${n}`);
  return w.count ?? mul(...w.shape.map((d, i) => term(w.dims?.[i] ?? `d${i}`, d)));
}

/** What a layer needs from the walk around it. */
export interface LayerContext {
  readonly convention: Convention;
  readonly inputs: readonly Shape[];
  /** Weights of earlier layers, by 'layer.weight', for tying. */
  readonly weightsById: ReadonlyMap<string, WeightReport>;
  /** The receptive fields of the inputs. */
  readonly rfs: readonly (ReceptiveField | null)[];
  /** Extra lines for shape errors: where the input came from, the spatial chain so far. */
  readonly context: () => string[];
}

/** Analyses one node; returns its report and its output shapes. */
export function analyzeNode(node: Node, def: OpDef<unknown>, ctx: LayerContext): { layer: LayerReport; outputs: Shape[] } {
  const attrs = readAttrs({ op: def.kind, raw: node.attrs, layer: node.id, loc: node.loc, locOf: (k) => node.attrLocs?.[k] }, (r) => def.attrs(r));
  const { inputs, convention } = ctx;
  const notes: ShapeNote[] = [];
  let outputs: Shape[];
  try {
    outputs = def.shape(attrs, inputs, (n) => notes.push(n));
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const extra = node.label && !def.title.toLowerCase().startsWith(node.label.toLowerCase()) ? ` ${node.label}` : '';
    throw new ModelError(e.code, `layer '${node.id}' (${def.title}${extra}): ${e.message}`, {
      layer: node.id,
      loc: node.loc ?? e.loc,
      details: [...e.details, ...ctx.context()],
    });
  }
  const output = outputs[0]!;
  const custom = def.kind === 'custom' ? (attrs as { params?: number; macs?: number; flops?: number; activations?: number; type: string; output_shape?: Shape }) : undefined;

  const declared = def.weights?.(attrs, inputs, { convention }) ?? [];
  for (const key of Object.keys(node.tied ?? {})) {
    if (key !== '*' && !declared.some((w) => w.name === key)) {
      const names = declared.map((w) => `'${w.name}'`).join(', ') || 'none';
      throw new ModelError('spec', `layer '${node.id}' ties '${key}', but it has no weight of that name. Its weights: ${names}.`, { layer: node.id, loc: node.loc });
    }
  }
  // A weight may also be tied to one declared before it in the same layer (an ONNX BatchNorm whose scale and
  // variance are one stored tensor).
  const own = new Map<string, WeightReport>();
  const weights: WeightReport[] = declared.map((w) => {
    const formula = weightCount(w);
    const target = node.tied?.[w.name] ?? (node.tied?.['*'] !== undefined ? `${node.tied['*']}.${w.name}` : undefined);
    if (target !== undefined) {
      const shared = ctx.weightsById.get(target) ?? own.get(target);
      if (!shared) throw new ModelError('spec', `layer '${node.id}' ties its '${w.name}' to '${target}', which is not a weight of an earlier layer or one declared before it.`, { layer: node.id, loc: node.loc });
      if (cmp(shared.count, formula.value) !== 0) {
        throw new ModelError('shape', `layer '${node.id}' ties its '${w.name}' [${w.shape.join(', ')}] to '${target}' [${shared.shape.join(', ')}]: the sizes differ.`, { layer: node.id, loc: node.loc });
      }
    }
    const report: Mutable<WeightReport> = { name: w.name, shape: w.shape, count: formula.value, trainable: w.trainable !== false && !w.buffer, buffer: !!w.buffer, formula };
    if (target !== undefined) report.tiedTo = target;
    else own.set(`${node.id}.${w.name}`, report);
    if (w.dtype !== undefined) report.dtype = w.dtype;
    if (w.bytes !== undefined) report.bytes = w.bytes;
    return report;
  });
  const counted = weights.filter((w) => (convention === 'keras' || !w.buffer) && w.tiedTo === undefined);
  const knownParams = !custom || custom.params !== undefined;
  const total = (ws: readonly WeightReport[]): Int => sum(ws.map((w) => w.count));
  const params = knownParams ? total(counted) : null;
  const trainable = knownParams ? total(counted.filter((w) => w.trainable)) : null;
  const buffers = convention === 'pytorch' ? total(weights.filter((w) => w.buffer && w.tiedTo === undefined)) : 0;
  const tied = total(weights.filter((w) => w.tiedTo !== undefined));

  // A known op may still declare its work uncountable (data-dependent): unknown, with its reason as the note.
  const uncounted = def.unknown?.(attrs);
  // An opaque op (weights from a file) knows its parameters and nothing of what it computes.
  const opaque = def.opaque === true;
  const knownMacs = !opaque && uncounted === undefined && (!custom || custom.macs !== undefined);
  const macs = def.macs?.(attrs, inputs, outputs) ?? lit(0);
  const other = def.flops?.(attrs, inputs, outputs) ?? lit(0);
  const flops = flopsOf(macs, other);
  const paramsCount = knownParams ? paramsFormula(counted.map((w) => w.formula!)) : undefined;
  const unknown = custom
    ? [custom.params === undefined ? 'parameters' : '', custom.macs === undefined ? 'MACs' : '', custom.flops === undefined ? 'FLOPs' : ''].filter(Boolean).join(', ')
    : '';
  const note = custom
    ? `nncalc has no rule for '${custom.type}': ${unknown ? `${unknown} unknown` : 'parameters, MACs and FLOPs as the spec declares them'}${custom.output_shape ? '' : '; output shape assumed equal to the input'}`
    : opaque
      ? 'weights read from the file; what the module computes is not known, so its MACs, FLOPs and output shape are unknown'
      : uncounted !== undefined
        ? uncounted
        : tied
          ? `shares ${weights.filter((w) => w.tiedTo).map((w) => `${w.name} with ${w.tiedTo}`).join(', ')} (counted once)`
          : undefined;

  const active = def.active && params !== null ? def.active(attrs, inputs) : undefined;
  // Optional fields are assigned, not spread: this runs once per layer of every model analysed.
  const formulas: Mutable<LayerReport['formulas']> = {};
  if (paramsCount) formulas.params = paramsCount;
  if (knownMacs && macs.value) formulas.macs = macs;
  if (!custom && !opaque && uncounted === undefined && flops.value) formulas.flops = flops;
  if (notes.length) formulas.shape = notes;
  if (active) formulas.active = active;
  const layer: Mutable<LayerReport> = {
    name: node.id,
    op: def.kind,
    type: custom ? custom.type : (def.type?.(attrs) ?? def.title),
    label: node.label ?? def.label?.(attrs, inputs) ?? def.kind,
    scope: node.scope,
    implicit: !!node.implicit,
    attrs: attrs as Record<string, unknown>,
    inputs: node.inputs,
    inputShapes: inputs,
    outputShape: output,
    rf: step(ctx.rfs, def.window?.(attrs, inputs), inputs, output),
    params,
    trainable,
    nonTrainable: params === null || trainable === null ? null : minus(params, trainable),
    tied,
    buffers,
    macs: knownMacs ? macs.value : null,
    flops: opaque || uncounted !== undefined ? null : custom ? (custom.flops ?? null) : flops.value,
    // An empty shape is an unknown one: it holds no bytes nncalc can count.
    outputBytes: output.length === 0 ? 0 : times(custom?.activations ?? numel(output), BYTES),
    weights,
    formulas,
  };
  if (node.role) layer.role = node.role;
  if (note) layer.note = note;
  if (active) layer.active = active.value;
  return { layer, outputs };
}
