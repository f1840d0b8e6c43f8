/**
 * @module
 * A model file over HTTP(S), read by Range requests: the first request fetches the first 256 KiB and learns the
 * file's size from Content-Range; later reads are served from the last block fetched, and a read past it fetches
 * the next block, eight times larger while the reads run on (256 KiB, 2 MiB, 16 MiB at most), so a header of a few
 * megabytes costs two or three requests and memory stays under 16 MiB whatever the file's size.
 *
 * Every answer is checked: a server that ignores Range (200 with the whole file), a Content-Range that is not the
 * range asked, or a body of the wrong length is a ModelError, and the body is cancelled rather than downloaded.
 * `offline` refuses any request; a network failure or a timeout is a ModelError naming the URL.
 */
import { ModelError } from '../errors.js';
import { readCapped, type ByteSource, type ByteStats } from './bytes.js';
import type { Folder } from './folder.js';

/** How to reach the server. */
export interface HttpOptions {
  /** The fetch to use (tests, a browser's, a proxy's); default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Refuse every request with a clear error (the CLI's --offline). */
  readonly offline?: boolean;
  /** Extra request headers (Authorization for gated Hugging Face repositories). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds before one request is abandoned (default 30 000). */
  readonly timeoutMs?: number;
}

/** Size of the first request. */
export const FIRST_BLOCK = 256 << 10;
/** Largest block kept in memory. */
export const MAX_BLOCK = 16 << 20;
const GROWTH = 8;

const fail = (url: string, message: string): ModelError => new ModelError('file', `${url}: ${message}`);

/** The host of a URL for messages, or the URL itself when it does not parse. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

interface Range {
  readonly data: Uint8Array;
  readonly total: number;
  /** The URL after redirects, used for the next requests. */
  readonly url: string;
}

/** bytes=start-(end-1) of `url`, checked; undefined for 404. */
async function getRange(url: string, start: number, end: number, stats: ByteStats, o: HttpOptions): Promise<Range | undefined> {
  if (o.offline) throw new ModelError('input', `nncalc is offline (--offline), so it will not fetch ${url}.`);
  const doFetch = o.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    stats.requests++;
    res = await doFetch(url, {
      headers: { ...o.headers, Range: `bytes=${start}-${end - 1}`, 'Accept-Encoding': 'identity' },
      redirect: 'follow',
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${(o.timeoutMs ?? 30_000) / 1000} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new ModelError('input', `cannot reach ${hostOf(url)} for ${url}: ${why}. Check the network, or use a local copy of the file.`);
  }
  const cancel = () => res.body?.cancel().catch(() => undefined);
  if (res.status === 404) {
    await cancel();
    return undefined;
  }
  if (res.status === 416) {
    await cancel();
    const total = /^bytes \*\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (total !== undefined && Number(total) <= start) return { data: new Uint8Array(0), total: Number(total), url: res.url || url };
    throw fail(url, `the server refused the range bytes=${start}-${end - 1} (HTTP 416) without saying the file's size.`);
  }
  if (res.status === 200) {
    await cancel();
    const length = res.headers.get('content-length');
    throw fail(
      url,
      `the server ignored the Range request for bytes ${start}–${end - 1} and answered with the whole file (HTTP 200${length ? `, ${length} bytes` : ''}) ` +
        'instead of 206 Partial Content. nncalc reads model files by ranges and does not download them whole; download the file and give its path instead.',
    );
  }
  if (res.status !== 206) {
    await cancel();
    const hint = res.status === 401 || res.status === 403 ? ' The file may be gated or private: set HF_TOKEN to a token that can read it.' : '';
    throw fail(url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for bytes ${start}–${end - 1}.${hint}`);
  }
  const header = res.headers.get('content-range') ?? '';
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!m) {
    await cancel();
    throw fail(url, `a 206 answer must carry Content-Range: bytes a-b/size; found ${header ? `'${header.slice(0, 80)}'` : 'none'}.`);
  }
  const [first, last] = [Number(m[1]), Number(m[2])];
  if (m[3] === '*') {
    await cancel();
    throw fail(url, `the server does not say the file's size (Content-Range: ${header}); nncalc needs it to read the file by ranges.`);
  }
  const total = Number(m[3]);
  const expectedLast = Math.min(end, total) - 1;
  if (first !== start || last !== expectedLast || !Number.isSafeInteger(total)) {
    await cancel();
    throw fail(url, `asked for bytes ${start}–${end - 1}, the server answered Content-Range: ${header} (expected bytes ${start}-${expectedLast}/…).`);
  }
  const want = last - first + 1;
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) !== want) {
    await cancel();
    throw fail(url, `Content-Range says ${want} bytes (${header}) but Content-Length says ${declared}: a wrong length.`);
  }
  const data = await readBody(res, want, url, stats);
  return { data, total, url: res.url || url };
}

