/**
 * @module
 * What every model-file reader gives back. A reader turns a ByteSource into a `ModelFile`: the tensors the
 * file declares (name, shape, dtype, bytes), the network when the file has one (a Graph of nncalc ops, or a
 * Spec), or a Hugging Face config that names the architecture, plus the format's own metadata. It reads only
 * metadata: weight bytes are skipped by their length. Turning a ModelFile into a Report is not the reader's
 * job (see summarize), so every reader stays a pure function of bytes.
 */
import type { Int } from '../int.js';
import type { Spec } from '../describe/spec.js';
import type { ByteSource } from '../io/bytes.js';
import type { Graph, Shape } from '../types.js';

/** The formats nncalc reads. */
export type FormatId = 'onnx' | 'safetensors' | 'gguf' | 'pytorch' | 'torchscript' | 'keras' | 'h5' | 'tfjs' | 'hf-config';

/** One parameter tensor as the file declares it. */
export interface TensorInfo {
  /** The file's own name: 'model.layers.0.self_attn.q_proj.weight', 'features.0.weight', 'onnx::Conv_123'. */
  readonly name: string;
  readonly shape: Shape;
  /** The format's type name: 'F32', 'BF16', 'Q4_K', 'float16'. */
  readonly dtype: string;
  /** Bytes of storage, when the file says or the dtype implies it (block-quantised types included). */
  readonly bytes?: Int;
  /** A buffer (running statistics, an index table), not a parameter, when the file says; absent, the name decides. */
  readonly buffer?: boolean;
}

/** Options a reader may honour. */
export interface ReadOptions {
  /** Values for symbolic dimensions: { batch: 1, sequence: 128 }. */
  readonly bind?: Readonly<Record<string, number>>;
  /** The shape of the model's (first) input, batch first (--input): it sets that input's dimensions, symbolic or not. */
  readonly input?: Shape;
  /** The batch (--batch): the first dimension of every graph input, symbolic or not. */
  readonly batch?: number;
  /** Opens a file next to this one (ONNX external data, safetensors shards, a folder's config.json). */
  readonly sibling?: (name: string) => Promise<ByteSource | undefined>;
}

/** A model file, read. */
export interface ModelFile {
  readonly format: FormatId;
  /** The file's name as given. */
  readonly name: string;
  /** The network, when the file holds one: a Graph whose nodes use nncalc's op kinds… */
  readonly graph?: Graph;
  /** …or a Spec (a Keras config, a pickled nn.Module), built and analysed like a user's spec. */
  readonly spec?: Spec;
  /** A Hugging Face config that names the architecture (config.json beside the weights, or GGUF metadata mapped to one). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Every parameter tensor the file declares, in file order. */
  readonly tensors: readonly TensorInfo[];
  /** The format's metadata worth showing: producer, opset, general.architecture, file type. */
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
  /** What the reader assumed, skipped or could not read, in sentences. */
  readonly notes: readonly string[];
}

/** One format: how to recognise it and how to read it. */
export interface Format {
  readonly id: FormatId;
  /** 'ONNX', 'safetensors', 'GGUF'. */
  readonly title: string;
  /** Lower-case extensions without the dot: ['onnx']. */
  readonly extensions: readonly string[];
  /** True when the file's first bytes (up to 64) identify this format. */
  sniff(head: Uint8Array): boolean;
  read(source: ByteSource, options: ReadOptions): Promise<ModelFile>;
}
