/**
 * @module
 * Spec → Graph: checks every op kind exists, names layers by module path (a named block is a scope,
 * unnamed layers are numbered like nn.Sequential), and wires each layer to its inputs: the previous
 * layer by default, the branch input inside parallel branches, or the names a layer lists.
 */
import { ModelError } from '../errors.js';
import { MAX_LAYERS } from '../limits.js';
import { findOp, ops } from '../ops/index.js';
import { closest, didYouMean, distance } from '../suggest.js';
import type { Graph, Node, Shape } from '../types.js';
import { isOp, isParallel, type LayerSpec, type OpSpec, type Spec } from './spec.js';

/** The id of the graph's (first) input. */
export const INPUT = 'input';

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
  const modules: Record<string, string> = {};
  const ids = new Set<string>(inputs.map((i) => i.id));

  /** A reference as written → a node id: 'conv1' inside 'layer1.0' finds 'layer1.0.conv1', then 'layer1.conv1', then 'conv1'. */
  const resolve = (ref: string, scope: readonly string[], layer: OpSpec, id: string): string => {
    const [name, port] = ref.split(':') as [string, string | undefined];
    for (let i = scope.length; i >= 0; i--) {
      const full = [...scope.slice(0, i), name].join('.');
      if (ids.has(full)) return port === undefined ? full : `${full}:${port}`;
    }
    throw new ModelError('spec', `layer '${id}' reads '${ref}', which is not an earlier layer or an input.${didYouMean(name, ids)}`, {
      loc: layer.loc,
      layer: id,
    });
  };

  const addOp = (layer: OpSpec, scope: readonly string[], local: string | number, defaults: readonly string[]): string => {
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
        throw new ModelError('spec', `unknown op '${layer.op}'. Did you mean '${near}'?`, { loc: layer.loc, layer: id, details: [`Known ops: ${Object.keys(ops).join(', ')}.`] });
      }
      def = ops['custom']!;
      attrs = { type: layer.op, ...layer.attrs };
    }
    if (ids.has(id)) throw new ModelError('spec', `two layers are named '${id}'; layer names must be unique.`, { loc: layer.loc, layer: id });
    if (nodes.length >= MAX_LAYERS) {
      throw new ModelError('spec', `'${spec.name}' builds more than ${MAX_LAYERS.toLocaleString('en-US')} layers (implicit layers included); nncalc stops there.`, { loc: layer.loc, layer: id });
    }
    const from = layer.inputs ? layer.inputs.map((r) => resolve(r, scope, layer, id)) : defaults;
    ids.add(id);
    nodes.push({
      id,
      op: def.kind,
      attrs,
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
    return id;
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
    const inner = name === undefined ? scope : [...scope, name];
    if (name !== undefined) modules[inner.join('.')] = layer.type ?? (layer.indexed ? 'Sequential' : 'Module');
    return walk(layer.layers, inner, layer.indexed ?? false, previous);
  };

  const last = walk(spec.layers, [], false, INPUT);
  const known = (o: string) => {
    if (!ids.has(o.split(':')[0]!)) throw new ModelError('spec', `output '${o}' is not a layer of the network.${didYouMean(o, ids)}`);
    return o;
  };
  const outputs = spec.outputs?.map(known) ?? [last];
  const training = spec.trainingOutputs?.map(known);
  return { name: spec.name, inputs, nodes, outputs, ...(training?.length ? { trainingOutputs: training } : {}), modules };
}