/** Exactly `want` bytes of a response body, never more: a longer body is cancelled as soon as it overflows. */
async function readBody(res: Response, want: number, url: string, stats: ByteStats): Promise<Uint8Array> {
  const out = new Uint8Array(want);
  let got = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read().catch((e: Error) => {
        throw new ModelError('input', `${url}: the connection failed while reading the answer: ${e.message}.`);
      });
      if (done) break;
      stats.bytes += value.length;
      if (got + value.length > want) {
        await reader.cancel().catch(() => undefined);
        throw fail(url, `the server sent more than the ${want} bytes of the range it announced: a wrong length.`);
      }
      out.set(value, got);
      got += value.length;
    }
  }
  if (got !== want) throw fail(url, `the server announced ${want} bytes but sent ${got}: a wrong length (a truncated answer).`);
  return out;
}

/** A checked HTTP ByteSource, or undefined when the server answers 404. */
export async function tryHttpSource(url: string, options: HttpOptions = {}): Promise<ByteSource | undefined> {
  const stats: ByteStats = { requests: 0, bytes: 0 };
  const probe = await getRange(url, 0, FIRST_BLOCK, stats, options);
  if (!probe) return undefined;
  const size = probe.total;
  const target = probe.url;
  let block = { start: 0, data: probe.data };
  let next = FIRST_BLOCK;
  return {
    name: url,
    size,
    stats,
    async read(offset, length) {
      const end = offset + length;
      if (offset >= block.start && end <= block.start + block.data.length) return block.data.subarray(offset - block.start, end - block.start);
      // Reads that run on from the block grow the next block; a jump starts small again.
      const onward = offset >= block.start && offset <= block.start + block.data.length;
      next = onward ? Math.min(next * GROWTH, MAX_BLOCK) : FIRST_BLOCK;
      const stop = Math.min(size, offset + Math.max(length, next));
      const got = await getRange(target, offset, stop, stats, options);
      if (!got) throw fail(url, 'the file disappeared while it was being read (HTTP 404).');
      if (got.total !== size) throw fail(url, `the file changed size while it was being read (${size} bytes, then ${got.total}).`);
      block = { start: offset, data: got.data };
      return got.data.subarray(0, length);
    },
  };
}

/**
 * A remote file read by Range requests; a 404 is a ModelError.
 * @example const src = await httpSource('https://example.com/model.safetensors'); src.stats.requests // 1
 */
export async function httpSource(url: string, options: HttpOptions = {}): Promise<ByteSource> {
  const src = await tryHttpSource(url, options);
  if (!src) throw new ModelError('input', `${url}: not found (HTTP 404).`);
  return src;
}

/** Largest JSON answer `getJson` accepts. */
export const MAX_JSON_ANSWER = 8 << 20;

/**
 * A small JSON document by a plain GET (an API listing, not a model file), read up to `limit` bytes; undefined for
 * 404. A longer answer is cancelled and refused.
 */
export async function getJson(url: string, options: HttpOptions = {}, limit = MAX_JSON_ANSWER): Promise<unknown> {
  if (options.offline) throw new ModelError('input', `nncalc is offline (--offline), so it will not fetch ${url}.`);
  let res: Response;
  try {
    res = await (options.fetch ?? globalThis.fetch)(url, { headers: { ...options.headers }, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    throw new ModelError('input', `cannot reach ${hostOf(url)} for ${url}: ${err.cause?.code ?? err.cause?.message ?? err.message}.`);
  }
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw fail(url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  }
  const bytes = res.body ? await readCapped(res.body, limit, () => fail(url, `the answer is longer than the ${limit} bytes nncalc reads from an API.`)) : new Uint8Array(0);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw fail(url, 'the answer is not valid JSON.');
  }
}

/** Files under a base URL ('https://host/models/llama/'), opened by relative path; not listable. */
export function urlFolder(base: string, options: HttpOptions = {}, name = base): Folder {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    name,
    open: (path) => tryHttpSource(new URL(path.split('/').map(encodeURIComponent).join('/'), root).href, options),
  };
}
