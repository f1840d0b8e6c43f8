/**
 * @module
 * JSON and YAML specs → Spec (the format is described in docs/spec-format.md). Every error is a
 * ModelError('spec') located at the offending value: a text location when the spec came from text,
 * a path such as layers[3].conv2d.kernel when it came from an object.
 */
import { ModelError } from '../errors.js';
import type { Raw } from '../ops/attrs.js';
import { findOp, opAliases, ops } from '../ops/index.js';
import { closest, didYouMean, distance } from '../suggest.js';
import type { Loc, Shape } from '../types.js';
import { parseNotation } from './notation.js';
import type { BlockSpec, LayerSpec, OpSpec, Spec } from './spec.js';
import { readYaml } from './yaml.js';

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
/** A spec expands to at most this many layers, repeats included. */
export const MAX_LAYERS = 100_000;
const MAX_REPEAT = 10_000;
const MAX_ATTR_DEPTH = 8;

const TOP_KEYS = ['name', 'input', 'source', 'layers'];
const FORMS = ['op', 'notation', 'block', 'sequential', 'repeat'];
const NOTATION_WORDS = ['conv3-64', 'maxpool', 'avgpool', 'gap', 'FC-4096', 'soft-max', 'LRN', 'bn', 'dropout'];
const pathLocs: LocMap = { value: (path) => ({ kind: 'path', path }), key: (path) => ({ kind: 'path', path }) };

interface Ctx {
  readonly locs: LocMap;
  /** The input is already flat (features), so notation adds no flatten. */
  readonly flatInput: boolean;
  /** Layers so far, repeats expanded. */
  total: number;
  /** A flatten or linear layer came earlier, so notation adds no flatten. */
  flat: boolean;
  readonly notes: string[];
  /** Bare strings already read as notation: long lists repeat a few words. */
  readonly words: Map<string, Spec | undefined>;
}

const fail = (loc: Loc, message: string, details: readonly string[] = []): never => {
  throw new ModelError('spec', message, { loc, details });
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string): boolean => Object.hasOwn(o, k);
/** JSON text of a value, shortened; '[…]' for values JSON cannot show (cycles through YAML aliases). */
function brief(v: unknown): string {
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  } catch {
    return '[…]';
  }
}
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return `a list ${brief(v)}`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return String(v);
}

/** The canonical op kind for a name or alias (any case), or undefined. */
function kindOf(name: string): string | undefined {
  const def = findOp(name);
  // findOp indexes plain objects, so 'constructor' would find Object's; only real entries count.
  return def && typeof def.kind === 'string' && has(ops, def.kind) ? def.kind : undefined;
}

const candidates = (): string[] => [...Object.keys(ops), ...Object.keys(opAliases), ...FORMS];

/**
 * The op kind for a key or an `op:` value. A near-miss of a known kind (or of op, block, …) is a typo and an
 * error; any other unknown kind is kept as written, and build makes it a custom layer whose numbers are unknown.
 */
function readKind(name: string, loc: Loc): string {
  const kind = kindOf(name);
  if (kind) return kind;
  const near = closest(name, candidates());
  if ((near !== undefined && distance(name.toLowerCase(), near.toLowerCase()) <= 2) || findOp(name) || name === '') {
    fail(loc, `unknown op '${name}'.${near ? ` Did you mean '${near}'?` : ''}`, [`Known ops: ${Object.keys(ops).join(', ')}.`]);
  }
  return name;
}

/** H×W×C, a feature count, or a batch-first list → a batch-first shape. */
function readInput(v: unknown, loc: Loc): Shape {
  const bad = (why: string): never =>
    fail(loc, `'input' must be H×W×C such as 32x32x3, a number of features such as 784, or a batch-first list such as [1, 3, 32, 32]. ${why}`);
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
    else return bad(`Received: input=${describe(v)}.`);
  } else return bad(`Received: ${describe(v)}.`);
  if (!dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d > 0)) {
    return bad(`Every dimension must be a positive integer. Received: input=${typeof v === 'string' ? `'${v}'` : brief(v)}.`);
  }
  const shape = dims as number[];
  if (shape.length < 2) bad(`A list is batch first, so [${shape[0]}] has no feature dimension: write ${shape[0]} or [1, ${shape[0]}].`);
  if (!Number.isSafeInteger(shape.reduce((p, d) => p * d, 1))) bad(`Received: [${shape.join(', ')}], more elements than nncalc can count exactly.`);
  return shape;
}

