/**
 * @module
 * A protobuf wire-format scanner over the windowed Reader. A message is walked field by field between its
 * start and end offsets; a length-delimited field nobody asked for (ONNX's raw_data, a doc string) is passed
 * by moving the cursor, so it is never read and nothing is allocated for it.
 *
 * Parsers are generators (`Scan<T>`): they yield the number of bytes they need in the window next, and `run`
 * refills the window and resumes them. A parser therefore runs synchronously over whatever the window holds
 * and touches the source only when it walks past it.
 *
 * Every length is checked against the end of the enclosing message before it is used, nesting is bounded,
 * and wire types are checked against what each field needs, so a corrupt or hostile file stops with a
 * ModelError naming the format, the byte offset and what was wrong.
 */
import { concatBytes, type Reader } from './bytes.js';

/** Wire types (protobuf encoding): 3 and 4 are the deprecated groups, which readers here refuse. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit', 'unknown (6)', 'unknown (7)'];

/** The wire type's name, for messages. */
export const wireName = (wt: number): string => WIRE_NAMES[wt] ?? `unknown (${wt})`;

/** A parsing step: yields how many bytes it needs in the window before going on; returns its result. */
export type Scan<T> = Generator<number, T, undefined>;

/** Runs a parser, refilling the reader's window whenever it asks. */
export async function run<T>(r: Reader, scan: Scan<T>): Promise<T> {
  for (let step = scan.next(); ; step = scan.next()) {
    if (step.done) return step.value;
    await r.ensure(step.value);
  }
}

/**
 * Bytes to ask for so that the next `n` bytes are in the window (fewer at the end of the file); 0 when they are.
 * The default, 20, covers a key and a varint. A value that runs past its message's `end` is still read from the
 * window, and `finish` then reports it.
 */
export function need(r: Reader, end: number, n = 20): number {
  if (r.position >= end) return 0;
  const k = Math.min(n, r.remaining);
  return r.available >= k ? 0 : k;
}

/** Checks that a message's last field ended where the message does. */
export function finish(r: Reader, end: number, what: string): void {
  if (r.position > end) throw r.error(`the last field of ${what} runs ${r.position - end} bytes past the end of the message (corrupt length or truncated value)`, end);
}

/** A field key: field number and wire type. */
export interface Key {
  readonly field: number;
  readonly wire: number;
  /** File offset of the key, for errors. */
  readonly at: number;
}

/** Reads a key (20 bytes must be ensured, or the rest of the message). */
export const key = (r: Reader, what: string): Key => keyInto(r, what, { field: 0, wire: 0, at: 0 });

/** Reads a key into `into`, a record reused by a parser that is done with each key before it reads the next. */
export function keyInto(r: Reader, what: string, into: { field: number; wire: number; at: number }): Key {
  const at = r.position;
  const k = r.varint('a field key');
  const field = Math.floor(k / 8);
  if (field === 0) throw r.error(`${what} has a field numbered 0, which protobuf does not allow (corrupt data?)`, at);
  into.field = field;
  into.wire = k % 8;
  into.at = at;
  return into;
}

/** The error for a field whose wire type is not the one its declaration needs. */
export function wrongWire(r: Reader, k: Key, what: string, name: string, expected: readonly number[]): Error {
  return r.error(`${what} field ${k.field} (${name}) has wire type ${k.wire} (${wireName(k.wire)}); expected ${expected.map((w) => `${w} (${wireName(w)})`).join(' or ')}`, k.at);
}

/** `name of what`, built only for an error message ('raw_data of tensor 'w''; a number is a field number). */
export const describe = (what: string, name?: string | number): string => (name === undefined ? what : typeof name === 'number' ? `field ${name} of ${what}` : `${name} of ${what}`);

/**
 * Reads a length prefix and checks that the bytes it announces end within the enclosing message. `what` and
 * `name` describe the field for errors (joined only when one is thrown, so the hot path allocates nothing).
 */
