/**
 * @module
 * A Keras model config as a Spec of nncalc's ops, for every format that carries one: `.keras` (Keras 3's
 * config.json), legacy `.h5` (the `model_config` attribute, Keras 1 and 2) and TF.js `model.json` (modelTopology).
 * Sequential and Functional models are read in both serialisations: Keras 2's inbound nodes `[[name, node, tensor,
 * kwargs]]` and Keras 3's `{args, kwargs}` holding `__keras_tensor__` records (docs/formats.md §5).
 *
 * Layers keep their Keras names, and an activation given to a Conv2D or Dense becomes a row of its own named
 * `<layer>_<activation>`, as nncalc's Keras Applications write them, so a file and the zoo's model line up row by row.
 * Keras tensors are channels last; nncalc's are channels first: an image (N, H, W, C) becomes (N, C, H, W), and
 * axes, reshapes and Dense layers over the channels of an image (a 1×1 conv) are translated. A layer nncalc cannot
 * translate is a `KerasUnsupported` error naming it; the format then shows the file's weights instead, or says so.
 */
import { ModelError } from '../errors.js';
import type { OpSpec, Spec } from '../describe/spec.js';
import type { Shape } from '../types.js';
import { KerasUnsupported, kerasLayerOps, type Converted } from './keras-layers.js';

export { KerasUnsupported } from './keras-layers.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new ModelError('file', `keras: ${message}`);

/** One input edge: the producing layer, its call (node) and output index. */
interface Edge {
  readonly layer: string;
  readonly node: number;
  readonly tensor: number;
}

/** Keras 3's `__keras_tensor__` records in a node's args (and kwargs), in order. */
function kerasTensors(v: unknown, out: Edge[], depth = 0): void {
  if (depth > 16) return;
  if (Array.isArray(v)) for (const x of v) kerasTensors(x, out, depth + 1);
  else if (isObj(v)) {
    if (v['class_name'] === '__keras_tensor__' && isObj(v['config'])) {
      const h = v['config']['keras_history'];
      if (Array.isArray(h) && typeof h[0] === 'string') out.push({ layer: h[0], node: Number(h[1] ?? 0), tensor: Number(h[2] ?? 0) });
    } else for (const x of Object.values(v)) kerasTensors(x, out, depth + 1);
  }
}

/** The input edges of a layer's calls: Keras 2 `[[name, node, tensor, kwargs], …]` or Keras 3 `{args, kwargs}`. */
function inboundNodes(layer: Obj, name: string): Edge[][] {
  const nodes = layer['inbound_nodes'];
  if (nodes === undefined) return [];
  if (!Array.isArray(nodes)) throw bad(`layer '${name}': inbound_nodes must be a list`);
  return nodes.map((n) => {
    const edges: Edge[] = [];
    if (isObj(n)) {
      kerasTensors(n['args'], edges);
      if (edges.length === 0) kerasTensors(n['kwargs'], edges);
    } else if (Array.isArray(n)) {
      for (const e of n) {
        if (!Array.isArray(e) || typeof e[0] !== 'string') throw bad(`layer '${name}': an inbound node must list [layer, node, tensor, kwargs]; found ${JSON.stringify(e)?.slice(0, 80)}`);
        edges.push({ layer: e[0], node: Number(e[1] ?? 0), tensor: Number(e[2] ?? 0) });
      }
    } else throw bad(`layer '${name}': an inbound node must be a list or an object`);
    return edges;
  });
}

/** [[name, node, tensor], …] or Keras 3's single [name, node, tensor]. */
function endpoints(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.filter((e): e is unknown[] => Array.isArray(e) && typeof e[0] === 'string').map((e) => e[0] as string);
}

/** A Keras batch shape (None first) as nncalc's: batch 1, an image channels first. Undefined if a size is unknown. */
export function toNncalcShape(batchShape: unknown): Shape | undefined {
  if (!Array.isArray(batchShape) || batchShape.length < 2) return undefined;
  const dims = batchShape.slice(1);
  if (!dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) return undefined;
  const d = dims as number[];
  return d.length === 3 ? [1, d[2]!, d[0]!, d[1]!] : [1, ...d];
}

/** The class name and config of a serialised object (Keras 2 or 3). */
function unwrap(raw: unknown, what: string): { cls: string; config: Obj; raw: Obj } {
  if (!isObj(raw) || typeof raw['class_name'] !== 'string') throw bad(`${what} must be an object with a class_name and a config`);
  return { cls: raw['class_name'], config: isObj(raw['config']) ? raw['config'] : {}, raw };
}

/** The model config inside what a file holds: TF.js wraps it as { model_config }, and Keras ≤ 2.2 Sequential may be a bare list. */
export function modelConfig(json: unknown): { cls: string; config: Obj } {
  let v = json;
  if (isObj(v) && isObj(v['model_config'])) v = v['model_config'];
  const { cls, config, raw } = unwrap(v, 'the model config');
  if (cls === 'Sequential' && Array.isArray(raw['config'])) return { cls, config: { layers: raw['config'] } };
  return { cls, config };
}

/**
 * The Spec of a Keras model config.
 * @example kerasSpec(JSON.parse(configJson), 'model.keras').layers.length
 */
