/**
 * @module
 * A minimal HDF5 metadata reader (the HDF5 File Format Specification, version 3.0): enough to walk groups, read
 * attributes and learn each dataset's shape and element type — never a dataset's data. It reads superblocks
 * versions 0–3, object headers versions 1 and 2 (with their continuation blocks), and the messages a Keras file
 * needs: dataspace (0x0001), datatype (0x0003), attribute (0x000C), continuation (0x0010), symbol table (0x0011),
 * link (0x0006) and link info (0x0002); groups of the old kind through their version-1 B-tree and local heap,
 * groups of the new kind through their link messages; variable-length strings through the global heap.
 * Groups and attributes kept in a fractal heap (dense storage, written only past thousands of links) are refused.
 *
 * Every address and length is checked against the file before it is read, structures are read at most once
 * (a B-tree or a continuation that loops fails), and counts are capped, so a hostile file fails with the byte offset.
 */
import { ModelError } from '../errors.js';
import { Reader, type ByteSource } from './bytes.js';
import { pageCache } from './cache.js';
import { attributeValue, datatype, type H5Type } from './hdf5-types.js';

export type { H5Type } from './hdf5-types.js';

/** One object header's messages: type and where its body lies. */
interface Message {
  readonly type: number;
  readonly at: number;
  readonly size: number;
}

/** A dataset's shape and element type, from its header. */
export interface H5Dataset {
  readonly shape: number[];
  readonly type: H5Type;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Objects, B-tree nodes and heap blocks visited in one file, at most. */
const MAX_VISITS = 1_000_000;
/** An attribute's value read whole, at most. */
const MAX_ATTRIBUTE = 64 << 20;

/** True when the bytes start with the HDF5 signature (a superblock at offset 0). */
export const isHdf5 = (head: Uint8Array): boolean => head.length >= 8 && SIGNATURE.every((b, i) => head[i] === b);

/** An open HDF5 file: its superblock, and reads of object headers, groups, attributes and datasets. */
export class Hdf5 {
  readonly r: Reader;
  /** Size of offsets and of lengths (bytes). */
  offsetSize = 8;
  lengthSize = 8;
  /** Where addresses count from (a user block before the superblock). */
  base = 0;
  /** The root group's object header. */
  root = 0;
  /** Old-style root: its B-tree and local heap, from the superblock's scratch pad. */
  private visits = 0;

  private constructor(readonly source: ByteSource, readonly format: string) {
    // Metadata lies all over the file: 16 KiB pages, up to 4 MiB of them cached, each read once while held.
    this.r = new Reader(pageCache(source), format, 1 << 16);
  }

  /** Opens a file: finds the superblock at 0, 512, 1024, … and reads it. */
  static async open(source: ByteSource, format: string): Promise<Hdf5> {
    const h = new Hdf5(source, format);
    await h.superblock();
    return h;
  }

  error(message: string, at: number): ModelError {
    return new ModelError('file', `${this.format}: HDF5: ${message} (at byte offset ${at} of ${this.source.name})`);
  }

  private count(at: number): void {
    if (++this.visits > MAX_VISITS) throw this.error(`more than ${MAX_VISITS} structures read`, at);
  }

  /** Seeks to an address (relative to the base) that must lie inside the file with `n` bytes after it. */
  async at(address: number, n: number, what: string): Promise<void> {
    const abs = this.base + address;
    if (!Number.isSafeInteger(abs) || address < 0 || abs + n > this.source.size) throw this.error(`${what} at address ${address} (${n} bytes) lies outside the file of ${this.source.size} bytes`, this.r.position);
    this.r.seek(abs);
    await this.r.ensure(Math.min(n, this.r.remaining));
  }

  /** An offset-sized value; undefined for the undefined address (all bits set). */
  offset(): number | undefined {
    const r = this.r;
    if (this.offsetSize === 4) {
      const v = r.u32();
      return v === 0xffffffff ? undefined : v;
    }
    if (this.offsetSize === 2) {
      const v = r.u16();
      return v === 0xffff ? undefined : v;
    }
    const start = r.position;
    const [lo, hi] = [r.u32(), r.u32()];
    if (lo === 0xffffffff && hi === 0xffffffff) return undefined;
    if (hi > 0x1fffff) throw this.error(`address ${(BigInt(hi) << 32n) | BigInt(lo)} is too large`, start);
    return hi * 4294967296 + lo;
  }

  /** A length-sized value. */
  length(what: string): number {
    const r = this.r;
    return this.lengthSize === 4 ? r.u32() : this.lengthSize === 2 ? r.u16() : r.u64(what);
  }

