/**
 * @module
 * JSON specs read with JSON.parse, which builds no document tree, so a large JSON spec costs about what its value
 * does (a YAML document of the same size would take ten times its size or more to compose). Where each part is
 * written is found afterwards, and only when asked: each array or object is scanned once, the first time a path
 * goes through it, into typed arrays of offsets, so errors keep their line and column.
 */
import { ModelError } from '../errors.js';
import type { Loc } from '../types.js';
import type { LocMap, Path } from './from-object-read.js';
import { MAX_YAML_DEPTH } from './yaml.js';

/** Where the children of one array or object are: value (and, in an object, key) start and end offsets. */
interface Children {
  readonly keys: readonly string[] | undefined;
  readonly values: Int32Array;
  readonly keyAt: Int32Array | undefined;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The offset of the first token nested deeper than `max`, or -1; strings are skipped. One pass, no recursion. */
function tooDeep(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * The value of a JSON text, or undefined when it is not JSON (a flow-style YAML list, say). `strict` reports a
 * syntax error at its position instead, for texts too large to be read as YAML.
 */
export function parseJson(text: string, strict: boolean): { value: unknown; locs: LocMap } | undefined {
  const at = (offset: number, length: number): Loc => ({ kind: 'text', offset, length, source: text });
  const deep = tooDeep(text, MAX_YAML_DEPTH);
  if (deep >= 0) throw new ModelError('spec', `the document nests more than ${MAX_YAML_DEPTH} levels deep; nncalc does not read specs nested that deeply.`, { loc: at(deep, 1) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (!strict) return undefined;
    const position = /position (\d+)/.exec((e as Error).message);
    const offset = position ? Math.min(Number(position[1]), text.length) : 0;
    throw new ModelError('spec', `JSON syntax error: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/\.?$/, '.')}`, { loc: at(offset, 1) });
  }
  return { value, locs: jsonLocs(text, at) };
}

/** Finds where the parts of a JSON text are written. */
function jsonLocs(text: string, at: (offset: number, length: number) => Loc): LocMap {
  const ws = (i: number): number => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    return i;
  };
  /** The end of the string literal that starts at i. */
  const stringEnd = (i: number): number => {
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i++;
      else if (c === 0x22) return i + 1;
    }
    return text.length;
  };
  /** The end of the value that starts at i, without recursion. */
  const valueEnd = (i: number): number => {
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i = stringEnd(i) - 1;
        if (depth === 0) return i + 1;
      } else if (c === 0x5b || c === 0x7b) depth++;
      else if (c === 0x5d || c === 0x7d) {
        if (depth === 0) return i;
        if (--depth === 0) return i + 1;
      } else if (depth === 0 && (c === 0x2c || isSpace(c))) return i;
    }
    return text.length;
  };
  const cache = new Map<number, Children>();
  const children = (start: number): Children => {
    let c = cache.get(start);
    if (c) return c;
    const object = text.charCodeAt(start) === 0x7b;
    const values: number[] = [];
    const keyAt: number[] = [];
    const keys: string[] = [];
    let i = ws(start + 1);
    while (i < text.length && text.charCodeAt(i) !== 0x5d && text.charCodeAt(i) !== 0x7d) {
      if (object) {
        const end = stringEnd(i);
        keyAt.push(i, end);
        keys.push(JSON.parse(text.slice(i, end)) as string);
        i = ws(ws(end) + 1); // past the colon
      }
      const end = valueEnd(i);
      values.push(i, end);
      i = ws(end);
      if (text.charCodeAt(i) === 0x2c) i = ws(i + 1);
    }
    c = { keys: object ? keys : undefined, values: Int32Array.from(values), keyAt: object ? Int32Array.from(keyAt) : undefined };
    cache.set(start, c);
    return c;
  };
  const root = ws(0);
  let rootEnd: number | undefined;
  /** The value at a path (or the deepest one that exists) and, when the last step is a key, where that key is. */
  const find = (path: Path): { start: number; end: number; key: [number, number] | undefined; complete: boolean } => {
    let start = root;
    let end = (rootEnd ??= valueEnd(root));
    let key: [number, number] | undefined;
    for (const seg of path) {
      const open = text.charCodeAt(start);
      if (open !== 0x5b && open !== 0x7b) return { start, end, key: undefined, complete: false };
      const c = children(start);
      // JSON.parse keeps the last of repeated keys, so the last is the one read.
      const k = c.keys ? c.keys.lastIndexOf(String(seg)) : typeof seg === 'number' && seg < c.values.length / 2 ? seg : -1;
      if (k < 0) return { start, end, key: undefined, complete: false };
      [start, end] = [c.values[2 * k]!, c.values[2 * k + 1]!];
      key = c.keyAt ? [c.keyAt[2 * k]!, c.keyAt[2 * k + 1]!] : undefined;
    }
    return { start, end, key, complete: true };
  };
  return {
    value(path) {
      const { start, end } = find(path);
      return at(start, end - start);
    },
    key(path) {
      const { start, end, key, complete } = find(path);
      return complete && key ? at(key[0], key[1] - key[0]) : at(start, end - start);
    },
    span(path, offset, length) {
      const { start, end, complete } = find(path);
      if (!complete || text.charCodeAt(start) !== 0x22) return undefined;
      // Walk the literal, counting each escape as the one character it stands for.
      let decoded = 0;
      for (let i = start + 1; i < end - 1; i++) {
        if (decoded === offset) return at(i, length);
        if (text.charCodeAt(i) === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
        decoded++;
      }
      return decoded === offset ? at(end - 1, length) : undefined;
    },
  };
}
