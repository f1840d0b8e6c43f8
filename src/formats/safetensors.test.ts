import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOfAsync } from '../../test/helpers.js';
import { safetensorsFile, safetensorsHeader, llamaTensors } from '../../scripts/fixtures/writers.mjs';
import { memorySource } from '../io/bytes.js';
import { memoryFolder } from '../io/folder.js';
import { readModel } from './index.js';
import { readSafetensorsHeader, readSafetensorsIndex } from './safetensors.js';

const FIXTURES = 'test/fixtures/models';
const PYTHON = '/usr/bin/python3';
const src = (bytes: Uint8Array, name = 'model.safetensors') => memorySource(bytes, name);
/** A header built by hand (no padding, no checks) followed by `data` zero bytes. */
const raw = (header: unknown, data = 0, length?: number | bigint): Uint8Array => {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(length ?? json.length), true);
  out.set(json, 8);
  return out;
};
const message = async (bytes: Uint8Array) => (await errorOfAsync(() => readSafetensorsHeader(src(bytes)))).message;

describe('safetensors', () => {
  it.skipIf(!existsSync(PYTHON))('agrees with an independent reader (Python json + struct) on every fixture', async () => {
    for (const file of ['tiny-llama/model.safetensors', 'small-cnn.safetensors', 'tiny-llama-sharded/model-00002-of-00002.safetensors']) {
      const path = `${FIXTURES}/${file}`;
      const py = JSON.parse(execFileSync(PYTHON, ['scripts/fixtures/read_safetensors.py', path], { encoding: 'utf8' })) as {
        header_bytes: number;
        metadata: Record<string, string>;
        tensors: { name: string; dtype: string; shape: number[]; bytes: number }[];
      };
      const h = await readSafetensorsHeader(src(readFileSync(path), path));
      expect(h.headerBytes).toBe(py.header_bytes);
      expect(h.metadata).toEqual(py.metadata);
      expect(h.tensors).toEqual(py.tensors.map(({ name, dtype, shape, bytes }) => ({ name, dtype, shape, bytes })));
    }
  });
  it('reads the header only: 8 bytes, then the JSON', async () => {
    const bytes = readFileSync(`${FIXTURES}/tiny-llama/model.safetensors`);
    const s = src(bytes);
    const h = await readSafetensorsHeader(s);
    expect(h.tensors).toHaveLength(21);
    expect(s.stats).toEqual({ requests: 2, bytes: 8 + h.headerBytes });
  });
  it('normalises dtype aliases, accepts scalars and empty tensors', async () => {
    const h = await readSafetensorsHeader(src(raw({ a: { dtype: 'E8M0', shape: [], data_offsets: [0, 1] }, b: { dtype: 'F32', shape: [0, 5], data_offsets: [1, 1] } }, 1)));
    expect(h.tensors).toEqual([
      { name: 'a', dtype: 'F8_E8M0', shape: [], bytes: 1 },
      { name: 'b', dtype: 'F32', shape: [0, 5], bytes: 0 },
    ]);
  });
  it('reads a sharded model through its index and its shards', async () => {
    const dir = `${FIXTURES}/tiny-llama-sharded`;
    const files = Object.fromEntries(['model.safetensors.index.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'].map((f) => [f, readFileSync(`${dir}/${f}`)]));
    const folder = memoryFolder(dir, files);
    const model = await readModel(folder);
    const single = await readModel(src(readFileSync(`${FIXTURES}/tiny-llama/model.safetensors`)));
    expect([...model.tensors].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual([...single.tensors].sort((a, b) => (a.name < b.name ? -1 : 1)));
    expect(model.metadata['shards']).toBe(2);
    expect(model.notes).toEqual([]);
  });
});

describe('safetensors: bad input is a ModelError naming the format, the offset or tensor, and what is wrong', () => {
  it('a header-size bomb (100 GB) fails after reading 8 bytes, before any allocation', async () => {
    const bomb = raw({}, 0, 100e9);
    const s = src(bomb);
    const e = await errorOfAsync(() => readSafetensorsHeader(s));
    expect(e.message).toBe("safetensors: the header length at byte offset 0 of model.safetensors is 100000000000 bytes, more than the format's limit of 100000000.");
    expect(s.stats.bytes).toBe(8);
    expect(await message(raw({}, 0, 2n ** 64n - 1n))).toMatch(/header length 18446744073709551615 is too large \(at byte offset 0/);
  });
  it('truncated files', async () => {
    const whole = safetensorsFile(llamaTensors({ hidden: 8, layers: 1, heads: 2, kv: 1, inter: 16, vocab: 10 }));
    expect(await message(whole.subarray(0, 5))).toMatch(/is 5 bytes, shorter than the 8-byte header length \(truncated\?\)/);
    expect(await message(whole.subarray(0, 100))).toMatch(/header length at byte offset 0 of model.safetensors is \d+ bytes, but the file has only 92 bytes after it \(truncated\?\)/);
    expect(await message(whole.subarray(0, whole.length - 1))).toMatch(/tensor '[^']+' in model.safetensors: data_offsets \[\d+, \d+\] run past the end of the file .*truncated\?/);
  });
  it('offsets that overlap, leave holes or stop short of the end', async () => {
    const t = (a: number, b: number) => ({ dtype: 'U8', shape: [b - a], data_offsets: [a, b] });
    expect(await message(raw({ x: t(0, 4), y: t(2, 6) }, 6))).toMatch(/tensor 'y' in model.safetensors: data_offsets \[2, 6\] overlap 'x', which ends at 4/);
    expect(await message(raw({ x: t(0, 4), y: t(5, 6) }, 6))).toMatch(/tensor 'y' .*begin at 5, leaving a hole after 'x' \(at 4\)/);
    expect(await message(raw({ x: t(0, 4) }, 9))).toMatch(/end at data offset 4, but the file holds 9 bytes of data after the header: 5 bytes belong to no tensor/);
  });
  it('shapes that disagree with the offsets, unknown dtypes, bad fields', async () => {
    expect(await message(raw({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, 20))).toMatch(/tensor 'w' .*shape \[2, 3\] of F32 needs 24 bytes, but data_offsets \[0, 20\] hold 20/);
    expect(await message(raw({ w: { dtype: 'F4', shape: [3], data_offsets: [0, 2] } }, 2))).toMatch(/3 elements of F4 are 12 bits, not a whole number of bytes/);
    expect(await message(raw({ w: { dtype: 'F17', shape: [1], data_offsets: [0, 1] } }, 1))).toMatch(/tensor 'w' .*dtype "F17"; expected one of BOOL, F4/);
    expect(await message(raw({ w: { dtype: 'U8', shape: [-1], data_offsets: [0, 1] } }, 1))).toMatch(/shape\[0\] must be a non-negative integer; found -1/);
    expect(await message(raw({ w: { dtype: 'U8', shape: [1], data_offsets: [3, 1] } }, 3))).toMatch(/data_offsets \[3, 1\] end before they begin/);
    expect(await message(raw({ __metadata__: { n: 1 } }))).toMatch(/__metadata__ in model.safetensors must map strings to strings; 'n' is 1/);
  });
  it('headers that are not JSON objects', async () => {
    expect(await message(raw('[1]  '))).toMatch(/must start with '\{'; found byte 0x5b/);
    expect(await message(raw('{"a": '))).toMatch(/the header of model.safetensors \(bytes 8 to 14\) is not valid JSON/);
    expect(await message(raw(`{"a":${'['.repeat(200_000)}`))).toMatch(/is not valid JSON/);
    const badUtf8 = raw('{"a":1}');
    badUtf8[10] = 0xff;
    expect(await message(badUtf8)).toMatch(/is not valid UTF-8/);
  });
  it('an index whose shards are missing, outside the folder or without the tensors it lists', async () => {
    const index = (map: Record<string, string>) => new TextEncoder().encode(JSON.stringify({ weight_map: map }));
    const shard = safetensorsHeader([{ name: 'a', dtype: 'U8', shape: [0] }]).header;
    const read = (map: Record<string, string>, files: Record<string, Uint8Array> = {}) =>
      errorOfAsync(() => readSafetensorsIndex(src(index(map), 'model.safetensors.index.json'), { sibling: memoryFolder('m', files).open }));
    expect((await read({ a: 'x.safetensors' })).message).toMatch(/puts 1 tensors in 'x.safetensors', which is not beside it/);
    expect((await read({ a: '../x.safetensors' })).message).toMatch(/'\.\.\/x\.safetensors' is not a file name inside the model's folder/);
    expect((await read({ a: 's.safetensors', b: 's.safetensors' }, { 's.safetensors': shard })).message).toMatch(/puts 'b' in 's.safetensors', whose header does not hold it/);
    const alone = await errorOfAsync(() => readSafetensorsIndex(src(index({ a: 's.safetensors' })), {}));
    expect(alone.message).toMatch(/given the index alone/);
  });
});
