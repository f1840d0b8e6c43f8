// ONNX section of `npm run bench`: the torchvision vgg16 export with embedded weights (≈ 528 MiB) and a 50,000-node
// graph, read by nncalc and, side by side, by Python's onnx.load. The files are written on demand by
// scripts/bench/onnx_models.py (torch 1.13 and onnx 1.12 under /usr/bin/python3) into the system's temp folder
// and reused; without them the rows say so. nncalc runs as a bundle (as the CLI does), in a child process:
// wall time past a bare `node -e 0`, bytes read through the ByteSource, peak RSS.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median, timeCommand } from './_time.mjs';

export const title = 'ONNX files (nncalc beside Python onnx.load)';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = join(tmpdir(), 'nncalc-bench');
const python = '/usr/bin/python3';
const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Wall time of a child process, median of `runs`, and its last stdout. */
function child(cmd, args, runs) {
  const ms = [];
  let out = '';
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    ms.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    out = r.stdout;
  }
  return { ms: median(ms), out };
}

const header = ['benchmark', 'median ms', 'vs nncalc', 'note'];

export async function run({ runs }) {
  runs = Math.max(3, Math.floor(runs / 3));
  const made = spawnSync(python, [join(here, 'onnx_models.py'), dir], { encoding: 'utf8' });
  if (made.status !== 0) return { header, rows: [['onnx (not run)', '', '', `needs ${python} with torch and onnx: ${made.stderr.trim().split('\n').pop()}`]] };
  const bare = timeCommand(['-e', '0'], runs);
  const bundle = join(dir, 'onnx-read.bundle.mjs');
  await build({ entryPoints: [join(here, '_onnx-read.mjs')], outfile: bundle, bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, logLevel: 'warning' });
  const rows = [['node -e 0', bare.toFixed(1), '', '']];
  for (const [name, target] of [
    ['vgg16', 'target < 100 ms past node, < 100 MiB RSS, < 1 % read'],
    ['chain50k', 'target < 1 s, < 300 MiB RSS'],
  ]) {
    const file = join(dir, `${name}.onnx`);
    if (!existsSync(file)) continue;
    const nn = child(process.execPath, [bundle, file], runs);
    const r = JSON.parse(nn.out.trim().split('\n').pop());
    const past = nn.ms - bare;
    rows.push([`nncalc ${name}.onnx (${mb(r.size)}, ${r.layers} layers)`, past.toFixed(1), '', `${target}; past node start-up`]);
    rows.push([`  read ${r.read.toFixed(0)} ms · analyse ${r.analyse.toFixed(0)} ms · table ${r.render.toFixed(0)} ms`, '', '', `bytes read ${r.bytes} (${((100 * r.bytes) / r.size).toFixed(3)} %) in ${r.requests} reads · peak RSS ${mb(r.rss)}`]);
    // Side by side on equal terms: onnx.load beside nncalc's own work (each past start-up and loading its code),
    // and import onnx + onnx.load beside the whole nncalc run (each past bare start-up).
    const py = child(python, ['-c', `import sys, time\nt0 = time.perf_counter()\nimport onnx\nt1 = time.perf_counter()\nonnx.load(sys.argv[1], load_external_data=False)\nt2 = time.perf_counter()\nprint((t2 - t1) * 1000, (t2 - t0) * 1000)`, file], Math.min(runs, 3));
    const [load, withImport] = py.out.trim().split(/\s+/).map(Number);
    const work = r.read + r.analyse + r.render;
    rows.push([`python onnx.load ${name}.onnx`, load.toFixed(1), `${(load / work).toPrecision(2)}×`, `onnx.load alone, past interpreter start-up and import; beside nncalc's read + analyse + table (${work.toFixed(0)} ms, past loading its code)`]);
    rows.push([`python import onnx + onnx.load ${name}.onnx`, withImport.toFixed(1), `${(withImport / past).toPrecision(2)}×`, 'past interpreter start-up; beside the whole nncalc run past node start-up']);
  }
  return { header, rows, note: `${runs} runs each (onnx.load: ${Math.min(runs, 3)}); files in ${dir}, written by scripts/bench/onnx_models.py. Node ${process.version}.` };
}
