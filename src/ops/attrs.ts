/**
 * @module
 * Typed readers over the attributes a spec gives a layer. PyTorch's and Keras's keywords (ops/keywords.ts) are
 * accepted for nncalc's attribute names, and every message names the attribute as the user wrote it.
 */
import { ModelError } from '../errors.js';
import { closest, didYouMean, distance } from '../suggest.js';
import type { Loc } from '../types.js';
import { aliasesOf, keywordsOf } from './keywords.js';

/** Raw attributes as the user wrote them. */
export type Raw = Readonly<Record<string, unknown>>;

/** Padding after normalisation: explicit amounts per axis, or TensorFlow's 'same'. 'valid' is [0, 0]. */
export type Padding = readonly number[] | 'same';

/** What a reader was asked for: the op reference (docs/ops.md) learns each attribute's type and default from it. */
export interface AttrRead {
  readonly key: string;
  readonly reader: 'has' | 'value' | 'int' | 'num' | 'bool' | 'oneOf' | 'tuple' | 'str' | 'ints' | 'padding' | 'list';
  readonly min?: number;
  readonly max?: number;
  readonly rank?: number;
  readonly values?: readonly string[];
  readonly integer?: boolean;
  readonly default?: unknown;
}

/**
 * A value that stands for any valid one: a reader given it records the read and returns its default (or a small
 * valid value). Only the op reference uses it, to learn the types of optional attributes.
 */
export const PROBE: unique symbol = Symbol('probe');

/** Where the attributes came from, for error messages. */
export interface AttrSource {
  readonly op: string;
  readonly raw: Raw;
  readonly layer?: string | undefined;
  readonly loc?: Loc | undefined;
  /** The location of one attribute's value, when the source keeps it (YAML, JSON). */
  readonly locOf?: ((key: string) => Loc | undefined) | undefined;
  /** Told of every read, for the op reference. */
  readonly trace?: ((read: AttrRead) => void) | undefined;
}

/** Typed readers over raw attributes; each failure names the op, the attribute and the received value. */
export interface Attrs {
  readonly op: string;
  has(key: string): boolean;
  int(key: string, opts?: { min?: number; default?: number }): number;
  num(key: string, opts?: { min?: number; max?: number; default?: number }): number;
  bool(key: string, fallback: boolean): boolean;
  oneOf<T extends string>(key: string, values: readonly T[], fallback?: T): T;
  /** A number or a list of `rank` numbers; 3 → [3, 3]. */
  tuple(key: string, rank: number, opts?: { min?: number; default?: number | readonly number[] }): number[];
  /** A string; `fallback` when absent. */
  str(key: string, fallback?: string): string;
  /** A list of integers ≥ min, of any length ≥ 1. */
  ints(key: string, opts?: { min?: number }): number[];
  /** A number, a list, 'same' or 'valid'. */
  padding(key: string, rank: number, fallback: Padding | number): Padding;
  /** A list of numbers of any length (integers unless `integer: false`); a bare number is a list of one. */
  list(key: string, opts?: { min?: number; integer?: boolean; default?: readonly number[] }): number[];
  /** The keyword the user wrote for an attribute ('units' for hidden_size), or undefined when it is absent. */
  written(key: string): string | undefined;
  fail(key: string, message: string): never;
  /** The attribute as written (undefined when absent), for an op that checks structured data itself (tensors). */
  value(key: string): unknown;
}

// Numbers via String(), since JSON writes YAML's .inf and .nan as null.
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Raw attributes under nncalc's names, and the keyword each was written with. Two keywords for one attribute are an error. */
function canonical(src: AttrSource): { raw: Record<string, unknown>; written: Map<string, string> } {
  const words = keywordsOf(src.op);
  const raw: Record<string, unknown> = {};
  const written = new Map<string, string>();
  for (const key of Object.keys(src.raw)) {
    const value = src.raw[key];
    if (value === undefined) continue;
    const attr = words.get(key) ?? key;
    const before = written.get(attr);
    if (before !== undefined) {
      throw new ModelError('spec', `${src.op}: '${before}' and '${key}' both give ${attr === before || attr === key ? `'${attr}'` : `'${attr}' (as ${aliasesOf(src.op, attr).map((w) => `'${w}'`).join(' and ')})`}; keep one.`, {
        loc: src.locOf?.(key) ?? src.loc,
        layer: src.layer,
      });
    }
    raw[attr] = value;
    written.set(attr, key);
  }
  return { raw, written };
}

