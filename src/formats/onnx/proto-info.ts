/**
 * @module
 * The leaf messages of an ONNX graph (field numbers from onnx/onnx.proto): OperatorSetIdProto (domain 1,
 * version 2), SparseTensorProto (values 1, indices 2, dims 3), ValueInfoProto (name 1, type 2) → TypeProto
 * (tensor_type 1, sparse_tensor_type 8) → Tensor (elem_type 1, shape 2) → TensorShapeProto (dim 1) →
 * Dimension (dim_value 1, dim_param 2). Other fields are passed by length.
 */
import type { Reader } from '../../io/bytes.js';
import { finish, int64, key, need, skipValue, sub, text, VARINT, wrongWire, type Key, type Scan } from '../../io/protobuf.js';
import { MAX_TEXT, tensorProto, type ParseContext } from './tensor.js';
import type { OnnxDim, OnnxTensor, OnnxValueInfo } from './types.js';

/** A string field, read through the window. */
export function* str(r: Reader, k: Key, end: number, what: string, name: string): Scan<string> {
  const stop = sub(r, k, end, what, name);
  return yield* text(r, stop - r.position, MAX_TEXT, what, name);
}

/** A varint field that must be a safe non-negative number. */
export function uint(r: Reader, k: Key, what: string, name: string): number {
  if (k.wire !== VARINT) throw wrongWire(r, k, what, name, [VARINT]);
  return r.varint(name);
}

/** OperatorSetIdProto: domain 1, version 2. */
export function* opsetProto(c: ParseContext, end: number): Scan<{ domain: string; version: number }> {
  const r = c.r;
  const what = 'an opset_import entry';
  let domain = '';
  let version = 0;
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    if (k.field === 1) domain = yield* str(r, k, end, what, 'domain');
    else if (k.field === 2) version = uint(r, k, what, 'version');
    else skipValue(r, k, end, what);
  }
  finish(r, end, what);
  return { domain: domain === 'ai.onnx' ? '' : domain, version };
}

/** SparseTensorProto: values 1 and indices 2 (TensorProtos), dims 3; read as one tensor of the dense shape. */
export function* sparseProto(c: ParseContext, end: number, where: string): Scan<OnnxTensor> {
  const r = c.r;
  const at = r.position;
  const what = `a sparse_initializer of ${where}`;
  let values: OnnxTensor | undefined;
  let indexBytes = 0;
  const dims: number[] = [];
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    if (k.field === 1) values = yield* tensorProto(c, sub(r, k, end, what, 'values'), what);
    else if (k.field === 2) indexBytes = (yield* tensorProto(c, sub(r, k, end, what, 'indices'), what)).bytes ?? 0;
    else if (k.field === 3 && k.wire === VARINT) {
      const d = int64(r, what);
      if (!Number.isSafeInteger(d) || d < 0) throw r.error(`${what} has a dimension of ${d}`, k.at);
      if (dims.length >= 64) throw r.error(`${what} declares more than 64 dimensions`, k.at);
      dims.push(d);
    } else skipValue(r, k, end, what);
  }
  finish(r, end, what);
  if (!values) throw r.error(`${what} has no values tensor`, at);
  return { name: values.name, dataType: values.dataType, dims, bytes: (values.bytes ?? 0) + indexBytes, at };
}

/** ValueInfoProto: name 1, type 2 (TypeProto: tensor_type 1 or sparse_tensor_type 8 → elem_type 1, shape 2 → dim 1). */
export function* valueInfoProto(c: ParseContext, end: number): Scan<OnnxValueInfo> {
  const r = c.r;
  let what = 'a ValueInfoProto';
  let name = '';
  let elemType: number | undefined;
  let shape: OnnxDim[] | undefined;
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    if (k.field === 1) {
      name = yield* str(r, k, end, what, 'name');
      what = `value '${name}'`;
    } else if (k.field === 2) {
      const typeEnd = sub(r, k, end, what, 'type');
      while (r.position < typeEnd) {
        const m = need(r, typeEnd);
        if (m) yield m;
        const t = key(r, what);
        if (t.field !== 1 && t.field !== 8) {
          skipValue(r, t, typeEnd, what);
          continue;
        }
        const tensorEnd = sub(r, t, typeEnd, what, 'tensor_type');
        while (r.position < tensorEnd) {
          const m2 = need(r, tensorEnd);
          if (m2) yield m2;
          const f = key(r, what);
          if (f.field === 1) elemType = uint(r, f, what, 'elem_type');
          else if (f.field === 2) shape = yield* shapeProto(c, sub(r, f, tensorEnd, what, 'shape'), what);
          else skipValue(r, f, tensorEnd, what);
        }
        finish(r, tensorEnd, what);
      }
      finish(r, typeEnd, what);
    } else skipValue(r, k, end, what);
  }
  finish(r, end, what);
  return { name, elemType, shape };
}

/** TensorShapeProto: dim 1 → Dimension (dim_value 1, dim_param 2). */
function* shapeProto(c: ParseContext, end: number, where: string): Scan<OnnxDim[]> {
  const r = c.r;
  const what = where;
  const dims: OnnxDim[] = [];
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    if (k.field !== 1) {
      skipValue(r, k, end, what);
      continue;
    }
    if (dims.length >= 64) throw r.error(`${what} declares more than 64 dimensions`, k.at);
    const dimEnd = sub(r, k, end, what, 'dim');
    let dim: OnnxDim = null;
    while (r.position < dimEnd) {
      const m = need(r, dimEnd);
      if (m) yield m;
      const f = key(r, what);
      if (f.field === 1) {
        if (f.wire !== VARINT) throw wrongWire(r, f, what, 'dim_value', [VARINT]);
        const v = int64(r, what);
        dim = Number.isSafeInteger(v) && v >= 0 ? v : null;
      } else if (f.field === 2) dim = yield* str(r, f, dimEnd, what, 'dim_param');
      else skipValue(r, f, dimEnd, what);
    }
    finish(r, dimEnd, what);
    dims.push(dim);
  }
  finish(r, end, what);
  return dims;
}
