/**
 * @module
 * Model files on a local disk, for Node: a ByteSource over a FileHandle (positioned reads, nothing read ahead) and
 * a Folder over a directory. The only file of src/ outside the CLI that imports node:*; browsers use blob.ts.
 */
import { readSync } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelError } from '../errors.js';
import type { ByteSource, ByteStats } from './bytes.js';
import type { Folder } from './folder.js';

/** 'no such file', 'permission denied': the reason in words, for an error message. */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? String((e as Error).message ?? e);
}

/** A ByteSource over an open file handle; `close()` closes the handle. */
function handleSource(fh: FileHandle, size: number, name: string, stats: ByteStats = { requests: 0, bytes: 0 }): ByteSource {
  return {
    name,
    size,
    stats,
    async read(offset, length) {
      const out = new Uint8Array(length);
      let done = 0;
      // A positioned read may return fewer bytes than asked; a file that shrank under us ends the loop.
      while (done < length) {
        stats.requests++;
        // A synchronous positioned read: the reader waits for these bytes anyway, and a read from the page
        // cache takes microseconds where a round trip through the thread pool takes a tenth of a millisecond.
        const bytesRead = readSync(fh.fd, out, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
        stats.bytes += bytesRead;
      }
      return done === length ? out : out.subarray(0, done);
    },
    close: () => fh.close(),
  };
}

/**
 * Opens a local file for random access.
 * @example const src = await nodeFileSource('model.safetensors'); try { … } finally { await src.close?.(); }
 */
export async function nodeFileSource(path: string): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new ModelError('input', `cannot open '${path}': ${reason(e)}.`);
  }
  try {
    const s = await fh.stat();
    if (s.isDirectory()) throw new ModelError('input', `cannot open '${path}': it is a directory.`);
    return handleSource(fh, s.size, path);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** A local directory as a Folder: files are opened on demand and all closed by `close()`. */
export function nodeFolder(dir: string): Folder {
  const opened: ByteSource[] = [];
  return {
    name: dir,
    async open(path) {
      const full = join(dir, path);
      try {
        const s = await stat(full);
        if (!s.isFile()) return undefined;
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw new ModelError('input', `cannot open '${full}': ${reason(e)}.`);
      }
      const src = await nodeFileSource(full);
      opened.push(src);
      return src;
    },
    async list() {
      try {
        return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
      } catch (e) {
        throw new ModelError('input', `cannot list '${dir}': ${reason(e)}.`);
      }
    },
    async close() {
      await Promise.all(opened.splice(0).map((s) => s.close?.()));
    },
  };
}

/**
 * A local path as nncalc reads it: a directory is a model folder; a file is opened inside its directory's Folder,
 * so a reader can open its siblings (shards, config.json). Close the returned folder when done.
 */
export async function openLocalPath(path: string): Promise<{ input: ByteSource | Folder; folder: Folder }> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    throw new ModelError('input', `cannot open '${path}': ${reason(e)}.`);
  }
  if (s.isDirectory()) {
    const folder = nodeFolder(path);
    return { input: folder, folder };
  }
  const folder = nodeFolder(dirname(path));
  const input = await folder.open(basename(path));
  if (!input) throw new ModelError('input', `cannot open '${path}': not a regular file.`);
  return { input: { ...input, name: path }, folder };
}
