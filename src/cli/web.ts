/**
 * @module
 * `nncalc web`: serves the page (dist/web, built by `npm run build`) on this machine only and prints its address.
 * The page is static and analyses everything in the browser; this server only hands out its files, from that
 * folder alone (no listing, no path outside it), until Ctrl-C.
 */
import { createServer, type Server } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './load.js';
import { ModelError } from '../errors.js';
import { parseSize } from '../options.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The built page, beside the CLI bundle: dist/cli/… → dist/web/. */
export const webDir = (): string => fileURLToPath(new URL('../web/', import.meta.url));

/** A running server: its address, and how to stop it. */
export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or undefined when it names none (or points outside). */
async function resolveFile(root: string, pathname: string): Promise<string | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.split('/').some((p) => p === '..')) return undefined;
  const full = join(root, path.endsWith('/') ? `${path}index.html` : path);
  try {
    const real = await realpath(full);
    if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Serves `dir` on `host:port` (port 0: any free one). */
export async function serveWeb(dir: string, port = 0, host = '127.0.0.1'): Promise<WebServer> {
  let root: string;
  try {
    root = await realpath(dir);
    await stat(join(root, 'index.html'));
  } catch {
    throw new ModelError('input', `the page is not built: ${join(dir, 'index.html')} is missing. Run 'npm run build' first.`);
  }
  const server: Server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = await resolveFile(root, url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new ModelError('input', `port ${port} is in use; choose another with --port, or --port 0 for any free one.`) : e),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const webCommand: Command = async (args, ctx) => {
  if (args.length > 0) throw ctx.usage(`web takes no arguments; received ${args.map((a) => `'${a}'`).join(', ')}. Try: nncalc web --port 8080`);
  const portText = ctx.values['port'];
  let port = 0;
  try {
    if (typeof portText === 'string' && portText.trim() !== '0') port = parseSize(portText, '--port');
  } catch (e) {
    throw e instanceof ModelError ? ctx.usage(e.message) : e;
  }
  if (port > 65535) throw ctx.usage(`--port must be at most 65535. Received: '${portText}'.`);
  const server = await serveWeb(webDir(), port);
  ctx.io.stdout(`nncalc web: the page is at ${server.url}\nEverything runs in the browser; this server only hands out the page's files. Press Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
};
