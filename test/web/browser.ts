/**
 * What the page's browser tests share: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a fresh profile per run, the page served from dist/web by `nncalc web`'s own server, every request recorded,
 * and screenshots kept in test/web/screenshots/ (not committed).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveWeb, type WebServer } from '../../src/cli/web.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const WEB = fileURLToPath(new URL('../../dist/web/', import.meta.url));
export const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

export interface Session {
  readonly server: WebServer;
  readonly context: BrowserContext;
  /** Every request the browser made, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the page and starts a browser with a fresh profile. */
export async function start(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<Session> {
  const server = await serveWeb(WEB);
  const profile = mkdtempSync(join(tmpdir(), 'nncalc-web-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(`${r.method()} ${r.url()}${r.postData() ? ' with a body' : ''}`));
  mkdirSync(SHOTS, { recursive: true });
  return {
    server,
    context,
    requests,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the page (at a fragment, if given) and waits for its first result. */
export async function open(s: Session, fragment = ''): Promise<Page> {
  const page = await s.context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(s.server.url + fragment);
  await page.waitForSelector('html[data-results], html[data-errors], html[data-link-error]');
  return page;
}

/** The number of results shown so far. */
export const results = async (page: Page): Promise<number> => Number(await page.getAttribute('html', 'data-results'));

/** Waits until the page has shown more than `n` results. */
export async function nextResult(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => Number(document.documentElement.dataset['results'] ?? 0) > k, n);
}

/**
 * Waits until the page shows the result of the file named `name`. Counting results is not enough after a file
 * drop: the analysis that an earlier click started may land first.
 */
export async function fileResult(page: Page, name: string): Promise<void> {
  await page.waitForFunction((n) => document.getElementById('file-status')?.textContent?.startsWith(`Showing ${n} (`), name);
}

/** Replaces the editor's text as a paste would (one input event). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const area = document.getElementById('editor') as HTMLTextAreaElement;
    area.value = t;
    area.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste' }));
  }, text);
}

/** A real paste event into the editor, as the clipboard would deliver it. */
export async function pasteEvent(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.getElementById('editor')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Keeps a screenshot of what the window shows (the whole page with `full`). */
export const shot = (page: Page, name: string, full = false): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: full });
