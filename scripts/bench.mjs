#!/usr/bin/env node
// Benchmarks, printed as a table: CLI start-up against a bare Node process, and analysis speed.
// Run after `npm run build` (npm ci does it): node scripts/bench.mjs [runs]
import { spawnSync } from 'node:child_process';
import { renameSync } from 'node:fs';
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
const notes = { vgg16: 'target < 2×', list: 'reads the totals the build wrote (dist/zoo-totals.json)' };
for (const args of [['vgg16'], ['vgg16', '--explain'], ['vgg16', '--format', 'json'], ['list'], ['list', 'llama']]) {
  const t = time([bin, ...args]);
  rows.push([`nncalc ${args.join(' ')}`, t, (t / bare).toFixed(2) + '×', notes[args.join(' ')] ?? '']);
}
// The same listing without the totals file analyses every model, as `nncalc list` did before the file existed.
const totals = fileURLToPath(new URL('../dist/zoo-totals.json', import.meta.url));
renameSync(totals, `${totals}.away`);
try {
  const t = time([bin, 'list']);
  rows.push(['nncalc list, no totals file', t, (t / bare).toFixed(2) + '×', 'analyses the whole zoo']);
} finally {
  renameSync(`${totals}.away`, totals);
}

const { summarize, zoo } = await import('../dist/index.js');
const t0 = performance.now();
let layers = 0;
for (const e of zoo) layers += summarize(e.name).layers.length;
const all = performance.now() - t0;
rows.push([`analyse the zoo (${zoo.length} models, ${layers} layers)`, all, '', `${((layers / all) * 1000).toFixed(0)} layers/s`]);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'benchmark'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'vs node'.padStart(8)}  note`);
console.log('-'.repeat(w + 35));
for (const [name, ms, ratio, note] of rows) console.log(`${name.padEnd(w)}  ${ms.toFixed(1).padStart(10)}  ${ratio.padStart(8)}  ${note}`);
console.log(`\n${runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}.`);
