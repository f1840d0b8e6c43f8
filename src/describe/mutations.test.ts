/**
 * The examples, mutated: characters deleted, pieces of the spec language inserted, chunks copied, with a seeded
 * generator so that a failure replays. Reading and analysing each must end in a report or a ModelError, never
 * in another error. A wider campaign of the same kind (5,500 inputs) found the adaptive-pooling loop that
 * pool.ts now sums in closed form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ModelError } from '../errors.js';
import { summarize } from '../summarize.js';
import { parseSpecText } from './from-object.js';

const dir = new URL('../../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
const PIECES = ['(', ')', '[', ']', ',', '=', ' x 3', ' if c', '//', '**', '-', '0', '-1', '1e9', 'like(', 'dim(x, ', 'use: ', 'x', 'i', ':1', '#2', "'", 'None', '99999999999', 'Sequential(', 'M()', '\n  - ', ': ', '{', '}'];

test('mutated examples end in a report or a ModelError', async () => {
  let seed = 20_240_601;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const texts = new Map(files.map((f) => [f, readFileSync(new URL(f, dir), 'utf8')]));
  let errors = 0;
  for (let k = 0; k < 120; k++) {
    const file = pick(files);
    let t = texts.get(file)!;
    for (let j = 0; j < 1 + Math.floor(rand() * 3); j++) {
      const p = Math.floor(rand() * t.length);
      const r = rand();
      if (r < 0.3) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(rand() * 5));
      else if (r < 0.7) t = t.slice(0, p) + pick(PIECES) + t.slice(p);
      else {
        const q = Math.floor(rand() * t.length);
        t = t.slice(0, p) + t.slice(q, q + 20) + t.slice(p);
      }
    }
    try {
      summarize(await parseSpecText(t, file));
    } catch (e) {
      if (!(e instanceof ModelError)) throw new Error(`${file}, mutation ${k}: ${String(e)}\n${t}`);
      expect(e.message).not.toBe('');
      errors++;
    }
  }
  // Most mutations break a spec; some leave it valid.
  expect(errors).toBeGreaterThan(40);
}, 60_000);
