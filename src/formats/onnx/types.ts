/**
 * @module
 * An ONNX model as nncalc reads it: the messages of onnx.proto that matter for a summary, with every tensor's
 * data left in the file (its offset and length, or its external location). Only small integer tensors (and tiny
 * float ones) carry their values, because shape inference needs them (Reshape's shape, Slice's starts).
 */

/** TensorProto.DataType values nncalc names (onnx.proto). */
export const DTYPES: Readonly<Record<number, { name: string; bits: number; float: boolean }>> = {
  1: { name: 'float32', bits: 32, float: true },
  2: { name: 'uint8', bits: 8, float: false },
  3: { name: 'int8', bits: 8, float: false },
  4: { name: 'uint16', bits: 16, float: false },
  5: { name: 'int16', bits: 16, float: false },
  6: { name: 'int32', bits: 32, float: false },
  7: { name: 'int64', bits: 64, float: false },
  8: { name: 'string', bits: 0, float: false },
  9: { name: 'bool', bits: 8, float: false },
  10: { name: 'float16', bits: 16, float: true },
  11: { name: 'float64', bits: 64, float: true },
  12: { name: 'uint32', bits: 32, float: false },
  13: { name: 'uint64', bits: 64, float: false },
  14: { name: 'complex64', bits: 64, float: true },
  15: { name: 'complex128', bits: 128, float: true },
  16: { name: 'bfloat16', bits: 16, float: true },
  17: { name: 'float8e4m3fn', bits: 8, float: true },
  18: { name: 'float8e4m3fnuz', bits: 8, float: true },
  19: { name: 'float8e5m2', bits: 8, float: true },
  20: { name: 'float8e5m2fnuz', bits: 8, float: true },
  21: { name: 'uint4', bits: 4, float: false },
  22: { name: 'int4', bits: 4, float: false },
  23: { name: 'float4e2m1', bits: 4, float: true },
  24: { name: 'float8e8m0', bits: 8, float: true },
  25: { name: 'uint2', bits: 2, float: false },
  26: { name: 'int2', bits: 2, float: false },
};

/** The dtype's name ('float32'), or 'dtype N' for a value onnx.proto does not define. */
export const dtypeName = (t: number): string => DTYPES[t]?.name ?? `dtype ${t}`;

/** True for floating-point element types: the tensors that can be learned weights. */
export const isFloat = (t: number): boolean => DTYPES[t]?.float ?? false;

/** A TensorProto: its declaration and where its data is; never the weight bytes themselves. */
export interface OnnxTensor {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** Bytes of data: inline (the data field's length) or external (its declared or implied length). */
  readonly bytes: number | undefined;
  /** data_location EXTERNAL: the side file and the region the file declares for it. */
  readonly external?: { readonly location: string; readonly offset: number; readonly length: number | undefined };
  /** The values of a small integer or float tensor, read for shape inference. */
  readonly values?: readonly number[];
  /** File offset of the TensorProto, for errors. */
  readonly at: number;
}

/** An AttributeProto: the kinds nncalc uses are kept; graphs are kept for subgraph counts. */
export interface OnnxAttribute {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: OnnxTensor;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
  readonly strings?: readonly string[];
  readonly tensors?: readonly OnnxTensor[];
  readonly graphs?: readonly OnnxGraph[];
}

/** A NodeProto. */
export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
  /** File offset of the NodeProto, for errors. */
  readonly at: number;
}

/** One dimension of a declared shape: a size, a symbol (dim_param), or unknown. */
export type OnnxDim = number | string | null;

/** A ValueInfoProto: a graph input, output or intermediate value with its declared type. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: number | undefined;
  /** undefined when the type declares no shape (unknown rank). */
  readonly shape: readonly OnnxDim[] | undefined;
}

/** A GraphProto. */
export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  /** Sparse initializers, as their dense declaration (dims) and the bytes of their stored values. */
  readonly sparseInitializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly valueInfo: readonly OnnxValueInfo[];
}

/** A ModelProto. */
export interface OnnxModel {
  readonly irVersion: number | undefined;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly domain: string;
  readonly modelVersion: number | undefined;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly graph: OnnxGraph | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** Local functions (FunctionProto) and training graphs the file carries; nncalc counts but does not read them. */
  readonly functions: number;
  readonly trainingInfo: number;
}