  private async superblock(): Promise<void> {
    const r = this.r;
    let start = -1;
    for (let at = 0; at + 8 <= this.source.size && at <= 1 << 30; at = at === 0 ? 512 : at * 2) {
      r.seek(at);
      await r.ensure(8);
      if (SIGNATURE.every((b) => r.u8() === b)) {
        start = at;
        break;
      }
    }
    if (start < 0) throw this.error('no HDF5 signature (\\x89HDF\\r\\n\\x1a\\n) at offset 0, 512, 1024, …: not an HDF5 file', 0);
    r.seek(start + 8);
    await r.ensure(Math.min(96, r.remaining));
    const version = r.u8();
    if (version > 3) throw this.error(`superblock version ${version}; nncalc reads versions 0 to 3`, start + 8);
    if (version <= 1) {
      r.skip(4);
      [this.offsetSize, this.lengthSize] = [r.u8(), r.u8()];
      this.checkSizes(start);
      r.skip(1 + 4 + 4 + (version === 1 ? 4 : 0));
      await r.ensure(4 * this.offsetSize + 2 * this.offsetSize + 24);
      this.base = this.offset() ?? 0;
      r.skip(3 * this.offsetSize); // free space, end of file, driver info
      r.skip(this.offsetSize); // the root entry's link name offset
      const root = this.offset();
      if (root === undefined) throw this.error('the root group has no object header', r.position);
      this.root = root;
    } else {
      [this.offsetSize, this.lengthSize] = [r.u8(), r.u8()];
      this.checkSizes(start);
      r.skip(1);
      await r.ensure(4 * this.offsetSize);
      this.base = this.offset() ?? 0;
      r.skip(2 * this.offsetSize); // superblock extension, end of file
      const root = this.offset();
      if (root === undefined) throw this.error('the root group has no object header', r.position);
      this.root = root;
    }
    if (this.base !== start && this.base !== 0) throw this.error(`base address ${this.base} differs from the superblock's offset ${start}`, start);
    this.base = start;
  }

  private checkSizes(at: number): void {
    if (![2, 4, 8].includes(this.offsetSize) || ![2, 4, 8].includes(this.lengthSize)) {
      throw this.error(`sizes of offsets ${this.offsetSize} and lengths ${this.lengthSize}; expected 2, 4 or 8`, at + 13);
    }
  }

  /** The messages of the object header at `address` (versions 1 and 2, continuation blocks followed). */
  async messages(address: number): Promise<Message[]> {
    const r = this.r;
    this.count(address);
    await this.at(address, 16, 'an object header');
    const out: Message[] = [];
    const blocks: { at: number; size: number; v2: boolean }[] = [];
    const seen = new Set<number>();
    let creationOrder = false;
    if (r.u32() === 0x5244484f) {
      // 'OHDR': version 2
      const version = r.u8();
      if (version !== 2) throw this.error(`object header version ${version} after OHDR`, this.base + address + 4);
      const flags = r.u8();
      creationOrder = (flags & 0x04) !== 0;
      if (flags & 0x20) r.skip(16);
      if (flags & 0x10) r.skip(4);
      await r.ensure(8);
      const width = 1 << (flags & 3);
      const size = width === 1 ? r.u8() : width === 2 ? r.u16() : width === 4 ? r.u32() : r.u64('object header size');
      blocks.push({ at: r.position - this.base, size, v2: true });
    } else {
      r.seek(this.base + address);
      await r.ensure(16);
      const version = r.u8();
      if (version !== 1) throw this.error(`object header version ${version}; expected 1, or the OHDR signature of version 2`, this.base + address);
      r.skip(1 + 2 + 4);
      const size = r.u32();
      blocks.push({ at: address + 16, size, v2: false });
    }
    for (let b = 0; b < blocks.length; b++) {
      const { at, size, v2 } = blocks[b]!;
      if (seen.has(at)) throw this.error(`object header continuation at address ${at} is reached twice (a loop)`, this.base + at);
      seen.add(at);
      this.count(at);
      if (blocks.length > 10_000) throw this.error('more than 10,000 object header continuation blocks', this.base + at);
      let p = at;
      let end = at + size;
      if (v2 && b > 0) {
        await this.at(at, 4, 'an object header continuation block');
        if (r.u32() !== 0x4b48434f) throw this.error('no OCHK signature where a continuation block should start', this.base + at);
        p += 4;
      }
      if (v2 && b > 0) end -= 4; // a continuation block's checksum (chunk 0's size leaves its checksum out)
      const head = v2 ? 4 + (creationOrder ? 2 : 0) : 8;
      while (p + head <= end) {
        await this.at(p, head, 'an object header message');
        const type = v2 ? r.u8() : r.u16();
        const bytes = r.u16();
        r.skip(v2 ? 1 + (creationOrder ? 2 : 0) : 4);
        const body = p + head;
        if (body + bytes > end) throw this.error(`a message of ${bytes} bytes runs past its object header block (ends at ${end})`, this.base + p);
        if (type === 0x10) {
          await this.at(body, this.offsetSize + this.lengthSize, 'a continuation message');
          const next = this.offset();
          const length = this.length('continuation length');
          if (next !== undefined) blocks.push({ at: next, size: length, v2 });
        } else if (type !== 0) out.push({ type, at: body, size: bytes });
        p = body + bytes;
      }
    }
    return out;
  }

