import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource, rangeSource, Reader } from './bytes.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('Reader', () => {
  it('reads little-endian integers and varints', async () => {
    // 0x0102 = 258 little-endian as 02 01; varint 300 = AC 02 (protobuf's documented example).
    const r = new Reader(memorySource(bytes(0x02, 0x01, 0xac, 0x02, 0x2a, 0, 0, 0, 0, 0, 0, 0)), 'test');
    await r.ensure(12);
    expect(r.u16()).toBe(258);
    expect(r.varint()).toBe(300);
    expect(r.u64()).toBe(42);
    expect(r.remaining).toBe(0);
  });
  it('skips without reading and refills the window on demand', async () => {
    const data = new Uint8Array(10_000).map((_, i) => i & 0xff);
    const src = memorySource(data);
    const r = new Reader(src, 'test', 256);
    r.skip(9000);
    await r.ensure(4);
    expect(r.u8()).toBe(9000 & 0xff);
    expect(src.stats.requests).toBe(1);
    expect(src.stats.bytes).toBe(256);
  });
  it('reads ahead more while a parser streams through, and starts small again after a skip', async () => {
    const data = new Uint8Array(4 << 20);
    const src = memorySource(data);
    const r = new Reader(src, 'test', 16 << 10);
    const sizes: number[] = [];
    const read = src.read.bind(src);
    src.read = (offset, length) => (sizes.push(length), read(offset, length));
    // Walking 200 KiB byte by byte: 16 KiB, then 32, 64, 128 KiB.
    for (let i = 0; i < 200 << 10; i++) {
      await r.ensure(1);
      r.u8();
    }
    expect(sizes).toEqual([16 << 10, 32 << 10, 64 << 10, 128 << 10]);
    // A skip past the window (weights passed by their length) reads 16 KiB again.
    r.skip(1 << 20);
    await r.ensure(4);
    expect(sizes.at(-1)).toBe(16 << 10);
    // Growth stops at 1 MiB.
    sizes.length = 0;
    while (r.remaining > 0) {
      await r.ensure(Math.min(4096, r.remaining));
      r.skip(Math.min(4096, r.remaining));
    }
    expect(Math.max(...sizes)).toBe(1 << 20);
  });
  it('decodes text, handing out one string for bytes it saw before', async () => {
    const enc = new TextEncoder();
    const words = ['Conv', 'pads', 'Conv', 'café', 'Conv', 'x'.repeat(100), 'Relu', ''];
    const all = words.map((w) => enc.encode(w));
    const data = new Uint8Array(all.reduce((s, b) => s + b.length, 0));
    let at = 0;
    for (const b of all) data.set(b, (at += b.length) - b.length);
    const r = new Reader(memorySource(data), 'test');
    await r.ensure(data.length);
    const got = all.map((b) => r.utf8(b.length));
    expect(got).toEqual(words);
    // More names than the table has slots: each still reads back as itself.
    const names = Array.from({ length: 20_000 }, (_, i) => `/layers/layers.${i % 9_000}/conv${i % 3}/Conv`);
    const text = enc.encode(names.join(''));
    const t = new Reader(memorySource(text), 'test');
    await t.ensure(text.length);
    expect(names.map((n) => t.utf8(n.length))).toEqual(names);
  });
  it('refuses lengths past the end, over the window, and oversized integers with the offset', async () => {
    const r = new Reader(memorySource(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 'x.bin'), 'test', 4);
    expect(() => r.skip(9)).toThrow(/runs past the end/);
    await expect(r.ensure(8)).rejects.toThrow(/larger than the 4-byte limit/);
    const big = new Reader(memorySource(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), 'test');
    await big.ensure(8);
    expect(() => big.u64('header length')).toThrow(/header length 18446744073709551615 is too large \(at byte offset 0/);
    const e = await new Reader(memorySource(bytes(1, 2)), 'test').ensure(3).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModelError);
    expect((e as ModelError).message).toMatch(/truncated/);
  });
  it('reads 64-bit lengths up to 2^53 − 1 exactly and refuses 2^53, in either byte order', async () => {
    for (const le of [true, false]) {
      const data = new Uint8Array(16);
      const view = new DataView(data.buffer);
      view.setBigUint64(0, 2n ** 53n - 1n, le);
      view.setBigUint64(8, 2n ** 53n, le);
      const r = new Reader(memorySource(data), 'test');
      r.littleEndian = le;
      await r.ensure(16);
      expect(r.u64()).toBe(Number.MAX_SAFE_INTEGER);
      expect(() => r.u64('count')).toThrow(/count 9007199254740992 is too large \(at byte offset 8/);
    }
  });
  it('reads big-endian when told, and 64-bit values past 2^53 as bigints', async () => {
    const r = new Reader(memorySource(bytes(0, 0, 1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), 'test');
    r.littleEndian = false;
    await r.ensure(12);
    expect(r.u32()).toBe(258);
    expect(r.u64n()).toBe(2n ** 64n - 1n);
  });
  it('rejects a varint longer than ten bytes', async () => {
    const r = new Reader(memorySource(new Uint8Array(11).fill(0x80)), 'test');
    await r.ensure(11);
    expect(() => r.varint()).toThrow(/longer than 10 bytes/);
  });
  it('views a region of a source', async () => {
    const src = memorySource(bytes(1, 2, 3, 4, 5));
    const part = rangeSource(src, 1, 3);
    expect([...(await part.read(0, 3))]).toEqual([2, 3, 4]);
    expect(() => rangeSource(src, 3, 5)).toThrow(/runs past the end/);
  });
});