/** A layer or block name: a non-empty string without dots (dots separate module paths). */
function readName(v: unknown, loc: Loc, what = 'name'): string {
  if (typeof v !== 'string' || v === '' || v.includes('.')) {
    fail(loc, `a ${what} must be a non-empty string without dots, such as conv1. Received: ${describe(v)}.`);
  }
  return v as string;
}

/** An attribute value, copied so that YAML's shared or cyclic aliases cannot reach analyze. */
function copyAttr(v: unknown, loc: Loc, depth = 0): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_ATTR_DEPTH) fail(loc, `an attribute value is nested more than ${MAX_ATTR_DEPTH} levels deep.`);
  if (Array.isArray(v)) return v.map((x) => copyAttr(x, loc, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyAttr(x, loc, depth + 1)]));
}

function opSpec(kind: string, attrMap: Record<string, unknown>, attrPath: Path, name: string | undefined, loc: Loc, ctx: Ctx): OpSpec {
  const keys = Object.keys(attrMap);
  const attrLocs = Object.fromEntries(keys.map((k) => [k, ctx.locs.value([...attrPath, k])]));
  const attrs: Raw = Object.fromEntries(keys.map((k) => [k, copyAttr(attrMap[k], attrLocs[k]!)]));
  count(ctx, kind, loc);
  return { op: kind, attrs, ...(name !== undefined ? { name } : {}), loc, attrLocs };
}

function count(ctx: Ctx, kind: string, loc: Loc): void {
  if (++ctx.total > MAX_LAYERS) fail(loc, `the spec has more than ${MAX_LAYERS.toLocaleString('en-US')} layers; nncalc stops there.`);
  if (kind === 'flatten' || kind === 'linear') ctx.flat = true;
}

type Rebase = (offset: number, length: number) => Loc;

/** Notation text parsed with the flatten rule the spec so far calls for; errors are moved into the document. */
function parseIn(text: string, ctx: Ctx, rebase: Rebase, at: Loc): Spec {
  try {
    return parseNotation(text, { flatten: !ctx.flat && !ctx.flatInput });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return fail(e.loc?.kind === 'text' ? rebase(e.loc.offset, e.loc.length) : at, e.message, e.details);
  }
}

/** The layers of parsed notation, with locations in the document; layers written at or after `end` are dropped. */
function adopt(spec: Spec, ctx: Ctx, rebase: Rebase, keepNames: boolean, at: Loc, end = Infinity): OpSpec[] {
  if (spec.input) fail(at, `notation inside a spec cannot set the input shape; write it as the spec's 'input:' instead.`);
  const out: OpSpec[] = [];
  for (const l of spec.layers as readonly OpSpec[]) {
    if (l.loc?.kind === 'text' && l.loc.offset >= end) continue;
    const loc = l.loc?.kind === 'text' ? rebase(l.loc.offset, l.loc.length) : at;
    count(ctx, l.op, loc);
    out.push({
      op: l.op,
      attrs: l.attrs,
      ...(keepNames && l.name !== undefined ? { name: l.name } : {}),
      ...(l.label !== undefined ? { label: l.label } : {}),
      ...(l.implicit ? { implicit: true } : {}),
      loc,
    });
  }
  // The paper's rules are worth a note only where they can apply.
  if (out.some((l) => ['conv2d', 'linear', 'maxpool2d', 'avgpool2d'].includes(l.op))) {
    for (const n of spec.notes ?? []) if (!ctx.notes.includes(n)) ctx.notes.push(n);
  }
  return out;
}

/** A bare string of the notation: its text, where it is, and its layers when parsed alone. */
interface Word {
  readonly text: string;
  readonly path: Path;
  readonly alone: Spec;
}

/** The notation's reading of a bare string on its own, or undefined when it is not notation. */
function asNotation(text: string, ctx: Ctx): Spec | undefined {
  if (ctx.words.has(text)) return ctx.words.get(text);
  let spec: Spec | undefined;
  try {
    spec = parseNotation(text);
  } catch {
    spec = undefined;
  }
  const result = spec?.input === undefined ? spec : undefined;
  ctx.words.set(text, result);
  return result;
}