  /** The links of the group at `address`: name → object header address. */
  async links(address: number): Promise<Map<string, number>> {
    const messages = await this.messages(address);
    const out = new Map<string, number>();
    for (const m of messages) {
      if (m.type === 0x11) {
        await this.at(m.at, 2 * this.offsetSize, 'a symbol table message');
        const tree = this.offset();
        const heap = this.offset();
        if (tree !== undefined && heap !== undefined) await this.symbolTable(tree, heap, out);
      } else if (m.type === 0x06) {
        await this.link(m, out);
      } else if (m.type === 0x02) {
        await this.at(m.at, 2 + 8 + 2 * this.offsetSize, 'a link info message');
        const flags = (this.r.skip(1), this.r.u8());
        if (flags & 1) this.r.skip(8);
        const heap = this.offset();
        if (heap !== undefined) throw this.error('the group keeps its links in a fractal heap (dense storage), which nncalc does not read', this.base + m.at);
      }
    }
    return out;
  }

  /** A link message (version 1): a hard link's name and address; soft and external links are skipped. */
  private async link(m: Message, out: Map<string, number>): Promise<void> {
    const r = this.r;
    await this.at(m.at, m.size, 'a link message');
    const end = this.base + m.at + m.size;
    const version = r.u8();
    if (version !== 1) throw this.error(`link message version ${version}`, this.base + m.at);
    const flags = r.u8();
    const kind = flags & 0x08 ? r.u8() : 0;
    if (flags & 0x04) r.skip(8);
    if (flags & 0x10) r.skip(1);
    const width = 1 << (flags & 3);
    const n = width === 1 ? r.u8() : width === 2 ? r.u16() : width === 4 ? r.u32() : r.u64('link name length');
    if (r.position + n > end) throw this.error(`a link name of ${n} bytes runs past its message`, r.position);
    const name = r.utf8(n);
    if (kind !== 0) return;
    if (r.position + this.offsetSize > end) throw this.error(`the hard link '${name.slice(0, 100)}' lacks its address`, r.position);
    const target = this.offset();
    if (target !== undefined) out.set(name, target);
  }

  /** An old-style group: its version-1 B-tree of symbol nodes, names in its local heap. */
  private async symbolTable(tree: number, heap: number, out: Map<string, number>): Promise<void> {
    const r = this.r;
    await this.at(heap, 8 + 2 * this.lengthSize + this.offsetSize, 'a local heap');
    if (r.u32() !== 0x50414548) throw this.error("no local heap signature 'HEAP'", this.base + heap);
    r.skip(4);
    const dataSize = this.length('heap size');
    this.length('free list offset');
    const data = this.offset();
    if (data === undefined) throw this.error('a local heap without a data segment', this.base + heap);
    const seen = new Set<number>();
    const visit = async (node: number, depth: number): Promise<void> => {
      if (depth > 64) throw this.error('a group B-tree deeper than 64 levels', this.base + node);
      if (seen.has(node)) throw this.error(`B-tree node at address ${node} is reached twice (a loop)`, this.base + node);
      seen.add(node);
      this.count(node);
      await this.at(node, 8 + 2 * this.offsetSize, 'a B-tree node');
      if (r.u32() !== 0x45455254) throw this.error("no B-tree signature 'TREE'", this.base + node);
      const [type, level, entries] = [r.u8(), r.u8(), r.u16()];
      if (type !== 0) throw this.error(`a group B-tree node of type ${type}`, this.base + node);
      r.skip(2 * this.offsetSize);
      const children: number[] = [];
      const stride = this.lengthSize + this.offsetSize;
      await this.at(node + 8 + 2 * this.offsetSize, entries * stride + this.lengthSize, `a B-tree node's ${entries} entries`);
      for (let i = 0; i < entries; i++) {
        this.length('key');
        const child = this.offset();
        if (child !== undefined) children.push(child);
      }
      for (const c of children) {
        if (level > 0) await visit(c, depth + 1);
        else await this.symbolNode(c, data, dataSize, out);
      }
    };
    await visit(tree, 0);
  }

