/**
 * @module
 * TensorProto (onnx.proto): dims, data type, name and where the data lives. raw_data and the typed data fields
 * (float_data 4, int32_data 5, string_data 6, int64_data 7, double_data 10, uint64_data 11) are passed by their
 * length without being read; external data (data_location 14 = EXTERNAL, external_data 13) is recorded as its
 * location, offset and length, and the side file is never opened. Only small integer tensors (≤ 8,192 values)
 * and tiny float ones (≤ 64 values) are read, within a budget per file: shape inference needs them.
 */
import type { Reader } from '../../io/bytes.js';
import { finish, fitted, I32, I64, int64, key, keyInto, LEN, length, need, now, skipValue, text, VARINT, wrongWire, type Scan } from '../../io/protobuf.js';
import { DTYPES, dtypeName, type OnnxTensor } from './types.js';

/** What a parse keeps across messages: the reader, limits and the values budget. */
export interface ParseContext {
  readonly r: Reader;
  /** Values still allowed to be materialised in this file. */
  budget: number;
  /** False to read every message with the generators, never the fast paths of ./fast.ts (tests compare the two). */
  readonly fast?: boolean;
}

/** The longest name or string value kept (longer ones are refused: no legitimate file needs them). */
export const MAX_TEXT = 1 << 20;
/** Most values one attribute list may hold (pads, perm, axes are short; a hostile file is not). */
export const MAX_LIST = 1 << 16;
/** Most dimensions a tensor may declare. */
export const MAX_RANK = 64;
/** Integer tensors up to this many values are read (64 KiB of int64). */
const MAX_INT_VALUES = 8192;
/** Float tensors up to this many values are read (Resize scales, Clip bounds). */
const MAX_FLOAT_VALUES = 64;

/** Bytes per element of the types whose values nncalc may read. */
const WIDTH: Readonly<Record<number, number>> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };

const ENTRY_KEY = { field: 0, wire: 0, at: 0 };

/**
 * A StringStringEntryProto that lies wholly in the window, read without a generator: its strings are in the
 * window too, so `now` decodes them (a string over MAX_TEXT is refused as `text` would).
 */
export function entryNow(r: Reader, end: number, what: string): [string, string] {
  const kv: [string, string] = ['', ''];
  while (r.position < end) {
    // Each key is used up before the next is read: one record serves them all.
    const f = keyInto(r, what, ENTRY_KEY);
    if (f.field === 1 || f.field === 2) {
      const got = now(r, f, end, what, f.field === 1 ? 'key' : 'value', MAX_TEXT);
      if (typeof got !== 'string') throw r.error(`the ${f.field === 1 ? 'key' : 'value'} of ${what} is ${got} bytes long, more than the ${MAX_TEXT}-byte limit`);
      kv[f.field - 1] = got;
    } else skipValue(r, f, end, what);
  }
  finish(r, end, what);
  return kv;
}

/** A StringStringEntryProto (key 1, value 2). */
export function* entry(c: ParseContext, end: number, what: string): Scan<[string, string]> {
  const r = c.r;
  if (end - r.position <= r.available) return entryNow(r, end, what);
  let k = '';
  let v = '';
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const f = key(r, what);
    if (f.field === 1 || f.field === 2) {
      const field = f.field === 1 ? 'key' : 'value';
      const got = now(r, f, end, what, field, MAX_TEXT);
      const s = typeof got === 'string' ? got : yield* text(r, got, MAX_TEXT, what, field);
      if (f.field === 1) k = s;
      else v = s;
    } else skipValue(r, f, end, what);
  }
  finish(r, end, what);
  return [k, v];
}

/** Reads a dimension (int64 ≥ 0) and checks it is a safe size. */
export function checkDim(r: Reader, d: number, at: number, what: string): number {
  if (!Number.isSafeInteger(d) || d < 0) throw r.error(`${what} has a dimension of ${d}; sizes must be whole numbers from 0 to 2^53`, at);
  return d;
}

/** A data field seen while walking: its field number and where its bytes are. */
interface DataField {
  readonly field: number;
  readonly offset: number;
  readonly length: number;
}

