/**
 * The fuzz targets: every model-file reader, and the whole path from bytes to a report. Add a target (another
 * format, a text parser) by appending to `targets`: its seed inputs, how to run one, and optionally a fast-check
 * arbitrary of structured inputs and an invariant for the inputs it accepts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ggufFile, type GgufKv, type GgufTensor } from '../fixtures/writers.mjs';
import { memorySource, type ByteSource } from '../../src/io/bytes.js';
import { memoryFolder } from '../../src/io/folder.js';
import { readGgufHeader, type GgufHeader } from '../../src/formats/gguf.js';
import { readSafetensorsHeader, readSafetensorsIndex, SAFETENSORS_DTYPES, type SafetensorsHeader } from '../../src/formats/safetensors.js';
import { summarizeFile } from '../../src/summarize-file.js';
import { checkTargets } from './check-targets.js';
import { textTargets } from './text-targets.js';
import { mutate, rng, type FuzzTarget } from './harness.js';
import { fileTargets } from './targets-zip-pickle-hdf5.js';

const FIXTURES = 'test/fixtures/models';
const load = (...paths: string[]) => paths.map((p) => new Uint8Array(readFileSync(`${FIXTURES}/${p}`)));
const SHARDS = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];

/** Structured input, then k seeded mutations of it: fast-check explores both the structure and the corruption. */
const corrupted = (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  fc.tuple(valid, fc.integer(), fc.nat(3)).map(([bytes, seed, k]) => {
    const random = rng(seed);
    let out = bytes;
    for (let i = 0; i < k; i++) out = mutate(out, random);
    return out;
  });

const DTYPES = Object.keys(SAFETENSORS_DTYPES);

/** safetensors files: entries with random dtypes and shapes, contiguous or random offsets, a true or false header length. */
const safetensorsArb = corrupted(
  fc
    .record({
      entries: fc.array(fc.record({ name: fc.string({ maxLength: 12 }), dtype: fc.oneof(fc.constantFrom(...DTYPES), fc.string({ maxLength: 4 })), shape: fc.array(fc.oneof(fc.nat(6), fc.constantFrom(2 ** 40, 2 ** 53, -1)), { maxLength: 4 }), jitter: fc.integer({ min: -3, max: 3 }) }), { maxLength: 6 }),
      contiguous: fc.boolean(),
      length: fc.option(fc.bigInt(0n, 2n ** 64n - 1n), { freq: 4 }),
      slack: fc.integer({ min: -16, max: 16 }),
      metadata: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer())), { freq: 2 }),
    })
    .map(({ entries, contiguous, length, slack, metadata }) => {
      const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
      let at = 0;
      for (const e of entries) {
        const numel = e.shape.reduce((p, d) => p * d, 1);
        const bytes = Math.max(0, Math.round((numel * (SAFETENSORS_DTYPES[e.dtype] ?? 8)) / 8));
        const size = Number.isSafeInteger(bytes) && bytes < 4096 ? bytes : 16;
        const begin = contiguous ? at : Math.max(0, at + e.jitter);
        header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [begin, begin + size + (contiguous ? 0 : e.jitter)] };
        at = begin + size;
      }
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(Math.max(8, 8 + json.length + at + slack));
      new DataView(out.buffer).setBigUint64(0, length ?? BigInt(json.length), true);
      out.set(json.subarray(0, Math.max(0, out.length - 8)), 8);
      return out;
    }),
);

const VALUE_TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'u64', 'i64', 'f64'] as const;
const GGML_NAMES = ['F32', 'F16', 'Q4_0', 'Q8_0', 'Q4_K', 'Q6_K', 'BF16', 'IQ2_XXS'] as const;