export function kerasSpec(json: unknown, fileName: string): Spec {
  const { cls, config } = modelConfig(json);
  const layers = config['layers'];
  if (!Array.isArray(layers)) throw bad(`the ${cls} config has no list of layers`);
  if (layers.length > 100_000) throw bad(`the config lists ${layers.length} layers`);
  const sequential = cls === 'Sequential';
  if (!sequential && cls !== 'Functional' && cls !== 'Model') throw new KerasUnsupported(String(config['name'] ?? fileName), cls, 'a model class nncalc does not know (a subclassed model keeps its forward pass in code)');
  const specLayers: OpSpec[] = [];
  /** Keras layer → the nncalc row that holds its output, and its rank. */
  const outputs = new Map<string, { id: string; rank: number }>();
  const inputs: { name: string; shape: Shape | undefined; rank: number }[] = [];
  let rank = 0;
  const names = new Set<string>();
  for (const [i, raw] of layers.entries()) {
    const { cls: lcls, config: lc, raw: layer } = unwrap(raw, `layers[${i}]`);
    const name = String(layer['name'] ?? lc['name'] ?? `${lcls.toLowerCase()}_${i}`);
    if (names.has(name)) throw bad(`two layers are named '${name}'`);
    names.add(name);
    const batchShape = lc['batch_shape'] ?? lc['batch_input_shape'];
    if (lcls === 'InputLayer') {
      const shape = toNncalcShape(batchShape);
      const r = Array.isArray(batchShape) ? batchShape.length : 0;
      inputs.push({ name, shape, rank: r });
      outputs.set(name, { id: inputs.length === 1 ? 'input' : name, rank: r });
      rank = r;
      continue;
    }
    if (sequential && specLayers.length === 0 && inputs.length === 0) {
      const shape = toNncalcShape(batchShape ?? (isObj(config['build_input_shape']) ? undefined : config['build_input_shape']));
      const r = Array.isArray(batchShape) ? batchShape.length : 0;
      inputs.push({ name: 'input', shape, rank: r });
      rank = r;
    }
    let from: { id: string; rank: number }[];
    if (sequential) from = specLayers.length || inputs.length ? [{ id: specLayers.at(-1)?.name ?? 'input', rank }] : [];
    else {
      const nodes = inboundNodes(layer, name);
      if (nodes.length !== 1) throw new KerasUnsupported(name, lcls, nodes.length ? `it is called ${nodes.length} times (a shared layer)` : 'it has no inputs');
      from = nodes[0]!.map((e) => {
        const o = outputs.get(e.layer);
        if (!o) throw bad(`layer '${name}' reads '${e.layer}', which is not an earlier layer`);
        if (e.node !== 0 || e.tensor !== 0) throw new KerasUnsupported(name, lcls, `it reads output ${e.tensor} of call ${e.node} of '${e.layer}'`);
        return o;
      });
    }
    if (from.length === 0) throw new KerasUnsupported(name, lcls, 'the model gives it no input (no InputLayer or batch_input_shape)');
    const converted: Converted = kerasLayerOps(name, lcls, lc, from.map((f) => f.rank));
    converted.ops.forEach((o, k) => {
      const wired: OpSpec = { ...o, ...(k === 0 ? (sequential ? {} : { inputs: from.map((f) => f.id) }) : sequential ? {} : { inputs: [converted.ops[k - 1]!.name!] }) };
      specLayers.push(wired);
    });
    rank = converted.rank;
    outputs.set(name, { id: converted.ops.at(-1)!.name!, rank });
  }
  if (specLayers.length === 0) throw bad('the config has no layer after its inputs');
  const outs = sequential ? [] : endpoints(config['output_layers']).map((n) => outputs.get(n)?.id).filter((n): n is string => n !== undefined);
  const extra = inputs.slice(1);
  if (extra.some((x) => !x.shape)) throw new KerasUnsupported(extra.find((x) => !x.shape)!.name, 'InputLayer', 'a second input whose shape is not fully known');
  return {
    name: String(config['name'] ?? fileName),
    ...(inputs[0]?.shape ? { input: inputs[0].shape } : {}),
    ...(extra.length ? { extraInputs: extra.map((x) => ({ name: x.name, shape: x.shape! })) } : {}),
    ...(outs.length > 1 || (outs.length === 1 && outs[0] !== specLayers.at(-1)!.name) ? { outputs: outs } : {}),
    layers: specLayers,
    source: `a Keras ${cls} config`,
    convention: 'keras',
    layout: 'keras',
    notes: ["Keras applies a Conv2D's or Dense's own activation inside the layer; nncalc shows it as a row of its own, named <layer>_<activation>."],
  };
}

/**
 * The Spec of a model config, or — when a layer has no translation and the file holds the weights — a note saying
 * so, so that the weights are shown grouped by layer instead. Without weights the error stands.
 */
export function kerasSpecOr(json: unknown, fileName: string, hasWeights: boolean): { spec?: Spec; notes: string[] } {
  try {
    return { spec: kerasSpec(json, fileName), notes: [] };
  } catch (e) {
    if (!(e instanceof KerasUnsupported) || !hasWeights) throw e;
    return { notes: [`${e.message}, so the model is shown as its weights, grouped by layer: parameters from the file, shapes and MACs unknown.`] };
  }
}

/** A Keras weight path as a tensor name nncalc groups by layer: 'dense_1/kernel:0' → 'dense_1.kernel'. */
export function kerasTensorName(path: string): string {
  const clean = path.replace(/:\d+$/, '');
  const slash = clean.lastIndexOf('/');
  return slash < 0 ? clean : `${clean.slice(0, slash)}.${clean.slice(slash + 1)}`;
}

/** Keras's non-trainable statistics: counted as parameters in Keras's convention, buffers in PyTorch's. */
export const isKerasBuffer = (name: string): boolean => /(^|[./])(moving_mean|moving_variance)$/.test(name.replace(/:\d+$/, ''));
