/**
 * @module
 * Spec → Graph: checks every op kind exists, names layers by module path (a named block is a scope,
 * unnamed layers are numbered like nn.Sequential), and wires each layer to its inputs: the previous
 * layer by default, the branch input inside parallel branches, or the names a layer lists. A name may be a
 * block's (its output is its last layer's), and `x` is the layer before. `use` calls a layer or block again with
 * its weights shared (relu#2), and the tensors that deferred attributes read (like(skip)) are resolved here.
 */
import { ModelError } from '../errors.js';
import { MAX_LAYERS } from '../limits.js';
import { findOp, ops } from '../ops/index.js';
import { closest, didYouMean, distance } from '../suggest.js';
import type { Graph, Loc, Node, Shape } from '../types.js';
import { Deferred, mapDeferred } from './deferred.js';
import { walk as walkExpr } from './expr.js';
import { checkLayout } from './layout.js';
import { isOp, isParallel, type LayerSpec, type OpSpec, type Spec } from './spec.js';

/** The id of the graph's (first) input. */
export const INPUT = 'input';

/** Where the tensor `ref` is written inside a deferred value, or the whole value. */
function tensorLoc(d: Deferred, ref: string): Loc | undefined {
  let found: { at: number; len: number } | undefined;
  walkExpr(d.expr, (x) => {
    if (!found && x.k === 'name' && (x.v === ref || d.env[x.v] === ref)) found = x;
  });
  return d.locAt(found?.at ?? d.expr.at, found?.len ?? d.expr.len);
}

/**
 * Lowers a Spec to a Graph. `input` overrides the Spec's own input shape.
 * @example build(parseNotation('224x224x3, conv3-64, maxpool'))
 */
