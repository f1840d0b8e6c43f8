/**
 * @module
 * A ZIP archive read from its central directory (PKWARE APPNOTE 6.3.x, sections 4.3.7–4.3.16), for the formats that
 * are zips: PyTorch's `torch.save` and `torch.jit.save` files and Keras's `.keras`. Only the end records and the
 * central directory are read; a member is opened on demand. A STORED member becomes a `rangeSource` view of the
 * archive (nothing copied, so a weights file inside it is read lazily like any file); a DEFLATE member is inflated
 * with `DecompressionStream('deflate-raw')` (browsers and Node 20) only when it is small metadata, and never past a
 * hard cap on its inflated size, so a zip bomb fails at the cap.
 *
 * Every size and offset is checked against the archive before use: the end record is looked for only in the last
 * 65,557 bytes (22 bytes and the longest comment); the central directory, each local header and each member's data
 * must lie inside the file; counts are checked against the bytes that would hold them.
 */
import { ModelError } from '../errors.js';
import { rangeSource, readCapped, Reader, type ByteSource } from './bytes.js';

/** One member as the central directory describes it. */
export interface ZipEntry {
  readonly name: string;
  /** 0 STORED, 8 DEFLATE; anything else is refused when the member is opened. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** An archive's directory. */
export interface Zip {
  readonly source: ByteSource;
  /** Format name for errors: 'pytorch', 'keras'. */
  readonly format: string;
  /** Members by name, in directory order. */
  readonly entries: ReadonlyMap<string, ZipEntry>;
  /** Where the central directory starts: every member's data lies before it. */
  readonly directoryOffset: number;
}

/** Bounds: a member read whole (inflated or not) and the members an archive may list. */
export const ZIP_LIMITS = { maxEntries: 1_000_000, maxInflated: 64 << 20 };

const EOCD = 0x06054b50;
const LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The end record's size without its comment, and the longest comment. */
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** True when the first bytes are a zip's local header (or the end record of an empty zip). */
export const isZip = (head: Uint8Array): boolean => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));

/** The name of the first member, from the first local header in `head` (for sniffing): undefined if it does not fit. */
export function firstZipName(head: Uint8Array): string | undefined {
  if (!isZip(head) || head[2] !== 3 || head.length < 30) return undefined;
  const n = head[26]! | (head[27]! << 8);
  if (30 + n > head.length) return undefined;
  return new TextDecoder().decode(head.subarray(30, 30 + n));
}

const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The offset of the end record: the last signature whose comment ends exactly at the end of the file, else the last one. */
function findEnd(tail: Uint8Array, tailStart: number, size: number): number | undefined {
  let loose: number | undefined;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (u32(tail, i) !== EOCD) continue;
    const comment = tail[i + 20]! | (tail[i + 21]! << 8);
    if (tailStart + i + EOCD_SIZE + comment === size) return tailStart + i;
    loose ??= tailStart + i;
  }
  return loose;
}

/**
 * Reads an archive's end records and central directory.
 * @example const zip = await readZip(source, 'pytorch'); zip.entries.get('archive/data.pkl')?.size
 */
