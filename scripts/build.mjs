#!/usr/bin/env node
// Bundles the CLI into dist/cli/ so `npx nncalc` loads one file instead of dozens (start-up time is
// measured in scripts/bench.mjs). Dynamic imports (the YAML reader, file formats) become separate chunks,
// loaded only when used. The library itself (dist/index.js) is compiled by tsc, unbundled.
import { rmSync } from 'node:fs';
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
