/**
 * @module
 * Items of a `layers` list → LayerSpecs: ops in their two forms, calls (calls.ts), module calls, blocks,
 * sequentials, repeats, `use`, notation, and (through from-object-graph) residuals and parallels. Any item may
 * carry `if: condition`; an op or a module call may carry `repeat: n` for n copies of itself.
 */
import { findOp, ops } from '../ops/index.js';
import { withClassDefaults } from '../ops/keywords.js';
import { didYouMean } from '../suggest.js';
import type { Loc } from '../types.js';
import { isStatement, MAX_REPEAT, readStatement, repeatLayer } from './calls.js';
import { isTrue } from './evaluate.js';
import { asNotation, bareOp, lowerRun, readFragment, type Word } from './from-object-notation.js';
import { inputsOnForm, LAYER_KEYS, readLayerKeys, readParallel, readRefs, type Readers } from './from-object-graph.js';
import { count, describe, fail, has, isRecord, kindOf, MAX_DEPTH, MAX_LAYERS, readKind, readName, step, type Ctx, type Path } from './from-object-read.js';
import { callModule, type Arg } from './modules.js';
import type { BlockSpec, LayerSpec, OpSpec } from './spec.js';
import { opSpec, readValue } from './values.js';

const BLOCKS = ['block', 'sequential', 'repeat', 'residual', 'parallel'];
/** Keys beside an op or a module call that say how many and whether: `repeat: 3`, `index: k`, `if: c > 0`. */
const CONTROL = ['repeat', 'index', 'if'];

/** Layers from the items of a list, each item at `pathOf(i)`. */
function readItems(list: readonly unknown[], pathOf: (i: number) => Path, ctx: Ctx, depth: number): LayerSpec[] {
  const out: LayerSpec[] = [];
  let run: Word[] = [];
  const flush = () => {
    if (run.length) out.push(...lowerRun(run, ctx));
    run = [];
  };
  // Names bound by the items of a list (c_ = c2 // 2) last until its end.
  const env = ctx.env;
  try {
    list.forEach((item, i) => {
      const p = pathOf(i);
      step(ctx, () => ctx.locs.value(p));
      const statement = typeof item === 'string' && isStatement(item);
      const alone = typeof item === 'string' && !statement ? asNotation(item, ctx) : undefined;
      if (typeof item === 'string' && alone) {
        run.push({ text: item, path: p, alone });
        return;
      }
      flush();
      const layers = typeof item !== 'string' ? readItem(item, p, ctx, depth) : statement ? readStatement(item, p, ctx, depth) : [bareOp(item, p, ctx)];
      // A block without a name would join the enclosing scope; repeat copies and module calls are numbered by position instead.
      for (const l of layers) out.push('layers' in l && l.block === undefined ? { ...l, block: String(out.length) } : l);
    });
    flush();
  } finally {
    ctx.env = env;
  }
  return out;
}

/** Layers from a list at `path`. */
export function readList(list: readonly unknown[], path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  return readItems(list, (i) => [...path, i], ctx, depth);
}

const readers: Readers = { items: readItems, op: readOp };

/** `if: condition`, true or false, or an expression over the bound names that gives one. */
function condition(v: unknown, path: Path, ctx: Ctx): boolean {
  const c = readValue(v, path, ctx);
  if (typeof c === 'string' || typeof c === 'object') {
    fail(ctx.locs.value(path), `'if' must be true, false or a condition over the names bound here, such as shortcut and c_in == c_out. Received: ${describe(v)}.${typeof v === 'string' ? ` Names here: ${[...ctx.env.keys()].join(', ') || 'none'}.` : ''}`);
  }
  return isTrue(c as boolean | number | null);
}

/** `repeat: n` as a count from 1 to MAX_REPEAT. */
function readCount(item: Record<string, unknown>, path: Path, ctx: Ctx): number {
  const at = [...path, 'repeat'];
  const n = readValue(item.repeat, at, ctx);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_REPEAT) {
    fail(ctx.locs.value(at), `'repeat' must be an integer from 1 to ${MAX_REPEAT}. Received: repeat=${describe(n)}.`);
  }
  return n as number;
}