export async function readZip(source: ByteSource, format: string): Promise<Zip> {
  const E = (message: string) => new ModelError('file', `${format}: ${message} (in the zip archive ${source.name})`);
  if (source.size < EOCD_SIZE) throw E(`the file is ${source.size} bytes, shorter than a zip's 22-byte end record (truncated?)`);
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const r = new Reader(source, format, Math.max(tailLength, 1 << 16));
  r.seek(tailStart);
  await r.ensure(tailLength);
  const tail = r.bytes(tailLength);
  const end = findEnd(tail, tailStart, source.size);
  if (end === undefined) throw E(`no end-of-central-directory record (PK\\x05\\x06) in the last ${tailLength} bytes: not a zip, or truncated`);
  r.seek(end + 4);
  await r.ensure(18);
  const [disk, cdDisk, onDisk] = [r.u16(), r.u16(), r.u16()];
  let count = r.u16();
  let cdSize = r.u32();
  let cdOffset = r.u32();
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw E(`the end record at byte offset ${end} describes a multi-disk archive (disk ${disk}), which nncalc does not read`);
  // ZIP64: a locator 20 bytes before the end record points at the ZIP64 end record, which holds the 64-bit values.
  if (end >= 20 && u32(tail, end - 20 - tailStart) === LOCATOR) {
    r.seek(end - 20 + 8);
    await r.ensure(8);
    const at = r.u64('ZIP64 end record offset');
    if (at + 56 > end - 20) throw E(`the ZIP64 locator at byte offset ${end - 20} points at ${at}, past where the end records start`);
    r.seek(at);
    await r.ensure(56);
    if (r.u32() !== EOCD64) throw E(`no ZIP64 end record (PK\\x06\\x06) at byte offset ${at}, where the locator points`);
    r.skip(20);
    const entries = r.u64('ZIP64 entry count');
    if (r.u64('ZIP64 entry count') !== entries) throw E(`the ZIP64 end record at byte offset ${at} describes a multi-disk archive`);
    count = entries;
    cdSize = r.u64('central directory size');
    cdOffset = r.u64('central directory offset');
  }
  if (cdOffset + cdSize > end) throw E(`the central directory (${cdSize} bytes at byte offset ${cdOffset}) runs past the end records at ${end}`);
  if (count > ZIP_LIMITS.maxEntries) throw E(`the end record declares ${count} members, more than the ${ZIP_LIMITS.maxEntries} nncalc reads`);
  if (count * 46 > cdSize) throw E(`the end record declares ${count} members, but a central directory of ${cdSize} bytes holds at most ${Math.floor(cdSize / 46)}`);
  const entries = new Map<string, ZipEntry>();
  const dir = new Reader(source, format);
  dir.seek(cdOffset);
  const text = new TextDecoder('utf-8', { fatal: false });
  for (let i = 0; i < count; i++) {
    const at = dir.position;
    if (at + 46 > cdOffset + cdSize) throw E(`central directory entry ${i} at byte offset ${at} runs past the directory's end at ${cdOffset + cdSize}`);
    await dir.ensure(46);
    if (dir.u32() !== CENTRAL) throw E(`no central directory entry (PK\\x01\\x02) at byte offset ${at}, where entry ${i} of ${count} should be`);
    dir.skip(6);
    const method = dir.u16();
    dir.skip(8);
    let compressedSize = dir.u32();
    let size = dir.u32();
    const [nameLength, extraLength, commentLength] = [dir.u16(), dir.u16(), dir.u16()];
    dir.skip(8);
    let localHeaderOffset = dir.u32();
    const variable = nameLength + extraLength + commentLength;
    if (at + 46 + variable > cdOffset + cdSize) throw E(`central directory entry ${i} at byte offset ${at} runs past the directory's end at ${cdOffset + cdSize}`);
    await dir.ensure(variable);
    const name = text.decode(dir.bytes(nameLength));
    // The ZIP64 extended information extra field (0x0001): the 64-bit values of the fields that hold 0xFFFFFFFF, in order.
    const extraEnd = dir.position + extraLength;
    while (dir.position + 4 <= extraEnd) {
      const [id, length] = [dir.u16(), dir.u16()];
      if (dir.position + length > extraEnd) throw E(`the extra field of '${name}' (central directory, byte offset ${at}) runs past its length`);
      const fieldEnd = dir.position + length;
      if (id === 1) {
        const next = (what: string) => {
          if (dir.position + 8 > fieldEnd) throw E(`the ZIP64 extra field of '${name}' lacks its ${what}`);
          return dir.u64(`${what} of '${name}'`);
        };
        if (size === 0xffffffff) size = next('size');
        if (compressedSize === 0xffffffff) compressedSize = next('compressed size');
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next('local header offset');
      }
      dir.seek(fieldEnd);
    }
    dir.seek(extraEnd + commentLength);
    if (localHeaderOffset + 30 + compressedSize > cdOffset) {
      throw E(`member '${name}' declares ${compressedSize} bytes at byte offset ${localHeaderOffset}, past the central directory at ${cdOffset}`);
    }
    if (entries.has(name)) throw E(`two members are named '${name}'`);
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
  }
  return { source, format, entries, directoryOffset: cdOffset };
}