/** Parses a TensorProto spanning the reader's position to `end`. */
export function* tensorProto(c: ParseContext, end: number, where: string): Scan<OnnxTensor> {
  const r = c.r;
  const at = r.position;
  let what = where;
  let name = '';
  let dataType = 0;
  let dims: number[] = [];
  let location = 0;
  // Allocated when first needed: most tensors have one data field and no external entries.
  let ext: Record<string, string> | undefined;
  const data: DataField[] = [];
  let unpacked: number[] | undefined;
  let unpackedCount = 0;
  while (r.position < end) {
    const n = need(r, end);
    if (n) yield n;
    const k = key(r, what);
    switch (k.field) {
      case 1: // dims: repeated int64, written unpacked by protobuf's C++ and Python, packed by others
        if (k.wire === VARINT) dims.push(checkDim(r, int64(r, what), k.at, what));
        else if (k.wire === LEN) {
          const stop = length(r, end, what, 'dims') + r.position;
          while (r.position < stop) {
            const m = need(r, stop, 10);
            if (m) yield m;
            dims.push(checkDim(r, int64(r, what), r.position, what));
            if (dims.length > MAX_RANK) break;
          }
          finish(r, stop, what);
        } else throw wrongWire(r, k, what, 'dims', [VARINT, LEN]);
        if (dims.length > MAX_RANK) throw r.error(`${what} declares more than ${MAX_RANK} dimensions`, k.at);
        break;
      case 2:
        if (k.wire !== VARINT) throw wrongWire(r, k, what, 'data_type', [VARINT]);
        dataType = r.varint('data_type');
        break;
      case 8:
        {
          const got = now(r, k, end, what, 'name', MAX_TEXT);
          name = typeof got === 'string' ? got : yield* text(r, got, MAX_TEXT, what, 'name');
        }
        what = `tensor '${name}'`;
        break;
      case 13: {
        if (k.wire !== LEN) throw wrongWire(r, k, what, 'external_data', [LEN]);
        const stop = length(r, end, what, 'external_data') + r.position;
        const [ek, ev] = stop - r.position <= r.available ? entryNow(r, stop, what) : yield* entry(c, stop, what);
        (ext ??= {})[ek] = ev;
        break;
      }
      case 14:
        if (k.wire !== VARINT) throw wrongWire(r, k, what, 'data_location', [VARINT]);
        location = r.varint('data_location');
        break;
      case 4: // float_data, packed, or one float per key
      case 5: // int32_data
      case 7: // int64_data
      case 10: // double_data
      case 11: {
        // uint64_data
        const scalar = k.field === 4 ? I32 : k.field === 10 ? I64 : VARINT;
        if (k.wire === LEN) {
          const len = length(r, end, what, k.field);
          data.push({ field: k.field, offset: r.position, length: len });
          r.skip(len);
        } else if (k.wire === scalar) {
          unpackedCount++;
          const v = scalar === I32 ? (yield* fixed(r, end, 4, what)) : scalar === I64 ? (yield* fixed(r, end, 8, what)) : int64(r, what);
          unpacked ??= [];
          if (unpacked.length < MAX_INT_VALUES) unpacked.push(v);
        } else throw wrongWire(r, k, what, `field ${k.field}`, [LEN, scalar]);
        break;
      }
      case 6: // string_data: one length-delimited value per key
      case 9: {
        // raw_data
        if (k.wire !== LEN) throw wrongWire(r, k, what, k.field === 9 ? 'raw_data' : 'string_data', [LEN]);
        const len = length(r, end, what, k.field === 9 ? 'raw_data' : 'string_data');
        data.push({ field: k.field, offset: r.position, length: len });
        r.skip(len);
        break;
      }
      default:
        skipValue(r, k, end, what);
    }
  }
  finish(r, end, what);
  dims = fitted(dims);
  const { numel, implied } = sized(r, dims, dataType, what, at);
  const raw = data.find((d) => d.field === 9);
  if (raw && implied !== undefined && raw.length !== implied) {
    throw r.error(`${what} is ${dtypeName(dataType)} [${dims.join(', ')}], which takes ${implied} bytes, but its raw_data holds ${raw.length}`, raw.offset);
  }
  if (location === 1) return externalTensor(r, { name, dataType, dims, at }, ext ?? {}, implied, what);
  const bytes = raw ? raw.length : implied !== undefined && (data.length > 0 || unpackedCount > 0) ? implied : data.reduce((s, d) => s + d.length, 0);
  const values = yield* readValues(c, dataType, numel, raw ?? data[0], unpacked ?? [], unpackedCount, what);
  r.seek(end);
  return values ? { name, dataType, dims, at, bytes, values } : { name, dataType, dims, at, bytes };
}

