/**
 * @module
 * The state of turning an ONNX graph into nncalc's Graph: what each ONNX value is (a layer output, a stored
 * tensor, or known small values), the layers emitted so far, and which layer owns each stored tensor. Every
 * layer is checked by its op's own rules as it is emitted (attributes, output shapes, declared weights), so
 * shapes flow through the graph by nncalc's rules and a stored tensor bound as a weight must have the size
 * the op declares.
 *
 * Parameters: a stored float tensor bound to a layer's weight, or read as data (a `tensor` layer), is counted
 * by the first layer that takes it; later layers that take it again tie to it ('shared'), so it is counted once.
 */
import { ModelError } from '../../errors.js';
import { readAttrs, ruleKey } from '../../ops/attrs.js';
import { ops } from '../../ops/index.js';
import { size } from '../../ops/op.js';
import type { Node, Shape } from '../../types.js';
import type { Known } from './fold.js';
import { layerIds, scopeOf } from './scope.js';
import { isFloat, type OnnxNode, type OnnxTensor } from './types.js';

/** What an ONNX value is, as far as nncalc knows. */
export interface Value {
  /** Its shape, when known. */
  readonly shape: readonly number[] | undefined;
  readonly dtype: number | undefined;
  /** The layer output it is (a temporary reference until the graph is finished), or a graph input's id. */
  readonly ref?: string;
  /** The stored tensor it is: an initializer or Constant, possibly reshaped or transposed on the way. */
  readonly stored?: OnnxTensor;
  /** Its values, for small integer tensors and folded shape computations. */
  readonly known?: Known;
}

/** A layer being built. */
interface Pending {
  readonly kind: string;
  attrs: Record<string, unknown>;
  readonly inputs: string[];
  /** Weights bound to a stored tensor that an earlier layer counts (most layers have none). */
  tied: Record<string, string> | undefined;
  /** Module path and local name (see scope.ts). */
  readonly path: readonly string[];
  readonly local: string;
  readonly outputs: Shape[];
}

const TMP = '\u0001';

/** What an op's rules say of a layer: its output shapes and the weights it declares. */
interface Ruled {
  readonly outputs: Shape[];
  readonly declared: readonly { name: string; shape: Shape }[];
  /** The attributes of the first layer asked about; later layers with the same ones share this record. */
  readonly attrs: Record<string, unknown>;
}

/** The attributes of every layer that has none. */
const NONE: Record<string, unknown> = Object.freeze({});

