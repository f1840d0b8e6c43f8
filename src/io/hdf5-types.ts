/**
 * @module
 * HDF5 datatypes (message 0x0003) and attribute values (message 0x000C), for io/hdf5.ts: the element type of a
 * dataset by name (float32, int64, string…), and an attribute's value as JavaScript data — numbers, fixed-length
 * strings, variable-length strings (read from the global heap), and arrays of them. Other types are kept as their
 * class name only.
 */
import { Reader } from './bytes.js';
import type { Hdf5 } from './hdf5.js';

/** A datatype: its class (0 integer, 1 float, 3 string, 9 variable-length…), its element size and a readable name. */
export interface H5Type {
  readonly cls: number;
  readonly size: number;
  /** 'float32', 'int64', 'uint8', 'string', 'vlen-string', 'class6'. */
  readonly name: string;
  readonly signed?: boolean;
  readonly littleEndian?: boolean;
}

/** A datatype message at the reader's position, whose message ends at `end` (an address). */
export function datatype(h: Hdf5, end: number): H5Type {
  const r = h.r;
  const start = r.position;
  if (start + 8 > h.base + end) throw h.error('a datatype message shorter than 8 bytes', start);
  const head = r.u8();
  const cls = head & 0x0f;
  const [b0] = [r.u8(), r.u8(), r.u8()];
  const size = r.u32();
  if (size > 1 << 20) throw h.error(`a datatype of ${size} bytes an element`, start);
  const littleEndian = (b0! & 1) === 0;
  switch (cls) {
    case 0: {
      const signed = (b0! & 0x08) !== 0;
      return { cls, size, signed, littleEndian, name: `${signed ? 'int' : 'uint'}${8 * size}` };
    }
    case 1:
      return { cls, size, littleEndian, name: size === 2 ? 'float16' : size === 4 ? 'float32' : size === 8 ? 'float64' : `float${8 * size}` };
    case 3:
      return { cls, size, name: 'string' };
    case 8:
      return { cls, size, name: size === 1 ? 'bool' : `enum${8 * size}` };
    case 9: {
      const string = (b0! & 0x0f) === 1;
      return { cls, size, name: string ? 'vlen-string' : 'vlen' };
    }
    default:
      return { cls, size, name: `class${cls}` };
  }
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Strips the NUL or space padding of a fixed-length string. */
const trimFixed = (b: Uint8Array): string => {
  let n = b.length;
  while (n > 0 && (b[n - 1] === 0 || b[n - 1] === 0x20)) n--;
  const z = b.indexOf(0);
  return decoder.decode(b.subarray(0, z >= 0 && z < n ? z : n));
};

/** The attribute message at `at` (`size` bytes): its name and value. */
export async function attributeValue(h: Hdf5, at: number, size: number): Promise<[string, unknown]> {
  const r = h.r;
  await h.at(at, size, 'an attribute message');
  const start = r.position;
  const end = at + size;
  const version = r.u8();
  if (version < 1 || version > 3) throw h.error(`attribute message version ${version}`, start);
  const flags = r.u8();
  if (flags & 0x03) throw h.error('an attribute whose datatype or dataspace is a shared message, which nncalc does not read', start);
  const [nameSize, typeSize, spaceSize] = [r.u16(), r.u16(), r.u16()];
  if (version === 3) r.skip(1);
  const p = (n: number) => (version === 1 ? pad8(n) : n);
  const fixed = r.position - h.base - at;
  if (fixed + p(nameSize) + p(typeSize) + p(spaceSize) > size) throw h.error(`an attribute's name, datatype and dataspace (${nameSize}, ${typeSize} and ${spaceSize} bytes) run past its message of ${size} bytes`, start);
  const nameBytes = r.bytes(p(nameSize)).subarray(0, nameSize);
  const name = trimFixed(nameBytes);
  const typeAt = r.position;
  const type = datatype(h, end);
  r.seek(typeAt + p(typeSize));
  const dims = h.dataspace(end);
  r.seek(typeAt + p(typeSize) + p(spaceSize));
  const numel = dims.reduce((a, d) => a * d, 1);
  const scalar = dims.length === 0;
  const left = h.base + end - r.position;
  const element = type.cls === 9 ? 4 + h.offsetSize + 4 : type.size;
  if (!Number.isSafeInteger(numel) || numel * element > left) throw h.error(`attribute '${name.slice(0, 100)}' declares ${numel} elements of ${element} bytes, more than the ${left} bytes its message holds`, start);
  const values: unknown[] = [];
  if (type.cls === 3) {
    for (let i = 0; i < numel; i++) values.push(trimFixed(r.bytes(type.size)));
  } else if (type.cls === 0 || type.cls === 1) {
    const view = r.bytes(numel * type.size);
    const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < numel; i++) values.push(number(dv, i * type.size, type));
  } else if (type.cls === 9 && type.name === 'vlen-string') {
    const refs: [number, number | undefined, number][] = [];
    for (let i = 0; i < numel; i++) refs.push([r.u32(), h.offset(), r.u32()]);
    for (const [length, collection, index] of refs) values.push(collection === undefined ? '' : await heapString(h, collection, index, length));
  } else return [name, undefined];
  return [name, scalar ? values[0] : values];
}

