/**
 * @module
 * The Spec: what the user wrote, as plain data. Notation, JSON/YAML files and the zoo all produce Specs,
 * and one builder lowers every Spec to a Graph.
 */
import type { Convention, ShapeLayout } from '../analyze/report.js';
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
  /**
   * Where its inputs come from, when not simply the previous layer: layer names (resolved from the
   * enclosing block outwards, or a full path), an input's name, and `name:1` for a layer's second output.
   */
  readonly inputs?: readonly string[];
  /** Weights shared with another layer and counted once: { weight: 'transformer.wte.weight' }, or { '*': 'layers.0' }. */
  readonly tied?: Readonly<Record<string, string>>;
  /** The layer's role in a transformer: 'embeddings', 'attention', 'mlp', 'experts', 'norms', 'head'. */
  readonly role?: string;
  /**
   * A module called again (`use: relu`): the layer or block at this reference, applied once more with its weights
   * shared. Build names the call after it (relu#2) and ignores `op`.
   */
  readonly use?: string;
  /**
   * The notation's implicit rule that added this layer or set its attributes: 'relu', 'flatten', 'batchnorm'
   * (added layers), 'padding-same', 'padding-valid' (a conv's padding), 'pool' (a maxpool's default 2×2, stride 2).
   * The explanation states each rule with the numbers of the layers it shaped.
   */
  readonly rule?: string;
}

/** A named group of layers (a module with children), applied in order. */
export interface BlockSpec {
  readonly block?: string;
  readonly layers: readonly LayerSpec[];
  /** Name children by position (0, 1, 2, …) even if they carry names: PyTorch's nn.Sequential. */
  readonly indexed?: boolean;
  /** The module's class name, shown when the table is collapsed to this depth: 'BasicBlock'. */
  readonly type?: string;
  readonly loc?: Loc;
}

/**
 * Branches that all read the same tensor, joined by a merge layer (add, concat, mul).
 * A branch with no layers passes its input through: a residual connection is
 * `parallel([body, []], add)`, a squeeze-and-excitation gate `parallel([gate, []], mul)`.
 */
export interface ParallelSpec {
  readonly parallel: readonly LayerSpec[];
  readonly merge: OpSpec;
  readonly loc?: Loc;
}

export type LayerSpec = OpSpec | BlockSpec | ParallelSpec;

/** How far a sequence model's positions reach. */
export interface Positions {
  /** Positions in the learned table (BERT's 512, GPT-2's 1,024) or the trained context (Llama 2's 4,096). */
  readonly max: number;
  /** 'learned': a table of position embeddings, which has no row past `max`; 'rotary': rotary positions, which extend past it untrained. */
  readonly kind: 'learned' | 'rotary';
  /** Where `max` comes from: 'max_position_embeddings'. */
  readonly key: string;
}

/** A whole network. */
export interface Spec {
  readonly name: string;
  /** The input shape, batch first: [1, 3, 224, 224]. Undefined when it must come from --input. */
  readonly input?: Shape;
  /** The input dimension that `--seq` sets (1 for token ids [N, seq]); absent when the model has no sequence. */
  readonly seqAxis?: number;
  /** Further named inputs, for networks with more than one (layers reach them through `inputs`). */
  readonly extraInputs?: readonly { readonly name: string; readonly shape: Shape }[];
  /** The layers or blocks whose outputs are the network's outputs. Default: the last layer. */
  readonly outputs?: readonly string[];
  /** Where each of `outputs` is written, for errors. */
  readonly outputLocs?: readonly Loc[];
  /** What the main input's dimensions are ('NLC', 'LNC', …), when the spec declares it. */
  readonly inputLayout?: string;
  /** The input dimension that `--batch` sets; 0 unless the layout puts the batch elsewhere. */
  readonly batchAxis?: number;
  /**
   * Outputs computed only in training (Inception's auxiliary classifier, a segmentation model's aux head). The layers
   * that only they need count their parameters, but not the MACs, FLOPs or activations of inference.
   */
  readonly trainingOutputs?: readonly string[];
  /** The position table or trained context of a sequence model: --seq beyond a learned table is an error, beyond a rotary context a warning. */
  readonly positions?: Positions;
  readonly layers: readonly LayerSpec[];
  /** Where the network comes from, for reports: a paper, torchvision, a file name. */
  readonly source?: string;
  /** The text the Spec was parsed from, for error code frames. */
  readonly text?: string;
  /** Short notes an explanation should mention (the notation's rules that were switched off, a zoo model's departures). */
  readonly notes?: readonly string[];
  /** Dense evaluation (VGG §3.2): the FC layers after the flatten are applied as convolutions (notation: FC-conv). */
  readonly dense?: boolean;
  /** The convention to count in unless the caller picks one (Keras's models: 'keras'). */
  readonly convention?: Convention;
  /** How tables show its shapes (Keras's models: 'keras', channels last with a None batch). */
  readonly layout?: ShapeLayout;
  /** Why the totals are only approximate (an architecture assumed for a source nncalc does not know); absent: exact. */
  readonly approximate?: string;
}

/** True for an op layer. */
export const isOp = (l: LayerSpec): l is OpSpec => 'op' in l;

/** True for parallel branches. */
export const isParallel = (l: LayerSpec): l is ParallelSpec => 'parallel' in l;

/** An op layer. */
export function op(kind: string, attrs: Raw = {}, extra: Omit<OpSpec, 'op' | 'attrs'> = {}): OpSpec {
  return { op: kind, attrs, ...extra };
}

/** A named block of layers (a module); without a name the layers join the enclosing scope. */
export function block(name: string | undefined, layers: readonly LayerSpec[], indexed = false): BlockSpec {
  return name === undefined ? { layers, indexed } : { block: name, layers, indexed };
}

/** Branches reading the same input, joined by `merge`. */
export const parallel = (branches: readonly (LayerSpec | readonly LayerSpec[])[], merge: OpSpec): ParallelSpec => ({
  parallel: branches.map((b) => (Array.isArray(b) ? block(undefined, b as readonly LayerSpec[]) : (b as LayerSpec))),
  merge,
});

/** `body(x) + shortcut(x)`, the shortcut being the identity unless given. */
export const residual = (body: readonly LayerSpec[], merge: OpSpec = op('add'), shortcut: readonly LayerSpec[] = []): ParallelSpec =>
  parallel([body, shortcut], merge);

/** `n` copies of a block, named 0 … n−1 like the layers of a torchvision stage (layer1.0, layer1.1). */
export const repeat = (name: string | undefined, n: number, make: (i: number) => readonly LayerSpec[]): BlockSpec =>
  seq(name, Array.from({ length: n }, (_, i) => block(undefined, make(i))));

/** An nn.Sequential: children named 0, 1, 2, … */
export const seq = (name: string | undefined, layers: readonly LayerSpec[]): BlockSpec => block(name, layers, true);
