#!/usr/bin/env node
// The full fuzz campaign: npm run fuzz -- --runs N [--property-runs M] [--seed S] [--target NAME] [--report FILE]
// Runs scripts/fuzz/fuzz.test.ts under vitest with those settings (the same file npm test runs as a small slice).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, 'property-runs': { type: 'string' }, seed: { type: 'string' }, target: { type: 'string' }, report: { type: 'string' } },
});
const env = {
  ...process.env,
  FUZZ_RUNS: values.runs,
  FUZZ_PROPERTY_RUNS: values['property-runs'] ?? String(Math.max(100, Math.floor(Number(values.runs) / 5))),
  ...(values.seed ? { FUZZ_SEED: values.seed } : {}),
  ...(values.target ? { FUZZ_TARGET: values.target } : {}),
  ...(values.report ? { FUZZ_REPORT: values.report } : {}),
};
const r = spawnSync('npx', ['vitest', 'run', 'scripts/fuzz/fuzz.test.ts'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
