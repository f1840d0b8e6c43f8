/**
 * @module
 * `hf:owner/name[@revision][/path]`: a Hugging Face Hub repository as a Folder of files read by Range requests from
 * `<endpoint>/<owner>/<name>/resolve/<revision>/<path>` (the Hub's download URLs; endpoint https://huggingface.co
 * unless set, e.g. to a mirror or a test server). Nothing is listed or downloaded: readers open config.json, the
 * safetensors index and each shard's header, or the one file named.
 */
import { ModelError } from '../errors.js';
import { getJson, urlFolder, type HttpOptions } from './http.js';
import type { Folder } from './folder.js';

export const HF_ENDPOINT = 'https://huggingface.co';

/** A parsed `hf:` reference. */
export interface HubRef {
  readonly owner: string;
  readonly repo: string;
  readonly revision: string;
  /** A file inside the repository, when one is named ('model-q4_k_m.gguf'). */
  readonly path?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** True for arguments that name a Hub repository. */
export const isHubRef = (arg: string): boolean => arg.startsWith('hf:');

/**
 * Parses 'hf:owner/name', 'hf:owner/name@revision' and 'hf:owner/name[@revision]/path/in/repo'.
 * @example parseHubRef('hf:Qwen/Qwen2-0.5B@main') // { owner: 'Qwen', repo: 'Qwen2-0.5B', revision: 'main' }
 */
export function parseHubRef(arg: string): HubRef {
  const bad = (why: string) =>
    new ModelError('input', `cannot read '${arg}' as a Hugging Face repository: ${why}. Expected hf:owner/name, hf:owner/name@revision or hf:owner/name/file.gguf.`);
  const rest = arg.slice(3);
  const [owner = '', second = '', ...more] = rest.split('/');
  const at = second.indexOf('@');
  const repo = at < 0 ? second : second.slice(0, at);
  const revision = at < 0 ? 'main' : second.slice(at + 1);
  if (!NAME.test(owner)) throw bad(`'${owner}' is not an owner name`);
  if (!NAME.test(repo)) throw bad(`'${repo}' is not a repository name`);
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(revision) || revision.includes('..')) throw bad(`'${revision}' is not a revision`);
  const path = more.join('/');
  if (more.length && more.some((s) => s === '' || s === '.' || s === '..')) throw bad(`'${path}' is not a path inside the repository`);
  return { owner, repo, revision, ...(path ? { path } : {}) };
}

/**
 * The repository as a Folder of ranged downloads, listed (when a reader needs the list: a repository without
 * config.json or safetensors, such as one of GGUF files) by the Hub's tree API,
 * `<endpoint>/api/models/<owner>/<name>/tree/<revision>`: its top-level files.
 */
export function hubFolder(ref: HubRef, endpoint = HF_ENDPOINT, options: HttpOptions = {}): Folder {
  const root = endpoint.replace(/\/+$/, '');
  const base = `${root}/${ref.owner}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/`;
  const at = ref.revision === 'main' ? '' : `@${ref.revision}`;
  const name = `hf:${ref.owner}/${ref.repo}${at}`;
  return {
    ...urlFolder(base, options, name),
    async list() {
      const tree = await getJson(`${root}/api/models/${ref.owner}/${ref.repo}/tree/${encodeURIComponent(ref.revision)}`, options);
      if (tree === undefined) throw new ModelError('input', `${name}: the Hub does not know this repository or revision (HTTP 404).`);
      if (!Array.isArray(tree)) throw new ModelError('file', `${name}: the Hub's file list is not a list.`);
      return tree.flatMap((e: unknown) => {
        const o = e as { type?: unknown; path?: unknown };
        return o && o.type === 'file' && typeof o.path === 'string' ? [o.path] : [];
      });
    },
  };
}
