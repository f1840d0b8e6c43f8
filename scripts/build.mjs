#!/usr/bin/env node
// Bundles the CLI into dist/cli/ so `npx nncalc` loads one file instead of dozens (start-up time is
// measured in scripts/bench.mjs). Dynamic imports (the YAML reader, file formats) become separate chunks,
// loaded only when used. The library itself (dist/index.js) is compiled by tsc, unbundled.
// The web page (src/web) is bundled into dist/web: a static site with relative paths only, whose analysis runs in
// a worker (worker.js) and whose graph layout (layout.js, with dagre) and YAML reader load only when needed.
// Then it writes dist/zoo-totals.json, every zoo model's totals, which `nncalc list` reads instead of analysing
// the whole zoo on every call (test/zoo-totals.test.ts holds it equal to a fresh analysis).
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
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
  minify: true, // smaller files parse faster: start-up is measured in npm run bench
  legalComments: 'none',
  external: ['yaml'], // a dependency; its CommonJS build, bundled into ESM, fails on require('process')
  logLevel: 'warning',
});

// tsc compiled src/web into dist/web too; the page is the bundle alone.
rmSync('dist/web', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/web/main.ts', worker: 'src/web/worker.ts', layout: 'src/web/layout.ts' },
  outdir: 'dist/web',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16.4'],
  minify: true,
  legalComments: 'external',
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(`src/web/${f}`, `dist/web/${f}`);

const { zoo } = await import('../dist/zoo/index.js');
const { totalsFile } = await import('../dist/zoo/totals.js');
writeFileSync('dist/zoo-totals.json', totalsFile(zoo));
