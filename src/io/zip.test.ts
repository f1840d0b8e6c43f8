import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource } from './bytes.js';
import { entrySource, firstZipName, readEntry, readZip } from './zip.js';

/** Archives written by Python's zipfile (scripts/fixtures/zip_fixtures.py). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/zip/${name}`, import.meta.url)));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A copy of `bytes` with a little-endian u32 written at `at`. */
function patch32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(at, value, true);
  return out;
}
const lastIndex = (bytes: Uint8Array, sig: number[]) => {
  for (let i = bytes.length - sig.length; i >= 0; i--) if (sig.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
};
const EOCD = [0x50, 0x4b, 5, 6];

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
}

describe('ZIP central-directory reader', () => {
  it('lists STORED members past an archive comment and opens them as views of the archive', async () => {
    const bytes = fixture('stored.zip');
    const source = memorySource(bytes, 'stored.zip');
    const zip = await readZip(source, 'test');
    expect([...zip.entries.keys()]).toEqual(['a.txt', 'dir/b.bin']);
    const a = zip.entries.get('a.txt')!;
    expect([a.method, a.size]).toEqual([0, 5]);
    expect(text(await readEntry(zip, a))).toBe('hello');
    const b = await entrySource(zip, zip.entries.get('dir/b.bin')!);
    expect(b.size).toBe(1024);
    const before = source.stats.bytes;
    expect([...(await b.read(255, 3))]).toEqual([255, 0, 1]);
    // A view reads only what is asked of it.
    expect(source.stats.bytes - before).toBe(3);
    expect(firstZipName(bytes.subarray(0, 64))).toBe('a.txt');
  });

  it('reads the ZIP64 extended-information field of a central-directory entry', async () => {
    const zip = await readZip(memorySource(fixture('zip64-extra.zip'), 'zip64.zip'), 'test');
    const a = zip.entries.get('a.txt')!;
    expect([a.size, a.compressedSize, a.localHeaderOffset]).toEqual([5, 5, 0]);
    expect(text(await readEntry(zip, a))).toBe('hello');
  });

  it('inflates a small DEFLATE member; refuses one past the cap or past its declared size (zip bombs)', async () => {
    const zip = await readZip(memorySource(fixture('deflated.zip'), 'deflated.zip'), 'keras');
    const config = JSON.parse(text(await readEntry(zip, zip.entries.get('config.json')!))) as { layers: unknown[] };
    expect(config.layers).toHaveLength(100);
    const zeros = zip.entries.get('zeros.bin')!;
    expect(zeros.size).toBe(2 << 20);
    expect(zeros.compressedSize).toBeLessThan(4096);
    await rejects(readEntry(zip, zeros, 1 << 20), /member 'zeros\.bin' of deflated\.zip declares 2097152 bytes, more than the 1048576-byte limit/);
    // The directory lies: it says 1000 bytes, the data inflates to 2 MiB. Inflation stops at the declared size.
    const lying = await readZip(memorySource(fixture('deflated.zip'), 'bomb.zip'), 'keras');
    const entry = { ...lying.entries.get('zeros.bin')!, size: 1000 };
    await rejects(readEntry(lying, entry), /'zeros\.bin' of bomb\.zip inflates to more than 1000 bytes, the size its directory entry declares \(a zip bomb\?\)/);
    // A STORED view of a compressed member is refused.
    await rejects(entrySource(zip, zeros), /'zeros\.bin' of deflated\.zip is compressed \(method 8\)/);
  });

  it('refuses truncated and malformed archives with the offset and what was wrong', async () => {
    const bytes = fixture('stored.zip');
    const eocd = lastIndex(bytes, EOCD);
    await rejects(readZip(memorySource(bytes.subarray(0, 10), 'tiny.zip'), 'pytorch'), /pytorch: the file is 10 bytes, shorter than a zip's 22-byte end record \(truncated\?\) \(in the zip archive tiny\.zip\)/);
    await rejects(readZip(memorySource(bytes.subarray(0, eocd), 'cut.zip'), 'pytorch'), /no end-of-central-directory record .* in the last \d+ bytes: not a zip, or truncated/);
    // The directory's offset moved past the end records.
    await rejects(readZip(memorySource(patch32(bytes, eocd + 16, 0x7fffffff), 'far.zip'), 'pytorch'), /the central directory \(\d+ bytes at byte offset 2147483647\) runs past the end records at \d+/);
    // A member count the directory cannot hold (65,535 entries in a directory of 100 bytes).
    const counted = bytes.slice();
    new DataView(counted.buffer).setUint16(eocd + 8, 0xffff, true);
    new DataView(counted.buffer).setUint16(eocd + 10, 0xffff, true);
    await rejects(readZip(memorySource(counted, 'count.zip'), 'pytorch'), /declares 65535 members, but a central directory of \d+ bytes holds at most \d/);
    // A member whose size runs past the central directory.
    const cd = new DataView(bytes.buffer, bytes.byteOffset).getUint32(eocd + 16, true);
    await rejects(readZip(memorySource(patch32(bytes, cd + 20, 0x10000000), 'size.zip'), 'pytorch'), /member 'a\.txt' declares 268435456 bytes at byte offset 0, past the central directory/);
    // A local header offset that points at no local header.
    const moved = await readZip(memorySource(patch32(bytes, cd + 42, 7), 'moved.zip'), 'pytorch');
    await rejects(readEntry(moved, moved.entries.get('a.txt')!), /member 'a\.txt' of moved\.zip: no local header \(PK\\x03\\x04\) at byte offset 7/);
    // A directory entry that is not one.
    await rejects(readZip(memorySource(patch32(bytes, cd, 0), 'sig.zip'), 'pytorch'), /no central directory entry \(PK\\x01\\x02\) at byte offset \d+, where entry 0 of 2 should be/);
  });

  it('refuses ZIP64 records that point outside the file', async () => {
    // torch.save always writes a ZIP64 end record and locator; aim the locator past the end records.
    const bytes = readFileSync(new URL('../../test/fixtures/torch/tiny_cnn_state_dict.pth', import.meta.url));
    const data = new Uint8Array(bytes);
    const eocd = lastIndex(data, EOCD);
    const out = data.slice();
    new DataView(out.buffer).setBigUint64(eocd - 20 + 8, BigInt(eocd), true);
    await rejects(readZip(memorySource(out, 'z64.pth'), 'pytorch'), /the ZIP64 locator at byte offset \d+ points at \d+, past where the end records start/);
    new DataView(out.buffer).setBigUint64(eocd - 20 + 8, 0n, true);
    await rejects(readZip(memorySource(out, 'z64.pth'), 'pytorch'), /no ZIP64 end record \(PK\\x06\\x06\) at byte offset 0, where the locator points/);
  });
});