  private async symbolNode(address: number, heapData: number, heapSize: number, out: Map<string, number>): Promise<void> {
    const r = this.r;
    this.count(address);
    await this.at(address, 8, 'a symbol table node');
    if (r.u32() !== 0x444f4e53) throw this.error("no symbol table node signature 'SNOD'", this.base + address);
    r.skip(2);
    const n = r.u16();
    const entry = 2 * this.offsetSize + 24;
    await this.at(address + 8, n * entry, `a symbol table node's ${n} entries`);
    const found: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      await this.at(address + 8 + i * entry, entry, 'a symbol table entry');
      const name = this.length('name offset');
      const header = this.offset();
      if (header !== undefined) found.push([name, header]);
    }
    for (const [offset, header] of found) {
      if (offset >= heapSize) throw this.error(`a link name at heap offset ${offset} lies outside the heap's ${heapSize} bytes`, this.base + address);
      out.set(await this.cString(heapData + offset, heapSize - offset), header);
    }
  }

  /** A NUL-terminated string of at most `max` bytes. */
  private async cString(address: number, max: number): Promise<string> {
    const r = this.r;
    const limit = Math.min(max, 1 << 16);
    await this.at(address, Math.min(limit, this.source.size - this.base - address), 'a name');
    const bytes: number[] = [];
    for (let i = 0; i < limit; i++) {
      const b = r.u8();
      if (b === 0) return new TextDecoder().decode(Uint8Array.from(bytes));
      bytes.push(b);
    }
    throw this.error(`a name runs past ${limit} bytes without its terminating NUL`, this.base + address);
  }

  /** The object at a path of links from the root ('model_weights/dense'), or undefined. */
  async find(path: readonly string[], from = this.root): Promise<number | undefined> {
    let at = from;
    for (const part of path) {
      const next = (await this.links(at)).get(part);
      if (next === undefined) return undefined;
      at = next;
    }
    return at;
  }

  /** The attributes of an object, by name (strings, numbers, lists of them). */
  async attributes(address: number): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    for (const m of await this.messages(address)) {
      if (m.type === 0x15) {
        await this.at(m.at, 2 + 2 * this.offsetSize, 'an attribute info message');
        const flags = (this.r.skip(1), this.r.u8());
        if (flags & 1) this.r.skip(2);
        if (this.offset() !== undefined) throw this.error('the object keeps its attributes in a fractal heap (dense storage), which nncalc does not read', this.base + m.at);
      }
      if (m.type !== 0x0c) continue;
      if (m.size > MAX_ATTRIBUTE) throw this.error(`an attribute of ${m.size} bytes`, this.base + m.at);
      const [name, value] = await attributeValue(this, m.at, m.size);
      out.set(name, value);
    }
    return out;
  }

  /** A dataset's shape and type, from its dataspace and datatype messages; its data is never read. */
  async dataset(address: number): Promise<H5Dataset | undefined> {
    let shape: number[] | undefined;
    let type: H5Type | undefined;
    for (const m of await this.messages(address)) {
      if (m.type === 0x01) {
        await this.at(m.at, m.size, 'a dataspace message');
        shape = this.dataspace(m.at + m.size);
      } else if (m.type === 0x03) {
        await this.at(m.at, m.size, 'a datatype message');
        type = datatype(this, m.at + m.size);
      }
    }
    return shape && type ? { shape, type } : undefined;
  }

  /** A dataspace at the reader's position (its window holding the message up to `end`): its dimensions. */
  dataspace(end: number): number[] {
    const r = this.r;
    const start = r.position;
    const version = r.u8();
    const rank = r.u8();
    const flags = r.u8();
    if (version === 1) r.skip(5);
    else if (version === 2) {
      if (r.u8() === 2) return []; // null dataspace
    } else throw this.error(`dataspace version ${version}`, start);
    if (rank > 32) throw this.error(`a dataspace of ${rank} dimensions`, start);
    if (start + (version === 1 ? 8 : 4) + rank * this.lengthSize * (flags & 1 ? 2 : 1) > this.base + end) throw this.error('a dataspace runs past its message', start);
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) dims.push(this.length('dimension'));
    return dims;
  }
}
