import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOfAsync } from '../../test/helpers.js';
import { startRangeServer, type RangeServer } from '../../test/range-server.js';
import { FIRST_BLOCK, getJson, httpSource, tryHttpSource, urlFolder } from './http.js';
import { hubFolder, parseHubRef } from './hub.js';

// 3 MiB of a known pattern: byte i is i mod 251, so every read can be checked.
const big = new Uint8Array(3 << 20).map((_, i) => i % 251);
let server: RangeServer;
beforeAll(async () => {
  server = await startRangeServer({ 'big.bin': big, 'small.txt': new TextEncoder().encode('hello'), 'empty.bin': new Uint8Array(0) });
});
afterAll(() => server.close());

describe('httpSource', () => {
  it('learns the size from the first ranged answer and serves reads inside it without another request', async () => {
    server.reset();
    const src = await httpSource(`${server.url}big.bin`);
    expect(src.size).toBe(big.length);
    expect([...(await src.read(1000, 4))]).toEqual([1000 % 251, 1001 % 251, 1002 % 251, 1003 % 251]);
    expect(server.stats.requests).toBe(1);
    expect(server.stats.bytes).toBe(FIRST_BLOCK);
    expect(src.stats).toEqual({ requests: 1, bytes: FIRST_BLOCK });
  });
  it('grows the block while reads run on, and starts small again after a jump', async () => {
    server.reset();
    const src = await httpSource(`${server.url}big.bin`);
    const onward = await src.read(FIRST_BLOCK, 10);
    expect(onward[0]).toBe(FIRST_BLOCK % 251);
    // The second block is 8 × 256 KiB = 2 MiB, so a read 1 MiB further needs no request.
    await src.read(FIRST_BLOCK + (1 << 20), 10);
    expect(server.stats.requests).toBe(2);
    expect(server.stats.bytes).toBe(FIRST_BLOCK + (2 << 20));
    const far = await src.read(big.length - 4, 4);
    expect([...far]).toEqual([...big.subarray(big.length - 4)]);
    expect(server.stats.requests).toBe(3);
  });
  it('reads a file smaller than the first block, and an empty one', async () => {
    const src = await httpSource(`${server.url}small.txt`);
    expect(src.size).toBe(5);
    expect(new TextDecoder().decode(await src.read(0, 5))).toBe('hello');
    expect((await httpSource(`${server.url}empty.bin`)).size).toBe(0);
  });
  it('gives undefined (or a clear error) for a missing file', async () => {
    expect(await tryHttpSource(`${server.url}nope.bin`)).toBeUndefined();
    expect((await errorOfAsync(() => httpSource(`${server.url}nope.bin`))).message).toMatch(/nope\.bin: not found \(HTTP 404\)/);
  });
  it('refuses a server that ignores Range, without downloading the file', async () => {
    server.mode = 'ignore-range';
    server.reset();
    try {
      // A fetch that counts the body bytes nncalc pulls: none, since the body is cancelled unread.
      let pulled = 0;
      const counting = (async (url: string, init?: RequestInit) => {
        const res = await fetch(url, init);
        const body = res.body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (c, out) => ((pulled += c.length), out.enqueue(c)) }));
        return new Response(body, { status: res.status, headers: res.headers });
      }) as typeof fetch;
      const e = await errorOfAsync(() => httpSource(`${server.url}big.bin`, { fetch: counting }));
      expect(e.message).toMatch(/ignored the Range request for bytes 0–262143 and answered with the whole file \(HTTP 200, 3145728 bytes\)/);
      expect(e.code).toBe('file');
      expect(pulled).toBeLessThan(big.length / 4);
    } finally {
      server.mode = 'ranges';
    }
  });
  it.each([
    ['wrong-content-range', /asked for bytes 0–262143, the server answered Content-Range: bytes 0-262153\/3145728/],
    ['short-body', /announced 262144 bytes but sent 131072: a wrong length/],
    ['long-body', /sent more than the 262144 bytes/],
    ['no-size', /does not say the file's size/],
  ] as const)('refuses a server whose answer has the wrong length or range (%s)', async (mode, message) => {
    server.mode = mode;
    try {
      expect((await errorOfAsync(() => httpSource(`${server.url}big.bin`))).message).toMatch(message);
    } finally {
      server.mode = 'ranges';
    }
  });
  it('is a clear error offline, on a network failure and on a timeout', async () => {
    server.reset();
    const offline = await errorOfAsync(() => httpSource(`${server.url}big.bin`, { offline: true }));
    expect(offline.message).toMatch(/offline \(--offline\), so it will not fetch http:\/\/127\.0\.0\.1:\d+\/big\.bin/);
    expect(server.stats.requests).toBe(0);
    server.mode = 'fail';
    try {
      expect((await errorOfAsync(() => httpSource(`${server.url}big.bin`))).message).toMatch(/cannot reach 127\.0\.0\.1:\d+ for .*big\.bin/);
    } finally {
      server.mode = 'ranges';
    }
    const never = (() => new Promise<Response>(() => undefined)) as unknown as typeof fetch;
    const slow = (url: string, init?: RequestInit) => Promise.race([never(url), new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))]);
    const e = await errorOfAsync(() => httpSource('http://example.invalid/x', { fetch: slow as typeof fetch, timeoutMs: 50 }));
    expect(e.message).toMatch(/no answer within 0\.05 s/);
  });
});

