/**
 * @module
 * An ONNX graph → nncalc's Graph. Graph inputs take their declared shapes, with symbolic dimensions bound from
 * the options (else taken as 1, with a note); initializers and Constants are stored values; each node either
 * folds (shape arithmetic, Identity, a weight reshaped before use), maps onto nncalc's ops (map-nn.ts,
 * map-tensor.ts), or becomes a custom layer whose numbers are unknown. Declared value_info shapes give the
 * output of nodes nncalc cannot infer and are compared with the ones it infers.
 */
import { ModelError } from '../../errors.js';
import { size } from '../../ops/op.js';
import type { Graph, Shape } from '../../types.js';
import type { ReadOptions } from '../format.js';
import { NodeView } from './attrs.js';
import { fold, storedValue } from './constants.js';
import { Lowering, type Value } from './lowering.js';
import { customNode } from './map-custom.js';
import * as nn from './map-nn.js';
import * as t from './map-tensor.js';
import { findPatterns, type Pattern } from './patterns.js';
import type { OnnxDim, OnnxModel, OnnxValueInfo } from './types.js';

type Mapper = (v: NodeView, declared: readonly number[] | undefined) => Value[] | undefined;

const ACTIVATIONS: Readonly<Record<string, string>> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  HardSwish: 'hardswish',
  HardSigmoid: 'hardsigmoid',
  Softplus: 'softplus',
  Mish: 'mish',
  Gelu: 'gelu',
};

const ARITH = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mod', 'Sum', 'Mean', 'Where', 'Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'And', 'Or', 'Xor'];
const UNARY = ['Erf', 'Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos', 'Tan', 'Sign', 'Not', 'Selu', 'Celu', 'Softsign', 'ThresholdedRelu', 'Sinh', 'Cosh', 'Atan', 'Asin', 'Acos'];

