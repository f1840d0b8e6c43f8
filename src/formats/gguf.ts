/**
 * @module
 * GGUF (ggml docs/gguf.md): magic 'GGUF', version (1–3), tensor and key-value counts, the key-value metadata, the
 * tensor infos (name, dims, ggml type, offset), then, aligned, the tensor data, which is never read. Counts, string
 * lengths and array lengths are checked against the bytes left in the file before any loop or allocation, so an
 * array claiming 2^60 elements fails at once. Large arrays (the tokenizer's 100k+ tokens) are skipped by their
 * length, keeping only their count. Shapes are given in PyTorch order (GGUF lists ne[0], the fastest dimension,
 * first). A known `general.architecture` is mapped to a Hugging Face config (gguf-config.ts). Split files
 * (name-00001-of-00003.gguf) are read shard by shard through `ReadOptions.sibling`.
 */
import { ModelError } from '../errors.js';
import { cmp, div, plus, prod, times, type Int } from '../int.js';
import { Reader, type ByteSource } from '../io/bytes.js';
import type { Format, ModelFile, ReadOptions, TensorInfo } from './format.js';
import { ggmlType, REMOVED_GGML_TYPES } from './ggml-types.js';
import { configFromGguf } from './gguf-config.js';

/** Limits that no real file comes near (llama.cpp and huggingface.js use similar ones). */
export const GGUF_LIMITS = { kv: 100_000, tensors: 1_000_000, dims: 4, keyBytes: 65_535, depth: 4, keepArray: 1024, keepString: 65_536 } as const;

/** A metadata value: scalars as read; arrays as their element type and count, with the elements when few. */
export type GgufValue = number | bigint | boolean | string | { readonly type: string; readonly count: number; readonly values?: readonly GgufValue[] };

const TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const;
const SIZES: Readonly<Record<string, number>> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, bool: 1, u64: 8, i64: 8, f64: 8 };

/** The parsed header of one GGUF file. */
export interface GgufHeader {
  readonly version: number;
  readonly littleEndian: boolean;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: TensorInfo[];
  /** Absolute offset of the tensor data. */
  readonly dataOffset: number;
}

class GgufParser {
  constructor(
    readonly r: Reader,
    readonly version: number,
  ) {}

  /** A length or count (u32 in version 1), checked so that `count` items of at least `min` bytes fit in the file. */
  async count(what: string, min: number, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
    const at = this.r.position;
    await this.r.ensure(this.version === 1 ? 4 : 8);
    const n = this.version === 1 ? this.r.u32() : this.r.u64(what);
    if (n > limit) throw this.r.error(`${what} is ${n}, more than the limit of ${limit}`, at);
    if (n * min > this.r.remaining) throw this.r.error(`${what} is ${n}, but only ${this.r.remaining} bytes are left in the file (truncated or corrupt)`, at);
    return n;
  }

  /** A string; kept when at most `keep` bytes, else skipped and described. */
  async string(what: string, keep: number = GGUF_LIMITS.keepString, max = Number.MAX_SAFE_INTEGER): Promise<string> {
    const n = await this.count(`the length of ${what}`, 1, max);
    if (n > keep) {
      this.r.skip(n);
      return `(${n} bytes, not read)`;
    }
    await this.r.ensure(n);
    return this.r.utf8(n);
  }