/** `index: k`: the name the copies of a repeat see their index by (default i). */
const readIndex = (item: Record<string, unknown>, path: Path, ctx: Ctx): string =>
  has(item, 'index') ? readName(item.index, ctx.locs.value([...path, 'index']), 'index name') : 'i';

function readItem(item: unknown, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  if (!isRecord(item)) {
    return fail(locs.value(path), `a layer must be an op name, a mapping such as {conv2d: {out: 32, kernel: 3}}, or a block. Received: ${describe(item)}.`);
  }
  if (has(item, 'if')) {
    const { if: cond, ...rest } = item;
    if (condition(cond, [...path, 'if'], ctx)) return readItem(rest, path, ctx, depth);
    if (!has(rest, 'residual')) return [];
    // A residual whose condition is false is its body alone: the shortcut and the merge are left out.
    const body = readParallel({ residual: rest.residual }, 'residual', path, ctx, depth, readers).parallel[0]!;
    return 'layers' in body && body.block === undefined ? [...body.layers] : [body];
  }
  if (has(item, 'use')) return [readUse(item, path, ctx)];
  if (has(item, 'op')) return [readOp(item, path, ctx, [...LAYER_KEYS, ...CONTROL])];
  const forms = Object.keys(item).filter((k) => BLOCKS.includes(k) && (k !== 'repeat' || has(item, 'layers')));
  if (forms.length > 1) fail(locs.key([...path, forms[1]!]), `a layer is one of ${BLOCKS.join(', ')}, not both '${forms[0]}' and '${forms[1]}'.`);
  const form = forms[0];
  if (form === 'residual' || form === 'parallel') return [readParallel(item, form, path, ctx, depth, readers)];
  if (form) return readBlock(item, form, path, ctx, depth);
  if (has(item, 'notation')) return readFragment(item, path, ctx);
  if (has(item, 'layers')) fail(locs.key([...path, 'layers']), `'layers' inside a layer needs 'block: name', 'sequential: name' or 'repeat: n' beside it.`);
  const key = Object.keys(item).find((k) => ![...LAYER_KEYS, ...CONTROL].includes(k));
  const one = (): LayerSpec => (key !== undefined && ctx.modules.has(key) ? readModuleCall(item, key, path, ctx, depth) : readOp(item, path, ctx, [...LAYER_KEYS, ...CONTROL]));
  if (!has(item, 'repeat')) return [one()];
  // n copies of this one layer: m.0, m.1, … under `name`, or numbered in the list without one.
  const n = readCount(item, path, ctx);
  const { name, ...copy } = item;
  const named = name === undefined ? undefined : readName(name, locs.value([...path, 'name']));
  const at = key === undefined ? locs.value(path) : locs.key([...path, key]);
  return repeatLayer(n, named, readIndex(item, path, ctx), () => (key !== undefined && ctx.modules.has(key) ? readModuleCall(copy, key, path, ctx, depth) : readOp(copy, path, ctx, [...LAYER_KEYS, ...CONTROL])), ctx, at);
}

/** `{DoubleConv: [64, 128], name: down1}` or `{DoubleConv: {c_in: 64, c_out: 128}}`: a module called with arguments. */
function readModuleCall(item: Record<string, unknown>, key: string, path: Path, ctx: Ctx, depth: number): BlockSpec {
  const { locs } = ctx;
  for (const k of Object.keys(item)) {
    if (k === key || CONTROL.includes(k) || k === 'name') continue;
    if (LAYER_KEYS.includes(k)) fail(locs.key([...path, k]), `'${k}' belongs on an op layer; a module call reads the layer before it.`);
    fail(locs.key([...path, k]), `unknown key '${k}' beside the module call '${key}'. Only name, repeat, index and if may stand beside it.`);
  }
  const v = item[key];
  const at = [...path, key];
  let args: Arg[] = [];
  if (Array.isArray(v)) args = v.map((x, i) => ({ value: readValue(x, [...at, i], ctx), loc: locs.value([...at, i]) }));
  else if (isRecord(v)) args = Object.keys(v).map((k) => ({ value: readValue(v[k], [...at, k], ctx), loc: locs.key([...at, k]), name: k }));
  else if (v !== null && v !== undefined) args = [{ value: readValue(v, at, ctx), loc: locs.value(at) }];
  const name = has(item, 'name') ? readName(item.name, locs.value([...path, 'name'])) : undefined;
  return callModule(ctx.modules.get(key)!, args, name, locs.key(at), ctx, depth);
}

