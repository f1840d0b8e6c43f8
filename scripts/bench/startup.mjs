// Start-up of the CLI against a bare Node process, and analysis speed over the zoo.
import { renameSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bin, timeCommand } from './_time.mjs';

export const title = 'Start-up and analysis';

export async function run({ runs }) {
  const rows = [];
  const bare = timeCommand(['-e', '0'], runs);
  rows.push(['node -e 0', bare.toFixed(1), '', '']);
  const notes = { vgg16: 'target < 2×', list: 'reads the totals the build wrote (dist/zoo-totals.json)' };
  for (const args of [['vgg16'], ['vgg16', '--explain'], ['vgg16', '--format', 'json'], ['list'], ['list', 'llama']]) {
    const t = timeCommand([bin, ...args], runs);
    rows.push([`nncalc ${args.join(' ')}`, t.toFixed(1), `${(t / bare).toFixed(2)}×`, notes[args.join(' ')] ?? '']);
  }
  // The same listing without the totals file analyses every model, as `nncalc list` did before the file existed.
  const totals = fileURLToPath(new URL('../../dist/zoo-totals.json', import.meta.url));
  renameSync(totals, `${totals}.away`);
  try {
    const t = timeCommand([bin, 'list'], runs);
    rows.push(['nncalc list, no totals file', t.toFixed(1), `${(t / bare).toFixed(2)}×`, 'analyses the whole zoo']);
  } finally {
    renameSync(`${totals}.away`, totals);
  }
  const { summarize, zoo } = await import('../../dist/index.js');
  const t0 = performance.now();
  let layers = 0;
  for (const e of zoo) layers += summarize(e.name).layers.length;
  const all = performance.now() - t0;
  rows.push([`analyse the zoo (${zoo.length} models, ${layers} layers)`, all.toFixed(1), '', `${((layers / all) * 1000).toFixed(0)} layers/s`]);
  return { header: ['benchmark', 'median ms', 'vs node', 'note'], rows, note: `${runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}.` };
}
