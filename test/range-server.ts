/**
 * A local HTTP server for the byte-source tests: serves files from a directory (or in memory) with Range support,
 * counts requests and bytes sent, and can misbehave on purpose (ignore Range, lie about lengths, refuse).
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How the server answers. */
export type Mode = 'ranges' | 'ignore-range' | 'short-body' | 'long-body' | 'wrong-content-range' | 'no-size' | 'fail';

export interface RangeServer {
  readonly url: string;
  /** Requests received and body bytes sent, since start or the last reset(). */
  readonly stats: { requests: number; bytes: number; paths: string[] };
  mode: Mode;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Serves `root` (a directory, or a map of path → bytes) on a free port of 127.0.0.1; `rewrite` maps a request path
 * to a file path (undefined: 404), e.g. the Hub's owner/name/resolve/main/file to name/file.
 */
export async function startRangeServer(root: string | Record<string, Uint8Array>, rewrite: (path: string) => string | undefined = (p) => p): Promise<RangeServer> {
  const stats = { requests: 0, bytes: 0, paths: [] as string[] };
  const state = { mode: 'ranges' as Mode };
  const load = async (path: string): Promise<Uint8Array | undefined> => {
    if (typeof root !== 'string') return root[path];
    const full = join(root, path);
    const s = await stat(full).catch(() => undefined);
    return s?.isFile() ? readFile(full) : undefined;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      stats.requests++;
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
      stats.paths.push(path);
      if (state.mode === 'fail') return res.destroy();
      const file = rewrite(path);
      const data = file === undefined ? undefined : await load(file);
      if (!data) return res.writeHead(404).end();
      const send = (status: number, headers: Record<string, string | number>, body: Uint8Array) => {
        stats.bytes += body.length;
        res.writeHead(status, headers).end(body);
      };
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!m || state.mode === 'ignore-range') return send(200, { 'Content-Length': data.length }, data);
      const start = Number(m[1]);
      if (start >= data.length) return send(416, { 'Content-Range': `bytes */${data.length}` }, new Uint8Array(0));
      const end = Math.min(Number(m[2]), data.length - 1);
      let body = data.subarray(start, end + 1);
      let range = `bytes ${start}-${end}/${data.length}`;
      if (state.mode === 'wrong-content-range') range = `bytes ${start}-${end + 10}/${data.length}`;
      if (state.mode === 'no-size') range = `bytes ${start}-${end}/*`;
      if (state.mode === 'long-body') body = data.subarray(start, Math.min(data.length, end + 101));
      if (state.mode === 'short-body') {
        // Announce the full range, send half of it (chunked, so the answer itself ends cleanly).
        body = body.subarray(0, Math.floor(body.length / 2));
        stats.bytes += body.length;
        return res.writeHead(206, { 'Content-Range': range }).end(body);
      }
      send(206, { 'Content-Range': range, ...(state.mode === 'long-body' ? {} : { 'Content-Length': body.length }) }, body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    get mode() {
      return state.mode;
    },
    set mode(m: Mode) {
      state.mode = m;
    },
    reset() {
      stats.requests = 0;
      stats.bytes = 0;
      stats.paths = [];
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
