/**
 * @module
 * The graph parts of a spec: where a layer reads from (`inputs`), weights it shares (`tied`), its role,
 * and branches joined by a merge (`residual`, `parallel`). References are checked for form here and
 * resolved by build, whose errors point at the layer that holds them.
 */
import type { Loc } from '../types.js';
import { closest, didYouMean, distance } from '../suggest.js';
import { INPUT } from './build.js';
import { count, describe, fail, has, isRecord, MAX_DEPTH, readKind, readName, type Ctx, type Path } from './from-object-read.js';
import type { BlockSpec, LayerSpec, OpSpec, ParallelSpec } from './spec.js';

/** Keys that may stand beside an op, besides its attributes. */
export const LAYER_KEYS = ['name', 'inputs', 'tied', 'role'];
/** The ops that join branches. */
export const MERGES = ['add', 'mul', 'concat'];
/** Roles the summary knows; a near-miss of one is taken for a typo. */
const ROLES = ['embeddings', 'attention', 'mlp', 'experts', 'norms', 'head'];
/** At most this many tensors meet in one layer (references, or branches of a parallel). */
export const MAX_INPUTS = 10_000;

/** A layer name or module path, and `:n` for its output n: conv1, layer1.0.conv1, split:1. */
const REF = /^[^.:\s,]+(?:\.[^.:\s,]+)*(?::\d{1,6})?$/;
const WEIGHT_REF = /^[^.:\s,]+(?:\.[^.:\s,]+)*$/;

/** What the layer reader lends the branch reader, which cannot import it without a cycle. */
export interface Readers {
  /** Layers from items of a list, each at the path `pathOf` gives. */
  readonly items: (list: readonly unknown[], pathOf: (i: number) => Path, ctx: Ctx, depth: number) => LayerSpec[];
  /** One op layer, allowing `beside` next to the op. */
  readonly op: (item: Record<string, unknown>, path: Path, ctx: Ctx, beside: readonly string[]) => OpSpec;
}

/**
 * References as written in `inputs` or `outputs`: a list of names, or one name. The first input's own
 * name becomes build's name for it, so a spec may call its main input 'image'.
 */
export function readRefs(v: unknown, path: Path, ctx: Ctx): string[] {
  const key = String(path[path.length - 1]);
  const loc = ctx.locs.value(path);
  const list: readonly unknown[] = typeof v === 'string' ? [v] : Array.isArray(v) ? v : fail(loc, `'${key}' must be a list of layer names such as [conv1, shortcut]. Received: ${describe(v)}.`);
  if (list.length === 0) fail(loc, `'${key}' is empty; list at least one layer or input.`);
  if (list.length > MAX_INPUTS) fail(loc, `'${key}' lists ${list.length.toLocaleString('en-US')} references, more than the limit of ${MAX_INPUTS.toLocaleString('en-US')}.`);
  return list.map((r, i) => {
    if (typeof r !== 'string' || !REF.test(r)) {
      const hint = typeof r === 'string' && /[\s,]/.test(r.trim()) ? ` Write several as a list: [${r.split(/[\s,]+/).filter(Boolean).join(', ')}].` : '';
      fail(Array.isArray(v) ? ctx.locs.value([...path, i]) : loc, `'${key}' names layers or inputs: a name such as conv1, a path such as layer1.0.conv1, and :1 for a layer's second output. Received: ${describe(r)}.${hint}`);
    }
    const [name, port] = (r as string).split(':') as [string, string | undefined];
    return name === ctx.mainInput && name !== INPUT ? `${INPUT}${port === undefined ? '' : `:${port}`}` : (r as string);
  });
}

