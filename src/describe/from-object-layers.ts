/**
 * @module
 * Items of a `layers` list → LayerSpecs: ops in their two forms, blocks, sequentials, repeats, notation,
 * and (through from-object-graph) residuals and parallels.
 */
import { didYouMean } from '../suggest.js';
import { asNotation, bareOp, lowerRun, readFragment, type Word } from './from-object-notation.js';
import { inputsOnForm, LAYER_KEYS, readLayerKeys, readParallel, type Readers } from './from-object-graph.js';
import { describe, fail, has, isRecord, kindOf, MAX_DEPTH, MAX_LAYERS, opSpec, readKind, readName, type Ctx, type Path } from './from-object-read.js';
import type { Loc } from '../types.js';
import type { BlockSpec, LayerSpec, OpSpec } from './spec.js';

const MAX_REPEAT = 10_000;
const BLOCKS = ['block', 'sequential', 'repeat', 'residual', 'parallel'];

/** Layers from the items of a list, each item at `pathOf(i)`. */
function readItems(list: readonly unknown[], pathOf: (i: number) => Path, ctx: Ctx, depth: number): LayerSpec[] {
  const out: LayerSpec[] = [];
  let run: Word[] = [];
  const flush = () => {
    if (run.length) out.push(...lowerRun(run, ctx));
    run = [];
  };
  list.forEach((item, i) => {
    const p = pathOf(i);
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

/** Layers from a list at `path`. */
export function readList(list: readonly unknown[], path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  return readItems(list, (i) => [...path, i], ctx, depth);
}

const readers: Readers = { items: readItems, op: readOp };

function readItem(item: unknown, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  if (!isRecord(item)) {
    return fail(locs.value(path), `a layer must be an op name, a mapping such as {conv2d: {out: 32, kernel: 3}}, or a block. Received: ${describe(item)}.`);
  }
  if (has(item, 'op')) return [readOp(item, path, ctx, LAYER_KEYS)];
  const forms = Object.keys(item).filter((k) => BLOCKS.includes(k));
  if (forms.length > 1) fail(locs.key([...path, forms[1]!]), `a layer is one of ${BLOCKS.join(', ')}, not both '${forms[0]}' and '${forms[1]}'.`);
  const form = forms[0];
  if (form === 'residual' || form === 'parallel') return [readParallel(item, form, path, ctx, depth, readers)];
  if (form) return readBlock(item, form, path, ctx, depth);
  if (has(item, 'notation')) return readFragment(item, path, ctx);
  if (has(item, 'layers')) fail(locs.key([...path, 'layers']), `'layers' inside a layer needs 'block: name', 'sequential: name' or 'repeat: n' beside it.`);
  return [readOp(item, path, ctx, LAYER_KEYS)];
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
    return { ...opSpec(kind, attrs, path, name(), kindLoc, ctx), ...graph() };
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
  return { ...opSpec(kind, isRecord(value) ? value : {}, [...path, key], name(), locs.key([...path, key]), ctx), ...graph() };
}

function readBlock(item: Record<string, unknown>, form: string, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const { locs } = ctx;
  const formLoc = locs.key([...path, form]);
  if (depth >= MAX_DEPTH) fail(formLoc, `blocks are nested more than ${MAX_DEPTH} deep; nncalc does not read specs nested that deeply.`);
  const allowed = form === 'repeat' ? [form, 'layers', 'name'] : [form, 'layers', 'type'];
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

/** A module's class name, shown when the table is collapsed to its depth: BasicBlock, InceptionA. */
function readType(v: unknown, loc: Loc): string {
  if (typeof v !== 'string' || v.trim() === '') fail(loc, `'type' must be a class name such as BasicBlock. Received: ${describe(v)}.`);
  return v as string;
}