/** ONNX op type → its mapping onto nncalc's ops. */
const MAP: Readonly<Record<string, Mapper>> = {
  Conv: nn.conv,
  ConvTranspose: nn.convTranspose,
  Gemm: nn.gemm,
  MatMul: nn.matmul,
  BatchNormalization: nn.batchNorm,
  LayerNormalization: nn.layerNorm,
  InstanceNormalization: nn.instanceNorm,
  MaxPool: nn.pool('max'),
  AveragePool: nn.pool('avg'),
  GlobalAveragePool: nn.globalPool('avg'),
  GlobalMaxPool: nn.globalPool('max'),
  ...Object.fromEntries(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp'].map((k) => [k, nn.reduceNode])),
  Clip: nn.clip,
  Softmax: nn.softmax,
  PRelu: nn.prelu,
  Resize: nn.resize,
  Upsample: nn.resize,
  LeakyRelu: nn.activation('leaky_relu', (v) => ({ negative_slope: v.float('alpha', 0.01) })),
  Elu: nn.activation('elu', (v) => ({ alpha: v.float('alpha', 1) })),
  ...Object.fromEntries(Object.entries(ACTIVATIONS).map(([k, kind]) => [k, nn.activation(kind)])),
  ...Object.fromEntries([...ARITH, ...UNARY].map((k) => [k, t.arith])),
  Concat: t.concatNode,
  Reshape: t.reshape,
  Flatten: t.flattenNode,
  Transpose: t.transposeNode,
  Squeeze: t.squeezeNode(false),
  Unsqueeze: t.squeezeNode(true),
  Gather: t.gatherNode,
  Slice: t.sliceNode,
  Pad: t.padNode,
  Split: t.splitNode,
  DepthToSpace: t.depthSpace(true),
  SpaceToDepth: t.depthSpace(false),
  Dropout: t.dropoutNode,
};

/** A lowered graph, with what each ONNX value turned out to be. */
export interface Lowered {
  readonly graph: Graph;
  /** Every ONNX value nncalc gave a shape to, by name (what a test compares with onnx.shape_inference). */
  readonly values: ReadonlyMap<string, Value>;
  /** The layer id each ONNX value is an output of. */
  readonly layerOf: ReadonlyMap<string, string>;
  readonly notes: string[];
  /** Nodes that made no layer (Constants, shape arithmetic, Identity). */
  readonly folded: number;
  /** Stored tensors read by more than one layer. */
  readonly shared: number;
}

/** Resolves declared dimensions: symbols from `bind`, else 1 (recorded in `assumed`). */
function dimsOf(info: OnnxValueInfo, bind: Readonly<Record<string, number>>, assumed: Map<string, string>): number[] | undefined {
  return info.shape?.map((d: OnnxDim) => {
    if (typeof d === 'number') return d;
    if (d !== null && bind[d] !== undefined) return bind[d]!;
    const key = d ?? `dimension of '${info.name}'`;
    if (!assumed.has(key)) assumed.set(key, info.name);
    return 1;
  });
}

/** One layer for a recognised pattern (GELU, LayerNorm written out), or undefined when its input or weights do not fit. */
function fuse(m: Lowering, p: Pattern): Value | undefined {
  const x = m.values.get(p.input);
  if (!x?.shape || x.ref === undefined) return undefined;
  if (p.kind === 'gelu') {
    const { ref, shapes } = m.emit('gelu', {}, [x]);
    return { ref, shape: shapes[0]!, dtype: x.dtype };
  }
  const dims = p.dims!;
  const normalised = x.shape.slice(x.shape.length - dims);
  const weights: [string, Value][] = [];
  for (const [name, tensor] of [['weight', p.weight], ['bias', p.bias]] as const) {
    const w = tensor ? m.values.get(tensor) : undefined;
    if (tensor && (!w?.stored || !w.shape || w.shape.length > dims || w.shape.join() !== normalised.slice(dims - w.shape.length).join() || size(w.shape) !== size(normalised))) return undefined;
    if (w) weights.push([name, w]);
  }
  const attrs = { dims, eps: p.eps ?? 1e-5, elementwise_affine: !!p.weight, bias: !!p.bias };
  const { ref, shapes } = m.emit('layernorm', attrs, [x], weights);
  return { ref, shape: shapes[0]!, dtype: x.dtype };
}

/** Lowers the model's main graph. */
export function lowerModel(model: OnnxModel, options: ReadOptions = {}): Lowered {
  const g = model.graph!;
  const m = new Lowering();
  const opset = model.opsets.find((o) => o.domain === '')?.version;
  if (opset === undefined) m.notes.push('The file imports no default-domain opset; nncalc read its ops as opset 13.');
  const bind = options.bind ?? {};
  const assumed = new Map<string, string>();
  for (const init of [...g.initializers, ...g.sparseInitializers]) m.values.set(init.name, storedValue(init));
  m.readers = g;

  const inputs: { id: string; shape: Shape }[] = [];
  for (const info of g.inputs) {
    if (m.values.has(info.name)) continue; // an initializer listed as an input (IR ≤ 3): an overridable default, not an input
    let shape = dimsOf(info, bind, assumed);
    if (inputs.length === 0 && options.input) {
      if (shape && shape.length !== options.input.length) {
        throw new ModelError('input', `onnx: the input '${info.name}' has ${shape.length} dimensions, but the shape given has ${options.input.length} ([${options.input.join(', ')}]).`);
      }
      shape = [...options.input];
    }
    if (!shape) throw new ModelError('unsupported', `onnx: the graph input '${info.name}' declares no shape; give one with --input.`);
    if (options.batch !== undefined && shape.length > 0) shape = [options.batch, ...shape.slice(1)];
    inputs.push({ id: info.name, shape });
    m.inputShapes.set(info.name, shape);
    m.values.set(info.name, { ref: info.name, shape, dtype: info.elemType });
  }
  if (inputs.length === 0) throw new ModelError('unsupported', 'onnx: the graph has no inputs besides its initializers, so there is nothing to analyse.');

  // Declared shapes are used when every symbol in them is bound (or was taken as 1 on an input).
  const declaredShapes = new Map<string, readonly number[]>();
  for (const list of [g.valueInfo, g.outputs]) {
    for (const info of list) {
      const shape = info.shape;
      if (!shape) continue;
      // Most declared shapes are all numbers (a torch export's, after shape inference): kept as they are.
      if (shape.every((x) => typeof x === 'number')) declaredShapes.set(info.name, shape as readonly number[]);
      else if (shape.every((x) => typeof x === 'number' || (x !== null && (bind[x] !== undefined || assumed.has(x))))) declaredShapes.set(info.name, dimsOf(info, bind, assumed)!);
    }
  }
  const declared = (name: string) => declaredShapes.get(name);
  const mismatches: string[] = [];
  let folded = 0;
  const { byFirst, skip } = findPatterns(g);
  for (const n of g.nodes) {
    if (skip.has(n)) continue;
    m.node = n;
    const pattern = byFirst.get(n);
    if (pattern) {
      const value = fuse(m, pattern);
      if (value) {
        // The group's inner values are read by nothing else; their shapes are recorded for comparison only.
        const reduced = value.shape!.map((d, i) => (i >= value.shape!.length - (pattern.dims ?? 0) ? 1 : d));
        for (const node of pattern.nodes) {
          const inner = node.opType === 'ReduceMean' || (node.opType === 'Add' && node === pattern.nodes[4]) || node.opType === 'Sqrt';
          m.values.set(node.outputs[0]!, { shape: pattern.kind === 'layernorm' && inner ? reduced : value.shape, dtype: value.dtype });
        }
        m.values.set(pattern.output, value);
        continue;
      }
      for (const k of pattern.nodes.slice(1)) skip.delete(k);
    }
    const version = n.domain === '' ? (opset ?? 13) : (model.opsets.find((o) => o.domain === n.domain)?.version ?? 1);
    const v = new NodeView(m, n, version);
    let outs: (Value | undefined)[] | undefined;
    // The declared shape of the first output, which a mapping may use and the check below compares.
    const first = declared(n.outputs[0] ?? '');
    if (n.domain === '') {
      outs = fold(v);
      if (outs) folded++;
      else outs = MAP[n.opType]?.(v, first);
    }
    outs ??= customNode(v, declared);
    for (let i = 0; i < n.outputs.length; i++) {
      const name = n.outputs[i];
      const value = outs[i];
      if (!name || !value) continue;
      const d = i === 0 ? first : declared(name);
      if (d && value.shape && (d.length !== value.shape.length || d.some((x, k) => x !== value.shape![k]))) {
        mismatches.push(`'${name}' (${n.opType}): the file declares [${d.join(', ')}], nncalc infers [${value.shape.join(', ')}]`);
      }
      m.values.set(name, value);
    }
  }
  m.node = undefined;
  const outputs = g.outputs.map((o) => m.refOf(m.get(o.name)));
  const { nodes, outputs: outIds } = m.finish(outputs);
  const notes = [...m.notes];
  for (const [symbol, input] of assumed) notes.push(`The dimension '${symbol}' of '${input}' is symbolic and was not given; nncalc took it as 1 (set it with --bind ${symbol.includes(' ') ? 'NAME' : symbol}=N or --input).`);
  if (mismatches.length) notes.push(`value_info disagrees with nncalc's shapes for ${mismatches.length} value(s): ${mismatches.slice(0, 3).join('; ')}${mismatches.length > 3 ? '; …' : ''}.`);
  const shared = new Set(nodes.flatMap((node) => Object.values(node.tied ?? {}))).size;
  let layerOf: Map<string, string> | undefined;
  return {
    graph: { name: g.name || 'onnx', inputs, nodes, outputs: outIds },
    values: m.values,
    // Built when first asked (tests compare it with onnx): a report never needs it.
    get layerOf() {
      if (!layerOf) {
        layerOf = new Map();
        for (const [name, value] of m.values) {
          const id = value.ref !== undefined && !m.inputShapes.has(value.ref) ? m.idOf(value.ref) : undefined;
          if (id !== undefined) layerOf.set(name, id);
        }
      }
      return layerOf;
    },
    notes,
    folded,
    shared,
  };
}
