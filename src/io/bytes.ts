/**
 * @module
 * Random access to a model file's bytes without reading the whole file. A `ByteSource` is a file handle, a
 * browser Blob, an HTTP(S) URL read by Range requests, or bytes in memory; a `Reader` walks one through a
 * bounded window, so a reader touches only the metadata it parses and skips weights by their length.
 *
 * Every length and offset read from a file is checked against the file's size before it is used, and no
 * allocation is larger than the window or the 1 MiB read-ahead, so a hostile length fails with a located
 * ModelError instead of exhausting memory.
 */
import { ModelError } from '../errors.js';

/** What was read so far: the figures the bench and tests assert on. */
export interface ByteStats {
  requests: number;
  bytes: number;
}

/** Random-access bytes of one file. */
export interface ByteSource {
  /** File path, URL or Blob name: used in errors and to sniff the format by extension. */
  readonly name: string;
  /** Total length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset` (the caller keeps offset + length ≤ size). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Requests made and bytes transferred through this source. */
  readonly stats: ByteStats;
  /** Releases what the source holds (a file handle); absent when there is nothing to release. */
  close?(): Promise<void>;
}

/** Bytes already in memory (tests, small members of a zip, a pasted file). */
export function memorySource(data: Uint8Array, name = 'memory'): ByteSource {
  const stats: ByteStats = { requests: 0, bytes: 0 };
  return {
    name,
    size: data.length,
    stats,
    read(offset, length) {
      stats.requests++;
      stats.bytes += length;
      return Promise.resolve(data.subarray(offset, offset + length));
    },
  };
}

/** A view of `length` bytes of `parent` from `start`: a STORED zip member, an external-data file region. */
export function rangeSource(parent: ByteSource, start: number, length: number, name = parent.name): ByteSource {
  if (start < 0 || length < 0 || start + length > parent.size) {
    throw new ModelError('file', `${name}: a region of ${length} bytes at offset ${start} runs past the end of ${parent.name} (${parent.size} bytes).`);
  }
  return {
    name,
    size: length,
    stats: parent.stats,
    read: (offset, n) => parent.read(start + offset, n),
  };
}

/** The pieces joined into one array, in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Everything a stream gives (an HTTP body, an inflated zip member, a decompressed link), refused past `limit`
 * bytes: the stream is cancelled and `tooLong()` thrown, so a hostile length never grows the buffer further.
 */
export async function readCapped(stream: ReadableStream<Uint8Array>, limit: number, tooLong: () => Error): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLong();
    }
    parts.push(value);
  }
  return concatBytes(parts);
}

/** Default window: large enough for one metadata block of any format here, small enough to bound memory. */
export const WINDOW = 1 << 20;
/** The most a Reader reads at once while a parser streams through metadata (a 50,000-node graph). */
const AHEAD = 1 << 20;

const text = new TextDecoder('utf-8', { fatal: false });
/** Strings up to this many bytes may be shared (see Reader.utf8), in a table of this many slots. */
const SHORT = 64;
const TABLE = 1 << 12;

/**
 * A read past the window without `ensure()` first: a bug in a parser that should have asked for the bytes, or,
 * for a parser that reads a message known to lie in the window (ONNX's fast paths), a field that claims to run
 * past its message, which that parser then leaves to the general one.
 */
export class PastWindow extends Error {}

/**
 * A cursor over a ByteSource with a refillable window. `ensure(n)` (async) brings the next n bytes into the
 * window; the typed reads after it are synchronous. `skip` moves without reading. Reads are little-endian unless `littleEndian` is set false.
 * @example const r = new Reader(src, 'safetensors'); await r.ensure(8); const headerLength = r.u64();
 */
