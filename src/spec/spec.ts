/**
 * @module
 * The Spec: what the user wrote, as plain data. Notation, JSON/YAML files and the zoo all produce Specs,
 * and one builder lowers every Spec to a Graph.
 */
import type { Raw } from '../ops/attrs.js';
import type { Loc, Shape } from '../types.js';

/** One layer: an op kind with its raw attributes. */
export interface OpSpec {
  readonly op: string;
  readonly attrs: Raw;
  /** The module name; unnamed layers are numbered by position, as in PyTorch's nn.Sequential. */
  readonly name?: string;
  /** A label in the paper's vocabulary, when the layer came from notation ('conv3-64'). */
  readonly label?: string;
  /** True for layers added by an implicit notation rule. */
  readonly implicit?: boolean;
  readonly loc?: Loc;
  /** Locations of individual attribute values (YAML/JSON specs keep them). */
  readonly attrLocs?: Readonly<Record<string, Loc>>;
}

/** A named group of layers (a module with children), applied in order. */
export interface BlockSpec {
  readonly block?: string;
  readonly layers: readonly LayerSpec[];
  /** Name children by position (0, 1, 2, …) even if they carry names: PyTorch's nn.Sequential. */
  readonly indexed?: boolean;
  readonly loc?: Loc;
}

export type LayerSpec = OpSpec | BlockSpec;

/** A whole network. */
export interface Spec {
  readonly name: string;
  /** The input shape, batch first: [1, 3, 224, 224]. Undefined when it must come from --input. */
  readonly input?: Shape;
  readonly layers: readonly LayerSpec[];
  /** Where the network comes from, for reports: a paper, torchvision, a file name. */
  readonly source?: string;
  /** The text the Spec was parsed from, for error code frames. */
  readonly text?: string;
  /** Short notes an explanation should mention (the paper's implicit rules). */
  readonly notes?: readonly string[];
}

/** True for an op layer, false for a block. */
export const isOp = (l: LayerSpec): l is OpSpec => 'op' in l;

/** An op layer. */
export function op(kind: string, attrs: Raw = {}, extra: Omit<OpSpec, 'op' | 'attrs'> = {}): OpSpec {
  return { op: kind, attrs, ...extra };
}

/** A named block of layers. */
export function block(name: string | undefined, layers: readonly LayerSpec[], indexed = false): BlockSpec {
  return name === undefined ? { layers, indexed } : { block: name, layers, indexed };
}

/** An nn.Sequential: children named 0, 1, 2, … */
export const seq = (name: string | undefined, layers: readonly LayerSpec[]): BlockSpec => block(name, layers, true);