/** `tied: enc` (the whole module) or `tied: {weight: enc.weight}`. Targets are full layer paths. */
function readTied(v: unknown, path: Path, ctx: Ctx): Record<string, string> {
  const loc = ctx.locs.value(path);
  const target = (t: unknown, at: Loc, weight: string): string => {
    if (typeof t !== 'string' || !WEIGHT_REF.test(t)) {
      return fail(at, `a tied weight is written as layer.weight, with the layer's full path, such as encoder.embed.weight. Received: ${describe(t)}.`);
    }
    if (weight !== '*' && !t.includes('.')) fail(at, `'${t}' names a layer, not a weight: write ${t}.${weight} to share its ${weight}, or tied: ${t} to share all its weights.`);
    return t;
  };
  if (typeof v === 'string') return { '*': target(v, loc, '*') };
  if (!isRecord(v) || Object.keys(v).length === 0) {
    return fail(loc, `'tied' must be a mapping from this layer's weights to earlier ones, such as {weight: enc.weight}, or a layer's path to share all its weights. Received: ${describe(v)}.`);
  }
  return Object.fromEntries(
    Object.entries(v).map(([w, t]) => {
      if (w !== '*' && !/^\w+$/.test(w)) fail(ctx.locs.key([...path, w]), `'${w}' is not a weight name; weights are named as in PyTorch: weight, bias, weight_ih_l0, …`);
      return [w, target(t, ctx.locs.value([...path, w]), w)];
    }),
  );
}

function readRole(v: unknown, loc: Loc): string {
  if (typeof v !== 'string' || v.trim() === '') return fail(loc, `'role' must be a word such as ${ROLES.join(', ')}. Received: ${describe(v)}.`);
  const near = closest(v, ROLES);
  if (near !== undefined && near !== v && distance(v.toLowerCase(), near) <= 2) fail(loc, `unknown role '${v}'. Did you mean '${near}'?`, [`The summary knows: ${ROLES.join(', ')}.`]);
  return v;
}

/** The graph keys beside an op (inputs, tied, role), those of them that `beside` allows. */
export function readLayerKeys(item: Record<string, unknown>, path: Path, ctx: Ctx, beside: readonly string[]): Pick<OpSpec, 'inputs' | 'tied' | 'role'> {
  const at = (k: string): Path => [...path, k];
  const given = (k: string): boolean => beside.includes(k) && has(item, k);
  return {
    ...(given('inputs') ? { inputs: readRefs(item.inputs, at('inputs'), ctx) } : {}),
    ...(given('tied') ? { tied: readTied(item.tied, at('tied'), ctx) } : {}),
    ...(given('role') ? { role: readRole(item.role, ctx.locs.value(at('role'))) } : {}),
  };
}

/** 'inputs' written on a block-like form, which reads the layer before it. */
export function inputsOnForm(form: string, loc: Loc): never {
  return fail(loc, `'inputs' belongs on an op layer; a ${form} reads the layer before it. To feed it from elsewhere, put {identity: null, inputs: […]} in front of it.`);
}

/** One branch: a list of layers (their names join the enclosing scope), one layer, or a named block. */
function readBranch(v: unknown, path: Path, ctx: Ctx, depth: number, read: Readers): LayerSpec {
  const loc = ctx.locs.value(path);
  if (Array.isArray(v)) return { layers: read.items(v, (i) => [...path, i], ctx, depth + 1), indexed: false, loc };
  if (typeof v !== 'string' && !isRecord(v)) {
    return fail(loc, `a branch is a list of layers, a single layer, or a block such as {block: branch1, layers: […]}; [] passes the input through. Received: ${describe(v)}.`);
  }
  const layers = read.items([v], () => path, ctx, depth + 1);
  const only = layers.length === 1 ? layers[0]! : undefined;
  return only && 'layers' in only && (only as BlockSpec).block !== undefined ? only : { layers, indexed: false, loc };
}

