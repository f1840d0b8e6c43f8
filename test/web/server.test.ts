/**
 * `nncalc web`: the command prints the page's address and serves dist/web; the server hands out files of that
 * folder only, to this machine only.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveWeb, type WebServer } from '../../src/cli/web.js';
import { errorOfAsync } from '../helpers.js';

/** A raw GET (no URL normalisation, unlike fetch), so '..' reaches the server as sent. */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let server: WebServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nncalc-serve-'));
  mkdirSync(join(dir, 'site', 'chunks'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'site', 'chunks', 'a.js'), 'export {}');
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'site', 'link.txt'));
  server = await serveWeb(join(dir, 'site'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the page server', () => {
  test('serves the folder on 127.0.0.1 with content types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(get(server.url, '/')).resolves.toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    await expect(get(server.url, '/chunks/a.js')).resolves.toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'export {}' });
    await expect(get(server.url, '/index.html', 'HEAD')).resolves.toMatchObject({ status: 200, body: '' });
  });

  test('nothing outside the folder: no .., no encoded .., no link out, no listing, no other method', async () => {
    for (const path of ['/../secret.txt', '/chunks/../../secret.txt', '/%2e%2e/secret.txt', '/link.txt', '/chunks/', '/%00', '/%E0%A4%A']) {
      expect((await get(server.url, path)).status, path).toBe(404);
    }
    expect((await get(server.url, '/', 'POST')).status).toBe(405);
  });

  test('an unbuilt page is a clear error', async () => {
    const e = await errorOfAsync(() => serveWeb(join(dir, 'nothing')));
    expect(e.message).toContain("Run 'npm run build' first");
  });

  test('nncalc web prints the address and serves the built page until stopped', async () => {
    const bin = fileURLToPath(new URL('../../bin/nncalc.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`nncalc web exited with ${code}`)));
      });
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)![0];
      const page = await get(url, '/');
      expect(page.body).toContain('<title>nncalc');
      expect(page.body).toContain('src="./main.js"'); // relative paths only
      await expect(get(url, '/worker.js')).resolves.toMatchObject({ status: 200 });
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