export function build(spec: Spec, input?: Shape): Graph {
  const shape = input ?? spec.input;
  if (!shape) {
    throw new ModelError('input', `no input shape for '${spec.name}'. Give one with --input, e.g. --input 224x224x3 (H×W×C) or --input 1,3,224,224.`);
  }
  const inputs = [{ id: INPUT, shape }, ...(spec.extraInputs ?? []).map((i) => ({ id: i.name, shape: i.shape }))];
  const nodes: Node[] = [];
  // A Map while building: a plain object with 100,000 keys is slow to grow.
  const modules = new Map<string, string>();
  const ids = new Set<string>(inputs.map((i) => i.id));
  /** Named blocks: their output, and what they were made from, for `use`. */
  const blocks = new Map<string, { out: string; layer: LayerSpec; scope: readonly string[] }>();
  /** How many times each layer or block has been called. */
  const calls = new Map<string, number>();

  /** A name seen from a scope: 'conv1' inside 'layer1.0' finds 'layer1.0.conv1', then 'layer1.conv1', then 'conv1'. */
  const find = (name: string, scope: readonly string[]): { id: string; block: boolean } | undefined => {
    for (let i = scope.length; i >= 0; i--) {
      const full = [...scope.slice(0, i), name].join('.');
      if (ids.has(full)) return { id: full, block: false };
      if (blocks.has(full)) return { id: full, block: true };
    }
    return undefined;
  };

  /** A reference as written → a node id; a block stands for its output, and `x` for `previous`. */
  const resolve = (ref: string, scope: readonly string[], at: Loc | undefined, id: string, previous: string | undefined): string => {
    const [name, port] = ref.split(':') as [string, string | undefined];
    const found = find(name, scope);
    const target = found?.block ? blocks.get(found.id)!.out : found?.id ?? (name === 'x' && port === undefined ? previous : undefined);
    if (target !== undefined) return port === undefined ? target : `${target}:${port}`;
    throw new ModelError('spec', `layer '${id}' reads '${ref}', which is not an earlier layer, block or input.${didYouMean(name, [...ids, ...blocks.keys()])}`, { loc: at, layer: id });
  };

  /** The node's attributes with the tensors of deferred values resolved. */
  const resolveDeferred = (layer: OpSpec, scope: readonly string[], id: string, first: string | undefined): Readonly<Record<string, unknown>> => {
    if (!Object.values(layer.attrs).some((v) => v instanceof Deferred || Array.isArray(v))) return layer.attrs;
    const resolved = (d: Deferred) => d.resolved(Object.fromEntries(Object.keys(d.tensors).map((t) => [t, resolve(t, scope, tensorLoc(d, t), id, first)])));
    return Object.fromEntries(Object.entries(layer.attrs).map(([k, v]) => [k, mapDeferred(v, resolved)]));
  };

  /** Where each node is in `nodes`. */
  const at = new Map<string, number>();
  const push = (node: Node): string => {
    // Counted here too, so that implicit layers, merges and blocks called again count against the limit.
    if (nodes.length >= MAX_LAYERS) {
      throw new ModelError('spec', `'${spec.name}' builds more than ${MAX_LAYERS.toLocaleString('en-US')} layers (implicit, repeated and reused layers included); nncalc stops there.`, { loc: node.loc, layer: node.id });
    }
    ids.add(node.id);
    at.set(node.id, nodes.length);
    nodes.push(node);
    return node.id;
  };

  const addOp = (layer: OpSpec, scope: readonly string[], local: string | number, defaults: readonly string[]): string => {
    if (layer.use !== undefined) return reuse(layer, scope, defaults);
    let id = [...scope, local].join('.');
    // A number is a position, not a name the user gave: layers of transparent branches share the enclosing scope,
    // so a position already taken moves on to the next free number.
    for (let n = Number(local); typeof local === 'number' && ids.has(id); ) id = [...scope, ++n].join('.');
    let def = findOp(layer.op);
    let attrs = layer.attrs;
    if (!def) {
      // A near-miss of a known op is a typo; anything else is a layer nncalc cannot count, reported as unknown.
      const near = closest(layer.op, Object.keys(ops));
      if (near !== undefined && distance(layer.op.toLowerCase(), near) <= 2) {
        throw new ModelError('spec', `unknown op '${layer.op}'. Did you mean '${near}'?`, { loc: layer.loc, layer: id, details: [`Known ops: ${Object.keys(ops).join(', ')} (each with its names and attributes in docs/ops.md).`] });
      }
      def = ops['custom']!;
      attrs = { type: layer.op, ...layer.attrs };
    }
    if (ids.has(id)) {
      throw new ModelError('spec', `two layers are named '${id}'; layer names must be unique.`, {
        loc: layer.loc,
        layer: id,
        details: [`To call the module '${id}' again, write use: ${String(local)}; its calls are named ${id}#2, ${id}#3, …`],
      });
    }
    const from = layer.inputs ? layer.inputs.map((r) => resolve(r, scope, layer.loc, id, defaults[0])) : defaults;
    return push({
      id,
      op: def.kind,
      attrs: resolveDeferred({ ...layer, attrs }, scope, id, from[0]),
      inputs: from,
      scope,
      ...(layer.label !== undefined ? { label: layer.label } : {}),
      ...(layer.implicit ? { implicit: true } : {}),
      ...(layer.loc ? { loc: layer.loc } : {}),
      ...(layer.attrLocs ? { attrLocs: layer.attrLocs } : {}),
      ...(layer.tied ? { tied: layer.tied } : {}),
      ...(layer.role ? { role: layer.role } : {}),
      ...(layer.rule ? { rule: layer.rule } : {}),
    });
  };

  /** `use: target`: the layer or block called once more, named target#2, target#3, …, its weights shared. */
  const reuse = (layer: OpSpec, scope: readonly string[], defaults: readonly string[]): string => {
    const target = layer.use!;
    const found = find(target, scope);
    if (!found) {
      throw new ModelError('spec', `'use: ${target}' names no earlier layer or block.${didYouMean(target, [...ids, ...blocks.keys()])}`, { loc: layer.loc });
    }
    const k = (calls.get(found.id) ?? 1) + 1;
    calls.set(found.id, k);
    const id = `${found.id}#${k}`;
    const from = layer.inputs ? layer.inputs.map((r) => resolve(r, scope, layer.loc, id, defaults[0])) : defaults;
    if (!found.block) {
      const original = nodes[at.get(found.id)!]!;
      return push({ ...original, id, inputs: from, tied: { '*': found.id }, ...(layer.loc ? { loc: layer.loc } : {}) });
    }
    // A block again: its layers lowered under the new name, each sharing the weights of its counterpart.
    const b = blocks.get(found.id)!;
    const first = nodes.length;
    const out = lower(b.layer, b.scope, id.slice(id.lastIndexOf('.') + 1), 0, from[0]!);
    for (let i = first; i < nodes.length; i++) {
      const n = nodes[i]!;
      nodes[i] = { ...n, tied: { '*': found.id + n.id.slice(id.length) } };
    }
    return out;
  };

  /** Lowers a list of layers reading `previous`; returns the id of the last output. */
  const walk = (layers: readonly LayerSpec[], scope: readonly string[], indexed: boolean, previous: string): string => {
    layers.forEach((layer, index) => {
      previous = lower(layer, scope, indexed ? String(index) : undefined, index, previous);
    });
    return previous;
  };

  const lower = (layer: LayerSpec, scope: readonly string[], forced: string | undefined, index: number, previous: string): string => {
    if (isOp(layer)) return addOp(layer, scope, forced ?? layer.name ?? index, [previous]);
    if (isParallel(layer)) {
      // Branches are transparent: their layers are named in the enclosing scope unless a branch is a named block.
      const outs = layer.parallel.map((branch, b) => lower(branch, scope, undefined, b, previous));
      return addOp(layer.merge, scope, forced ?? layer.merge.name ?? index, outs);
    }
    const name = forced ?? layer.block;
    if (name === undefined) return walk(layer.layers, scope, layer.indexed ?? false, previous);
    const inner = [...scope, name];
    const path = inner.join('.');
    modules.set(path, layer.type ?? (layer.indexed ? 'Sequential' : 'Module'));
    const out = walk(layer.layers, inner, layer.indexed ?? false, previous);
    blocks.set(path, { out, layer, scope });
    return out;
  };

  const last = walk(spec.layers, [], false, INPUT);
  const outputs = spec.outputs?.map((o, i) => {
    const [name, port] = o.split(':') as [string, string | undefined];
    const found = find(name, []);
    if (!found) throw new ModelError('spec', `output '${o}' is not a layer or block of the network.${didYouMean(name, [...ids, ...blocks.keys()])}`, { loc: spec.outputLocs?.[i] });
    const id = found.block ? blocks.get(found.id)!.out : found.id;
    return port === undefined ? id : `${id}:${port}`;
  }) ?? [last];
  const training = spec.trainingOutputs?.map((o) => {
    if (!ids.has(o.split(':')[0]!)) throw new ModelError('spec', `output '${o}' is not a layer of the network.${didYouMean(o, ids)}`);
    return o;
  });
  const graph = { name: spec.name, inputs, nodes, outputs, ...(training?.length ? { trainingOutputs: training } : {}), modules: Object.fromEntries(modules) };
  if (spec.inputLayout) checkLayout(graph, INPUT, spec.inputLayout);
  return graph;
}