function number(dv: DataView, at: number, t: H5Type): number | bigint {
  const le = t.littleEndian ?? true;
  if (t.cls === 1) return t.size === 4 ? dv.getFloat32(at, le) : t.size === 8 ? dv.getFloat64(at, le) : NaN;
  switch (t.size) {
    case 1:
      return t.signed ? dv.getInt8(at) : dv.getUint8(at);
    case 2:
      return t.signed ? dv.getInt16(at, le) : dv.getUint16(at, le);
    case 4:
      return t.signed ? dv.getInt32(at, le) : dv.getUint32(at, le);
    case 8: {
      const v = t.signed ? dv.getBigInt64(at, le) : dv.getBigUint64(at, le);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    default:
      return NaN;
  }
}

/** Objects of each global heap collection read so far: index → [address, size]. */
const collections = new WeakMap<Hdf5, Map<number, Map<number, [number, number]>>>();

/** A variable-length string: object `index` of the global heap collection at `address`. */
async function heapString(h: Hdf5, address: number, index: number, length: number): Promise<string> {
  const r = h.r;
  let byFile = collections.get(h);
  if (!byFile) collections.set(h, (byFile = new Map()));
  let objects = byFile.get(address);
  if (!objects) {
    objects = new Map();
    byFile.set(address, objects);
    await h.at(address, 8 + h.lengthSize, 'a global heap collection');
    if (r.u32() !== 0x4c4f4347) throw h.error("no global heap signature 'GCOL'", h.base + address);
    r.skip(4);
    const size = h.length('collection size');
    const end = address + size;
    if (h.base + end > h.source.size) throw h.error(`a global heap collection of ${size} bytes runs past the end of the file`, h.base + address);
    let p = address + 8 + h.lengthSize;
    while (p + 8 + h.lengthSize <= end && objects.size < 1_000_000) {
      await h.at(p, 8 + h.lengthSize, 'a global heap object');
      const i = r.u16();
      r.skip(6);
      const n = h.length('object size');
      if (i === 0) break;
      const data = p + 8 + h.lengthSize;
      if (data + n > end) throw h.error(`global heap object ${i} of ${n} bytes runs past its collection`, h.base + p);
      objects.set(i, [data, n]);
      p = data + pad8(n);
    }
  }
  const o = objects.get(index);
  if (!o) throw h.error(`a variable-length string names global heap object ${index}, which its collection at address ${address} does not hold`, h.base + address);
  const n = Math.min(length, o[1]);
  if (n > 64 << 20) throw h.error(`a string of ${n} bytes`, h.base + o[0]);
  const text = new Reader(h.r.source, h.format, Math.max(n, 1));
  text.seek(h.base + o[0]);
  return decoder.decode(await text.read(n));
}
