/**
 * @module
 * The CLI's model files: a local file or folder, an http(s):// URL or an hf:owner/name reference, opened, read
 * (metadata only) and closed. Loaded on demand, so `nncalc vgg16` never loads the readers. NNCALC_HF_ENDPOINT
 * replaces https://huggingface.co (a mirror, a test server); HF_TOKEN is sent to the Hub for gated repositories.
 */
import { ModelError } from '../errors.js';
import type { ReadOptions } from '../formats/format.js';
import { readModel, type ModelFile } from '../formats/index.js';
import type { ByteSource, ByteStats } from '../io/bytes.js';
import type { Folder } from '../io/folder.js';
import { httpSource, urlFolder, type HttpOptions } from '../io/http.js';
import { HF_ENDPOINT, hubFolder, isHubRef, parseHubRef } from '../io/hub.js';
import { openLocalPath } from '../io/node-file.js';

/** What the command line says about reaching files. */
export interface FileOptions {
  readonly offline: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What a graph format needs at read time: --input, --batch, --bind. */
  readonly read?: Pick<ReadOptions, 'input' | 'batch' | 'bind'>;
}

/** A model file read, with what reading it took. */
export interface LoadedFile {
  readonly file: ModelFile;
  readonly read: ByteStats;
}

/** True for an http:// or https:// URL. */
export const isUrl = (arg: string): boolean => /^https?:\/\//i.test(arg);

async function open(arg: string, o: FileOptions): Promise<{ input: ByteSource | Folder; folder: Folder }> {
  if (isHubRef(arg)) {
    const ref = parseHubRef(arg);
    const token = o.env['HF_TOKEN'];
    const http: HttpOptions = { offline: o.offline, ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}) };
    const folder = hubFolder(ref, o.env['NNCALC_HF_ENDPOINT'] || HF_ENDPOINT, http);
    if (ref.path === undefined) return { input: folder, folder };
    const input = await folder.open(ref.path);
    if (!input) throw new ModelError('input', `${folder.name} has no file '${ref.path}' (HTTP 404).`);
    return { input: { ...input, name: arg }, folder };
  }
  if (isUrl(arg)) {
    const http: HttpOptions = { offline: o.offline };
    return { input: await httpSource(arg, http), folder: urlFolder(arg.slice(0, arg.lastIndexOf('/') + 1), http) };
  }
  return openLocalPath(arg);
}

/** Opens, reads and closes a model file or folder. */
export async function loadModelFile(arg: string, o: FileOptions): Promise<LoadedFile> {
  const { input, folder } = await open(arg, o);
  const opened: ByteSource[] = [];
  const track = (s: ByteSource | undefined) => (s && opened.push(s), s);
  const tracked: Folder = { ...folder, open: async (p) => track(await folder.open(p)) };
  try {
    const file = await readModel('read' in input ? track(input)! : tracked, { ...o.read, sibling: (name) => tracked.open(name) });
    const read = { requests: opened.reduce((s, x) => s + x.stats.requests, 0), bytes: opened.reduce((s, x) => s + x.stats.bytes, 0) };
    return { file, read };
  } finally {
    await folder.close?.();
    if ('read' in input && !opened.includes(input)) await input.close?.();
  }
}
