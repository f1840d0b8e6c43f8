/**
 * @module
 * A page cache in front of a ByteSource, for readers that jump around a file's metadata (HDF5's object headers,
 * B-trees and heaps lie anywhere): reads are served from aligned pages kept in a small LRU, so each page is read from
 * the underlying source once while it stays cached, and memory stays bounded by pages × page size.
 */
import type { ByteSource } from './bytes.js';

/**
 * A cached view of `source`: `page` bytes a page, at most `pages` pages held.
 * @example const src = pageCache(fileSource, 16 << 10, 256);
 */
export function pageCache(source: ByteSource, page = 16 << 10, pages = 256): ByteSource {
  const held = new Map<number, Uint8Array>();
  const get = async (index: number): Promise<Uint8Array> => {
    const hit = held.get(index);
    if (hit) {
      held.delete(index);
      held.set(index, hit);
      return hit;
    }
    const start = index * page;
    const data = await source.read(start, Math.min(page, source.size - start));
    held.set(index, data);
    if (held.size > pages) held.delete(held.keys().next().value!);
    return data;
  };
  return {
    name: source.name,
    size: source.size,
    stats: source.stats,
    async read(offset, length) {
      const first = Math.floor(offset / page);
      const last = Math.floor((offset + Math.max(length, 1) - 1) / page);
      if (first === last) {
        const p = await get(first);
        return p.subarray(offset - first * page, offset - first * page + length);
      }
      const out = new Uint8Array(length);
      for (let i = first; i <= last; i++) {
        const p = await get(i);
        const from = Math.max(offset, i * page);
        const to = Math.min(offset + length, i * page + p.length);
        out.set(p.subarray(from - i * page, to - i * page), from - offset);
      }
      return out;
    },
    ...(source.close ? { close: () => source.close!() } : {}),
  };
}
