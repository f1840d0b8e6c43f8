import { ModelError } from '../errors.js';
import { closest, didYouMean } from '../suggest.js';
import type { Loc } from '../types.js';

/** Raw attributes as the user wrote them. */
export type Raw = Readonly<Record<string, unknown>>;

/** Padding after normalisation: explicit amounts per axis, or TensorFlow's 'same'. 'valid' is [0, 0]. */
export type Padding = readonly number[] | 'same';

/** Where the attributes came from, for error messages. */
export interface AttrSource {
  readonly op: string;
  readonly raw: Raw;
  readonly layer?: string | undefined;
  readonly loc?: Loc | undefined;
  /** The location of one attribute's value, when the source keeps it (YAML, JSON). */
  readonly locOf?: ((key: string) => Loc | undefined) | undefined;
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
  fail(key: string, message: string): never;
  /** The attribute as written (undefined when absent), for an op that checks structured data itself (tensors). */
  value(key: string): unknown;
}

// Numbers via String(), since JSON writes YAML's .inf and .nan as null.
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Runs `read` over the attributes and rejects attributes it did not use, with a did-you-mean. */
export function readAttrs<A>(src: AttrSource, read: (r: Attrs) => A, allowed: readonly string[] = []): A {
  const used = new Set<string>(allowed);
  const locOf = (key: string) => src.locOf?.(key) ?? src.loc;
  const fail = (key: string, message: string): never => {
    throw new ModelError('spec', `${src.op}: ${message}`, { loc: locOf(key), layer: src.layer });
  };
  // A missing required attribute is often a misspelt one ('kernal'): name it, since reading stops here.
  const required = (key: string, what: string): never => {
    const near = closest(key, Object.keys(src.raw).filter((k) => !used.has(k) && src.raw[k] !== undefined));
    return fail(near ?? key, `'${key}' is required (${what}).${near === undefined ? '' : ` Received an unknown attribute '${near}'; did you mean '${key}'?`}`);
  };
  const get = (key: string): unknown => {
    used.add(key);
    return src.raw[key];
  };
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  const r: Attrs = {
    op: src.op,
    fail,
    // Asking about a key makes it known, so optional attributes appear in 'Known: …' and did-you-mean.
    has: (key) => get(key) !== undefined,
    value: (key) => get(key),
    int(key, opts = {}) {
      const v = get(key) ?? opts.default;
      const min = opts.min ?? 0;
      if (v === undefined) return required(key, `an integer ≥ ${min}`);
      if (!isInt(v) || v < min) return fail(key, `'${key}' must be an integer ≥ ${min}. Received: ${key}=${show(v)}.`);
      return v;
    },
    num(key, opts = {}) {
      const v = get(key) ?? opts.default;
      if (v === undefined) return required(key, 'a number');
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(key, `'${key}' must be a number. Received: ${key}=${show(v)}.`);
      if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
        return fail(key, `'${key}' must be between ${opts.min ?? '-∞'} and ${opts.max ?? '∞'}. Received: ${key}=${v}.`);
      }
      return v;
    },
    bool(key, fallback) {
      const v = get(key) ?? fallback;
      if (typeof v !== 'boolean') return fail(key, `'${key}' must be true or false. Received: ${key}=${show(v)}.`);
      return v;
    },
    oneOf(key, values, fallback) {
      const v = get(key) ?? fallback;
      if (typeof v !== 'string' || !values.includes(v as never)) {
        return fail(key, `'${key}' must be one of ${values.map(show).join(', ')}. Received: ${key}=${show(v)}.${typeof v === 'string' ? didYouMean(v, values) : ''}`);
      }
      return v as (typeof values)[number];
    },
    tuple(key, rank, opts = {}) {
      const v = get(key) ?? opts.default;
      const min = opts.min ?? 1;
      const what = rank === 1 ? `an integer ≥ ${min}` : `an integer ≥ ${min} or a list of ${rank} of them`;
      if (v === undefined) return required(key, what);
      const list = typeof v === 'number' ? Array<number>(rank).fill(v) : v;
      if (!Array.isArray(list) || list.length !== rank || !list.every((x) => isInt(x) && x >= min)) {
        return fail(key, `'${key}' must be ${what}. Received: ${key}=${show(v)}.`);
      }
      return list as number[];
    },
    str(key, fallback) {
      const v = get(key) ?? fallback;
      if (v === undefined) return required(key, 'a string');
      if (typeof v !== 'string') return fail(key, `'${key}' must be a string. Received: ${key}=${show(v)}.`);
      return v;
    },
    ints(key, opts = {}) {
      const v = get(key);
      const min = opts.min ?? 0;
      if (v === undefined) return required(key, `a list of integers ≥ ${min}`);
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => isInt(x) && x >= min)) {
        return fail(key, `'${key}' must be a non-empty list of integers ≥ ${min}. Received: ${key}=${show(v)}.`);
      }
      return v as number[];
    },
    padding(key, rank, fallback) {
      const v = get(key) ?? fallback;
      if (v === 'same') return 'same';
      if (v === 'valid') return Array<number>(rank).fill(0);
      const list = typeof v === 'number' ? Array<number>(rank).fill(v) : v;
      if (!Array.isArray(list) || list.length !== rank || !list.every((x) => isInt(x) && x >= 0)) {
        return fail(key, `'${key}' must be 'same', 'valid', an integer ≥ 0 or a list of ${rank} of them. Received: ${key}=${show(v)}.`);
      }
      return list as number[];
    },
    list(key, opts = {}) {
      const v = get(key) ?? opts.default;
      const integer = opts.integer ?? true;
      const what = `${integer ? 'an integer' : 'a number'}${opts.min === undefined ? '' : ` ≥ ${opts.min}`} or a list of them`;
      if (v === undefined) return required(key, what);
      const list = typeof v === 'number' ? [v] : v;
      const ok = (x: unknown) => typeof x === 'number' && (integer ? isInt(x) : Number.isFinite(x)) && (opts.min === undefined || x >= opts.min);
      if (!Array.isArray(list) || !list.every(ok)) return fail(key, `'${key}' must be ${what}. Received: ${key}=${show(v)}.`);
      return [...(list as number[])];
    },
  };
  const result = read(r);
  for (const key of Object.keys(src.raw)) {
    if (!used.has(key) && src.raw[key] !== undefined) {
      fail(key, `unknown attribute '${key}'.${didYouMean(key, used)} Known: ${[...used].join(', ') || 'none'}.`);
    }
  }
  return result;
}

/** A dimension attribute: any integer, checked against the input's rank later. */
export function readDim(r: Attrs, key: string, fallback?: number): number {
  const d = fallback === undefined ? r.num(key) : r.num(key, { default: fallback });
  return Number.isInteger(d) ? d : r.fail(key, `'${key}' must be an integer. Received: ${key}=${d}.`);
}
