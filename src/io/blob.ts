/**
 * @module
 * A browser Blob or File (from an <input> or a drop) as a ByteSource: each read is `blob.slice(a, b).arrayBuffer()`,
 * so only the requested bytes are loaded, and a Folder over a set of Files (a dropped model folder).
 */
import type { ByteSource, ByteStats } from './bytes.js';
import type { Folder } from './folder.js';

/**
 * Random access to a Blob without loading it.
 * @example const src = blobSource(input.files[0]); const model = await readModel(src);
 */
export function blobSource(blob: Blob, name = (blob as Partial<File>).name ?? 'blob'): ByteSource {
  const stats: ByteStats = { requests: 0, bytes: 0 };
  return {
    name,
    size: blob.size,
    stats,
    async read(offset, length) {
      stats.requests++;
      const data = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      stats.bytes += data.length;
      return data;
    },
  };
}

/** Files dropped together, as a model folder; paths are the files' names (or webkitRelativePath minus the top folder). */
export function blobFolder(name: string, files: readonly File[]): Folder {
  const byPath = new Map<string, File>();
  for (const f of files) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
    byPath.set(rel ? rel.split('/').slice(1).join('/') : f.name, f);
  }
  return {
    name,
    open: async (path) => {
      const f = byPath.get(path);
      return f ? blobSource(f, `${name}/${path}`) : undefined;
    },
    list: async () => [...byPath.keys()],
  };
}
