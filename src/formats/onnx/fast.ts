/**
 * @module
 * Fast paths for the messages a large graph is made of, when the whole message is already in the reader's window:
 * a node whose attributes are plain values (no tensors or subgraphs), a tensor whose data is external, and a value's
 * declared type and shape. They are plain functions; the general parsers (./proto.ts, ./tensor.ts,
 * ./proto-info.ts) are generators, which would make several per node of a 50,000-node graph. Anything else, and anything malformed, is left to the generators: a fast path
 * returns undefined and the caller reads the message again from its start, so both give the same records and
 * the generators report every error (a field that claims to run past its message may read past the window:
 * that too is left to them).
 */
import { ModelError } from '../../errors.js';
import { PastWindow, type Reader } from '../../io/bytes.js';
import { fitted, I32, int64, keyInto, LEN, now, skipValue, sub, VARINT, type Key } from '../../io/protobuf.js';
import { checkDim, entryNow, externalTensor, MAX_LIST, MAX_RANK, MAX_TEXT, sized } from './tensor.js';
import type { OnnxAttribute, OnnxDim, OnnxNode, OnnxTensor, OnnxValueInfo } from './types.js';

/** The key being read: each is used up before the next is read, nested messages included, so one record serves. */
const K = { field: 0, wire: 0, at: 0 };
const key = (r: Reader, what: string): Key => keyInto(r, what, K);

/** Thrown inside a fast path for what it leaves to the generators; never escapes this module. */
const LEAVE = new Error('left to the generator');

/** A string field in the window. */
function string(r: Reader, k: Key, end: number): string {
  const got = now(r, k, end, 'a message', 'string', MAX_TEXT);
  if (typeof got !== 'string') throw LEAVE;
  return got;
}

/** Runs a fast path: undefined when it leaves the message to the generators, or finds it malformed. */
function attempt<T>(r: Reader, end: number, read: (r: Reader, end: number) => T): T | undefined {
  if (end - r.position > r.available) return undefined;
  try {
    const value = read(r, end);
    return r.position === end ? value : undefined;
  } catch (e) {
    if (e === LEAVE || e instanceof ModelError || e instanceof PastWindow) return undefined;
    throw e;
  }
}

/** An AttributeProto of plain values: name 1, f 2, i 3, s 4, floats 7, ints 8, strings 9, type 20. */
function attribute(r: Reader, end: number): OnnxAttribute {
  const a: { -readonly [K in keyof OnnxAttribute]: OnnxAttribute[K] } = { name: '', type: 0 };
  let floats: number[] | undefined;
  let ints: number[] | undefined;
  let strings: string[] | undefined;
  let name = '';
  let type = 0;
  while (r.position < end) {
    const k = key(r, 'an attribute');
    switch (k.field) {
      case 1:
        name = string(r, k, end);
        break;
      case 2:
        if (k.wire !== I32) throw LEAVE;
        a.f = r.f32();
        break;
      case 3:
        if (k.wire !== VARINT) throw LEAVE;
        a.i = int64(r, 'an attribute');
        break;
      case 4:
        a.s = string(r, k, end);
        break;
      case 7:
        floats ??= [];
        if (k.wire === I32) floats.push(r.f32());
        else if (k.wire === LEN) {
          const stop = sub(r, k, end, 'an attribute', 'floats');
          if ((stop - r.position) % 4 !== 0) throw LEAVE;
          while (r.position < stop) floats.push(r.f32());
        } else throw LEAVE;
        break;
      case 8:
        ints ??= [];
        if (k.wire === VARINT) ints.push(int64(r, 'an attribute'));
        else if (k.wire === LEN) {
          const stop = sub(r, k, end, 'an attribute', 'ints');
          while (r.position < stop) ints.push(int64(r, 'an attribute'));
          if (r.position !== stop) throw LEAVE;
        } else throw LEAVE;
        break;
      case 9:
        (strings ??= []).push(string(r, k, end));
        break;
      case 20:
        if (k.wire !== VARINT) throw LEAVE;
        type = r.varint('type');
        break;
      case 5:
      case 6:
      case 10:
      case 11:
        throw LEAVE; // tensors and graphs
      default:
        skipValue(r, k, end, 'an attribute');
    }
    if ((floats?.length ?? 0) > MAX_LIST || (ints?.length ?? 0) > MAX_LIST || (strings?.length ?? 0) > MAX_LIST) throw LEAVE;
  }
  a.name = name;
  a.type = type;
  if (floats?.length) a.floats = fitted(floats);
  if (ints?.length) a.ints = fitted(ints);
  if (strings) a.strings = strings;
  return a;
}

/** A NodeProto (input 1, output 2, name 3, op_type 4, attribute 5, domain 7) wholly in the window, or undefined. */
export const nodeNow = (r: Reader, end: number): OnnxNode | undefined => attempt(r, end, node);

