import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource, Reader } from './bytes.js';
import { PyBytes, PyDict, PyGlobal, PyObject, PySet, PyTuple, unpickle, type PickleOptions } from './pickle.js';

/** Pickles written by Python's pickle module (scripts/fixtures/pickle_fixtures.py). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/pickle/${name}`, import.meta.url)));
const load = (bytes: Uint8Array, options: PickleOptions = {}, name = 'test.pkl') => unpickle(new Reader(memorySource(bytes, name), 'pytorch'), options);
const bytes = (...parts: (string | number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));

/** The JSON form values.json uses: tuples and sets as lists, dicts as pairs, bytes as their length, big ints as strings. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyBytes) return { bytes: v.length };
  if (v instanceof PyTuple) return v.items.map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof PySet) return v.items.map(plain).sort((a, b) => Number(a) - Number(b));
  if (v instanceof PyDict) return [...v.map].map(([k, x]) => [plain(k), plain(x)]);
  return v;
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<ModelError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
  return e as ModelError;
}

describe('safe unpickler', () => {
  const expected = JSON.parse(readFileSync(new URL('../../test/fixtures/pickle/values.json', import.meta.url), 'utf8')) as unknown;
  for (const p of [0, 1, 2, 3, 4, 5]) {
    it(`reads protocol ${p} as Python wrote it`, async () => {
      const v = await load(fixture(`values_p${p}.pkl`));
      expect(plain(v)).toEqual(expected);
      // Shared references stay shared (the memo), as in Python.
      const shared = (v as PyDict).map.get('shared') as unknown[];
      expect(shared[0]).toBe(shared[1]);
    });
  }

  it('refuses a call outside the allow-list, naming it, before anything else happens', async () => {
    await rejects(load(fixture('hostile_system.pkl')), /pytorch: pickle: REDUCE calls posix\.system, which nncalc does not allow: loading this pickle in Python would run it\. .* \(at byte offset 53 of test\.pkl\)/);
    await rejects(load(fixture('hostile_eval.pkl')), /REDUCE calls builtins\.eval, which nncalc does not allow/);
    // INST and OBJ call too.
    await rejects(load(bytes('(S\'x\'\nios\nsystem\n.')), /INST calls os\.system, which nncalc does not allow/);
    await rejects(load(bytes('(cos\nsystem\nS\'x\'\no.')), /OBJ calls os\.system/);
    // Allowed calls run the caller's handler, never the global itself.
    const v = await load(bytes('\x80\x02ctorch\nSize\n((K\x02K\x03ttR.'), { callables: { 'torch.Size': (a) => a[0] } });
    expect(plain(v)).toEqual([2, 3]);
  });

  it('makes inert records of classes: NEWOBJ and BUILD keep the class name and state, nothing is constructed', async () => {
    const v = await load(bytes('\x80\x02ctorch.nn.modules.conv\nConv2d\n)\x81}X\x0b\x00\x00\x00in_channelsK\x03sb.'));
    expect(v).toBeInstanceOf(PyObject);
    const o = v as PyObject;
    expect(o.cls).toEqual(new PyGlobal('torch.nn.modules.conv', 'Conv2d'));
    expect(plain(o.state)).toEqual([['in_channels', 3]]);
  });

  it('bounds nesting, the memo and the items built (memo bombs), with the offset where a limit was passed', async () => {
    await rejects(load(bytes('\x80\x02', '('.repeat(20_000), '.')), /more than 10000 MARKs open at once \(nested too deeply\) \(at byte offset 10002 of test\.pkl\)/);
    // One list appended to itself through the memo: ten bytes an append, no allocation per append but an item.
    const bomb = bytes('\x80\x02]q\x00', 'h\x00a'.repeat(5000), '.');
    await rejects(load(bomb, { limits: { items: 1000 } }), /more than 1000 items put into containers \(a memo bomb\?\) \(at byte offset 3007 /);
    const accepted = (await load(bomb)) as unknown[];
    expect(accepted).toHaveLength(5000);
    expect(accepted[0]).toBe(accepted);
    // Memo entries: BINPUT of 2000 different keys.
    const puts = bytes('\x80\x02N', ...Array.from({ length: 300 }, (_, i) => [0x72, i & 255, i >> 8, 0, 0]), '.');
    await rejects(load(puts, { limits: { memo: 200 } }), /more than 200 memo entries \(a memo bomb\?\)/);
    // The stack: NONE pushed a million times and more.
    await rejects(load(bytes('\x80\x02', 'N'.repeat(1100), '.'), { limits: { stack: 1000 } }), /the stack holds more than 1000 values \(at byte offset 1002 /);
  });

  it('refuses lengths past the end, truncation and malformed opcodes, with the byte offset', async () => {
    await rejects(load(fixture('hostile_string.pkl')), /a string of 2147483647 bytes runs past the end of the file \(\d+ bytes left; truncated\?\) \(at byte offset 2 /);
    await rejects(load(bytes('\x80\x02}X\x03\x00\x00\x00ab')), /needs 3 bytes, but the file ends 2 bytes later|runs past the end/);
    await rejects(load(bytes('\x80\x02]K\x01')), /needs 1 bytes, but the file ends 0 bytes later \(truncated\?\) \(at byte offset 5/);
    await rejects(load(bytes('\x80\x06.')), /protocol 6 is newer than the protocols 0–5 nncalc reads \(at byte offset 0/);
    await rejects(load(bytes('\x80\x02\xff')), /unknown opcode 0xff \(at byte offset 2/);
    await rejects(load(bytes('\x80\x02h\x05.')), /memo entry 5 is read before it is written/);
    await rejects(load(bytes('\x80\x02a.')), /the stack is empty/);
    await rejects(load(bytes('\x80\x02]K\x01K\x02s.')), /SETITEM on a list, which is not a dict \(at byte offset 7 /);
    await rejects(load(bytes('\x80\x02\x82\x01.')), /extension code/);
    await rejects(load(bytes('\x80\x02K\x01Q.')), /a persistent id, but nothing here resolves them \(at byte offset 4 /);
    await rejects(load(bytes('\x80\x02\x8b\xd0\x07\x00\x00', new Uint8Array(2000), '.')), /a long integer of 2000 bytes \(more than 1024\) \(at byte offset 2 /);
  });

  it('stops at STOP, so pickles in a row are read one by one', async () => {
    const r = new Reader(memorySource(bytes('\x80\x02K\x07.\x80\x02X\x02\x00\x00\x00ok.'), 'two.pkl'), 'pytorch');
    expect(await unpickle(r)).toBe(7);
    expect(r.position).toBe(5);
    expect(await unpickle(r)).toBe('ok');
  });
});
