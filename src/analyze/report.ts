/**
 * @module
 * The Report: plain data, versioned by `schema`, so `--format json` is the report itself.
 * Documented field by field in docs/json-schema.md.
 */
import type { ShapeNote } from '../ops/op.js';
import type { Shape } from '../types.js';
import type { Count } from '../count.js';
import type { Int } from '../int.js';
import type { ReceptiveField } from './receptive-field.js';

/** The JSON schema version; bumped when a field changes meaning or disappears. */
export const SCHEMA = 1;

/** PyTorch keeps BatchNorm running statistics as buffers; Keras counts them as non-trainable parameters. */
export type Convention = 'pytorch' | 'keras';

/**
 * How tables show shapes, when not as the report holds them (batch first, channels first: [1, 64, 112, 112]):
 * 'keras' channels last with a None batch, as Keras's model.summary() prints them, (None, 112, 112, 64);
 * 'channels-last' the same with the batch size, (8, 112, 112, 64). Only the display changes.
 */
export type ShapeLayout = 'keras' | 'channels-last';

/** One parameter tensor of a layer. */
export interface WeightReport {
  readonly name: string;
  readonly shape: Shape;
  readonly count: Int;
  readonly trainable: boolean;
  /** True for running statistics (buffers in PyTorch, non-trainable parameters in Keras). */
  readonly buffer: boolean;
  /** The weight this one is, when shared with another layer ('transformer.wte.weight'): not counted again. */
  readonly tiedTo?: string;
  readonly formula?: Count;
  /** The storage type the model file declares ('BF16', 'Q4_K'), for weights read from a file. */
  readonly dtype?: string;
  /** Bytes of storage the file declares. */
  readonly bytes?: number;
}

/** One layer's numbers, with the formulas they came from. */
export interface LayerReport {
  /** Module path: 'features.0'. */
  readonly name: string;
  /** Op kind: 'conv2d'. */
  readonly op: string;
  /** PyTorch class name: 'Conv2d'. */
  readonly type: string;
  /** Paper-style label: 'conv3-64'. */
  readonly label: string;
  readonly scope: readonly string[];
  readonly implicit: boolean;
  readonly attrs: Readonly<Record<string, unknown>>;
  /** The layers (or network inputs) it reads, by name; 'name:1' is a layer's second output. */
  readonly inputs: readonly string[];
  readonly inputShapes: readonly Shape[];
  /** [] when unknown (a module read from a weights-only file). */
  readonly outputShape: Shape;
  /** Parameters under the chosen convention, shared weights counted where they first appear; null when unknown. */
  readonly params: Int | null;
  readonly trainable: Int | null;
  readonly nonTrainable: Int | null;
  /** Elements of weights shared with an earlier layer (counted there, not here). */
  readonly tied: Int;
  /** Parameters one token uses, when fewer than `params` (a mixture of experts). */
  readonly active?: Int;
  /** Running statistics not counted as parameters (PyTorch convention only). */
  readonly buffers: Int;
  /** Multiply-accumulates of conv, linear and matmul; null when unknown. */
  readonly macs: Int | null;
  /** FLOPs = 2·MACs + the op's other floating-point operations; null when unknown. */
  readonly flops: Int | null;
  /** Bytes of the output tensor at the activation dtype. */
  readonly outputBytes: Int;
  readonly weights: readonly WeightReport[];
  /** The layer's role in a transformer: 'embeddings', 'attention', 'mlp', 'experts', 'norms', 'head'. */
  readonly role?: string;
  /** Why something about this layer is unknown or assumed. */
  readonly note?: string;
  /**
   * True when only training outputs need the layer (an auxiliary head): its parameters count, but its MACs, FLOPs
   * and output bytes are left out of the inference totals (they are in `totals.training`).
   */
  readonly training?: true;
  /**
   * The notation's implicit rule that added the layer or set its attributes: 'relu', 'flatten', 'batchnorm',
   * 'padding-same', 'padding-valid', 'pool', or 'dense' (an FC layer applied as a convolution, VGG §3.2).
   */
  readonly rule?: string;
  /** Receptive field along the first spatial axis, H for images (size, jump, start in input positions); null once the output is not spatial. */
  readonly rf: ReceptiveField | null;
  /** In a collapsed report, how many layers this module row sums. */
  readonly children?: number;
  readonly formulas: {
    readonly params?: Count;
    readonly macs?: Count;
    readonly flops?: Count;
    readonly shape?: readonly ShapeNote[];
    readonly active?: Count;
  };
}

