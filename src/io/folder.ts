/**
 * @module
 * A model folder: files opened by relative path, as a local directory, a set of dropped browser Files, a base URL
 * or a Hugging Face repository gives them. Readers open only the files they need (config.json, an index, each
 * shard's header), so a folder never lists or reads more than that. A folder may be listable (a directory) or not
 * (a URL, the Hub), and relative paths that climb out of it are refused.
 */
import { ModelError } from '../errors.js';
import { memorySource, type ByteSource } from './bytes.js';

/** Files next to each other. */
export interface Folder {
  /** The folder's path, URL or 'hf:owner/name': used in errors and as the model's name. */
  readonly name: string;
  /** The file at a relative path ('config.json', 'model-00001-of-00002.safetensors'), or undefined when absent. */
  open(path: string): Promise<ByteSource | undefined>;
  /** The names of the files in the folder, when it can be listed (a directory can, a URL cannot). */
  list?(): Promise<readonly string[]>;
  /** Releases every source the folder opened. */
  close?(): Promise<void>;
}

/** True for a Folder, false for a ByteSource. */
export const isFolder = (x: ByteSource | Folder): x is Folder => typeof (x as Folder).open === 'function';

/**
 * Checks a relative path read from a file (a shard name in an index) before it is opened: no absolute paths,
 * no '..', no backslashes or empty segments, so a hostile index cannot reach outside the model's folder.
 */
export function checkRelativePath(path: string, where: string): string {
  const bad =
    path === '' ||
    path.length > 1024 ||
    path.startsWith('/') ||
    /^[a-zA-Z]:/.test(path) ||
    path.includes('\\') ||
    path.includes('\0') ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw new ModelError('file', `${where}: '${path.slice(0, 200)}' is not a file name inside the model's folder (a relative path without '..' was expected).`);
  return path;
}

/** Files in memory by name: tests, and a browser's dropped folder once read. */
export function memoryFolder(name: string, files: Readonly<Record<string, Uint8Array>>): Folder {
  return {
    name,
    open: async (path) => {
      const data = Object.hasOwn(files, path) ? files[path] : undefined;
      return data ? memorySource(data, `${name}/${path}`) : undefined;
    },
    list: async () => Object.keys(files),
  };
}
