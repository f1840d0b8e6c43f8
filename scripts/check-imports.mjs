#!/usr/bin/env node
// Checks the layering of src/: no import cycles, no import from a lower layer up to a higher one, and no
// `node:` import outside the CLI and the Node byte source (src/ must run in a browser). Run by npm test.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Layers from the bottom up; a file may import only from its own layer or below. */
const LAYERS = [
  ['src/count.ts', 'src/types.ts', 'src/errors.ts', 'src/suggest.ts', 'src/int.ts', 'src/arrays.ts', 'src/limits.ts'],
  ['src/ops', 'src/io'],
  ['src/describe', 'src/analyze'],
  ['src/zoo', 'src/formats', 'src/render'],
  ['src/check', 'src/diff', 'src/summarize.ts', 'src/summarize-file.ts', 'src/options.ts', 'src/memory'],
  ['src/index.ts', 'src/node.ts', 'src/cli', 'src/web'],
];
const NODE_ALLOWED = [/^src\/cli\//, /^src\/io\/node-file\.ts$/];

const layerOf = (file) => {
  const i = LAYERS.findIndex((l) => l.some((p) => file === p || file.startsWith(p + '/')));
  return i < 0 ? LAYERS.length : i;
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = walk('src');
const edges = new Map();
const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const deps = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
    const spec = m[3] ?? m[4];
    const typeOnly = !!m[2];
    if (spec.startsWith('node:')) {
      if (!NODE_ALLOWED.some((r) => r.test(file))) problems.push(`${file}: imports ${spec}; src/ must stay browser-safe`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts');
    if (!typeOnly) deps.push(target);
    if (layerOf(target) > layerOf(file)) problems.push(`${file}: imports ${target}, a higher layer`);
  }
  edges.set(file, deps);
}

// Cycles among value imports (type-only imports vanish at run time).
const state = new Map();
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of edges.get(f) ?? []) {
    if (state.get(d) === 1) problems.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' → ')}`);
    else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of files) if (!state.has(f)) visit(f);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`imports: ${files.length} files, layering and cycles ok`);
