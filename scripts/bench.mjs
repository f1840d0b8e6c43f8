#!/usr/bin/env node
// Benchmarks, printed as a table: CLI start-up against a bare Node process, and analysis speed.
// Run after `npm run build` (npm ci does it): node scripts/bench.mjs [runs]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/nncalc.js', import.meta.url));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(args) {
  spawnSync(process.execPath, args, { cwd: root }); // warm the file cache
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(ms);
}

const rows = [];
const bare = time(['-e', '0']);
rows.push(['node -e 0', bare, '', '']);
for (const args of [['vgg16'], ['vgg16', '--explain'], ['vgg16', '--format', 'json'], ['list']]) {
  const t = time([bin, ...args]);
  rows.push([`nncalc ${args.join(' ')}`, t, (t / bare).toFixed(2) + '×', args.length === 1 && args[0] === 'vgg16' ? 'target < 2×' : '']);
}

const { summarize, zoo } = await import('../dist/index.js');
const t0 = performance.now();
let layers = 0;
for (const e of zoo) layers += summarize(e.name).layers.length;
const all = performance.now() - t0;
rows.push([`analyse the zoo (${zoo.length} models, ${layers} layers)`, all, '', `${((layers / all) * 1000).toFixed(0)} layers/s`]);

const { onnxRows } = await import('./bench/onnx.mjs');
rows.push(...(await onnxRows(Math.max(3, Math.floor(runs / 3)), bare)));

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'benchmark'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'vs node'.padStart(8)}  note`);
console.log('-'.repeat(w + 35));
for (const [name, ms, ratio, note] of rows) console.log(`${name.padEnd(w)}  ${(Number.isNaN(ms) ? '' : ms.toFixed(1)).padStart(10)}  ${ratio.padStart(8)}  ${note}`);
console.log(`\n${runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}.`);
