/**
 * @module
 * The shareable link: the page's state (the model's text or zoo name, the settings, the claims, the diff, the open
 * panels) as JSON, deflated with the browser's CompressionStream and written in base64url after `#1.` in the
 * fragment, which browsers never send to a server. A dropped file's contents are never put in it. Reading a link
 * checks everything: a malformed one is an error that says what is wrong and where, and the page keeps going.
 */
import { readCapped } from '../io/bytes.js';
import { DEFAULT_OPTIONS, type DiffSettings, type Options } from './protocol.js';

/** Everything a link restores. */
export interface PageState {
  readonly model: string;
  readonly options: Options;
  readonly claims: string;
  readonly diff: DiffSettings;
  /** The open panels by name. */
  readonly open: readonly string[];
}

export const DEFAULT_DIFF: DiffSettings = { model: '', input: '', batch: '', seq: '', convention: '', all: false };

const PREFIX = '#1.';
/** The longest fragment a link may have (browsers accept longer, but such links do not travel well). */
export const MAX_LINK = 256 * 1024;
/** The most a link's data may inflate to: a tiny link cannot expand into gigabytes. */
export const MAX_STATE_BYTES = 8 * 1024 * 1024;

/** A link that cannot be read, with what is wrong and where. */
export class LinkError extends Error {
  override name = 'LinkError';
}

async function pipe(data: Uint8Array, stream: GenerateTransformStream, limit: number): Promise<Uint8Array> {
  const out = new Blob([data as BlobPart]).stream().pipeThrough(stream);
  return readCapped(out, limit, () => new LinkError(`the link's data inflates to more than ${limit / 1024 / 1024} MiB; a page state is never that large.`));
}
type GenerateTransformStream = CompressionStream | DecompressionStream;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) s += B64[(n >> (18 - 6 * k)) & 63];
  }
  return s;
}

function fromBase64url(text: string, offset: number): Uint8Array {
  if (text.length % 4 === 1) throw new LinkError(`the link's data is cut short: ${text.length} base64url characters cannot end a byte.`);
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B64.indexOf(text[i]!);
    if (v < 0) throw new LinkError(`the link has '${text[i]}' at offset ${offset + i}, which is not a base64url character.`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

/** Only what differs from the defaults is written. */
function compact(state: PageState): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state.options)) if (v !== (DEFAULT_OPTIONS as unknown as Record<string, unknown>)[k]) o[k] = v;
  const d: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state.diff)) if (v !== (DEFAULT_DIFF as unknown as Record<string, unknown>)[k]) d[k] = v;
  return { m: state.model, ...(Object.keys(o).length ? { o } : {}), ...(state.claims ? { c: state.claims } : {}), ...(Object.keys(d).length ? { d } : {}), ...(state.open.length ? { p: state.open } : {}) };
}

/** The fragment for a state ('#1.…'), or undefined when it would be longer than MAX_LINK. */
export async function encodeState(state: PageState): Promise<string | undefined> {
  const json = new TextEncoder().encode(JSON.stringify(compact(state)));
  if (json.length > MAX_STATE_BYTES) return undefined;
  const packed = await pipe(json, new CompressionStream('deflate-raw'), Infinity);
  const text = PREFIX + toBase64url(packed);
  return text.length > MAX_LINK ? undefined : text;
}

/** Reads one field: text, a boolean or a number of the expected kind, else an error naming it. */
function read<T extends string | boolean | number>(obj: Record<string, unknown>, key: string, fallback: T, where: string): T {
  if (!(key in obj)) return fallback;
  const v = obj[key];
  if (typeof v !== typeof fallback) throw new LinkError(`the link's ${where}${key} should be ${typeof fallback === 'string' ? 'text' : `a ${typeof fallback}`}; found ${v === null ? 'null' : typeof v}.`);
  return v as T;
}

const record = (v: unknown, what: string): Record<string, unknown> => {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new LinkError(`the link's ${what} should be an object.`);
  return v as Record<string, unknown>;
};

function oneOf<T extends string>(v: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw new LinkError(`the link's ${what} is '${v.slice(0, 20)}'; expected ${allowed.map((a) => `'${a}'`).join(', ')}.`);
  return v as T;
}

/** The state a fragment holds; undefined for an empty fragment or one that is not a link of this page. */
export async function decodeState(fragment: string): Promise<PageState | undefined> {
  if (!fragment || fragment === '#') return undefined;
  if (!fragment.startsWith(PREFIX)) throw new LinkError(`the link's fragment starts '${fragment.slice(0, 8)}'; links of this page start '${PREFIX}'.`);
  if (fragment.length > MAX_LINK * 2) throw new LinkError(`the link's fragment is ${fragment.length.toLocaleString('en-US')} characters long; links of this page are at most ${MAX_LINK.toLocaleString('en-US')}.`);
  const bytes = fromBase64url(fragment.slice(PREFIX.length), PREFIX.length);
  let json: Uint8Array;
  try {
    json = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_STATE_BYTES);
  } catch (e) {
    if (e instanceof LinkError) throw e;
    throw new LinkError(`the link's data (${bytes.length} bytes) is not deflate-compressed data; it may have been cut short or altered.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw new LinkError(`the link's data is not valid JSON (${(e as Error).message}).`);
  }
  const v = record(value, 'data');
  const o = record(v['o'], 'options');
  const d = record(v['d'], 'diff');
  const open = v['p'] ?? [];
  if (!Array.isArray(open) || open.some((x) => typeof x !== 'string')) throw new LinkError("the link's open panels should be a list of names.");
  const D = DEFAULT_OPTIONS;
  const depth = read(o, 'depth', D.depth, 'option ');
  if (!Number.isInteger(depth) || depth < 0 || depth > 64) throw new LinkError(`the link's depth is ${depth}; expected a whole number from 0 to 64.`);
  return {
    model: read(v, 'm', '', ''),
    options: {
      input: read(o, 'input', D.input, 'option '),
      batch: read(o, 'batch', D.batch, 'option '),
      seq: read(o, 'seq', D.seq, 'option '),
      convention: oneOf(read(o, 'convention', D.convention as string, 'option '), ['', 'pytorch', 'keras'], 'convention'),
      relu: read(o, 'relu', D.relu, 'option '),
      padding: read(o, 'padding', D.padding, 'option '),
      flatten: read(o, 'flatten', D.flatten, 'option '),
      depth,
      formula: read(o, 'formula', D.formula, 'option '),
      rf: read(o, 'rf', D.rf, 'option '),
    },
    claims: read(v, 'c', '', ''),
    diff: {
      model: read(d, 'model', '', 'diff '),
      input: read(d, 'input', '', 'diff '),
      batch: read(d, 'batch', '', 'diff '),
      seq: read(d, 'seq', '', 'diff '),
      convention: oneOf(read(d, 'convention', '' as string, 'diff '), ['', 'pytorch', 'keras'], 'diff convention'),
      all: read(d, 'all', false, 'diff '),
    },
    open: open as string[],
  };
}