/** Where a member's data starts: after its local header, whose name and extra field (PyTorch pads it to align the data) may differ in length from the central directory's. */
async function dataOffset(zip: Zip, entry: ZipEntry): Promise<number> {
  const E = (message: string) => new ModelError('file', `${zip.format}: member '${entry.name}' of ${zip.source.name}: ${message}`);
  const r = new Reader(zip.source, zip.format, 4096);
  r.seek(entry.localHeaderOffset);
  await r.ensure(30);
  if (r.u32() !== LOCAL) throw E(`no local header (PK\\x03\\x04) at byte offset ${entry.localHeaderOffset}`);
  r.skip(22);
  const [nameLength, extraLength] = [r.u16(), r.u16()];
  await r.ensure(nameLength);
  const local = new TextDecoder('utf-8', { fatal: false }).decode(r.bytes(nameLength));
  if (local !== entry.name) throw E(`the local header at byte offset ${entry.localHeaderOffset} names '${local.slice(0, 200)}'`);
  const start = entry.localHeaderOffset + 30 + nameLength + extraLength;
  if (start + entry.compressedSize > zip.directoryOffset) {
    throw E(`its ${entry.compressedSize} bytes of data at byte offset ${start} run past the central directory at ${zip.directoryOffset}`);
  }
  return start;
}

/** A STORED member as a view of the archive (no copy): a pickle or an HDF5 file read lazily. */
export async function entrySource(zip: Zip, entry: ZipEntry): Promise<ByteSource> {
  if (entry.method !== 0) {
    throw new ModelError('file', `${zip.format}: member '${entry.name}' of ${zip.source.name} is compressed (method ${entry.method}); nncalc reads large members only when they are STORED, as the saving tools write them.`);
  }
  if (entry.size !== entry.compressedSize) {
    throw new ModelError('file', `${zip.format}: member '${entry.name}' of ${zip.source.name} is STORED but declares ${entry.size} bytes and ${entry.compressedSize} compressed`);
  }
  return rangeSource(zip.source, await dataOffset(zip, entry), entry.size, `${zip.source.name}/${entry.name}`);
}

/** Inflates raw DEFLATE data, refusing output past `cap` bytes. */
async function inflate(data: Uint8Array, cap: number, declared: number, where: string): Promise<Uint8Array> {
  const limit = Math.min(cap, declared);
  const stream = new Blob([new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  try {
    return await readCapped(
      stream,
      limit,
      () => new ModelError('file', `${where} inflates to more than ${limit} bytes, ${limit === declared ? 'the size its directory entry declares' : 'the limit for a metadata member'} (a zip bomb?)`),
    );
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('file', `${where} is not valid DEFLATE data (${(e as Error).message})`);
  }
}

/**
 * A small member's bytes (config.json, metadata.json, a pickle): STORED or DEFLATE, at most `cap` bytes once
 * inflated, and of the size the directory declares.
 */
export async function readEntry(zip: Zip, entry: ZipEntry, cap = ZIP_LIMITS.maxInflated): Promise<Uint8Array> {
  const where = `${zip.format}: member '${entry.name}' of ${zip.source.name}`;
  if (entry.size > cap) throw new ModelError('file', `${where} declares ${entry.size} bytes, more than the ${cap}-byte limit for a metadata member`);
  if (entry.method !== 0 && entry.method !== 8) throw new ModelError('file', `${where} uses compression method ${entry.method}; nncalc reads STORED (0) and DEFLATE (8) members`);
  if (entry.compressedSize > cap) throw new ModelError('file', `${where} holds ${entry.compressedSize} compressed bytes, more than the ${cap}-byte limit for a metadata member`);
  const start = await dataOffset(zip, entry);
  if (entry.method === 0 && entry.compressedSize !== entry.size) throw new ModelError('file', `${where} is STORED but declares ${entry.size} bytes and ${entry.compressedSize} compressed`);
  const r = new Reader(zip.source, zip.format, Math.max(entry.compressedSize, 1));
  r.seek(start);
  const raw = await r.read(entry.compressedSize);
  if (entry.method === 0) return raw;
  const out = await inflate(raw, cap, entry.size, where);
  if (out.length !== entry.size) throw new ModelError('file', `${where} inflates to ${out.length} bytes, but the directory declares ${entry.size}`);
  return out;
}
