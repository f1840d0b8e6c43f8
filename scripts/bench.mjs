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

// check's readers on 1 MB of adversarial text: each must stay linear (milliseconds, not seconds).
const { readClaims } = await import('../dist/check/claims.js');
const { checkClaims } = await import('../dist/check/index.js');
const { explainSummary } = await import('../dist/check/summary/index.js');
const MB = 1 << 20;
const hostile = {
  'spaces in a key': 'a' + ' '.repeat(MB) + 'b: 5',
  'open brackets': 'total: ' + '('.repeat(MB),
  'brackets and words': 'total: 5' + ' (x'.repeat(MB / 3),
  'digits': 'total: ' + '1'.repeat(MB),
  'a long sum': 'total: ' + '1+'.repeat(MB / 2) + '1',
  'space-grouped digits': 'total: 1' + ' 000'.repeat(MB / 4),
  'colons run together': 'a: 1 b'.repeat(MB / 6),
  'table pipes': '|'.repeat(MB),
  'table rows': '| layer | params |\n|---|---|\n' + '| x | 1 |\n'.repeat(MB / 10),
  'csv quotes': 'layer,params\n' + '"'.repeat(MB),
  'equals signs': 'fc1: ' + '5='.repeat(MB / 2) + '5',
};
const once = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
for (const [name, text] of Object.entries(hostile)) rows.push([`check: read 1 MB of ${name}`, once(() => readClaims(text)), '', 'linear']);
const summaryRow = '│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │\n';
const boxed = '┃ Layer (type) ┃ Output Shape ┃ Param # ┃\n' + summaryRow.repeat(Math.floor(MB / summaryRow.length)) + ' Total params: 1\n';
rows.push(['explain: a 1 MB Keras 3 summary', once(() => explainSummary(boxed)), '', 'linear']);
const ruled = 'Layer (type)  Output Shape  Param #\n' + ' '.repeat(MB) + '(\nTotal params: 1\n';
rows.push(['explain: 1 MB of spaces in a summary', once(() => { try { explainSummary(ruled); } catch {} }), '', 'an error, quickly']);
const vgg = summarize('vgg16');
const lines = Array.from({ length: 30000 }, (_, i) => `features.${(i % 13) * 2}: ${i}`).join('\n');
rows.push(['check: 30,000 claims on vgg16', once(() => checkClaims(vgg, lines)), '', 'linear in claims']);
const wide = summarize(`32x32x3, ${Array.from({ length: 10 }, () => 'conv3-8 x5000').join(', ')}`);
rows.push([`check: a claim without a key, ${wide.layers.length} layers`, once(() => checkClaims(wide, '590080')), '', 'linear in layers']);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'benchmark'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'vs node'.padStart(8)}  note`);
console.log('-'.repeat(w + 35));
for (const [name, ms, ratio, note] of rows) console.log(`${name.padEnd(w)}  ${ms.toFixed(1).padStart(10)}  ${ratio.padStart(8)}  ${note}`);
console.log(`\n${runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}.`);