describe('getJson (API listings)', () => {
  it('reads a small JSON answer, and refuses a long one, bad JSON, and any request offline', async () => {
    expect(await getJson(`${server.url}small.txt`.replace('small.txt', 'nope.json'))).toBeUndefined();
    const json = await startRangeServer({ 'list.json': new TextEncoder().encode('[1, 2]'), 'bad.json': new TextEncoder().encode('[1,') });
    try {
      expect(await getJson(`${json.url}list.json`)).toEqual([1, 2]);
      expect((await errorOfAsync(() => getJson(`${json.url}bad.json`))).message).toMatch(/bad\.json: the answer is not valid JSON/);
      expect((await errorOfAsync(() => getJson(`${server.url}big.bin`, {}, 1000))).message).toMatch(/big\.bin: the answer is longer than the 1000 bytes nncalc reads from an API/);
      expect((await errorOfAsync(() => getJson(`${json.url}list.json`, { offline: true }))).message).toMatch(/offline/);
    } finally {
      await json.close();
    }
  });
});

describe('folders over HTTP', () => {
  it('opens files by relative path under a base URL', async () => {
    const folder = urlFolder(server.url);
    expect((await folder.open('small.txt'))?.size).toBe(5);
    expect(await folder.open('missing.json')).toBeUndefined();
  });
  it('parses hf: references and builds the Hub download URLs', async () => {
    expect(parseHubRef('hf:Qwen/Qwen2-0.5B')).toEqual({ owner: 'Qwen', repo: 'Qwen2-0.5B', revision: 'main' });
    expect(parseHubRef('hf:org/name@v1.0/sub/model.gguf')).toEqual({ owner: 'org', repo: 'name', revision: 'v1.0', path: 'sub/model.gguf' });
    expect(() => parseHubRef('hf:bad')).toThrow(/'' is not a repository name/);
    expect(() => parseHubRef('hf:a/b/../c')).toThrow(/not a path inside the repository/);
    const hub = await startRangeServer({ 'owner/name/resolve/dev/config.json': new TextEncoder().encode('{}') });
    try {
      const folder = hubFolder(parseHubRef('hf:owner/name@dev'), hub.url);
      expect(folder.name).toBe('hf:owner/name@dev');
      expect((await folder.open('config.json'))?.size).toBe(2);
      expect(hub.stats.paths).toEqual(['owner/name/resolve/dev/config.json']);
    } finally {
      await hub.close();
    }
  });
});