function node(r: Reader, end: number): OnnxNode {
  const at = r.position;
  let name = '';
  let opType = '';
  let domain = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: OnnxAttribute[] = [];
  while (r.position < end) {
    const k = key(r, 'a node');
    switch (k.field) {
      case 1:
        inputs.push(string(r, k, end));
        break;
      case 2:
        outputs.push(string(r, k, end));
        break;
      case 3:
        name = string(r, k, end);
        break;
      case 4:
        opType = string(r, k, end);
        break;
      case 5: {
        const stop = sub(r, k, end, 'a node', 'attribute');
        attributes.push(attribute(r, stop));
        if (r.position !== stop) throw LEAVE;
        break;
      }
      case 7:
        domain = string(r, k, end);
        break;
      default:
        skipValue(r, k, end, 'a node');
    }
  }
  return { name, opType, domain: domain === 'ai.onnx' ? '' : domain, inputs: fitted(inputs), outputs: fitted(outputs), attributes: fitted(attributes), at };
}

/** A TensorProto whose data is external (data_location 14 = 1), wholly in the window, or undefined. */
export const tensorNow = (r: Reader, end: number): OnnxTensor | undefined => attempt(r, end, tensor);

function tensor(r: Reader, end: number): OnnxTensor {
  const at = r.position;
  let name = '';
  let dataType = 0;
  let dims: number[] = [];
  let location = 0;
  const ext: Record<string, string> = {};
  while (r.position < end) {
    const k = key(r, 'a tensor');
    switch (k.field) {
      case 1:
        if (k.wire === VARINT) dims.push(checkDim(r, int64(r, 'a tensor'), k.at, 'a tensor'));
        else if (k.wire === LEN) {
          const stop = sub(r, k, end, 'a tensor', 'dims');
          while (r.position < stop && dims.length <= MAX_RANK) dims.push(checkDim(r, int64(r, 'a tensor'), r.position, 'a tensor'));
          if (r.position !== stop) throw LEAVE;
        } else throw LEAVE;
        if (dims.length > MAX_RANK) throw LEAVE;
        break;
      case 2:
        if (k.wire !== VARINT) throw LEAVE;
        dataType = r.varint('data_type');
        break;
      case 8:
        name = string(r, k, end);
        break;
      case 13: {
        const stop = sub(r, k, end, 'a tensor', 'external_data');
        const [ek, ev] = entryNow(r, stop, 'a tensor');
        ext[ek] = ev;
        break;
      }
      case 14:
        if (k.wire !== VARINT) throw LEAVE;
        location = r.varint('data_location');
        break;
      case 4:
      case 5:
      case 6:
      case 7:
      case 9:
      case 10:
      case 11:
        throw LEAVE; // data in the file: the generator reads what it needs of it
      default:
        skipValue(r, k, end, 'a tensor');
    }
  }
  if (location !== 1) throw LEAVE;
  dims = fitted(dims);
  const { implied } = sized(r, dims, dataType, 'a tensor', at);
  return externalTensor(r, { name, dataType, dims, at }, ext, implied, 'a tensor');
}

/** A ValueInfoProto (name 1, type 2 → tensor_type 1 or sparse_tensor_type 8 → elem_type 1, shape 2) wholly in the window. */
export const valueInfoNow = (r: Reader, end: number): OnnxValueInfo | undefined => attempt(r, end, valueInfo);

function valueInfo(r: Reader, end: number): OnnxValueInfo {
  let name = '';
  let elemType: number | undefined;
  let shape: OnnxDim[] | undefined;
  while (r.position < end) {
    const k = key(r, 'a value');
    if (k.field === 1) name = string(r, k, end);
    else if (k.field === 2) {
      const typeEnd = sub(r, k, end, 'a value', 'type');
      while (r.position < typeEnd) {
        const t = key(r, 'a value');
        if (t.field !== 1 && t.field !== 8) {
          skipValue(r, t, typeEnd, 'a value');
          continue;
        }
        const tensorEnd = sub(r, t, typeEnd, 'a value', 'tensor_type');
        while (r.position < tensorEnd) {
          const f = key(r, 'a value');
          if (f.field === 1) {
            if (f.wire !== VARINT) throw LEAVE;
            elemType = r.varint('elem_type');
          } else if (f.field === 2) shape = dims(r, sub(r, f, tensorEnd, 'a value', 'shape'));
          else skipValue(r, f, tensorEnd, 'a value');
        }
        if (r.position !== tensorEnd) throw LEAVE;
      }
      if (r.position !== typeEnd) throw LEAVE;
    } else skipValue(r, k, end, 'a value');
  }
  return { name, elemType, shape };
}

/** A TensorShapeProto: dim 1 → Dimension (dim_value 1, or dim_param 2; a negative or huge value is unknown). */
function dims(r: Reader, end: number): OnnxDim[] {
  const out: OnnxDim[] = [];
  while (r.position < end) {
    const k = key(r, 'a shape');
    if (k.field !== 1) {
      skipValue(r, k, end, 'a shape');
      continue;
    }
    if (out.length >= MAX_RANK) throw LEAVE;
    const dimEnd = sub(r, k, end, 'a shape', 'dim');
    let dim: OnnxDim = null;
    while (r.position < dimEnd) {
      const f = key(r, 'a shape');
      if (f.field === 1) {
        if (f.wire !== VARINT) throw LEAVE;
        const v = int64(r, 'a shape');
        dim = Number.isSafeInteger(v) && v >= 0 ? v : null;
      } else if (f.field === 2) dim = string(r, f, dimEnd);
      else skipValue(r, f, dimEnd, 'a shape');
    }
    if (r.position !== dimEnd) throw LEAVE;
    out.push(dim);
  }
  if (r.position !== end) throw LEAVE;
  return out;
}
