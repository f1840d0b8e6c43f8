#!/usr/bin/env node
// `npm run bench`: every benchmark section in scripts/bench/, each printed as a table. Run after `npm run build`
// (npm ci does it). Arguments: [runs] [section names…], e.g. `node scripts/bench.mjs 5 startup adversarial`.
import { readdirSync } from 'node:fs';

const [runsArg, ...only] = process.argv.slice(2);
const runs = Number(runsArg ?? 15) || 15;
const dir = new URL('./bench/', import.meta.url);
const sections = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .sort()
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));

for (const file of sections) {
  const { title, run } = await import(new URL(file, dir).href);
  const { header, rows, note } = await run({ runs });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log('-'.repeat(widths.reduce((s, w) => s + w + 2, -2)));
  for (const r of rows) console.log(line(r));
  if (note) console.log(`\n${note}`);
}