const hasOp = (spec: Spec, kinds: readonly string[]): boolean => spec.layers.some((l) => 'op' in l && kinds.includes(l.op));

/**
 * Consecutive bare notation words follow the paper's rules as if written on one line: no implicit ReLU
 * when the next word is an activation, none after the last FC. Only conv and FC words depend on their
 * neighbours, so each is parsed with the next word behind it (and a stand-in FC-1 when a later FC exists),
 * and the layers of those extra words are dropped. Parsing word by word keeps long lists linear.
 */
function lowerRun(run: readonly Word[], ctx: Ctx): OpSpec[] {
  const laterFc: boolean[] = [];
  for (let i = run.length - 1, seen = false; i >= 0; i--) {
    laterFc[i] = seen;
    seen ||= hasOp(run[i]!.alone, ['linear']);
  }
  return run.flatMap((w, i) => {
    const at = ctx.locs.value(w.path);
    const rebase: Rebase = (o, length) => ctx.locs.span?.(w.path, o, length) ?? at;
    if (!hasOp(w.alone, ['conv2d', 'linear'])) return adopt(w.alone, ctx, rebase, false, at);
    const next = run[i + 1];
    const text = `${w.text}${next ? `\n${next.text}` : ''}${laterFc[i] ? '\nFC-1' : ''}`;
    return adopt(parseIn(text, ctx, rebase, at), ctx, rebase, false, at, w.text.length);
  });
}

function readList(list: readonly unknown[], path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const out: LayerSpec[] = [];
  let run: Word[] = [];
  const flush = () => {
    if (run.length) out.push(...lowerRun(run, ctx));
    run = [];
  };
  list.forEach((item, i) => {
    const p = [...path, i];
    const alone = typeof item === 'string' ? asNotation(item, ctx) : undefined;
    if (typeof item === 'string' && alone) {
      run.push({ text: item, path: p, alone });
      return;
    }
    flush();
    if (typeof item === 'string') out.push(bareOp(item, p, ctx));
    // A block without a name would join the enclosing scope; repeat copies are numbered by position instead.
    else for (const l of readItem(item, p, ctx, depth)) out.push('layers' in l && l.block === undefined ? { ...l, block: String(out.length) } : l);
  });
  flush();
  return out;
}