/** Op kinds whose output has the shape of their (equal-shaped) inputs. */
const SAME_SHAPE = new Set(['relu', 'relu6', 'leaky_relu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'hardswish', 'hardsigmoid', 'softplus', 'mish', 'dropout', 'identity', 'add', 'mul', 'elementwise']);

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The lowering state of one graph. */
export class Lowering {
  readonly values = new Map<string, Value>();
  readonly layers: Pending[] = [];
  /** Stored tensor → the weight that counts it ('<tmp>.weight'). */
  private readonly owners = new Map<OnnxTensor, string>();
  /** Tensors already turned into `tensor` layers, by value. */
  private readonly materialised = new Map<Value, string>();
  /** ONNX node whose layers are being emitted. */
  node: OnnxNode | undefined;
  readonly notes: string[] = [];
  /** The graph's nodes and outputs, whose reads `uses` counts. */
  readers: { readonly nodes: readonly OnnxNode[]; readonly outputs: readonly { readonly name: string }[] } = { nodes: [], outputs: [] };
  private useCounts: Map<string, number> | undefined;

  /** How many nodes and graph outputs read an ONNX value (for fusing a bias into its layer); counted when first asked. */
  uses(name: string): number {
    if (!this.useCounts) {
      const counts = new Map<string, number>();
      for (const n of this.readers.nodes) for (const i of n.inputs) if (i) counts.set(i, (counts.get(i) ?? 0) + 1);
      for (const o of this.readers.outputs) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
      this.useCounts = counts;
    }
    return this.useCounts.get(name) ?? 0;
  }

  /** A ModelError about the current node. */
  fail(message: string, code: 'shape' | 'unsupported' | 'file' = 'unsupported'): ModelError {
    const n = this.node;
    const who = n ? `node '${n.name || n.outputs[0] || '?'}' (${n.opType})` : 'the graph';
    return new ModelError(code, `onnx: ${who}: ${message}${n ? ` (node at byte offset ${n.at})` : ''}`, { layer: n?.name });
  }

  /** The value of an ONNX name, or a ModelError when nothing defines it. */
  get(name: string): Value {
    const v = this.values.get(name);
    if (!v) throw this.fail(`reads '${name}', which no earlier node, initializer or graph input defines (are the nodes in topological order?)`, 'file');
    return v;
  }

  /** True when a stored tensor counts as a parameter wherever it is read as data: a float tensor of more than one element. */
  static learned(v: Value): boolean {
    return !!v.stored && v.dtype !== undefined && isFloat(v.dtype) && v.shape !== undefined && size(v.shape) > 1;
  }

  /** A reference a layer can read: the value's own layer output, or a `tensor` layer holding a stored value. */
  refOf(v: Value): string {
    if (v.ref !== undefined) return v.ref;
    const done = this.materialised.get(v);
    if (done !== undefined) return done;
    if (!v.shape) throw this.fail('reads a constant whose shape is unknown');
    const learned = Lowering.learned(v);
    const local = v.stored?.name || 'Constant';
    const ref = this.emit('tensor', { shape: [...v.shape], learned }, [], learned ? [['weight', v]] : [], local).ref;
    this.materialised.set(v, ref);
    return ref;
  }

  /**
   * Emits one layer: checks its attributes and infers its outputs with the op's rules, binds stored tensors to
   * its weights (checking their sizes), and returns a reference to it with its output shapes.
   */
  emit(kind: string, attrs: Record<string, unknown>, inputs: readonly (Value | string)[], weights: readonly [string, Value][] = [], local?: string): { ref: string; shapes: Shape[] } {
    const def = ops[kind]!;
    const refs = inputs.map((v) => (typeof v === 'string' ? v : this.refOf(v)));
    const shapes = refs.map((r) => this.shapeOfRef(r));
    const n = this.node;
    let outputs: Shape[];
    let declared: Ruled['declared'] = [];
    if (weights.length === 0 && SAME_SHAPE.has(kind) && shapes.length > 0 && !('constant' in attrs) && shapes.every((x) => sameShape(x, shapes[0]!))) {
      // Element-wise layers keep their input's shape (analyze checks their attributes when it runs the op's rules);
      // a 50,000-node graph is mostly these, so they skip a second pass of the rules here.
      outputs = [shapes[0]!];
      if (Object.keys(attrs).length === 0) attrs = NONE;
    } else {
      // Layers that agree in op, attributes and inputs share one attribute record (and analyze asks once).
      ({ outputs, declared, attrs } = this.rules(kind, attrs, shapes, weights.length > 0));
    }
    const index = this.layers.length;
    const ref = `${TMP}${index}`;
    let tied: Record<string, string> | undefined;
    for (const [name, v] of weights) {
      const w = declared.find((d) => d.name === name);
      if (!w || !v.stored || !v.shape) throw new Error(`bug: onnx ${kind} has no weight '${name}' to bind`);
      if (size(w.shape) !== size(v.shape)) {
        throw this.fail(`its ${name} '${v.stored.name}' has shape [${v.shape.join(', ')}] (${size(v.shape)} values), but a ${def.title} with these inputs takes [${w.shape.join(', ')}]`, 'shape');
      }
      const owner = this.owners.get(v.stored);
      if (owner !== undefined) (tied ??= {})[name] = owner;
      else this.owners.set(v.stored, `${ref}.${name}`);
    }
    const scope = n ? scopeOf(n.name, local ?? n.opType) : { path: [], local: local ?? kind };
    this.layers.push({ kind, attrs, inputs: refs, tied, path: scope.path, local: local && n ? local : scope.local, outputs });
    return { ref, shapes: outputs };
  }

  /** The op's rules on a layer: its output shapes and, when `withWeights`, its declared weights; errors name the node. */
  private rules(kind: string, attrs: Record<string, unknown>, shapes: readonly Shape[], withWeights: boolean): Ruled {
    // Layers with the same op, attributes and inputs get the same answer (a graph's repeated blocks): asked once.
    const key = ruleKey(kind, attrs, shapes);
    const memo = withWeights ? this.ruledWithWeights : this.ruled;
    const known = key === undefined ? undefined : memo.get(key);
    if (known) return known;
    const ruled = { ...this.runRules(kind, attrs, shapes, withWeights), attrs: Object.freeze(attrs) };
    if (key !== undefined) memo.set(key, ruled);
    return ruled;
  }
  /** What the rules said, by ruleKey: of layers emitted without weights bound, and with. */
  private readonly ruled = new Map<string, Ruled>();
  private readonly ruledWithWeights = new Map<string, Ruled>();

  private runRules(kind: string, attrs: Record<string, unknown>, shapes: readonly Shape[], withWeights: boolean): Omit<Ruled, 'attrs'> {
    const def = ops[kind]!;
    const n = this.node;
    const layer = n?.name ?? '';
    try {
      const a = readAttrs({ op: kind, raw: attrs, layer }, (r) => def.attrs(r));
      // Weights are declared here only to check the sizes of bound tensors (analyze declares them again).
      return { outputs: def.shape(a, shapes), declared: withWeights ? (def.weights?.(a, shapes, { convention: 'pytorch' }) ?? []) : [] };
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      throw new ModelError(e.code, `onnx: node '${layer || n?.outputs[0] || '?'}' (${n?.opType ?? kind}): ${e.message}${n ? ` (node at byte offset ${n.at})` : ''}`, {
        layer,
        details: [...e.details, `Its inputs: ${shapes.map((s) => `[${s.join(', ')}]`).join(', ') || 'none'}.`],
      });
    }
  }

  /** Adds a bias to a layer emitted earlier (ONNX's MatMul followed by Add), binding the stored tensor. */
  addBias(ref: string, bias: Value): boolean {
    const layer = this.layers[Number(ref.slice(TMP.length))];
    if (!layer || !bias.stored || (layer.kind !== 'linear' && !layer.kind.startsWith('conv')) || layer.attrs['bias'] !== false || !bias.shape) return false;
    // A bias has one value per output channel, on the channel axis: the last for linear, axis 1 for a conv
    // ([C, 1, 1] broadcast onto [N, C, H, W]); every other dimension of it is 1.
    const y = layer.outputs[0]!;
    const axis = layer.kind === 'linear' ? y.length - 1 : 1;
    const at = axis - (y.length - bias.shape.length);
    if (at < 0 || bias.shape[at] !== layer.attrs['out'] || bias.shape.some((d, i) => i !== at && d !== 1)) return false;
    layer.attrs = { ...layer.attrs, bias: true };
    const owner = this.owners.get(bias.stored);
    if (owner !== undefined) (layer.tied ??= {})['bias'] = owner;
    else this.owners.set(bias.stored, `${ref}.bias`);
    return true;
  }

  /** The kind of the layer a reference points at, when it is a layer. */
  kindOf(ref: string): string | undefined {
    return ref.startsWith(TMP) ? this.layers[Number(ref.slice(TMP.length).split(':')[0])]?.kind : undefined;
  }

  /** The shape behind a reference (a layer's output, or a graph input). */
  private shapeOfRef(ref: string): Shape {
    if (ref.startsWith(TMP)) {
      const colon = ref.indexOf(':');
      const s = colon < 0 ? this.layers[Number(ref.slice(TMP.length))]?.outputs[0] : this.layers[Number(ref.slice(TMP.length, colon))]?.outputs[Number(ref.slice(colon + 1))];
      if (s) return s;
    }
    const input = this.inputShapes.get(ref);
    if (input) return input;
    throw new Error(`bug: onnx reference '${ref}' has no shape`);
  }

  /** Graph inputs by id. */
  readonly inputShapes = new Map<string, Shape>();

  /** The layer id of a reference, once finished. */
  idOf(ref: string): string | undefined {
    return this.fixRef?.(ref);
  }
  private fixRef: ((r: string) => string) | undefined;

  /** The finished nodes, with temporary references replaced by layer ids; `outputs` are references too. */
  finish(outputs: readonly string[]): { nodes: Node[]; outputs: string[] } {
    const ids = layerIds(this.layers, new Set(this.inputShapes.keys()));
    // '\u0001<index>' with an optional ':<port>' or '.<weight>' after it.
    const fix = (r: string): string => {
      if (!r.startsWith(TMP)) return r;
      let end = TMP.length;
      while (end < r.length && r.charCodeAt(end) >= 48 && r.charCodeAt(end) <= 57) end++;
      return ids[Number(r.slice(TMP.length, end))]! + r.slice(end);
    };
    // A layer's id without the output port (':1'); a weight's suffix ('.bias') is kept.
    this.fixRef = (r) => {
      if (!r.startsWith(TMP)) return r;
      const colon = r.indexOf(':');
      return fix(colon < 0 ? r : r.slice(0, colon));
    };
    const nodes = this.layers.map((l, i): Node => {
      // The references are fixed in place: nothing is emitted after finish.
      for (let k = 0; k < l.inputs.length; k++) l.inputs[k] = fix(l.inputs[k]!);
      const node: Node = { id: ids[i]!, op: l.kind, attrs: l.attrs, inputs: l.inputs, scope: l.path };
      if (l.tied) (node as { tied?: Record<string, string> }).tied = Object.fromEntries(Object.entries(l.tied).map(([k, v]) => [k, fix(v)]));
      return node;
    });
    return { nodes, outputs: outputs.map(fix) };
  }
}
