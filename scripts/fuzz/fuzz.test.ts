// Runs every fuzz target: a seeded slice in npm test (FUZZ_RUNS mutations and FUZZ_PROPERTY_RUNS fast-check inputs
// per target), the full campaign through `npm run fuzz -- --runs N [--seed S] [--target NAME]` (scripts/fuzz/run.mjs).
// A failure prints the target, the problem and the input in base64, to replay with targets.ts's `replay`.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutationCampaign, propertyCampaign, type Failure } from './harness.js';
import { targets } from './targets.js';

const env = process.env;
const runs = Number(env['FUZZ_RUNS'] ?? 300);
const propertyRuns = Number(env['FUZZ_PROPERTY_RUNS'] ?? 100);
const seed = Number(env['FUZZ_SEED'] ?? 20261207);
const only = env['FUZZ_TARGET'];
const report: Record<string, unknown> = {};

const show = (f: readonly Failure[]) => f.slice(0, 5).map((x) => `${x.target}: ${x.problem}\n  input (base64): ${Buffer.from(x.input).toString('base64').slice(0, 2000)}`).join('\n');

describe('fuzz: the only error is a ModelError; nothing hangs; reads and memory stay bounded', () => {
  for (const target of targets.filter((t) => !only || t.name === only)) {
    it(`${target.name}: ${runs} mutations of the fixtures${target.arbitrary ? `, ${propertyRuns} fast-check inputs` : ''}`, { timeout: 60_000 + runs * 50 }, async () => {
      const mutations = await mutationCampaign(target, runs, seed);
      const property = await propertyCampaign(fc, target, propertyRuns, seed);
      report[target.name] = {
        inputs: mutations.inputs + property.inputs,
        outcomes: Object.fromEntries(
          [...[...mutations.outcomes, ...property.outcomes].reduce((m, [k, n]) => m.set(k, (m.get(k) ?? 0) + n), new Map<string, number>())].sort((a, b) => b[1] - a[1]).slice(0, 25),
        ),
        failures: mutations.failures.length + property.failures.length,
      };
      if (env['FUZZ_REPORT']) writeFileSync(env['FUZZ_REPORT'], `${JSON.stringify({ runs, propertyRuns, seed, targets: report }, null, 2)}\n`);
      const failures = [...mutations.failures, ...property.failures];
      expect(failures, show(failures)).toEqual([]);
    });
  }
});
