/**
 * The totals file the build writes (dist/zoo-totals.json, read by `nncalc list`) holds every zoo model, and each
 * model's figures equal a fresh analysis of it: the file cannot drift from the zoo. `npm test` builds first.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { zoo } from '../src/zoo/index.js';
import { readTotalsFile, zooTotals } from '../src/zoo/totals.js';

const file = readTotalsFile(readFileSync(new URL('../dist/zoo-totals.json', import.meta.url), 'utf8'));

test('the built totals file lists exactly the zoo', () => {
  expect([...file.keys()].sort()).toEqual(zoo.map((e) => e.name).sort());
});

test.each(zoo.map((e) => e.name))('%s: the built totals equal a fresh analysis', (name) => {
  expect(file.get(name)).toEqual(zooTotals(zoo.find((e) => e.name === name)!));
});

test('the shipped list reads the file: its rows are the file’s figures', () => {
  const bin = fileURLToPath(new URL('../bin/nncalc.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'list', '--format', 'json'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const rows = JSON.parse(r.stdout) as { name: string; params: number; macs: number }[];
  expect(rows.map((x) => x.name)).toEqual(zoo.map((e) => e.name));
  for (const row of rows) expect(row.macs).toBe(file.get(row.name)!.macs);
});
