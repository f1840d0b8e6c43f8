// The web page: its JavaScript gzipped (what loads with the page against what loads later), the first result
// (VGG-16) after navigation in headless Chromium, and re-analysis per keystroke while typing VGG-16's notation.
// Uses Debian's /usr/bin/chromium through playwright-core, as the page's tests do; skipped when it is missing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { bin, median } from './_time.mjs';

export const title = 'Web page (dist/web)';

const web = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Every file a script imports statically, transitively (dynamic imports are what loads later). */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(web, file), 'utf8');
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const m of text.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{},\s]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(new URL(m[1], `file:///${dir}`).pathname.slice(1));
    }
  };
  visit(entry);
  return seen;
}

const gz = (files) => [...files].reduce((s, f) => s + gzipSync(readFileSync(join(web, f)), { level: 9 }).length, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes() {
  const all = new Set(['', 'chunks/'].flatMap((d) => readdirSync(join(web, d)).filter((f) => f.endsWith('.js')).map((f) => d + f)));
  const page = new Set([...staticClosure('main.js'), ...staticClosure('worker.js')]);
  const layout = staticClosure('layout.js');
  const later = [...all].filter((f) => !page.has(f) && !layout.has(f));
  return [
    ['page JS, gzipped (main + analysis worker)', kb(gz(page)), '< 200 KB', `${page.size} files, loaded with the page`],
    ['graph layout (dagre), gzipped', kb(gz([...layout].filter((f) => !page.has(f)))), '', 'its own worker, started once the first result is up'],
    ['readers (YAML and JSON specs, configs, model files), gzipped', kb(gz(later)), '', `${later.length} chunks imported on first use, or once the page is idle`],
  ];
}

/** `nncalc web --port 0`, as a user starts it: its address, and how to stop it. */
async function serve() {
  const child = spawn(process.execPath, [bin, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`nncalc web exited with ${code}`)));
  });
  return { url, close: () => child.kill('SIGTERM') };
}

async function browserRows(runs) {
  const { chromium } = await import('playwright-core');
  const server = await serve();
  const profile = mkdtempSync(join(tmpdir(), 'nncalc-bench-web-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  try {
    const first = [];
    const load = [];
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => performance.getEntriesByName('nncalc:first-result').length > 0, null, { timeout: 30_000 });
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return { result: performance.getEntriesByName('nncalc:first-result')[0].startTime, load: nav.loadEventEnd };
      });
      first.push(t.result);
      load.push(t.load);
      await page.close();
    }
    // Typing: FC-1000 → FC-100 → FC-1000 …, each keystroke waited for, so each is timed alone.
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('html[data-results]');
    await page.locator('#editor').focus();
    await page.evaluate(() => {
      const a = document.getElementById('editor');
      const at = a.value.indexOf('FC-1000') + 'FC-1000'.length;
      a.setSelectionRange(at, at);
      performance.clearMeasures('nncalc:analysis');
    });
    const keys = Math.max(20, runs * 4);
    const worker = [];
    for (let i = 0; i < keys; i++) {
      const n = await page.evaluate(() => performance.getEntriesByName('nncalc:analysis').length);
      await page.keyboard.press(i % 2 === 0 ? 'Backspace' : '0');
      await page.waitForFunction((k) => performance.getEntriesByName('nncalc:analysis').length > k, n);
      worker.push(Number(await page.getAttribute('html', 'data-worker-ms')));
    }
    const typing = await page.evaluate(() => performance.getEntriesByName('nncalc:analysis').map((m) => m.duration));
    const sorted = [...typing].sort((a, b) => a - b);
    return [
      ['first result (VGG-16 notation), from navigation', `${median(first).toFixed(0)} ms`, '< 1000 ms', `median of ${runs} loads (first ${first[0].toFixed(0)} ms); load event at ${median(load).toFixed(0)} ms`],
      ['re-analysis per keystroke, VGG-16 notation', `${median(typing).toFixed(1)} ms`, '< 16 ms', `median of ${typing.length} keystrokes, input event to table drawn (pictures follow in the next frame); p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(1)} ms`],
      ['  of which the analysis in the worker', `${median(worker).toFixed(1)} ms`, '', 'analyse + the view (tables, explanation, figures data); the rest is messaging and drawing'],
    ];
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function run({ runs }) {
  if (!existsSync(join(web, 'index.html'))) throw new Error('dist/web is not built: run npm run build');
  const rows = sizes();
  if (existsSync(CHROMIUM)) rows.push(...(await browserRows(Math.min(runs, 10))));
  else rows.push(['browser timings', 'skipped', '', `${CHROMIUM} is not installed`]);
  const load = loadavg().map((x) => x.toFixed(1)).join(', ');
  return { header: ['benchmark', 'value', 'target', 'note'], rows, note: `Headless Chromium (${CHROMIUM}); the page served by nncalc web on 127.0.0.1. Load average ${load} on ${cpus().length} cores: timings include waiting for a core.` };
}