/** A bare string that is not notation: an op kind with no attributes. */
function bareOp(text: string, path: Path, ctx: Ctx): OpSpec {
  const loc = ctx.locs.value(path);
  const kind = kindOf(text.trim());
  if (kind) return opSpec(kind, {}, path, undefined, loc, ctx);
  if (/[\s,;]/.test(text.trim())) {
    // Several words: the notation parser's own error says which one is wrong.
    const rebase: Rebase = (o, length) => ctx.locs.span?.(path, o, length) ?? loc;
    adopt(parseIn(text, ctx, rebase, loc), ctx, rebase, false, loc);
  }
  if (/^\s*(input\b|\(?\s*\d+\s*[x×])/i.test(text)) {
    fail(loc, `'${text}' looks like an input shape; write it as the spec's 'input:', not as a layer.`);
  }
  const nums = text.match(/\d+/g) ?? [];
  const shaped = nums.length >= 2 ? [`conv${nums[0]}-${nums[1]}`] : nums.length === 1 ? [`FC-${nums[0]}`, `conv3-${nums[0]}`] : [];
  const best = closest(text, [...Object.keys(ops), ...Object.keys(opAliases), ...shaped, ...NOTATION_WORDS]);
  return fail(loc, `unknown layer '${text}'.${best ? ` Did you mean '${best}'?` : ''}`, [
    'A bare string is a word of the paper notation (conv3-64, maxpool, FC-4096, …) or an op kind without attributes (relu, flatten, …).',
  ]);
}

function readItem(item: unknown, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  if (!isRecord(item)) {
    return fail(locs.value(path), `a layer must be an op name, a mapping such as {conv2d: {out: 32, kernel: 3}}, or a block. Received: ${describe(item)}.`);
  }
  if (has(item, 'op')) {
    const kindLoc = locs.value([...path, 'op']);
    if (typeof item.op !== 'string') fail(kindLoc, `'op' must be an op kind such as conv2d. Received: ${describe(item.op)}.`);
    const kind = readKind(item.op as string, kindLoc);
    const name = has(item, 'name') ? readName(item.name, locs.value([...path, 'name'])) : undefined;
    const attrs = Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'op' && k !== 'name'));
    return [opSpec(kind, attrs, path, name, kindLoc, ctx)];
  }
  const forms = Object.keys(item).filter((k) => k === 'block' || k === 'sequential' || k === 'repeat');
  if (forms.length > 1) fail(locs.key([...path, forms[1]!]), `a layer is a block, a sequential or a repeat, not both '${forms[0]}' and '${forms[1]}'.`);
  if (forms[0]) return readBlock(item, forms[0], path, ctx, depth);
  if (has(item, 'notation')) return readFragment(item, path, ctx);
  if (has(item, 'layers')) fail(locs.key([...path, 'layers']), `'layers' inside a layer needs 'block: name', 'sequential: name' or 'repeat: n' beside it.`);

  let kind: string | undefined;
  let key: string | undefined;
  for (const k of Object.keys(item)) {
    if (k === 'name') continue;
    if (key === undefined) {
      kind = readKind(k, locs.key([...path, k]));
      key = k;
    } else if (kindOf(k)) {
      fail(locs.key([...path, k]), `one layer has two ops, '${key}' and '${k}'. Write each op as its own list item.`);
    } else {
      fail(locs.key([...path, k]), `unknown key '${k}' beside op '${key}'. Only 'name' may stand beside the op; attributes go inside it, as in ${key}: {${k}: …}.`);
    }
  }
  if (kind === undefined || key === undefined) {
    return fail(locs.value(path), `a layer needs an op: one key such as conv2d: {out: 32, kernel: 3}, or op: conv2d with the attributes beside it.`);
  }
  const value = item[key];
  if (value !== null && value !== undefined && !isRecord(value)) {
    fail(locs.value([...path, key]), `the attributes of '${key}' must be a mapping such as {out: 32, kernel: 3}, or nothing. Received: ${describe(value)}.`);
  }
  const name = has(item, 'name') ? readName(item.name, locs.value([...path, 'name'])) : undefined;
  return [opSpec(kind, isRecord(value) ? value : {}, [...path, key], name, locs.key([...path, key]), ctx)];
}

function readFragment(item: Record<string, unknown>, path: Path, ctx: Ctx): OpSpec[] {
  const { locs } = ctx;
  for (const k of Object.keys(item)) if (k !== 'notation') fail(locs.key([...path, k]), `unknown key '${k}' beside 'notation'; a notation item has no other keys.`);
  const at = [...path, 'notation'];
  const loc = locs.value(at);
  if (typeof item.notation !== 'string') return fail(loc, `'notation' must be a string such as "conv3-64 x2, maxpool". Received: ${describe(item.notation)}.`);
  const rebase: Rebase = (o, length) => locs.span?.(at, o, length) ?? loc;
  return adopt(parseIn(item.notation, ctx, rebase, loc), ctx, rebase, true, loc);
}

function readBlock(item: Record<string, unknown>, form: string, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  const formLoc = locs.key([...path, form]);
  if (depth >= MAX_DEPTH) fail(formLoc, `blocks are nested more than ${MAX_DEPTH} deep; nncalc does not read specs nested that deeply.`);
  const allowed = form === 'repeat' ? [form, 'layers', 'name'] : [form, 'layers'];
  for (const k of Object.keys(item)) {
    if (!allowed.includes(k)) fail(locs.key([...path, k]), `unknown key '${k}' in a ${form}.${didYouMean(k, allowed)} Expected: ${allowed.join(', ')}.`);
  }
  if (!has(item, 'layers')) fail(formLoc, `a ${form} needs 'layers': a list of layers.`);
  if (!Array.isArray(item.layers)) fail(locs.value([...path, 'layers']), `'layers' must be a list. Received: ${describe(item.layers)}.`);
  const list = item.layers as unknown[];
  const layersPath = [...path, 'layers'];

  if (form !== 'repeat') {
    const name = readName(item[form], locs.value([...path, form]), `${form} name`);
    return [{ block: name, layers: readList(list, layersPath, ctx, depth + 1), indexed: form === 'sequential', loc: formLoc }];
  }
  const timesLoc = locs.value([...path, 'repeat']);
  const times = item.repeat;
  if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > MAX_REPEAT) {
    fail(timesLoc, `'repeat' must be an integer from 1 to ${MAX_REPEAT}. Received: repeat=${describe(times)}.`);
  }
  const n = times as number;
  const name = has(item, 'name') ? readName(item.name, locs.value([...path, 'name'])) : undefined;
  const before = ctx.total;
  const body = readList(list, layersPath, ctx, depth + 1);
  const size = ctx.total - before;
  if (ctx.total + (n - 1) * size > MAX_LAYERS) {
    fail(timesLoc, `repeat: ${n} of ${size} layers brings the spec to ${(ctx.total + (n - 1) * size).toLocaleString('en-US')} layers, more than the limit of ${MAX_LAYERS.toLocaleString('en-US')}.`);
  }
  ctx.total += (n - 1) * size;
  // The copies share one body: specs are immutable, and each copy is a block of its own.
  const copies: BlockSpec[] = Array.from({ length: n }, () => ({ layers: body, loc: formLoc }));
  return name === undefined ? copies : [{ block: name, layers: copies, indexed: true, loc: formLoc }];
}