/** GGUF files: random metadata of every value type (arrays too) and tensor infos of random types and dims. */
const ggufArb = corrupted(
  fc
    .record({
      kv: fc.array(
        fc.oneof(
          fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...VALUE_TYPES), fc.nat(200)),
          fc.tuple(fc.string({ maxLength: 10 }), fc.constant('array' as const), fc.nat(20)),
        ),
        { maxLength: 6 },
      ),
      tensors: fc.array(fc.record({ name: fc.string({ maxLength: 10 }), type: fc.constantFrom(...GGML_NAMES), rows: fc.nat(4), dims: fc.array(fc.nat(3), { maxLength: 3 }) }), { maxLength: 5 }),
      alignment: fc.constantFrom(1, 8, 32, 64),
    })
    .map(({ kv, tensors, alignment }) => {
      const entries: GgufKv[] = kv.map(([key, type, n]) => {
        if (type === 'array') return [key, 'array', ['u32', Array.from({ length: n }, (_, i) => i)]];
        if (type === 'string') return [key, 'string', 'x'.repeat(n % 40)];
        if (type === 'bool') return [key, 'bool', n % 2 === 1];
        if (type.startsWith('f')) return [key, type, n / 7];
        return [key, type, type.startsWith('i') ? n - 100 : n];
      });
      if (alignment !== 32) entries.push(['general.alignment', 'u32', alignment]);
      const blocks: Record<string, number> = { Q4_0: 32, Q8_0: 32, Q4_K: 256, Q6_K: 256, IQ2_XXS: 256 };
      const infos: GgufTensor[] = tensors.map((t) => ({ name: t.name, type: t.type, dims: [(blocks[t.type] ?? 1) * (1 + t.rows), ...t.dims] }));
      try {
        return new Uint8Array(ggufFile(entries, infos, { alignment }));
      } catch {
        return new Uint8Array(ggufFile([], []));
      }
    }),
);

const sum = (xs: readonly (number | bigint | undefined)[]) => xs.reduce<number>((s, x) => s + Number(x ?? 0), 0);

export const targets: readonly FuzzTarget[] = [
  {
    name: 'safetensors',
    seeds: () => load('tiny-llama/model.safetensors', 'small-cnn.safetensors', ...SHARDS.map((s) => `tiny-llama-sharded/${s}`)),
    run: readSafetensorsHeader,
    arbitrary: safetensorsArb,
    check(result, input) {
      const h = result as SafetensorsHeader;
      // Accepted files are tiled exactly by their tensors, and every tensor's bytes match its shape and dtype.
      if (sum(h.tensors.map((t) => t.bytes)) !== input.length - 8 - h.headerBytes) throw new Error('tensor bytes do not tile the data');
      for (const t of h.tensors) if (Number(t.bytes) * 8 !== t.shape.reduce((p, d) => p * d, 1) * SAFETENSORS_DTYPES[t.dtype]!) throw new Error(`${t.name}: bytes ≠ elements × bits`);
    },
  },
  {
    name: 'safetensors-index',
    seeds: () => load('tiny-llama-sharded/model.safetensors.index.json'),
    run: (source: ByteSource) => {
      const shards = Object.fromEntries(SHARDS.map((s) => [s, load(`tiny-llama-sharded/${s}`)[0]!]));
      return readSafetensorsIndex(source, { sibling: memoryFolder('sharded', shards).open });
    },
  },
  {
    name: 'gguf',
    seeds: () => load('tiny-llama.gguf', 'tiny-mamba.gguf', 'tiny-llama-be.gguf'),
    run: readGgufHeader,
    arbitrary: ggufArb,
    check(result, input) {
      const h = result as GgufHeader;
      if (h.dataOffset > input.length) throw new Error('data starts past the end');
      if (sum(h.tensors.map((t) => t.bytes)) > input.length - h.dataOffset) throw new Error('tensors hold more bytes than the file');
    },
  },
  {
    // The whole path: sniffing, reading, the GGUF → config mapping, the builders, analysis, folding, checking.
    name: 'model-file',
    seeds: () => load('tiny-llama.gguf', 'tiny-mamba.gguf', 'tiny-llama-be.gguf', 'small-cnn.safetensors', 'tiny-llama/model.safetensors'),
    run: (source) => summarizeFile(source),
    arbitrary: fc.oneof(ggufArb, safetensorsArb),
  },
  {
    // A model folder whose config.json is mutated, beside good weights.
    name: 'folder-config',
    seeds: () => load('tiny-llama/config.json'),
    run: async (source) => {
      const config = await source.read(0, source.size);
      return summarizeFile(memoryFolder('m', { 'config.json': config, 'model.safetensors': load('tiny-llama/model.safetensors')[0]! }));
    },
  },
  ...fileTargets,
  ...checkTargets,
  ...textTargets,
];

/** A ByteSource over bytes, for replaying a failure by hand. */
export const replay = (target: FuzzTarget, base64: string) => target.run(memorySource(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))));
