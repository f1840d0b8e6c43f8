/**
 * The fuzz harness: every target takes bytes and must either succeed or throw a ModelError — never another error,
 * never a hang, never reads or memory driven by a length the input declares. Inputs come from two sources:
 * fast-check properties (structured inputs the target builds, `property`) and byte mutations of real fixtures
 * (`seeds`): flipped bits, overwritten bytes, "interesting" integers (0, 2^31, 2^32 − 1, 2^53, 2^60, 2^64 − 1, the
 * file's size) written over lengths and counts, truncations, insertions and duplicated chunks, biased towards the
 * header where the lengths live. Run by scripts/fuzz/fuzz.test.ts (a seeded slice in npm test; the full campaign
 * with `npm run fuzz -- --runs N`).
 */
import type fc from 'fast-check';
import { ModelError } from '../../src/errors.js';
import { memorySource, type ByteSource } from '../../src/io/bytes.js';

/** One thing to fuzz. Add a target to targets.ts: a name, seed files, a run function, optionally a property. */
export interface FuzzTarget {
  readonly name: string;
  /** Real inputs to mutate (fixtures). */
  seeds(): Uint8Array[];
  /** Reads one input; may throw ModelError only. The source counts what was read. */
  run(source: ByteSource): Promise<unknown>;
  /** Structured random inputs, for fast-check. */
  readonly arbitrary?: fc.Arbitrary<Uint8Array>;
  /** Checks a successful result against the input (an invariant the format guarantees); throws when violated. */
  check?(result: unknown, input: Uint8Array): void;
}

/** What went wrong on one input. */
export interface Failure {
  readonly target: string;
  readonly input: Uint8Array;
  readonly problem: string;
}

/** Per-input budgets. */
export const LIMITS = { ms: 2000, heapMb: 256 };

/** mulberry32: a small seeded PRNG, so every campaign can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0n, 1n, 0x7fn, 0xffn, 0x7fffn, 0xffffn, 0x7fffffffn, 0xffffffffn, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 60n, 2n ** 63n - 1n, 2n ** 64n - 1n];

/** One random mutation of `seed`. */
export function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  // Every branch returns a fresh array (or a view of one), so seeds are never changed.
  const int = (n: number) => Math.floor(random() * n);
  // Lengths and counts live at the front: three mutations in four land in the first 4 KiB.
  const at = (len: number) => (len === 0 ? 0 : random() < 0.75 ? int(Math.min(len, 4096)) : int(len));
  const out = seed.slice();
  switch (int(7)) {
    case 0: {
      const i = at(out.length);
      if (out.length) out[i] = out[i]! ^ (1 << int(8));
      return out;
    }
    case 1: {
      const i = at(out.length);
      if (out.length) out[i] = int(256);
      return out;
    }
    case 2: {
      // An interesting integer (or the file's size ± 1) over 4 or 8 bytes.
      const width = random() < 0.5 ? 4 : 8;
      const i = at(Math.max(0, out.length - width));
      const values = [...INTERESTING, BigInt(out.length), BigInt(Math.max(0, out.length - 1)), BigInt(out.length + 1)];
      let v = values[int(values.length)]!;
      if (width === 4) v &= 0xffffffffn;
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      if (i + width <= out.length) width === 4 ? view.setUint32(i, Number(v), true) : view.setBigUint64(i, v, true);
      return out;
    }
    case 3:
      return out.subarray(0, at(out.length + 1));
    case 4: {
      const i = at(out.length + 1);
      const extra = Uint8Array.from({ length: 1 + int(16) }, () => int(256));
      const grown = new Uint8Array(out.length + extra.length);
      grown.set(out.subarray(0, i));
      grown.set(extra, i);
      grown.set(out.subarray(i), i + extra.length);
      return grown;
    }
    case 5: {
      // A chunk copied over another place (repeated records, lengths moved).
      const n = 1 + int(64);
      const from = at(Math.max(1, out.length - n));
      const to = at(Math.max(1, out.length - n));
      out.copyWithin(to, from, from + n);
      return out;
    }
    default: {
      // Several mutations at once.
      let x: Uint8Array = out;
      for (let k = 0; k < 2 + int(4); k++) x = mutate(x, random);
      return x;
    }
  }
}

/** What one input did: the problem, if any, and the outcome ('accepted' or the error's message). */
export async function runOne(target: FuzzTarget, input: Uint8Array): Promise<{ problem?: string; outcome: string }> {
  const source = memorySource(input, `fuzz.${target.name}`);
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let result: unknown;
  let outcome = 'accepted';
  try {
    result = await target.run(source);
  } catch (e) {
    if (!(e instanceof ModelError)) return { problem: `threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`, outcome: 'crash' };
    if (!/\S/.test(e.message)) return { problem: 'a ModelError without a message', outcome: 'error' };
    outcome = e.message;
  }
  const ms = performance.now() - t0;
  if (ms > LIMITS.ms) return { problem: `took ${ms.toFixed(0)} ms (limit ${LIMITS.ms})`, outcome };
  const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  if (grown > LIMITS.heapMb) return { problem: `grew the heap by ${grown.toFixed(0)} MB (limit ${LIMITS.heapMb})`, outcome };
  // Reads are bounded by the file: a reader never asks for more than a few times the input, whatever it declares.
  if (source.stats.bytes > 4 * input.length + (1 << 20)) return { problem: `read ${source.stats.bytes} bytes of a ${input.length}-byte input`, outcome };
  if (outcome === 'accepted' && target.check) {
    try {
      target.check(result, input);
    } catch (e) {
      return { problem: `accepted an input that breaks an invariant: ${(e as Error).message}`, outcome };
    }
  }
  return { outcome };
}

/** The kind of an outcome for the tally: an error's message up to its first quote or number. */
const kind = (outcome: string): string => outcome.replace(/[\d'"(].*$/s, '').trim().slice(0, 70);

/** A campaign's results. */
export interface Campaign {
  readonly inputs: number;
  readonly outcomes: Map<string, number>;
  readonly failures: Failure[];
}

function record(c: { outcomes: Map<string, number>; failures: Failure[] }, target: FuzzTarget, input: Uint8Array, r: { problem?: string; outcome: string }) {
  if (r.problem) c.failures.push({ target: target.name, input, problem: r.problem });
  const k = kind(r.outcome);
  c.outcomes.set(k, (c.outcomes.get(k) ?? 0) + 1);
}

/** Mutations of every seed: `runs` inputs in all, replayable from `seed`. */
export async function mutationCampaign(target: FuzzTarget, runs: number, seed: number): Promise<Campaign> {
  const random = rng(seed);
  const seeds = target.seeds();
  const c = { inputs: runs, outcomes: new Map<string, number>(), failures: [] as Failure[] };
  for (let i = 0; i < runs; i++) {
    const input = mutate(seeds[i % seeds.length]!, random);
    record(c, target, input, await runOne(target, input));
  }
  return c;
}

/** fast-check over the target's structured inputs: `runs` inputs from `seed`. */
export async function propertyCampaign(fcLib: typeof fc, target: FuzzTarget, runs: number, seed: number): Promise<Campaign> {
  const c = { inputs: 0, outcomes: new Map<string, number>(), failures: [] as Failure[] };
  if (!target.arbitrary) return c;
  await fcLib.assert(
    fcLib.asyncProperty(target.arbitrary, async (input) => {
      c.inputs++;
      record(c, target, input, await runOne(target, input));
    }),
    { numRuns: runs, seed },
  );
  return c;
}
