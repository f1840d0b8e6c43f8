#!/usr/bin/env node
// Writes docs/ops.md from the op table (src/ops/reference.ts), through the built library: run `npm run docs:ops`.
import { writeFileSync } from 'node:fs';
import { opsReference } from '../dist/ops/reference.js';

writeFileSync(new URL('../docs/ops.md', import.meta.url), opsReference());
console.log('docs/ops.md written');
