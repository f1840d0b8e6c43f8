/**
 * @module
 * Spec → Graph: checks every op kind exists, names layers by module path
 * (blocks become scopes, unnamed layers are numbered like nn.Sequential) and links each layer to the previous one.
 */
import { ModelError } from '../errors.js';
import { findOp, ops } from '../ops/index.js';
import { didYouMean } from '../suggest.js';
import type { Graph, Node, Shape } from '../types.js';
import { isOp, type LayerSpec, type Spec } from './spec.js';

/** The id of the graph's input. */
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
  const nodes: Node[] = [];
  const ids = new Set<string>([INPUT]);
  let previous = INPUT;

  const walk = (layers: readonly LayerSpec[], scope: readonly string[], indexed: boolean) => {
    layers.forEach((layer, index) => {
      const own = isOp(layer) ? layer.name : layer.block;
      const local = indexed || own === undefined ? String(index) : own;
      if (!isOp(layer)) {
        walk(layer.layers, [...scope, local], layer.indexed ?? false);
        return;
      }
      const id = [...scope, local].join('.');
      const def = findOp(layer.op);
      if (!def) {
        throw new ModelError('spec', `unknown op '${layer.op}'.${didYouMean(layer.op, Object.keys(ops))}`, {
          loc: layer.loc,
          layer: id,
          details: [`Known ops: ${Object.keys(ops).join(', ')}.`],
        });
      }
      if (ids.has(id)) throw new ModelError('spec', `two layers are named '${id}'; layer names must be unique.`, { loc: layer.loc, layer: id });
      ids.add(id);
      nodes.push({
        id,
        op: def.kind,
        attrs: layer.attrs,
        inputs: [previous],
        scope,
        ...(layer.label !== undefined ? { label: layer.label } : {}),
        ...(layer.implicit ? { implicit: true } : {}),
        ...(layer.loc ? { loc: layer.loc } : {}),
        ...(layer.attrLocs ? { attrLocs: layer.attrLocs } : {}),
      });
      previous = id;
    });
  };
  walk(spec.layers, [], false);
  return { name: spec.name, inputs: [{ id: INPUT, shape }], nodes, outputs: [previous] };
}