/** A small valid value of a reader's type, for PROBE. */
function probeValue(read: AttrRead): unknown {
  if (read.default !== undefined) return read.default;
  const small = Math.max(read.min ?? 1, 1);
  switch (read.reader) {
    case 'tuple':
      return Array<number>(read.rank ?? 1).fill(small);
    case 'ints':
    case 'list':
      return [small];
    case 'oneOf':
      return read.values?.[0];
    case 'str':
      return 'x';
    case 'padding':
      return Array<number>(read.rank ?? 1).fill(0);
    default:
      return small;
  }
}

/**
 * Runs `read` over the attributes and rejects attributes it did not use, with a did-you-mean over nncalc's names
 * and the PyTorch and Keras keywords.
 */
export function readAttrs<A>(src: AttrSource, read: (r: Attrs) => A, allowed: readonly string[] = []): A {
  const { raw, written } = canonical(src);
  const used = new Set<string>(allowed);
  /** The attribute as the user wrote it. */
  const shown = (key: string): string => written.get(key) ?? key;
  const locOf = (key: string) => src.locOf?.(shown(key)) ?? src.loc;
  const fail = (key: string, message: string): never => {
    throw new ModelError('spec', `${src.op}: ${message}`, { loc: locOf(key), layer: src.layer });
  };
  // A missing required attribute is often a misspelt one ('kernal', 'kernel_sise'): name it, since reading stops here.
  const required = (key: string, what: string): never => {
    const spellings = [key, ...aliasesOf(src.op, key)];
    const unknown = Object.keys(raw).filter((k) => !used.has(k));
    let near: { raw: string; meant: string } | undefined;
    for (const w of spellings) {
      const c = closest(w, unknown);
      if (c !== undefined && (!near || distance(w, c) < distance(near.meant, near.raw))) near = { raw: c, meant: w };
    }
    const also = spellings.length > 1 ? ` (or ${spellings.slice(1).map((w) => `'${w}'`).join(', ')})` : '';
    return fail(
      near?.raw ?? key,
      `'${key}'${also} is required (${what}).${near === undefined ? '' : ` Received an unknown attribute '${shown(near.raw)}'; did you mean '${near.meant}'?`}`,
    );
  };
  const get = (key: string, r: AttrRead): unknown => {
    used.add(key);
    src.trace?.(r);
    const v = raw[key];
    return v === PROBE ? probeValue(r) : v;
  };
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  const r: Attrs = {
    op: src.op,
    fail,
    written: (key) => written.get(key),
    // Asking about a key makes it known, so optional attributes appear in 'Known: …' and did-you-mean.
    has: (key) => get(key, { key, reader: 'has' }) !== undefined,
    value: (key) => get(key, { key, reader: 'value' }),
    int(key, opts = {}) {
      const min = opts.min ?? 0;
      const v = get(key, { key, reader: 'int', min, default: opts.default }) ?? opts.default;
      if (v === undefined) return required(key, `an integer ≥ ${min}`);
      if (!isInt(v) || v < min) return fail(key, `'${shown(key)}' must be an integer ≥ ${min}. Received: ${shown(key)}=${show(v)}.`);
      return v;
    },
    num(key, opts = {}) {
      const v = get(key, { key, reader: 'num', ...opts }) ?? opts.default;
      if (v === undefined) return required(key, 'a number');
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(key, `'${shown(key)}' must be a number. Received: ${shown(key)}=${show(v)}.`);
      if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
        return fail(key, `'${shown(key)}' must be between ${opts.min ?? '-∞'} and ${opts.max ?? '∞'}. Received: ${shown(key)}=${v}.`);
      }
      return v;
    },
    bool(key, fallback) {
      const v = get(key, { key, reader: 'bool', default: fallback }) ?? fallback;
      if (typeof v !== 'boolean') return fail(key, `'${shown(key)}' must be true or false. Received: ${shown(key)}=${show(v)}.`);
      return v;
    },
    oneOf(key, values, fallback) {
      const v = get(key, { key, reader: 'oneOf', values, default: fallback }) ?? fallback;
      if (typeof v !== 'string' || !values.includes(v as never)) {
        return fail(key, `'${shown(key)}' must be one of ${values.map(show).join(', ')}. Received: ${shown(key)}=${show(v)}.${typeof v === 'string' ? didYouMean(v, values) : ''}`);
      }
      return v as (typeof values)[number];
    },
    tuple(key, rank, opts = {}) {
      const min = opts.min ?? 1;
      const v = get(key, { key, reader: 'tuple', rank, min, default: opts.default }) ?? opts.default;
      const what = rank === 1 ? `an integer ≥ ${min}` : `an integer ≥ ${min} or a list of ${rank} of them`;
      if (v === undefined) return required(key, what);
      const list = typeof v === 'number' ? Array<number>(rank).fill(v) : v;
      if (!Array.isArray(list) || list.length !== rank || !list.every((x) => isInt(x) && x >= min)) {
        return fail(key, `'${shown(key)}' must be ${what}. Received: ${shown(key)}=${show(v)}.`);
      }
      return list as number[];
    },
    str(key, fallback) {
      const v = get(key, { key, reader: 'str', default: fallback }) ?? fallback;
      if (v === undefined) return required(key, 'a string');
      if (typeof v !== 'string') return fail(key, `'${shown(key)}' must be a string. Received: ${shown(key)}=${show(v)}.`);
      return v;
    },
    ints(key, opts = {}) {
      const min = opts.min ?? 0;
      const v = get(key, { key, reader: 'ints', min });
      if (v === undefined) return required(key, `a list of integers ≥ ${min}`);
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => isInt(x) && x >= min)) {
        return fail(key, `'${shown(key)}' must be a non-empty list of integers ≥ ${min}. Received: ${shown(key)}=${show(v)}.`);
      }
      return v as number[];
    },
    padding(key, rank, fallback) {
      const v = get(key, { key, reader: 'padding', rank, default: fallback }) ?? fallback;
      if (v === 'same') return 'same';
      if (v === 'valid') return Array<number>(rank).fill(0);
      const list = typeof v === 'number' ? Array<number>(rank).fill(v) : v;
      if (!Array.isArray(list) || list.length !== rank || !list.every((x) => isInt(x) && x >= 0)) {
        return fail(key, `'${shown(key)}' must be 'same', 'valid', an integer ≥ 0 or a list of ${rank} of them. Received: ${shown(key)}=${show(v)}.`);
      }
      return list as number[];
    },
    list(key, opts = {}) {
      const integer = opts.integer ?? true;
      const v = get(key, { key, reader: 'list', integer, ...(opts.min !== undefined ? { min: opts.min } : {}), default: opts.default }) ?? opts.default;
      const what = `${integer ? 'an integer' : 'a number'}${opts.min === undefined ? '' : ` ≥ ${opts.min}`} or a list of them`;
      if (v === undefined) return required(key, what);
      const list = typeof v === 'number' ? [v] : v;
      const ok = (x: unknown) => typeof x === 'number' && (integer ? isInt(x) : Number.isFinite(x)) && (opts.min === undefined || x >= opts.min);
      if (!Array.isArray(list) || !list.every(ok)) return fail(key, `'${shown(key)}' must be ${what}. Received: ${shown(key)}=${show(v)}.`);
      return [...(list as number[])];
    },
  };
  const result = read(r);
  for (const key of Object.keys(raw)) {
    if (!used.has(key)) {
      const known = [...used];
      const candidates = [...known, ...known.flatMap((k) => aliasesOf(src.op, k))];
      fail(key, `unknown attribute '${shown(key)}'.${didYouMean(shown(key), candidates)} Known: ${known.join(', ') || 'none'} (see docs/ops.md#${src.op}).`);
    }
  }
  return result;
}

