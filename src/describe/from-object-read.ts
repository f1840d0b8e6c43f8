/**
 * @module
 * The pieces every part of the spec reader shares: where values are written (LocMap), the reading
 * context, located errors, and readers of single values (op kinds, names, shapes, attributes).
 */
import { ModelError } from '../errors.js';
import { MAX_LAYERS, MAX_MODULE_DEPTH, MAX_SPEC_WORK } from '../limits.js';
import { findOp, opAliases, ops } from '../ops/index.js';
import { closest, distance } from '../suggest.js';
import type { Loc, Shape } from '../types.js';
import type { Value } from './evaluate.js';
import type { ModuleDef } from './modules.js';
import type { LayerSpec, Spec } from './spec.js';

/** A path into a spec object: ['layers', 3, 'conv2d', 'kernel']. */
export type Path = readonly (string | number)[];

/** Where the parts of a spec object are written. */
export interface LocMap {
  /** Where the value at a path is written. */
  value(path: Path): Loc;
  /** Where the key that ends a path is written, for errors about the key itself (an unknown op). */
  key(path: Path): Loc;
  /** Where a piece of the string at a path is written (errors inside notation), when it can be found. */
  span?(path: Path, offset: number, length: number): Loc | undefined;
}

/** Blocks (block, sequential, repeat) nest at most this deep. */
export const MAX_DEPTH = 64;
/** A spec expands to at most this many layers, repeats, module calls and implicit layers included. */
export { MAX_LAYERS };
/** Expanding a spec takes at most this many steps, and modules call modules at most this deep. */
export { MAX_SPEC_WORK as MAX_WORK, MAX_MODULE_DEPTH as MAX_CALL_DEPTH };

/** Keys that make a mapping a layer form rather than an op. */
export const FORMS = ['op', 'notation', 'block', 'sequential', 'repeat', 'residual', 'parallel', 'use'];
export const pathLocs: LocMap = { value: (path) => ({ kind: 'path', path }), key: (path) => ({ kind: 'path', path }) };

/** What reading one spec carries from layer to layer. */
export interface Ctx {
  readonly locs: LocMap;
  /** The input is already flat (features), so notation adds no flatten. */
  readonly flatInput: boolean;
  /** The name the spec gives its first input; references to it mean build's main input. */
  readonly mainInput: string | undefined;
  /** Layers so far, repeats expanded. */
  total: number;
  /** A flatten or linear layer came earlier, so notation adds no flatten. */
  flat: boolean;
  readonly notes: string[];
  /** Bare strings already read as notation: long lists repeat a few words. */
  readonly words: Map<string, Spec | undefined>;
  /** Names bound where the reader is: module parameters, local values, the repeat index. */
  env: Env;
  /** The modules the spec defines, by name. */
  readonly modules: ReadonlyMap<string, ModuleDef>;
  /** The module calls being expanded, outermost first: for recursion, depth, and errors that say which call. */
  readonly calls: { readonly name: string; readonly loc: Loc }[];
  /** Steps taken so far: items read and expression nodes evaluated. */
  work: number;
  /** Reads a list of layers at a path; lent to the parts that nest lists, which cannot import the list reader. */
  readonly readList: ListReader;
}

/** Bound names and their values. */
export type Env = ReadonlyMap<string, Value>;

/** One more step of expansion, failing at `loc` past MAX_SPEC_WORK. */
export function step(ctx: Ctx, loc: () => Loc): void {
  if (++ctx.work > MAX_SPEC_WORK) {
    fail(loc(), `expanding the spec takes more than ${MAX_SPEC_WORK.toLocaleString('en-US')} steps (items read and expression values computed); nncalc stops there. Look for repeats or module calls nested inside each other.`);
  }
}

/** Reads a list of layers; passed to the parts of the reader that nest lists (branches) to avoid an import cycle. */
export type ListReader = (list: readonly unknown[], path: Path, ctx: Ctx, depth: number) => LayerSpec[];

export const fail = (loc: Loc, message: string, details: readonly string[] = []): never => {
  throw new ModelError('spec', message, { loc, details });
};
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** JSON text of a value, shortened; '[…]' for values JSON cannot show (cycles through YAML aliases). */
export function brief(v: unknown): string {
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  } catch {
    return '[…]';
  }
}