  async value(type: number, key: string, depth: number): Promise<GgufValue> {
    const name = TYPES[type];
    const r = this.r;
    if (name === undefined) throw r.error(`metadata '${key}' has value type ${type}; types 0–12 exist`, r.position - 4);
    if (name === 'string') return this.string(`the string '${key}'`);
    if (name === 'array') {
      if (depth >= GGUF_LIMITS.depth) throw r.error(`metadata '${key}' nests arrays more than ${GGUF_LIMITS.depth} deep`);
      await r.ensure(4);
      const itemType = r.u32();
      const item = TYPES[itemType];
      if (item === undefined) throw r.error(`the array '${key}' has element type ${itemType}; types 0–12 exist`, r.position - 4);
      const size = SIZES[item] ?? (item === 'string' ? (this.version === 1 ? 4 : 8) : 12);
      const count = await this.count(`the element count of the array '${key}'`, size);
      const keep = count <= GGUF_LIMITS.keepArray;
      if (!keep && SIZES[item] !== undefined) {
        r.skip(count * size);
        return { type: item, count };
      }
      if (!keep && item === 'string') {
        // A tokenizer's 100k+ tokens: walk the lengths, decode nothing.
        const width = this.version === 1 ? 4 : 8;
        for (let i = 0; i < count; i++) {
          if (r.available < width) await r.ensure(width);
          const at = r.position;
          const n = width === 4 ? r.u32() : r.u64(`the length of '${key}'[${i}]`);
          if (n > r.remaining) throw r.error(`the length of '${key}'[${i}] is ${n}, but only ${r.remaining} bytes are left in the file (truncated or corrupt)`, at);
          r.skip(n);
        }
        return { type: item, count };
      }
      const values: GgufValue[] = [];
      for (let i = 0; i < count; i++) {
        const v = await this.value(itemType, `${key}[${i}]`, depth + 1);
        if (keep) values.push(v);
      }
      return keep ? { type: item, count, values } : { type: item, count };
    }
    await r.ensure(SIZES[name]!);
    switch (name) {
      case 'u8':
        return r.u8();
      case 'i8':
        return (r.u8() << 24) >> 24;
      case 'u16':
        return r.u16();
      case 'i16':
        return (r.u16() << 16) >> 16;
      case 'u32':
        return r.u32();
      case 'i32':
        return r.i32();
      case 'f32':
        return r.f32();
      case 'f64':
        return r.f64();
      case 'bool': {
        const b = r.u8();
        if (b > 1) throw r.error(`metadata '${key}' is a bool with byte ${b}; 0 or 1 expected`, r.position - 1);
        return b === 1;
      }
      case 'i64': {
        const v = r.i64();
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      default: {
        // u64: big values stay exact as bigints.
        const v = r.u64n();
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
    }
  }
}

/**
 * Reads a GGUF header: metadata and tensor infos, checked; the tensor data is not read.
 * @example const h = await readGgufHeader(src); h.metadata.get('general.architecture') // 'llama'
 */
export async function readGgufHeader(source: ByteSource): Promise<GgufHeader> {
  const r = new Reader(source, 'gguf');
  await r.ensure(8);
  const magic = r.u32();
  if (magic !== 0x46554747) throw r.error(`expected the magic 'GGUF' (47 47 55 46); found ${magic.toString(16).padStart(8, '0').match(/../g)!.reverse().join(' ')}`, 0);
  let version = r.u32();
  // A big-endian file's version reads, little-endian, as n·2^24: its low 16 bits are zero.
  if ((version & 0xffff) === 0 && version !== 0) {
    r.littleEndian = false;
    r.seek(4);
    version = r.u32();
  }
  if (version < 1 || version > 3) throw r.error(`version ${version} is not one nncalc reads (1, 2 or 3)`, 4);
  const p = new GgufParser(r, version);
  const tensorCount = await p.count('the tensor count', 24, GGUF_LIMITS.tensors);
  const kvCount = await p.count('the metadata count', 13, GGUF_LIMITS.kv);
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const at = r.position;
    const key = await p.string(`metadata key ${i}`, GGUF_LIMITS.keyBytes, GGUF_LIMITS.keyBytes);
    if (metadata.has(key)) throw r.error(`metadata key '${key.slice(0, 200)}' appears twice`, at);
    await r.ensure(4);
    metadata.set(key, await p.value(r.u32(), key, 0));
  }
  const alignment = metadata.get('general.alignment') ?? 32;
  if (typeof alignment !== 'number' || alignment < 1 || alignment > 1 << 30 || (alignment & (alignment - 1)) !== 0) {
    throw r.error(`general.alignment is ${String(alignment)}; a power of two was expected`);
  }
  const infos: { info: TensorInfo; offset: number; at: number }[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const at = r.position;
    const name = await p.string(`the name of tensor ${i}`, GGUF_LIMITS.keyBytes, GGUF_LIMITS.keyBytes);
    if (names.has(name)) throw r.error(`tensor '${name.slice(0, 200)}' is declared twice`, at);
    names.add(name);
    await r.ensure(4);
    const nDims = r.u32();
    if (nDims < 1 || nDims > GGUF_LIMITS.dims) throw r.error(`tensor '${name}' has ${nDims} dimensions; 1 to ${GGUF_LIMITS.dims} expected`, r.position - 4);
    const dimBytes = version === 1 ? 4 : 8;
    await r.ensure(dimBytes * nDims + 12);
    const ne: number[] = [];
    for (let d = 0; d < nDims; d++) ne.push(version === 1 ? r.u32() : r.u64(`dimension ${d} of tensor '${name}'`));
    const typeAt = r.position;
    const typeId = r.u32();
    const type = ggmlType(typeId);
    if (!type) {
      const removed = REMOVED_GGML_TYPES[typeId];
      throw r.error(`tensor '${name}' has ggml type ${typeId}${removed ? ` (${removed}), which was removed from the format` : ', which nncalc does not know'}`, typeAt);
    }
    const offset = r.u64(`the offset of tensor '${name}'`);
    if (ne[0]! % type.block !== 0) throw r.error(`tensor '${name}' has ${ne[0]} elements per row, not a multiple of ${type.name}'s block of ${type.block}`, at);
    const bytes: Int = times(div(times(ne[0]!, type.bytes), type.block, 'floor'), prod(ne.slice(1)));
    infos.push({ info: { name, shape: [...ne].reverse(), dtype: type.name, bytes }, offset, at });
  }
  const dataOffset = Math.ceil(r.position / alignment) * alignment;
  if (dataOffset > source.size) throw r.error(`the tensor data should start at byte offset ${dataOffset}, past the end of the file (${source.size} bytes; truncated?)`);
  const data = source.size - dataOffset;
  let end: Int = 0;
  let previous = '';
  for (const t of [...infos].sort((a, b) => a.offset - b.offset)) {
    const name = t.info.name;
    if (t.offset % alignment !== 0) throw r.error(`tensor '${name}' has data offset ${t.offset}, not a multiple of the alignment ${alignment}`, t.at);
    if (cmp(t.offset, end) < 0) throw r.error(`tensor '${name}' (data offset ${t.offset}) overlaps '${previous}', which ends at ${end}`, t.at);
    end = plus(t.offset, t.info.bytes!);
    if (cmp(end, data) > 0) {
      throw r.error(`tensor '${name}' (${t.info.dtype} [${t.info.shape.join(', ')}], ${t.info.bytes} bytes at data offset ${t.offset}) runs past the end of the file (the data holds ${data} bytes from byte offset ${dataOffset}; truncated?)`, t.at);
    }
    previous = name;
  }
  return { version, littleEndian: r.littleEndian, metadata, tensors: infos.map((t) => t.info), dataOffset };
}

/** A value for ModelFile.metadata: scalars as they are, arrays as 'array of N strings'. */
function shown(v: GgufValue): string | number | boolean {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return `array of ${v.count} ${v.type}`;
  return typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v;
}

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

async function read(source: ByteSource, options: ReadOptions): Promise<ModelFile> {
  const h = await readGgufHeader(source);
  const notes: string[] = [];
  const tensors = [...h.tensors];
  const splits = h.metadata.get('split.count');
  const base = source.name.split(/[\\/]/).pop()!;
  const m = SPLIT.exec(base);
  if (typeof splits === 'number' && splits > 1) {
    if (m && Number(m[2]) === 1 && options.sibling) {
      for (let i = 2; i <= splits; i++) {
        const file = `${m[1]}-${String(i).padStart(5, '0')}-of-${m[3]}.gguf`;
        const shard = await options.sibling(file);
        if (!shard) throw new ModelError('file', `gguf: ${base} is split into ${splits} files, but '${file}' is not beside it.`);
        tensors.push(...(await readGgufHeader(shard)).tensors);
      }
      notes.push(`The model is split into ${splits} GGUF files; the tensors of all of them are counted.`);
    } else {
      notes.push(`This file is one of ${splits} parts (split.no ${String(h.metadata.get('split.no') ?? '?')}); only its own tensors are counted. Give the first part, named …-00001-of-…, to read them all.`);
    }
  }
  const metadata: Record<string, string | number | boolean> = { version: h.version };
  if (!h.littleEndian) metadata['byte order'] = 'big-endian';
  for (const [k, v] of h.metadata) if (!k.startsWith('tokenizer.') || typeof v !== 'object') metadata[k] = shown(v);
  const mapped = configFromGguf(h.metadata, tensors);
  notes.push(...mapped.notes);
  return { format: 'gguf', name: source.name, tensors, metadata, notes, ...(mapped.config ? { config: mapped.config } : {}) };
}

/** 'GGUF' at byte 0. */
const sniff = (head: Uint8Array): boolean => head.length >= 4 && head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;

export const gguf: Format = { id: 'gguf', title: 'GGUF', extensions: ['gguf'], sniff, read };
