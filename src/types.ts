/**
 * @module
 * The shared vocabulary: shapes, weights, locations, graph nodes.
 * Everything here is plain JSON-able data.
 */

import type { Count } from './count.js';

/** A concrete tensor shape, batch first (N, C, H, W for images); [] in a report means the shape is unknown. */
export type Shape = readonly number[];

/** A named parameter tensor declared by an op. */
export interface Weight {
  /** 'weight', 'bias', 'running_mean', … (PyTorch's names). */
  readonly name: string;
  readonly shape: Shape;
  /** Names of the dimensions in shape order, for explanations: ['c_out', 'c_in', 'k_h', 'k_w']. */
  readonly dims?: readonly string[];
  /** How its element count is explained, in the order a teacher writes it: k·k·c_in·c_out. */
  readonly count?: Count;
  /** False for fixed, non-learned parameters (LeNet-5's RBF prototypes). Default true. */
  readonly trainable?: boolean;
  /**
   * A running statistic (BatchNorm's mean and variance). PyTorch keeps these as buffers, not parameters;
   * Keras counts them as non-trainable parameters. The convention option decides.
   */
  readonly buffer?: boolean;
  /** The storage type a model file declares ('BF16', 'Q4_K'); absent for weights nncalc derives. */
  readonly dtype?: string;
  /** Bytes of storage the file declares (block-quantised types included). */
  readonly bytes?: number;
}

/** Where something came from, so errors can point at it. */
export type Loc =
  | { readonly kind: 'text'; readonly offset: number; readonly length: number; readonly source?: string }
  | { readonly kind: 'path'; readonly path: readonly (string | number)[] };

/** One operation in the graph. */
export interface Node {
  /** Unique, human, module-path name: 'features.0', 'classifier.6'. */
  readonly id: string;
  /** Key into the op table: 'conv2d'. */
  readonly op: string;
  /** Attributes as written; analyze() validates and normalises them with the op's attrs(). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Producer node ids; a graph input's id for the first layer. */
  readonly inputs: readonly string[];
  /** Module path of the enclosing blocks: ['features']. */
  readonly scope: readonly string[];
  /** A short label in the paper's vocabulary: 'conv3-64', 'FC-4096'. */
  readonly label?: string;
  /** True for layers the notation added by rule (the ReLU after a conv). */
  readonly implicit?: boolean;
  readonly loc?: Loc;
  /** Locations of individual attribute values, for errors. */
  readonly attrLocs?: Readonly<Record<string, Loc>>;
  /**
   * Weights this layer shares with another layer, counted once (GPT-2's lm_head uses wte's matrix):
   * weight name → 'layer.weight', or '*' → 'layer' for a module applied twice.
   */
  readonly tied?: Readonly<Record<string, string>>;
  /** What the layer does in a transformer, for the role breakdown: 'embeddings', 'attention', 'mlp', … */
  readonly role?: string;
  /** The notation's implicit rule that added the layer or set its attributes ('relu', 'padding-same', …). */
  readonly rule?: string;
}

/** The intermediate representation: nodes in topological order. */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly { readonly id: string; readonly shape: Shape }[];
  readonly nodes: readonly Node[];
  readonly outputs: readonly string[];
  /** Outputs computed only in training (auxiliary heads): layers only they need are training-only. */
  readonly trainingOutputs?: readonly string[];
  /** Class names of modules (blocks) by path, for collapsed tables: { 'layer1.0': 'BasicBlock' }. */
  readonly modules?: Readonly<Record<string, string>>;
}
