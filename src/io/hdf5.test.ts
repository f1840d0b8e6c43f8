import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource } from './bytes.js';
import { Hdf5 } from './hdf5.js';

/** Files written by h5py, and what h5py reads back from them (scripts/fixtures/hdf5_fixtures.py). */
interface Expected {
  groups: Record<string, string[]>;
  datasets: Record<string, { shape: number[]; dtype: string }>;
  attrs: Record<string, unknown>;
}
const DIR = new URL('../../test/fixtures/hdf5/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as Record<string, Expected>;
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const open = (bytes: Uint8Array, name = 'test.h5') => Hdf5.open(memorySource(bytes, name), 'keras');

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
}

/** Patches a little-endian u64 into a copy. */
function patch64(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(at, BigInt(value), true);
  return out;
}
const find = (bytes: Uint8Array, text: string, from = 0) => {
  const sig = [...text].map((c) => c.charCodeAt(0));
  for (let i = from; i < bytes.length; i++) if (sig.every((b, k) => bytes[i + k] === b)) return i;
  return -1;
};

describe('HDF5 metadata reader', () => {
  for (const file of ['types.h5', 'types_latest.h5']) {
    it(`${file}: groups, dataset shapes and dtypes, and attributes as h5py reads them`, async () => {
      const e = expected[file]!;
      const h = await open(load(file), file);
      const attrs = Object.fromEntries(await h.attributes(h.root));
      expect(attrs).toEqual(e.attrs);
      for (const [path, d] of Object.entries(e.datasets)) {
        if (file === 'types_latest.h5' && path.startsWith('many/')) continue;
        const at = await h.find(path.split('/'));
        expect(at, path).toBeDefined();
        const got = await h.dataset(at!);
        expect({ path, shape: got?.shape, dtype: got?.type.name }).toEqual({ path, shape: d.shape, dtype: d.dtype });
      }
      for (const [path, names] of Object.entries(e.groups)) {
        if (file === 'types_latest.h5' && path === 'many') continue;
        const at = path ? await h.find(path.split('/')) : h.root;
        expect([...(await h.links(at!)).keys()].sort()).toEqual(names);
      }
    });
  }

  it('reads a group of 300 links through its B-tree (an inner node over several symbol nodes) reading each page once', async () => {
    const source = memorySource(load('types.h5'), 'types.h5');
    const h = await Hdf5.open(source, 'keras');
    const many = (await h.find(['many']))!;
    expect((await h.links(many)).size).toBe(300);
    // The cache reads each 16 KiB page of the 122 KiB file at most once here.
    expect(source.stats.bytes).toBeLessThanOrEqual(load('types.h5').length + (16 << 10));
  });

  it('refuses what it does not read: links in a fractal heap (dense storage), by name and offset', async () => {
    const h = await open(load('types_latest.h5'), 'latest.h5');
    await rejects(h.find(['many', 'w000']), /^keras: HDF5: the group keeps its links in a fractal heap \(dense storage\), which nncalc does not read \(at byte offset \d+ of latest\.h5\)$/);
  });

  it('refuses malformed files with the byte offset: no signature, truncation, loops, lengths past the end', async () => {
    const bytes = load('types.h5');
    await rejects(open(new Uint8Array(100)), /no HDF5 signature .* not an HDF5 file \(at byte offset 0 of test\.h5\)/);
    const v = bytes.slice();
    v[13] = 3; // size of offsets
    await rejects(open(v), /sizes of offsets 3 and lengths 8; expected 2, 4 or 8 \(at byte offset 13 /);
    // The root object header address (superblock v0: after the four addresses and the link name offset) past the end.
    await rejects(open(patch64(bytes, 24 + 5 * 8, 10_000_000)).then((h) => h.attributes(h.root)), /an object header at address 10000000 \(16 bytes\) lies outside the file of \d+ bytes/);
    // The inner B-tree node of 'many' (level 1) with its first child pointing back at itself.
    let tree = find(bytes, 'TREE');
    while (tree >= 0 && bytes[tree + 5] !== 1) tree = find(bytes, 'TREE', tree + 4);
    const looped = patch64(bytes, tree + 8 + 16 + 8, tree);
    await rejects(open(looped).then(async (h) => h.links((await h.find(['many']))!)), /^keras: HDF5: B-tree node at address \d+ is reached twice \(a loop\) \(at byte offset \d+ of test\.h5\)$/);
    // A level-0 child that is not a symbol node.
    const leaf = find(bytes, 'TREE');
    await rejects(open(patch64(bytes, leaf + 8 + 16 + 8, leaf)).then((h) => h.links(h.root)), /no symbol table node signature 'SNOD'/);
    // Cut short: whatever structure is read first past the cut names its address.
    const h = await open(bytes.subarray(0, 4000), 'cut.h5');
    await rejects(h.find(['many', 'w299']), /lies outside the file of 4000 bytes \(at byte offset \d+ of cut\.h5\)$/);
  });
});