/** A tensor's element count (a safe integer) and the bytes its type implies for them, when the type has a width. */
export function sized(r: Reader, dims: readonly number[], dataType: number, what: string, at: number): { numel: number; implied: number | undefined } {
  let numel = 1;
  for (const d of dims) numel *= d;
  if (!Number.isSafeInteger(numel)) throw r.error(`${what} declares dims [${dims.join(', ')}], more than 2^53 elements`, at);
  const info = DTYPES[dataType];
  return { numel, implied: info && info.bits > 0 ? Math.ceil((numel * info.bits) / 8) : undefined };
}

/** A tensor whose data is external: where its external_data entries say it is, of the length they give or its type implies. */
export function externalTensor(r: Reader, t: Pick<OnnxTensor, 'name' | 'dataType' | 'dims' | 'at'>, ext: Readonly<Record<string, string>>, implied: number | undefined, what: string): OnnxTensor {
  const offset = extNumber(r, ext['offset'], 'offset', what, t.at) ?? 0;
  const len = extNumber(r, ext['length'], 'length', what, t.at);
  if (ext['location'] === undefined) throw r.error(`${what} has data_location EXTERNAL but no 'location' entry in external_data`, t.at);
  return { name: t.name, dataType: t.dataType, dims: t.dims, at: t.at, bytes: len ?? implied, external: { location: ext['location'], offset, length: len } };
}

/** A little-endian float (4) or double (8) at the cursor. */
function* fixed(r: Reader, end: number, width: 4 | 8, what: string): Scan<number> {
  if (end - r.position < width) throw r.error(`a value of ${what} needs ${width} bytes, but the message ends ${end - r.position} bytes later`);
  if (r.available < width) yield width;
  return width === 4 ? r.f32() : r.f64();
}

/** An external_data number ('offset', 'length'): a decimal string of a safe non-negative integer. */
function extNumber(r: Reader, v: string | undefined, key: string, what: string, at: number): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw r.error(`${what} has external_data ${key} '${v.slice(0, 40)}', which is not a byte count`, at);
  return n;
}

/** The values of a small tensor, when its type is one shape inference uses and the budget allows. */
function* readValues(c: ParseContext, dataType: number, numel: number, field: DataField | undefined, unpacked: number[], unpackedCount: number, what: string): Scan<number[] | undefined> {
  const r = c.r;
  const width = WIDTH[dataType];
  const float = dataType === 1 || dataType === 11;
  if (width === undefined || numel > (float ? MAX_FLOAT_VALUES : MAX_INT_VALUES) || numel > c.budget) return undefined;
  if (unpackedCount > 0) {
    if (unpackedCount !== numel) throw r.error(`${what} declares ${numel} values but holds ${unpackedCount}`);
    c.budget -= numel;
    return unpacked;
  }
  if (!field) {
    if (numel === 0) return [];
    throw r.error(`${what} (${dtypeName(dataType)}, ${numel} values) has no data`);
  }
  c.budget -= numel;
  r.seek(field.offset);
  const end = field.offset + field.length;
  const out: number[] = [];
  if (field.field === 9 || field.field === 4 || field.field === 10) {
    // Fixed width: raw_data in the tensor's own type, float_data as float32, double_data as float64.
    const w = field.field === 4 ? 4 : field.field === 10 ? 8 : width;
    if (field.length !== numel * w) throw r.error(`${what} declares ${numel} values, but its data holds ${field.length} bytes (${w} per value)`, field.offset);
    for (let i = 0; i < numel; i++) {
      if (r.available < w) yield Math.min(end - r.position, 4096);
      out.push(field.field === 4 ? r.f32() : field.field === 10 ? r.f64() : decode(r, dataType));
    }
    return out;
  }
  // Varints: int32_data, int64_data, uint64_data.
  while (r.position < end) {
    const n = need(r, end, 10);
    if (n) yield n;
    out.push(int64(r, what));
    if (out.length > numel) break;
  }
  finish(r, end, what);
  if (out.length !== numel) throw r.error(`${what} declares ${numel} values, but its data holds ${out.length}`, field.offset);
  return out;
}

/** One little-endian element of raw_data. */
function decode(r: Reader, dataType: number): number {
  switch (dataType) {
    case 1:
      return r.f32();
    case 11:
      return r.f64();
    case 7:
    case 13:
      return Number(r.i64());
    case 6:
      return r.i32();
    case 12:
      return r.u32();
    case 5: {
      const v = r.u16();
      return v >= 0x8000 ? v - 0x10000 : v;
    }
    case 4:
      return r.u16();
    case 3: {
      const v = r.u8();
      return v >= 0x80 ? v - 0x100 : v;
    }
    default:
      return r.u8();
  }
}
