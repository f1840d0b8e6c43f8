import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Raw } from './attrs.js';
import { ops } from './index.js';
import { spellings } from './keywords.js';
import { attributesOf, derivedDefaults, examples, opsReference } from './reference.js';

describe('docs/ops.md', () => {
  test('is the op reference the op table writes (run `npm run docs:ops` after changing an op)', () => {
    expect(readFileSync(new URL('../../docs/ops.md', import.meta.url), 'utf8')).toBe(opsReference());
  });

  test('every op has an example, and every example is of an op', () => {
    expect(Object.keys(examples).sort()).toEqual(Object.keys(ops).sort());
  });

  test('every keyword in the spelling table is of an attribute the op reads', () => {
    for (const [kind, s] of Object.entries(spellings)) {
      const read = new Set(attributesOf(ops[kind]!, examples[kind]!.attrs).map((a) => a.key));
      for (const attr of Object.keys(s.words)) expect(read.has(attr), `${kind}.${attr}`).toBe(true);
    }
  });

  /** The example with every number moved and every flag flipped, so that a default taken from another attribute moves too. */
  const moved = (raw: Raw): Raw =>
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x + 1 : x)) : v]),
    );

  test('a default that follows another attribute is written as such, not as the example’s value', () => {
    for (const [kind, def] of Object.entries(ops)) {
      const ex = examples[kind]!.attrs;
      const before = new Map(attributesOf(def, ex).map((a) => [a.key, JSON.stringify(a.read?.default)]));
      for (const a of attributesOf(def, moved(ex))) {
        if (Object.hasOwn(ex, a.key) || !before.has(a.key)) continue;
        if (JSON.stringify(a.read?.default) !== before.get(a.key)) expect(derivedDefaults[kind]?.[a.key], `${kind}.${a.key} follows another attribute`).toBeDefined();
      }
    }
  });

  test('the reference shows PyTorch and Keras keywords and signatures', () => {
    const text = opsReference();
    expect(text).toContain("| `out` | integer ≥ 1 | **required** | `out_channels` | `filters` |");
    expect(text).toContain('Positional arguments: PyTorch `Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`; Keras `Conv2D(filters, kernel_size, strides, padding)`.');
    // By hand: 3·3·3·64 + 64 = 1,792.
    expect(text).toContain('- parameters: k·k·c_in·c_out + c_out = 3·3·3·64 + 64 = 1,792');
    expect(text).toContain('| `stride` | integer ≥ 1, or a list of 2 | the kernel |');
  });
});