/** Sums over the whole model. */
export interface Totals {
  readonly params: Int;
  readonly trainable: Int;
  readonly nonTrainable: Int;
  readonly buffers: Int;
  readonly macs: Int;
  readonly flops: Int;
  /** params × bytes per parameter (4 at fp32). */
  readonly paramBytes: Int;
  readonly bufferBytes: Int;
  /** Σ output bytes of every layer: what a forward pass writes. */
  readonly activationBytes: Int;
  readonly layers: number;
  /** Layers whose parameters, MACs or FLOPs nncalc cannot count: the totals are then lower bounds. */
  readonly unknown: number;
  /** Elements of shared weights, counted once in `params`: "as used" = params + tied. */
  readonly tied: Int;
  /** Parameters one token uses (Σ of each layer's active or all parameters), when a layer routes (MoE). */
  readonly active?: Int;
  /** Parameters per role, when the model's layers have roles (transformers). */
  readonly roles?: Readonly<Record<string, Int>>;
  /** The training-only layers (auxiliary heads), when there are any: their parameters are in `params`, the rest is not in the totals above. */
  readonly training?: TrainingTotals;
  /**
   * Totals of which no layer knows its part (every layer of a weights-only file has unknown MACs, FLOPs and output
   * shape): their value above is 0 and stands for unknown, shown as '?'. Absent when every total is known or a
   * lower bound.
   */
  readonly unknownTotals?: readonly ('macs' | 'flops' | 'activationBytes')[];
}

/** What the training-only layers add during training. */
export interface TrainingTotals {
  readonly layers: number;
  readonly params: Int;
  readonly macs: Int;
  readonly flops: Int;
  readonly activationBytes: Int;
}

/** The sequence length of a sequence model, and how far its positions reach. */
export interface SequenceInfo {
  /** Tokens per sample: the size of the input's sequence axis. */
  readonly length: number;
  /** The input axis that holds it. */
  readonly axis: number;
  /** True when --seq (or an explicit input) set it; false for the model's default. */
  readonly given: boolean;
  /** The learned position table's rows or the trained context, with where that number comes from. */
  readonly positions?: { readonly max: number; readonly kind: 'learned' | 'rotary'; readonly key: string };
}

/** What a model file declared, when the report was read from one (nncalc model.safetensors, model.gguf, a folder). */
export interface FileInfo {
  /** 'safetensors', 'gguf', 'onnx'. */
  readonly format: string;
  /** The path, URL or hf: reference given. */
  readonly name: string;
  readonly tensors: number;
  /** Σ elements of the file's tensors. */
  readonly params: Int;
  /** Σ bytes of the file's tensors. */
  readonly bytes: Int;
  /** Per storage type: tensors, elements and bytes ('BF16', 'Q4_K'). */
  readonly dtypes: readonly { readonly dtype: string; readonly tensors: number; readonly params: Int; readonly bytes: Int }[];
  /** 8·bytes/params over the whole file (Q4_K_M ≈ 4.9). */
  readonly bitsPerWeight?: number;
  /** Repeated blocks found by tensor name: 32 × model.layers.N with the parameters of one. */
  readonly blocks: readonly { readonly name: string; readonly count: number; readonly first: number; readonly params: Int }[];
  /** The architecture the layers and MACs come from, when the file or its config names one ('LlamaForCausalLM'). */
  readonly architecture?: string;
  /** The file's tensors checked against that architecture's weights, module by module. */
  readonly check?: { readonly matched: number; readonly differences: readonly string[] };
  /** The format's metadata worth showing (general.architecture, __metadata__). */
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
  /** What reading took: requests and bytes through the byte sources. */
  readonly read?: { readonly requests: number; readonly bytes: number };
}

