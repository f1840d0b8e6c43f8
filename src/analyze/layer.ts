/**
 * @module
 * One node → one LayerReport: validate attributes, infer shapes (errors name the layer and show the
 * arithmetic), derive parameters from the declared weights, count MACs and FLOPs. Layers that agree in op,
 * attributes and input shapes share one derivation (`Derived`), and, when they tie nothing, their weight rows.
 */
import { ModelError } from '../errors.js';
import { readAttrs, ruleKey } from '../ops/attrs.js';
import type { OpDef } from '../ops/op.js';
import { flopsOf, numel } from '../ops/op.js';
import type { Node, Shape, Weight } from '../types.js';
import { lit, type Count } from '../count.js';
import { cmp, minus, plus, times, type Int } from '../int.js';
import { Derivation, Formulas, WeightRow, weightCount } from './formulas.js';
import type { Convention, LayerReport, WeightReport } from './report.js';
import { step, type ReceptiveField } from './receptive-field.js';

const BYTES = 4; // fp32

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  /** What the op rules gave layers seen before, by signature (one walk's memo; see `signature`). */
  readonly memo?: Map<string, Derived>;
  /** Signatures by attribute record, for records that layers share (frozen: a reader's one record for many layers). */
  readonly keys?: Map<object, { readonly op: string; readonly inputs: readonly Shape[]; readonly key: string | undefined }[]>;
}

/**
 * What an op's pure rules give a layer: a function of the op, its attributes and its input shapes alone, so layers
 * that agree in all three (the 32 decoder layers of a Llama, the blocks of a ResNet stage) share one.
 */
export interface Derived {
  readonly attrs: unknown;
  readonly outputs: Shape[];
  readonly declared: readonly Weight[];
  readonly counts: readonly Int[];
  readonly derivation: Derivation;
  readonly macs: Count;
  readonly flops: Count;
  readonly uncounted: string | undefined;
  readonly type: string;
  readonly label: string | undefined;
  readonly window: ReturnType<NonNullable<OpDef<unknown>['window']>> | undefined;
  readonly active: Count | undefined;
  readonly def: OpDef<unknown>;
  /** The input shapes of the first layer with this signature (equal for all of them). */
  readonly inputs: readonly Shape[];
  /** The weight rows, sums and formulas of its layers that tie nothing, once the first is analysed. */
  rows?: Rows;
}

/**
 * The memo key of a layer (see `ruleKey`). Only rules that succeeded are shared, so an error still names the
 * layer that has it, at its own location.
 */
export const signature = (node: Node, inputs: readonly Shape[]): string | undefined => ruleKey(node.op, node.attrs, inputs);

/**
 * The signature of a layer, written once per shared attribute record and input shape lists: a layer whose record
 * and input lists are the very ones an earlier layer had (shape lists are never changed) has its signature.
 */
function signatureOf(node: Node, ctx: LayerContext): string | undefined {
  if (!ctx.keys || !Object.isFrozen(node.attrs)) return signature(node, ctx.inputs);
  let seen = ctx.keys.get(node.attrs);
  if (!seen) ctx.keys.set(node.attrs, (seen = []));
  for (const s of seen) if (s.op === node.op && s.inputs.length === ctx.inputs.length && s.inputs.every((x, i) => x === ctx.inputs[i])) return s.key;
  const key = signature(node, ctx.inputs);
  // A few entries per record: one record serves layers at several places of a block (each ReLU, both convs).
  if (seen.length < 8) seen.push({ op: node.op, inputs: ctx.inputs, key });
  return key;
}

/** Runs the op's rules on a layer: attributes, output shapes (errors name the layer and its inputs), weights, counts. */
function derive(node: Node, def: OpDef<unknown>, ctx: LayerContext): Derived {
  const attrs = readAttrs({ op: def.kind, raw: node.attrs, layer: node.id, loc: node.loc, locOf: (k) => node.attrLocs?.[k] }, (r) => def.attrs(r));
  const { inputs, convention } = ctx;
  let outputs: Shape[];
  try {
    outputs = def.shape(attrs, inputs);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const extra = node.label && !def.title.toLowerCase().startsWith(node.label.toLowerCase()) ? ` ${node.label}` : '';
    throw new ModelError(e.code, `layer '${node.id}' (${def.title}${extra}): ${e.message}`, {
      layer: node.id,
      loc: node.loc ?? e.loc,
      details: [...e.details, ...ctx.context()],
    });
  }
  const declared = def.weights?.(attrs, inputs, { convention }) ?? [];
  const macs = def.macs?.(attrs, inputs, outputs) ?? lit(0);
  return {
    attrs,
    outputs,
    declared,
    counts: declared.map((w) => weightCount(w).value),
    derivation: new Derivation(def, attrs, inputs, outputs, convention),
    macs,
    flops: flopsOf(macs, def.flops?.(attrs, inputs, outputs) ?? lit(0)),
    uncounted: def.unknown?.(attrs),
    type: def.type?.(attrs) ?? def.title,
    label: def.label?.(attrs, inputs),
    window: def.window?.(attrs, inputs),
    active: def.active?.(attrs, inputs),
    def,
    inputs,
  };
}

/** A layer's weight rows and what they add up to. */
interface Rows {
  readonly weights: WeightReport[];
  readonly params: Int | null;
  readonly trainable: Int | null;
  readonly buffers: Int;
  readonly tied: Int;
  readonly formulas: Formulas;
}

