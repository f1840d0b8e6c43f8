#!/usr/bin/env node
// Bundles the CLI into dist/cli/ so `npx nncalc` loads one file instead of dozens (start-up time is
// measured in scripts/bench.mjs). Dynamic imports (the YAML reader, file formats) become separate chunks,
// loaded only when used. The library itself (dist/index.js) is compiled by tsc, unbundled.
// Then it writes dist/zoo-totals.json, every zoo model's totals, which `nncalc list` reads instead of analysing
// the whole zoo on every call (test/zoo-totals.test.ts holds it equal to a fresh analysis).
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones so dist/ holds only what the bundle uses.
rmSync('dist/cli', { recursive: true, force: true });

await build({
  entryPoints: { nncalc: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  external: ['yaml'], // a dependency; its CommonJS build, bundled into ESM, fails on require('process')
  logLevel: 'warning',
});

const { zoo } = await import('../dist/zoo/index.js');
const { totalsFile } = await import('../dist/zoo/totals.js');
writeFileSync('dist/zoo-totals.json', totalsFile(zoo));
