/**
 * The ONNX reader's fuzz campaign: fast-check properties over arbitrary bytes and protobuf-shaped field
 * sequences, plus byte mutations of the real fixtures (test/fixtures/onnx). Every input must either read (and
 * analyse) or fail with a ModelError, within a time bound; anything else is a failure with the input to
 * reproduce it. `fuzzOnnx` is the entry point a campaign runner calls with its own run count and seed;
 * src/formats/onnx/fuzz.test.ts runs a seeded slice of it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { analyze } from '../src/analyze/index.js';
import { ModelError } from '../src/errors.js';
import { memorySource } from '../src/io/bytes.js';
import { isDeepStrictEqual } from 'node:util';
import { parseOnnx, readOnnx } from '../src/formats/onnx.js';
import { lfield, smallModel, tag, varint } from './onnx-bytes.js';

const DIR = new URL('./fixtures/onnx/', import.meta.url);
/** Fixtures small enough to mutate many times a second. */
export const FUZZ_FIXTURES = ['tiny_cnn', 'tiny_cnn_constants', 'typed_data', 'attention', 'resnet18', 'mobilenet_v3_small'];

/** The fast paths (src/formats/onnx/fast.ts) and the general parsers must agree on every input: equal records, or the same error. */
async function bothWays(bytes: Uint8Array): Promise<void> {
  const parse = async (fast: boolean) => {
    try {
      return { model: await parseOnnx(memorySource(bytes, 'fuzz.onnx'), { fast }) };
    } catch (e) {
      return { error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
    }
  };
  const [fast, general] = [await parse(true), await parse(false)];
  if (!isDeepStrictEqual(fast, general)) throw new Error(`the fast paths and the general parsers disagree on ${bytes.length} bytes [${Buffer.from(bytes).toString('base64').slice(0, 400)}]`);
}

/** Reads and analyses one input; returns what happened, or throws when something other than a ModelError escapes. */
export async function tryOnnx(bytes: Uint8Array, limitMs = 2000): Promise<'read' | 'rejected'> {
  const started = performance.now();
  await bothWays(bytes);
  try {
    const { file } = await readOnnx(memorySource(bytes, 'fuzz.onnx'), { bind: { batch: 2 } });
    analyze(file.graph!);
    return 'read';
  } catch (e) {
    if (!(e instanceof ModelError)) throw new Error(`not a ModelError on ${bytes.length} bytes [${Buffer.from(bytes).toString('base64').slice(0, 400)}]: ${e instanceof Error ? e.stack : String(e)}`);
    return 'rejected';
  } finally {
    const ms = performance.now() - started;
    if (ms > limitMs) throw new Error(`took ${ms.toFixed(0)} ms on ${bytes.length} bytes`);
  }
}

/** A protobuf-shaped field: a plausible ONNX field number and any wire type, with a body that may lie about its length. */
const field: fc.Arbitrary<number[]> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 26 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })).map(([f, v]) => [...tag(f, 0), ...varint(v)]),
  fc.tuple(fc.integer({ min: 1, max: 26 }), fc.uint8Array({ maxLength: 40 })).map(([f, b]) => lfield(f, [...b])),
  fc.tuple(fc.integer({ min: 1, max: 26 }), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 12 })).map(([f, w, b]) => [...tag(f, w), ...b]),
  fc.tuple(fc.integer({ min: 1, max: 26 }), fc.nat({ max: 2 ** 53 - 1 })).map(([f, n]) => [...tag(f, 2), ...varint(n)]),
);

/** Nested messages: a field list wrapped as the graph (7), a node (1) or an initializer (5) at random depths. */
const message: fc.Arbitrary<number[]> = fc.letrec((tie) => ({
  msg: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.array(field, { maxLength: 6 }).map((fs) => fs.flat()),
    fc.tuple(fc.constantFrom(1, 5, 6, 7, 11, 13), fc.array(tie('msg') as fc.Arbitrary<number[]>, { maxLength: 3 })).map(([f, ms]) => lfield(f, ms.flat())),
  ),
})).msg as fc.Arbitrary<number[]>;

/** One mutation of a fixture's bytes. */
const mutation = (size: number): fc.Arbitrary<(b: Uint8Array) => Uint8Array> =>
  fc.oneof(
    fc.tuple(fc.nat({ max: size - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => (b: Uint8Array) => {
      const c = b.slice();
      c[at] = v;
      return c;
    }),
    fc.tuple(fc.nat({ max: size - 1 }), fc.integer({ min: 0, max: 7 })).map(([at, bit]) => (b: Uint8Array) => {
      const c = b.slice();
      c[at]! ^= 1 << bit;
      return c;
    }),
    fc.nat({ max: size }).map((at) => (b: Uint8Array) => b.slice(0, at)),
    fc.tuple(fc.nat({ max: size - 1 }), fc.nat({ max: 64 })).map(([at, n]) => (b: Uint8Array) => new Uint8Array([...b.subarray(0, at), ...b.subarray(at + n)])),
    fc.tuple(fc.nat({ max: size - 1 }), fc.constantFrom([0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0x00], [0x7f])).map(
      ([at, v]) => (b: Uint8Array) => new Uint8Array([...b.subarray(0, at), ...v, ...b.subarray(at + v.length)]),
    ),
  );

/** Runs the campaign: `runs` cases of each property, from `seed`. Throws on the first failure (fast-check reports the counterexample). */
export async function fuzzOnnx(options: { runs: number; seed: number; fixtures?: readonly string[] }): Promise<{ cases: number; read: number; rejected: number }> {
  const tally = { cases: 0, read: 0, rejected: 0 };
  const count = (r: 'read' | 'rejected') => {
    tally.cases++;
    tally[r]++;
  };
  const params = { numRuns: options.runs, seed: options.seed };
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (b) => count(await tryOnnx(b))), params);
  await fc.assert(
    fc.asyncProperty(message, async (m) => count(await tryOnnx(new Uint8Array([0x08, 0x08, ...lfield(7, m), ...lfield(8, [0x10, 0x0d])])))),
    params,
  );
  const small = smallModel();
  await fc.assert(fc.asyncProperty(fc.array(mutation(small.length), { minLength: 1, maxLength: 4 }), async (ms) => count(await tryOnnx(ms.reduce<Uint8Array>((b, f) => f(b), small)))), params);
  for (const name of options.fixtures ?? FUZZ_FIXTURES) {
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.onnx`, DIR)));
    await fc.assert(fc.asyncProperty(fc.array(mutation(bytes.length), { minLength: 1, maxLength: 3 }), async (ms) => count(await tryOnnx(ms.reduce<Uint8Array>((b, f) => f(b), bytes)))), params);
  }
  return tally;
}
