import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULTS } from './defaults.js';
import { ARCHITECTURES, FAMILIES } from './families.js';

/** docs/hf-families.md, section by section: '### `type` — Name', a Classes line, a table of `key` | `default`. */
const doc = readFileSync(new URL('../../../docs/hf-families.md', import.meta.url), 'utf8');
const sections = new Map<string, { classes?: string[]; defaults: Record<string, unknown> }>();
for (const part of doc.split(/^### /m).slice(1)) {
  const type = /^`([^`]+)`/.exec(part)![1]!;
  const classes = /^Classes: (.*?) \(the first/m.exec(part)?.[1]?.split(', ').map((c) => c.replace(/`/g, ''));
  const defaults: Record<string, unknown> = {};
  for (const m of part.matchAll(/^\| `([^`]+)` \| `([^`]+)`/gm)) defaults[m[1]!] = JSON.parse(m[2]!);
  sections.set(type, { ...(classes ? { classes } : {}), defaults });
}

describe('docs/hf-families.md lists what nncalc reads', () => {
  test('a section for every family and every nested config type, and no other', () => {
    expect([...sections.keys()].sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const f of FAMILIES) expect(sections.has(f), f).toBe(true);
  });

  test.each(Object.keys(DEFAULTS))('%s: the defaults table equals defaults.ts', (type) => {
    expect(sections.get(type)!.defaults).toEqual(DEFAULTS[type]);
  });

  test.each([...FAMILIES])('%s: the classes it builds', (family) => {
    expect(sections.get(family)!.classes).toEqual([...ARCHITECTURES[family]]);
  });
});