export function length(r: Reader, end: number, what: string, name?: string | number): number {
  const at = r.position;
  const n = r.varint('a length');
  const left = end - r.position;
  if (n > left) {
    what = describe(what, name);
    const past = end >= r.size ? `the end of the file (${left} bytes left; truncated?)` : `the end of its enclosing message (${left} bytes left)`;
    throw r.error(`${what} declares ${n} bytes, which runs past ${past}`, at);
  }
  return n;
}

/** A length-delimited field's end, after checking its wire type. */
export function sub(r: Reader, k: Key, end: number, what: string, name: string): number {
  if (k.wire !== LEN) throw wrongWire(r, k, what, name, [LEN]);
  const n = length(r, end, what, name);
  return r.position + n;
}

/**
 * A string field decoded in place when the window holds it (most do); else its byte length, for `text` to read
 * through the window (the cursor is then at the string's first byte). Saves a generator per string.
 */
export function now(r: Reader, k: Key, end: number, what: string, name: string, max: number): string | number {
  const n = sub(r, k, end, what, name) - r.position;
  return n <= r.available && n <= max ? r.utf8(n) : n;
}

/**
 * A list built by push, copied to its length: an array grown from empty keeps room for 17 values, which for the
 * one input or four dims of 100,000 graph records is most of the memory they hold.
 */
export const fitted = <T>(list: T[]): T[] => (list.length < 17 ? list.slice() : list);

/** Passes over a field's value without reading it (a varint is read: it has no length to skip by). */
export function skipValue(r: Reader, k: Key, end: number, what: string): void {
  switch (k.wire) {
    case VARINT:
      r.varint('a varint field');
      return;
    case I64:
    case I32: {
      const n = k.wire === I64 ? 8 : 4;
      if (n > end - r.position) throw r.error(`field ${k.field} of ${what} needs ${n} bytes, but the message ends ${end - r.position} bytes later`, k.at);
      r.skip(n);
      return;
    }
    case LEN:
      r.skip(length(r, end, what, k.field));
      return;
    default:
      throw r.error(`${what} field ${k.field} has wire type ${k.wire} (${wireName(k.wire)}), which is not valid here (corrupt data?)`, k.at);
  }
}

const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;

/**
 * A signed 64-bit varint (int64: negative values take ten bytes) as a number. Exact while it is a safe integer;
 * beyond that the nearest double, which callers that need exactness check with Number.isSafeInteger
 * (ONNX writes INT64_MAX for "to the end" in Slice, which only needs clamping).
 */
export function int64(r: Reader, what: string): number {
  const at = r.position;
  let lo = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    const b = r.u8();
    lo += (b & 0x7f) * scale;
    if (b < 0x80) return lo;
    scale *= 128;
  }
  // Past 49 bits: finish in bigint, then read the 64 bits as two's complement.
  let v = BigInt(lo);
  let shift = 49n;
  for (let i = 7; i < 10; i++) {
    const b = r.u8();
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      v &= TWO_64 - 1n;
      return Number(v >= TWO_63 ? v - TWO_64 : v);
    }
    shift += 7n;
  }
  throw r.error(`${what} is a varint longer than 10 bytes`, at);
}

/** A 32-bit float (wire type 5); 4 bytes must be ensured. */
export const float32 = (r: Reader): number => r.f32();

/**
 * UTF-8 text of `n` bytes at the cursor, read through the window in pieces (a name longer than the window is
 * legal). `max` bounds what a file can make the reader hold.
 */
export function* text(r: Reader, n: number, max: number, what: string, name?: string): Scan<string> {
  if (n > max) throw r.error(`${describe(what, name)} is ${n} bytes long, more than the ${max}-byte limit`);
  if (n <= r.available) return r.utf8(n);
  const parts: Uint8Array[] = [];
  let left = n;
  while (left > 0) {
    const piece = Math.min(left, 4096);
    if (r.available < piece) yield piece;
    parts.push(r.bytes(piece));
    left -= piece;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(concatBytes(parts));
}