/** The weight rows of a layer (ties checked against earlier layers), their sums, and its formulas. */
function weightRows(node: Node, d: Derived, custom: { params?: number; macs?: number } | undefined, ctx: LayerContext): Rows {
  const { declared, derivation, macs, flops, uncounted, def } = d;
  const { convention } = ctx;
  // A weight may also be tied to one declared before it in the same layer (an ONNX BatchNorm whose scale and
  // variance are one stored tensor).
  const own = new Map<string, WeightReport>();
  const weights: WeightReport[] = declared.map((w, i) => {
    const count = d.counts[i]!;
    const target = node.tied?.[w.name] ?? (node.tied?.['*'] !== undefined ? `${node.tied['*']}.${w.name}` : undefined);
    if (target !== undefined) {
      const shared = ctx.weightsById.get(target) ?? own.get(target);
      if (!shared) throw new ModelError('spec', `layer '${node.id}' ties its '${w.name}' to '${target}', which is not a weight of an earlier layer or one declared before it.`, { layer: node.id, loc: node.loc });
      if (cmp(shared.count, count) !== 0) {
        throw new ModelError('shape', `layer '${node.id}' ties its '${w.name}' [${w.shape.join(', ')}] to '${target}' [${shared.shape.join(', ')}]: the sizes differ.`, { layer: node.id, loc: node.loc });
      }
    }
    const report: Mutable<WeightReport> = new WeightRow(w.name, w.shape, count, w.trainable !== false && !w.buffer, !!w.buffer, derivation);
    if (target !== undefined) report.tiedTo = target;
    else if (node.tied) own.set(`${node.id}.${w.name}`, report);
    if (w.dtype !== undefined) report.dtype = w.dtype;
    if (w.bytes !== undefined) report.bytes = w.bytes;
    return report;
  });
  // One pass: what the layer counts (buffers are parameters only in the Keras convention), what it holds as
  // buffers, and what it shares with an earlier layer.
  const counted: WeightReport[] = [];
  let all: Int = 0;
  let trainableAll: Int = 0;
  let bufferAll: Int = 0;
  let tied: Int = 0;
  for (const w of weights) {
    if (w.tiedTo !== undefined) tied = plus(tied, w.count);
    else {
      if (w.buffer) bufferAll = plus(bufferAll, w.count);
      if (convention === 'keras' || !w.buffer) {
        counted.push(w);
        all = plus(all, w.count);
        if (w.trainable) trainableAll = plus(trainableAll, w.count);
      }
    }
  }
  const knownParams = !custom || custom.params !== undefined;
  const opaque = def.opaque === true;
  const active = knownParams ? d.active : undefined;
  // The formulas are written when read (--explain, JSON), from the same pure rules: a large model keeps no Count trees.
  const formulas = new Formulas(derivation, {
    params: knownParams ? counted.map((w) => w.name) : undefined,
    macs: !opaque && uncounted === undefined && (!custom || custom.macs !== undefined) && macs.value !== 0,
    flops: !custom && !opaque && uncounted === undefined && flops.value !== 0,
    active: active !== undefined,
  });
  return { weights, params: knownParams ? all : null, trainable: knownParams ? trainableAll : null, buffers: convention === 'pytorch' ? bufferAll : 0, tied, formulas };
}

/** Analyses one node; returns its report and its output shapes. */
export function analyzeNode(node: Node, def: OpDef<unknown>, ctx: LayerContext): { layer: LayerReport; outputs: Shape[] } {
  const key = ctx.memo && def.kind !== 'custom' ? signatureOf(node, ctx) : undefined;
  let d = key === undefined ? undefined : ctx.memo!.get(key);
  if (!d) {
    d = derive(node, def, ctx);
    if (key !== undefined) ctx.memo!.set(key, d);
  }
  const { attrs, outputs, declared, macs, flops, uncounted } = d;
  const output = outputs[0]!;
  const custom = def.kind === 'custom' ? (attrs as { params?: number; macs?: number; flops?: number; activations?: number; type: string; output_shape?: Shape }) : undefined;

  for (const key of node.tied ? Object.keys(node.tied) : []) {
    if (key !== '*' && !declared.some((w) => w.name === key)) {
      const names = declared.map((w) => `'${w.name}'`).join(', ') || 'none';
      throw new ModelError('spec', `layer '${node.id}' ties '${key}', but it has no weight of that name. Its weights: ${names}.`, { layer: node.id, loc: node.loc });
    }
  }
  // Layers without ties share their weight rows, sums and formulas with the first layer of their signature.
  const rows = (!node.tied && d.rows) || weightRows(node, d, custom, ctx);
  if (!node.tied && key !== undefined) d.rows ??= rows;
  const { weights, params, trainable, buffers, tied, formulas } = rows;

  // A known op may still declare its work uncountable (data-dependent): unknown, with its reason as the note.
  // An opaque op (weights from a file) knows its parameters and nothing of what it computes.
  const opaque = def.opaque === true;
  const knownMacs = !opaque && uncounted === undefined && (!custom || custom.macs !== undefined);
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

  const active = params !== null ? d.active : undefined;
  const layer: Mutable<LayerReport> = {
    name: node.id,
    op: def.kind,
    type: custom ? custom.type : d.type,
    label: node.label ?? d.label ?? def.kind,
    scope: node.scope,
    implicit: !!node.implicit,
    attrs: attrs as Record<string, unknown>,
    inputs: node.inputs,
    inputShapes: d.inputs,
    outputShape: output,
    rf: step(ctx.rfs, d.window, d.inputs, output),
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