/** One memory figure: exact bytes with the formula they come from. */
export interface MemoryFigure {
  readonly bytes: Int;
  readonly formula?: Count;
}

/**
 * Memory at a storage type, batch and sequence length (computed by src/memory; docs/memory.md). Every figure is
 * exact bytes; `assumptions` says what each rests on.
 */
export interface MemoryReport {
  /** Storage type of the weights ('fp32', 'bf16', 'q4_k'), and of the activations. */
  readonly dtype: string;
  readonly activationDtype: string;
  readonly weights: MemoryFigure & { readonly byType: Readonly<Record<string, { readonly bytes: Int; readonly elements: Int }>> };
  /** Absent when no layer's output is known (a weights-only file). */
  readonly activations?: {
    /** Σ of every layer's output, as a per-layer table adds them up; not memory (views and in-place results take none). */
    readonly sum: Int;
    /** The most bytes of outputs alive at once, in the layers' order; at `peakAt`. */
    readonly peak: Int;
    readonly peakAt: string;
    /** Scores and probabilities an unfused attention layer holds at once (0 when fused or without attention). */
    readonly attentionScores: Int;
  };
  /** The KV cache of a decoder at `context` tokens and the batch. */
  readonly kv?: MemoryFigure & { readonly perToken: Int; readonly context: number; readonly dtype: string };
  /** Inference: weights + peak activations (+ KV cache); absent when the activations are unknown. */
  readonly inference?: MemoryFigure;
  /** Training, with `optimizer` and `precision`. */
  readonly training?: {
    readonly optimizer: string;
    readonly precision: string;
    readonly checkpointing: boolean;
    readonly weights: MemoryFigure;
    readonly grads: MemoryFigure;
    readonly optimizerStates: MemoryFigure;
    /** Tensors saved for backward. */
    readonly saved: MemoryFigure & { readonly byKind: Readonly<Record<string, Int>> };
    readonly total: MemoryFigure;
  };
  /** Per GPU, when the layout spreads training or inference over several. */
  readonly perGpu?: {
    readonly gpus: number;
    readonly scheme: string;
    readonly tp: number;
    readonly pp: number;
    readonly weights: MemoryFigure;
    readonly grads: MemoryFigure;
    readonly optimizerStates: MemoryFigure;
    readonly activations: MemoryFigure;
    readonly total: MemoryFigure;
  };
  readonly assumptions: readonly string[];
}

/** A finding that does not stop the analysis. */
export interface Diagnostic {
  readonly severity: 'warning' | 'info';
  readonly message: string;
  readonly layer?: string;
}

/** A whole analysis. */
export interface Report {
  readonly schema: typeof SCHEMA;
  readonly model: {
    readonly name: string;
    readonly source?: string;
    readonly input: Shape;
    /** What the input's dimensions are, when the spec declares it ('LNC': sequence, batch, features). */
    readonly inputLayout?: string;
    readonly output: Shape;
    readonly convention: Convention;
    /** How tables show shapes; absent: as the report holds them. */
    readonly layout?: ShapeLayout;
    readonly dtype: 'f32';
    /** The rules and assumptions behind the numbers, each stated with this network's numbers. */
    readonly notes: readonly string[];
    /** Why the totals are approximate (an assumed architecture); absent when they are exact. */
    readonly approximate?: string;
    /** For a sequence model: the sequence length the MACs are counted at. */
    readonly sequence?: SequenceInfo;
  };
  readonly totals: Totals;
  readonly layers: readonly LayerReport[];
  readonly diagnostics: readonly Diagnostic[];
  /** Class names of the model's modules by path ('layer1.0': 'Bottleneck'), where the source names them. */
  readonly modules?: Readonly<Record<string, string>>;
  /** Memory figures (weights by dtype, activations, KV cache, training), when computed. */
  readonly memory?: MemoryReport;
  /** The model file the report was read from. */
  readonly file?: FileInfo;
}

/** The batch size of a report: the input's first dimension, or the one its layout names N (sequence-first inputs). */
export const batchOf = (r: Report): number => {
  const layout = r.model.inputLayout;
  const i = layout ? layout.indexOf('N') : 0;
  return r.model.input[i < 0 ? 0 : i] ?? 1;
};
