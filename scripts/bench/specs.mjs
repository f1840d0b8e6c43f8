// Large specs read into a Spec (not analysed), each in a child process so its peak memory can be taken: JSON is
// read with JSON.parse and located on demand, YAML is capped before the document is composed. A spec past the
// layer limit stops there.
import { spawnSync } from 'node:child_process';
import { root } from './_time.mjs';

export const title = 'Reading large specs (target: a 48 MB JSON spec well under 1 GB)';

const script = (kind, layers) => `
const { parseSpecText, ModelError } = await import('./dist/index.js');
const n = ${layers};
const text = ${kind === 'json'}
  ? JSON.stringify({ input: '32x32x3', layers: Array.from({ length: n }, (_, i) => ({ conv2d: { out: 8, kernel: 3, padding: 1 }, name: 'c' + i })) })
  : 'input: 32x32x3\\nlayers:\\n' + Array.from({ length: n }, (_, i) => '  - conv2d: {out: 8, kernel: 3, padding: 1}\\n    name: c' + i + '\\n').join('');
const t = performance.now();
let outcome = 'ok';
try { await parseSpecText(text); } catch (e) { outcome = e instanceof ModelError ? 'error[' + e.code + ']' : 'CRASH ' + e; }
console.log(JSON.stringify({ mb: text.length / 1e6, ms: performance.now() - t, peak: process.resourceUsage().maxRSS / 1024, outcome }));
`;

export async function run() {
  const cases = [
    ['JSON', 'json', 20_000],
    ['JSON', 'json', 100_000],
    ['JSON, past the layer limit', 'json', 800_000],
    ['YAML', 'yaml', 30_000],
    ['YAML, past the size limit', 'yaml', 60_000],
  ];
  const rows = [];
  for (const [name, kind, layers] of cases) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(kind, layers)], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    rows.push([name, layers.toLocaleString('en-US'), out.mb?.toFixed(1), out.ms?.toFixed(0), out.peak?.toFixed(0), out.outcome ?? `failed: ${r.stderr.slice(0, 60)}`]);
  }
  return { header: ['spec', 'layers', 'MB', 'ms', 'peak MB', 'outcome'], rows };
}