/** The layer that joins the branches: `merge: concat`, or a merge op with attributes and a name. */
function readMerge(item: Record<string, unknown>, form: string, path: Path, ctx: Ctx, formLoc: Loc, read: Readers): OpSpec {
  const { locs } = ctx;
  const mergePath = [...path, 'merge'];
  const value = item.merge;
  const expected = `an op that joins its inputs: ${MERGES.join(', ')}`;
  const check = (kind: string, loc: Loc): void => {
    if (!MERGES.includes(kind)) fail(loc, `'merge' must be ${expected}. Received: ${kind}.${didYouMean(kind, MERGES)}`);
  };
  let merge: OpSpec;
  if (value === undefined || value === null) {
    if (form === 'parallel') fail(has(item, 'merge') ? locs.value(mergePath) : formLoc, `a parallel needs 'merge': how its branches join (${MERGES.join(', ')}).`);
    count(ctx, 'add', formLoc);
    merge = { op: 'add', attrs: {}, loc: formLoc, attrLocs: {} };
  } else if (typeof value === 'string') {
    const loc = locs.value(mergePath);
    const kind = readKind(value, loc);
    check(kind, loc);
    count(ctx, kind, loc);
    merge = { op: kind, attrs: {}, loc, attrLocs: {} };
  } else if (isRecord(value)) {
    for (const k of ['inputs', 'tied']) if (has(value, k)) fail(locs.key([...mergePath, k]), `a merge reads the outputs of its branches; it takes no '${k}'.`);
    merge = read.op(value, mergePath, ctx, ['name']);
    check(merge.op, merge.loc!);
  } else {
    return fail(locs.value(mergePath), `'merge' must be ${expected}, or one with attributes such as {concat: {dim: 1}, name: cat}. Received: ${describe(value)}.`);
  }
  if (!has(item, 'name')) return merge;
  const nameLoc = locs.value([...path, 'name']);
  if (merge.name !== undefined) fail(nameLoc, `the merge is named twice, here and inside 'merge'; keep one.`);
  return { ...merge, name: readName(item.name, nameLoc, 'merge name') };
}

/**
 * `residual: [body…]` with an optional `shortcut` (default: the identity) and `merge` (default: add), or
 * `parallel: [branch, …]` with a required `merge`. `name` names the merge layer.
 */
export function readParallel(item: Record<string, unknown>, form: 'residual' | 'parallel', path: Path, ctx: Ctx, depth: number, read: Readers): ParallelSpec {
  const { locs } = ctx;
  const formLoc = locs.key([...path, form]);
  if (depth >= MAX_DEPTH) fail(formLoc, `blocks are nested more than ${MAX_DEPTH} deep; nncalc does not read specs nested that deeply.`);
  const allowed = form === 'residual' ? ['residual', 'shortcut', 'merge', 'name'] : ['parallel', 'merge', 'name'];
  for (const k of Object.keys(item)) {
    if (k === 'inputs') inputsOnForm(form, locs.key([...path, k]));
    if (!allowed.includes(k)) fail(locs.key([...path, k]), `unknown key '${k}' in a ${form}.${didYouMean(k, allowed)} Expected: ${allowed.join(', ')}.`);
  }
  let branches: LayerSpec[];
  if (form === 'residual') {
    const body = readBranch(item.residual, [...path, 'residual'], ctx, depth, read);
    branches = [body, has(item, 'shortcut') ? readBranch(item.shortcut, [...path, 'shortcut'], ctx, depth, read) : { layers: [], indexed: false, loc: formLoc }];
  } else {
    const listPath = [...path, 'parallel'];
    const list = item.parallel;
    if (!Array.isArray(list)) {
      return fail(locs.value(listPath), `'parallel' must be a list of branches, each a list of layers or a block such as {block: branch1, layers: […]}. Received: ${describe(list)}.`);
    }
    if (list.length === 0) fail(locs.value(listPath), `'parallel' has no branches; list at least one.`);
    if (list.length > MAX_INPUTS) fail(locs.value(listPath), `'parallel' has ${list.length.toLocaleString('en-US')} branches, more than the limit of ${MAX_INPUTS.toLocaleString('en-US')}.`);
    branches = list.map((b, i) => readBranch(b, [...listPath, i], ctx, depth, read));
  }
  return { parallel: branches, merge: readMerge(item, form, path, ctx, formLoc, read), loc: formLoc };
}