/** A value as an error message names it: 'conv3', a list […], a mapping, nothing. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list ${brief(v)}`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return String(v);
}

/** The canonical op kind for a name or alias (any case), or undefined. */
export function kindOf(name: string): string | undefined {
  const def = findOp(name);
  // Only real entries of the table count, whatever findOp's lookup does with names like 'constructor'.
  return def && typeof def.kind === 'string' && has(ops, def.kind) ? def.kind : undefined;
}

const candidates = (): string[] => [...Object.keys(ops), ...Object.keys(opAliases), ...FORMS];

/**
 * The op kind for a key or an `op:` value. A near-miss of a known kind (or of op, block, …) is a typo and an
 * error; any other unknown kind is kept as written, and build makes it a custom layer whose numbers are unknown.
 */
export function readKind(name: string, loc: Loc): string {
  const kind = kindOf(name);
  if (kind) return kind;
  if (FORMS.includes(name)) fail(loc, `'${name}' is a layer form, not an op: write it as a key, such as ${name}: … with its other keys beside it.`);
  const near = closest(name, candidates());
  if ((near !== undefined && distance(name.toLowerCase(), near.toLowerCase()) <= 2) || findOp(name) || name === '') {
    fail(loc, `unknown op '${name}'.${near ? ` Did you mean '${near}'?` : ''}`, [`Known ops: ${Object.keys(ops).join(', ')} (each with its names and attributes in docs/ops.md).`]);
  }
  return name;
}

/** H×W×C, a feature count, or a batch-first list → a batch-first shape. `key` is how the error names the value. */
export function readInput(v: unknown, loc: Loc, key = 'input'): Shape {
  const bad = (why: string): never =>
    fail(loc, `'${key}' must be H×W×C such as 32x32x3, a number of features such as 784, or a batch-first list such as [1, 3, 32, 32]. ${why}`);
  let dims: unknown[];
  if (typeof v === 'number') dims = [1, v];
  else if (Array.isArray(v)) dims = v;
  else if (typeof v === 'string') {
    const s = v.trim();
    const hwc = /^(\d+)\s*[x×]\s*(\d+)\s*[x×]\s*(\d+)$/i.exec(s);
    const hw = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(s);
    if (hwc) dims = [1, Number(hwc[3]), Number(hwc[1]), Number(hwc[2])];
    else if (hw) return bad(`'${s}' has no channel count: write ${hw[1]}x${hw[2]}x1 for one channel, ${hw[1]}x${hw[2]}x3 for RGB.`);
    else if (/^\d+$/.test(s)) dims = [1, Number(s)];
    else if (/^\d+(\s*,\s*\d+)+$/.test(s)) dims = s.split(',').map(Number);
    else return bad(`Received: ${key}=${describe(v)}.`);
  } else return bad(`Received: ${describe(v)}.`);
  if (!dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) {
    return bad(`Every dimension must be a positive integer. Received: ${key}=${typeof v === 'string' ? `'${v}'` : brief(v)}.`);
  }
  const shape = dims as number[];
  if (shape.length < 2) bad(`A list is batch first, so [${shape[0]}] has no feature dimension: write ${shape[0]} or [1, ${shape[0]}].`);
  if (!Number.isSafeInteger(shape.reduce((p, d) => p * d, 1))) bad(`Received: [${shape.join(', ')}], more elements than nncalc can count exactly.`);
  return shape;
}

/**
 * A layer, block or input name: a non-empty string without dots (dots separate module paths) or colons
 * (a colon picks one output of a layer in `inputs`).
 */
export function readName(v: unknown, loc: Loc, what = 'name'): string {
  if (typeof v !== 'string' || v === '' || v.includes('.') || v.includes(':')) {
    fail(loc, `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} must be a non-empty string without dots or colons, such as conv1. Received: ${describe(v)}.`);
  }
  return v as string;
}

/** Counts one more layer against MAX_LAYERS and notes a flatten or linear for the notation's flatten rule. */
export function count(ctx: Ctx, kind: string, loc: Loc): void {
  if (++ctx.total > MAX_LAYERS) fail(loc, `the spec has more than ${MAX_LAYERS.toLocaleString('en-US')} layers; nncalc stops there.`);
  if (kind === 'flatten' || kind === 'linear') ctx.flat = true;
}