/** `use: relu`: a module called again, with its weights shared; build names the call relu#2. */
function readUse(item: Record<string, unknown>, path: Path, ctx: Ctx): OpSpec {
  const { locs } = ctx;
  for (const k of Object.keys(item)) {
    if (k !== 'use' && k !== 'inputs') fail(locs.key([...path, k]), `unknown key '${k}' beside 'use'. Only inputs may stand beside it; the call is named after the module it uses (relu#2, relu#3, …).`);
  }
  const [target] = readRefs(typeof item.use === 'string' ? ctx.env.get(item.use) ?? item.use : item.use, [...path, 'use'], ctx);
  const loc = locs.value([...path, 'use']);
  count(ctx, 'use', loc);
  return { op: 'use', attrs: {}, use: target!, loc, ...(has(item, 'inputs') ? { inputs: readRefs(item.inputs, [...path, 'inputs'], ctx) } : {}) };
}

/**
 * An op in either form: `{conv2d: {out: 32}, name: c}` or `{op: conv2d, out: 32, name: c}`. Only the keys
 * in `beside` may stand next to the op (in the `op:` form every other key is an attribute).
 */
function readOp(item: Record<string, unknown>, path: Path, ctx: Ctx, beside: readonly string[]): OpSpec {
  const { locs } = ctx;
  const name = has(item, 'name') ? (): string => readName(item.name, locs.value([...path, 'name'])) : () => undefined;
  const graph = () => readLayerKeys(item, path, ctx, beside);
  if (has(item, 'op')) {
    const kindLoc = locs.value([...path, 'op']);
    if (typeof item.op !== 'string') fail(kindLoc, `'op' must be an op kind such as conv2d. Received: ${describe(item.op)}.`);
    const kind = readKind(item.op as string, kindLoc);
    const attrs = Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'op' && !beside.includes(k)));
    return withDefaults(item.op as string, { ...opSpec(kind, attrs, path, name(), kindLoc, ctx), ...graph() });
  }
  let kind: string | undefined;
  let key: string | undefined;
  for (const k of Object.keys(item)) {
    if (beside.includes(k)) continue;
    if (key === undefined) {
      kind = readKind(k, locs.key([...path, k]));
      key = k;
    } else if (kindOf(k)) {
      fail(locs.key([...path, k]), `one layer has two ops, '${key}' and '${k}'. Write each op as its own list item.`);
    } else {
      const only = beside.length === 1 ? `Only '${beside[0]}' may` : `Only ${beside.slice(0, -1).join(', ')} and ${beside[beside.length - 1]} may`;
      fail(locs.key([...path, k]), `unknown key '${k}' beside op '${key}'. ${only} stand beside the op; attributes go inside it, as in ${key}: {${k}: …}.`);
    }
  }
  if (kind === undefined || key === undefined) {
    return fail(locs.value(path), `a layer needs an op: one key such as conv2d: {out: 32, kernel: 3}, or op: conv2d with the attributes beside it.`);
  }
  const value = item[key];
  if (value !== null && value !== undefined && !isRecord(value)) {
    fail(locs.value([...path, key]), `the attributes of '${key}' must be a mapping such as {out: 32, kernel: 3}, or nothing. Received: ${describe(value)}.`);
  }
  return withDefaults(key, { ...opSpec(kind, isRecord(value) ? value : {}, [...path, key], name(), locs.key([...path, key]), ctx), ...graph() });
}

/** The layer with the defaults its class name brings (MultiheadAttention is sequence first, MaxPooling2D pools 2×2). */
function withDefaults(written: string, layer: OpSpec): OpSpec {
  const def = findOp(layer.op);
  return def && Object.hasOwn(ops, def.kind) ? { ...layer, attrs: withClassDefaults(written, def, layer.attrs) } : layer;
}