/**
 * True for attribute values JSON keeps apart: finite numbers, strings, booleans, null, lists of them. In a list,
 * undefined and holes are not (JSON writes them as null); at the top an undefined value is absent, as it is to the
 * readers.
 */
function plain(v: unknown, top = true): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (v === undefined) return top;
  if (typeof v === 'number') return Number.isFinite(v);
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!plain(v[i], false)) return false;
  return true;
}

/**
 * A key for what an op's rules give a layer, which depends on the op, its attributes and its input shapes alone:
 * layers with equal keys (the 32 decoder layers of a Llama, the blocks of a ResNet stage) can share one result.
 * Undefined, so nothing is shared, when an attribute is something JSON would not keep apart (NaN and null, a
 * symbol, an object).
 */
export function ruleKey(op: string, raw: Raw, inputs: readonly (readonly number[])[]): string | undefined {
  for (const k in raw) if (!plain(raw[k])) return undefined;
  return `${op}|${JSON.stringify(inputs)}${JSON.stringify(raw)}`;
}

/** A dimension attribute: any integer, checked against the input's rank later. */
export function readDim(r: Attrs, key: string, fallback?: number): number {
  const d = fallback === undefined ? r.num(key) : r.num(key, { default: fallback });
  return Number.isInteger(d) ? d : r.fail(key, `'${key}' must be an integer. Received: ${key}=${d}.`);
}