function readSpec(value: unknown, locs: LocMap, where: { readonly text?: string; readonly file?: string }): Spec {
  const isList = Array.isArray(value);
  const top: Record<string, unknown> = isList
    ? { layers: value }
    : isRecord(value)
      ? value
      : fail(locs.value([]), `a spec is a mapping with 'layers' (and optionally name, input, source), or a list of layers. Received: ${describe(value)}.`);
  if (!isList) {
    for (const k of Object.keys(top)) if (!TOP_KEYS.includes(k)) fail(locs.key([k]), `unknown top-level key '${k}'.${didYouMean(k, TOP_KEYS)} Expected: ${TOP_KEYS.join(', ')}.`);
  }
  if (!has(top, 'layers')) fail(locs.value([]), `missing 'layers': a spec needs a list of layers, such as layers: [conv3-64, maxpool, FC-10].`);
  for (const k of ['name', 'source']) {
    if (top[k] !== undefined && typeof top[k] !== 'string') fail(locs.value([k]), `'${k}' must be a string. Received: ${describe(top[k])}.`);
  }
  const input = top.input === undefined || top.input === null ? undefined : readInput(top.input, locs.value(['input']));
  const layersPath: Path = isList ? [] : ['layers'];
  const list = top.layers;
  if (!Array.isArray(list)) return fail(locs.value(layersPath), `'layers' must be a list of layers. Received: ${describe(list)}.`);
  if (list.length === 0) fail(locs.value(layersPath), `'layers' is empty; a spec needs at least one layer.`);

  const ctx: Ctx = { locs, flatInput: input !== undefined && input.length <= 2, total: 0, flat: false, notes: [], words: new Map() };
  const layers = readList(list, layersPath, ctx, 0);
  const fileName = where.file?.split(/[\\/]/).pop()?.replace(/\.[^.]*$/, '');
  const source = (top.source as string | undefined) ?? where.file;
  return {
    name: (top.name as string | undefined) ?? (fileName || 'network'),
    ...(input ? { input } : {}),
    layers,
    ...(source !== undefined ? { source } : {}),
    ...(where.text !== undefined ? { text: where.text } : {}),
    ...(ctx.notes.length ? { notes: ctx.notes } : {}),
  };
}

/**
 * A Spec from a plain object (parsed JSON, or written in code). Errors point at paths such as
 * layers[3].conv2d.kernel unless `locs` says where the object was written.
 * @example fromObject({ input: '32x32x3', layers: [{ conv2d: { out: 32, kernel: 3 } }, 'relu'] })
 */
export function fromObject(value: unknown, locs: LocMap = pathLocs): Spec {
  return readSpec(value, locs, {});
}

/**
 * A Spec from YAML or JSON text. `file` names the network when the spec does not.
 * @example await parseSpecText('input: 32x32x3\nlayers: [conv3-32, maxpool, FC-10]', 'tiny.yaml')
 */
export async function parseSpecText(text: string, file?: string): Promise<Spec> {
  const { value, locs } = await readYaml(text);
  return readSpec(value, locs, { text, ...(file !== undefined ? { file } : {}) });
}
