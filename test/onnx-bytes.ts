/**
 * @module
 * Builds small ONNX files byte by byte for tests and fuzzing: protobuf fields (varint, length-delimited,
 * fixed) and the few messages the tests need. The bytes follow onnx.proto's field numbers; the real-tool
 * fixtures under test/fixtures/onnx are what the reader is checked against, these only reach the corners
 * (bad lengths, wrong wire types, deep nesting) that no real tool writes.
 */

/** A varint (non-negative; use `int64` for negative values). */
export function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}

/** A key: field number and wire type. */
export const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
/** A varint field. */
export const vfield = (field: number, n: number | bigint): number[] => [...tag(field, 0), ...varint(n)];
/** A length-delimited field. */
export const lfield = (field: number, body: readonly number[] | string): number[] => {
  const bytes = typeof body === 'string' ? [...new TextEncoder().encode(body)] : [...body];
  return [...tag(field, 2), ...varint(bytes.length), ...bytes];
};
/** A 32-bit float field. */
export const ffield = (field: number, f: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, f, true);
  return [...tag(field, 5), ...b];
};

/** A TensorProto with dims, data_type and name, and raw_data of the implied length (zeros) unless `raw` is given. */
export function tensor(name: string, dims: readonly number[], dataType = 1, raw?: readonly number[]): number[] {
  const width = dataType === 7 ? 8 : 4;
  const n = dims.reduce((p, d) => p * d, 1);
  return [...dims.flatMap((d) => vfield(1, d)), ...vfield(2, dataType), ...lfield(8, name), ...lfield(9, raw ?? new Array<number>(n * width).fill(0))];
}

/** int64 little-endian bytes of a list, for raw_data. */
export const int64s = (values: readonly number[]): number[] =>
  values.flatMap((v) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
    return [...b];
  });

/** A ValueInfoProto of a float tensor with dims (numbers or symbols). */
export function valueInfo(name: string, dims: readonly (number | string)[]): number[] {
  const dimMsgs = dims.flatMap((d) => lfield(1, typeof d === 'number' ? vfield(1, d) : lfield(2, d)));
  const tensorType = [...vfield(1, 1), ...lfield(2, dimMsgs)];
  return [...lfield(1, name), ...lfield(2, lfield(1, tensorType))];
}

/** A NodeProto. */
export function node(op: string, inputs: readonly string[], outputs: readonly string[], name = '', attrs: readonly number[][] = []): number[] {
  return [...inputs.flatMap((i) => lfield(1, i)), ...outputs.flatMap((o) => lfield(2, o)), ...lfield(3, name), ...lfield(4, op), ...attrs.flatMap((a) => lfield(5, a))];
}

/** An AttributeProto of integers. */
export const intsAttr = (name: string, values: readonly number[]): number[] => [...lfield(1, name), ...values.flatMap((v) => vfield(8, v)), ...vfield(20, 7)];
/** An AttributeProto of one integer. */
export const intAttr = (name: string, value: number): number[] => [...lfield(1, name), ...vfield(3, value), ...vfield(20, 2)];

/** A ModelProto: ir_version 8, producer, the graph, opset 13. */
export function model(graph: { nodes: number[][]; inits?: number[][]; inputs: number[][]; outputs: number[][]; name?: string }, opset = 13): Uint8Array {
  const g = [
    ...graph.nodes.flatMap((n) => lfield(1, n)),
    ...lfield(2, graph.name ?? 'test'),
    ...(graph.inits ?? []).flatMap((t) => lfield(5, t)),
    ...graph.inputs.flatMap((i) => lfield(11, i)),
    ...graph.outputs.flatMap((o) => lfield(12, o)),
  ];
  return new Uint8Array([...vfield(1, 8), ...lfield(2, 'nncalc-test'), ...lfield(7, g), ...lfield(8, [...lfield(1, ''), ...vfield(2, opset)])]);
}

/** A small valid model: Conv (weights [4, 3, 3, 3] and bias) → Relu → GlobalAveragePool → Flatten → Gemm. */
export function smallModel(): Uint8Array {
  return model({
    nodes: [
      node('Conv', ['x', 'w', 'b'], ['c'], '/conv/Conv', [intsAttr('pads', [1, 1, 1, 1])]),
      node('Relu', ['c'], ['r'], '/act/Relu'),
      node('GlobalAveragePool', ['r'], ['p'], '/pool/GlobalAveragePool'),
      node('Flatten', ['p'], ['f'], '/Flatten'),
      node('Gemm', ['f', 'fw', 'fb'], ['y'], '/fc/Gemm', [intAttr('transB', 1)]),
    ],
    inits: [tensor('w', [4, 3, 3, 3]), tensor('b', [4]), tensor('fw', [10, 4]), tensor('fb', [10])],
    inputs: [valueInfo('x', ['batch', 3, 8, 8])],
    outputs: [valueInfo('y', ['batch', 10])],
  });
}