function readBlock(item: Record<string, unknown>, form: string, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  const formLoc = locs.key([...path, form]);
  if (depth >= MAX_DEPTH) fail(formLoc, `blocks are nested more than ${MAX_DEPTH} deep; nncalc does not read specs nested that deeply.`);
  const allowed = form === 'repeat' ? [form, 'layers', 'name', 'index'] : [form, 'layers', 'type'];
  for (const k of Object.keys(item)) {
    if (k === 'inputs') inputsOnForm(form, locs.key([...path, k]));
    if (!allowed.includes(k)) fail(locs.key([...path, k]), `unknown key '${k}' in a ${form}.${didYouMean(k, allowed)} Expected: ${allowed.join(', ')}.`);
  }
  if (!has(item, 'layers')) fail(formLoc, `a ${form} needs 'layers': a list of layers.`);
  if (!Array.isArray(item.layers)) fail(locs.value([...path, 'layers']), `'layers' must be a list. Received: ${describe(item.layers)}.`);
  const list = item.layers as unknown[];
  const layersPath = [...path, 'layers'];

  if (form !== 'repeat') {
    const name = readName(item[form], locs.value([...path, form]), `${form} name`);
    const type = has(item, 'type') ? readType(item.type, locs.value([...path, 'type'])) : undefined;
    const layers = readList(list, layersPath, ctx, depth + 1);
    return [{ block: name, layers, indexed: form === 'sequential', ...(type !== undefined ? { type } : {}), loc: formLoc }];
  }
  const n = readCount(item, path, ctx);
  const name = has(item, 'name') ? readName(item.name, locs.value([...path, 'name'])) : undefined;
  const index = readIndex(item, path, ctx);
  if (mentions(list, index, MAX_SCAN)) {
    // The copies differ by their index: each is read with it bound.
    const copies = repeatLayer(n, undefined, index, () => ({ layers: readList(list, layersPath, ctx, depth + 1), loc: formLoc }), ctx, formLoc);
    return name === undefined ? copies : [{ block: name, layers: copies, indexed: true, loc: formLoc }];
  }
  const timesLoc = locs.value([...path, 'repeat']);
  const before = ctx.total;
  const work = ctx.work;
  const body = readList(list, layersPath, ctx, depth + 1);
  const size = ctx.total - before;
  // Build walks every copy, layers or not: the copies count as the steps their body took, n times.
  ctx.work += (n - 1) * (ctx.work - work + 1);
  step(ctx, () => timesLoc);
  if (ctx.total + (n - 1) * size > MAX_LAYERS) {
    fail(timesLoc, `repeat: ${n} of ${size} layers brings the spec to ${(ctx.total + (n - 1) * size).toLocaleString('en-US')} layers, more than the limit of ${MAX_LAYERS.toLocaleString('en-US')}.`);
  }
  ctx.total += (n - 1) * size;
  // The copies share one body: specs are immutable, and each copy is a block of its own.
  const copies: BlockSpec[] = Array.from({ length: n }, () => ({ layers: body, loc: formLoc }));
  return name === undefined ? copies : [{ block: name, layers: copies, indexed: true, loc: formLoc }];
}

/** How many strings a repeat's body is searched for its index name before it is assumed to use it. */
const MAX_SCAN = 100_000;

/** True when a name appears as a word in a string inside `v` (or the body is too large to tell). */
function mentions(v: unknown, name: string, budget: number): boolean {
  const word = new RegExp(`(^|[^\\w.])${name}($|[^\\w])`);
  const stack: unknown[] = [v];
  for (let x = stack.pop(), seen = 0; x !== undefined || stack.length; x = stack.pop()) {
    if (++seen > budget) return true;
    if (typeof x === 'string') {
      if (word.test(x)) return true;
    } else if (Array.isArray(x)) stack.push(...x);
    else if (isRecord(x)) stack.push(...Object.keys(x), ...Object.values(x));
  }
  return false;
}

/** A module's class name, shown when the table is collapsed to its depth: BasicBlock, InceptionA. */
function readType(v: unknown, loc: Loc): string {
  if (typeof v !== 'string' || v.trim() === '') fail(loc, `'type' must be a class name such as BasicBlock. Received: ${describe(v)}.`);
  return v as string;
}