export class Reader {
  readonly source: ByteSource;
  /** Format name for errors: 'onnx', 'gguf'. */
  readonly format: string;
  private readonly max: number;
  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.buf.buffer);
  /** How many bytes the last read asked for (see ensure). */
  private chunk = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  /** Byte order of the typed reads; true (little-endian) unless a format says otherwise (big-endian GGUF). */
  littleEndian = true;

  constructor(source: ByteSource, format: string, window = WINDOW) {
    this.source = source;
    this.format = format;
    this.max = window;
  }

  get position(): number {
    return this.pos;
  }
  get size(): number {
    return this.source.size;
  }
  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** A ModelError located at the current offset (or `at`). */
  error(message: string, at = this.pos): ModelError {
    return new ModelError('file', `${this.format}: ${message} (at byte offset ${at} of ${this.source.name})`);
  }

  /** Moves to an absolute offset within the file. */
  seek(offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.size) throw this.error(`offset ${offset} is outside the file of ${this.size} bytes`);
    this.pos = offset;
  }

  /** Moves forward n bytes without reading them. */
  skip(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.remaining) throw this.error(`a length of ${n} bytes runs past the end of the file (${this.remaining} bytes left)`);
    this.pos += n;
  }

  /** Makes the next n bytes readable synchronously. n is bounded by the window and by the file. */
  async ensure(n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0) throw this.error(`bad length ${n}`);
    if (n > this.remaining) throw this.error(`needs ${n} bytes, but the file ends ${this.remaining} bytes later (truncated?)`);
    if (n > this.max) throw this.error(`a block of ${n} bytes is larger than the ${this.max}-byte limit for metadata`);
    const end = this.base + this.buf.length;
    if (this.pos >= this.base && this.pos + n <= end) return;
    // Read ahead more while the parser streams through the file (it used the window up to its end); after a
    // skip (weights passed by their length) start small again, so bytes that are skipped are not read.
    const streaming = this.buf.length > 0 && this.pos >= this.base && this.pos <= end;
    this.chunk = streaming ? Math.min(this.chunk * 2, Math.max(this.max, AHEAD)) : Math.min(this.max, 64 << 10);
    const length = Math.min(Math.max(n, this.chunk), this.remaining);
    const data = await this.source.read(this.pos, length);
    if (data.length !== length) throw this.error(`the source returned ${data.length} bytes where ${length} were asked`);
    this.buf = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.base = this.pos;
  }

  /** Bytes of the window ahead of the cursor (at least what was ensured). */
  get available(): number {
    return this.pos >= this.base ? this.base + this.buf.length - this.pos : 0;
  }

  private at(n: number): number {
    const i = this.pos - this.base;
    if (i < 0 || i + n > this.buf.length) {
      if (n > this.remaining) throw this.error(`needs ${n} bytes, but the file ends ${this.remaining} bytes later (truncated?)`);
      throw new PastWindow(`bug: ${this.format} reader read ${n} bytes without ensure()`);
    }
    this.pos += n;
    return i;
  }

  u8(): number {
    return this.buf[this.at(1)]!;
  }
  u16(): number {
    return this.view.getUint16(this.at(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.at(4), this.littleEndian);
  }
  i32(): number {
    return this.view.getInt32(this.at(4), this.littleEndian);
  }
  f32(): number {
    return this.view.getFloat32(this.at(4), this.littleEndian);
  }
  f64(): number {
    return this.view.getFloat64(this.at(8), this.littleEndian);
  }
  /** An unsigned 64-bit integer that must be a safe number (a length, a count, an offset). */
  u64(what = 'value'): number {
    const start = this.pos;
    const i = this.at(8);
    // Two 32-bit halves, no BigInt: this runs once per string of a tokenizer's 100k+ tokens.
    const lo = this.view.getUint32(this.littleEndian ? i : i + 4, this.littleEndian);
    const hi = this.view.getUint32(this.littleEndian ? i + 4 : i, this.littleEndian);
    if (hi > 0x1fffff) throw this.error(`${what} ${(BigInt(hi) << 32n) | BigInt(lo)} is too large`, start);
    return hi * 4294967296 + lo;
  }
  /** An unsigned 64-bit integer as a bigint (metadata values that may pass 2^53). */
  u64n(): bigint {
    return this.view.getBigUint64(this.at(8), this.littleEndian);
  }
  /** A signed 64-bit integer as a bigint (shapes and attributes that may be negative). */
  i64(): bigint {
    return this.view.getBigInt64(this.at(8), this.littleEndian);
  }
  /** An unsigned LEB128 varint (protobuf) that must be a safe number; at most 10 bytes. */
  varint(what = 'varint'): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) throw this.error(`${what} ${result} is too large`, start);
        return result;
      }
      scale *= 128;
    }
    throw this.error(`${what} runs longer than 10 bytes`, start);
  }
  /** A copy of the next n bytes (n must have been ensured). */
  bytes(n: number): Uint8Array {
    const i = this.at(n);
    return this.buf.slice(i, i + n);
  }
  /**
   * The next n bytes as UTF-8 text (n must have been ensured). Short ASCII strings are kept in a small table and
   * handed out again when the same bytes come back: a graph names each value once where it is made and again
   * wherever it is read, and writes 'Conv' or 'pads' thousands of times.
   */
  utf8(n: number): string {
    const i = this.at(n);
    const buf = this.buf;
    if (n <= SHORT) {
      let h = n;
      let high = 0;
      for (let j = i; j < i + n; j++) {
        const b = buf[j]!;
        high |= b;
        h = Math.imul(h ^ b, 16777619);
      }
      if (high < 0x80) {
        const slot = (h >>> 0) & (TABLE - 1);
        const known = this.strings[slot];
        if (known !== undefined && known.length === n) {
          let j = 0;
          while (j < n && known.charCodeAt(j) === buf[i + j]) j++;
          if (j === n) return known;
        }
        const s = text.decode(buf.subarray(i, i + n));
        this.strings[slot] = s;
        return s;
      }
    }
    return text.decode(buf.subarray(i, i + n));
  }
  /** Short strings seen before, by a hash of their bytes (a later one with the same hash takes the slot). */
  private readonly strings: (string | undefined)[] = new Array<string | undefined>(TABLE);

  /** ensure(n) then bytes(n): for small blocks whose length the caller has already bounded. */
  async read(n: number): Promise<Uint8Array> {
    await this.ensure(n);
    return this.bytes(n);
  }
}
