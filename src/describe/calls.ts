/**
 * @module
 * Layers written as calls, the way PyTorch code builds them, one per list item:
 *
 *     - conv1 = Conv2d(3, 64, kernel_size=3, padding=1, bias=False)
 *     - down1 = Down(64, 128)                       a module the spec defines
 *     - features = Sequential(Conv2d(3, 64, 3), ReLU(inplace=True))
 *     - m = Bottleneck(c, c, shortcut) x n          n copies, m.0 … m.{n−1}; `i` is the copy's index
 *     - downsample = Conv2d(c_in, c, 1, stride=s) if s != 1
 *     - cat([skip, x], dim=1)                       tensors first, as torch.cat takes them
 *     - c_ = c2 // 2                                a name for the items after it
 *
 * Positional arguments follow PyTorch's order for PyTorch's class names and Keras's for Keras's (ops/keywords.ts);
 * keywords may be nncalc's, PyTorch's or Keras's. `inputs=`, `tied=` and `role=` are the graph keys.
 */
import { findOp, ops } from '../ops/index.js';
import { spellings, withClassDefaults } from '../ops/keywords.js';
import { closest } from '../suggest.js';
import type { Loc } from '../types.js';
import { bare, evaluate, FUNCTIONS, isTrue, needsShapes, SHAPE_FUNCTIONS } from './evaluate.js';
import { ExprError, Parser, type Expr } from './expr.js';
import { count, fail, MAX_LAYERS, readName, type Ctx, type Path } from './from-object-read.js';
import { callModule, type Arg } from './modules.js';
import type { LayerSpec, OpSpec } from './spec.js';
import { deferredOf, pieceAt, scopeOf } from './values.js';

/** Copies in one repeat, at most. */
export const MAX_REPEAT = 10_000;
const GRAPH_KEYS = ['inputs', 'tied', 'role'];
const MERGES = new Set(['add', 'mul', 'concat']);

type Call = Expr & { readonly k: 'call' };
type At = (at: number, length: number) => Loc;

/** True when a bare string is written as a call or a binding rather than in the paper's notation. */
export function isStatement(text: string): boolean {
  return /^\s*[A-Za-z_][\w.]*\s*(\(|=[^=])/.test(text.slice(0, 200));
}

/** True for a call of a layer rather than of a function of numbers (max, round, …). */
const isLayerCall = (e: Call, ctx: Ctx): boolean => calleeOf(e.callee, ctx) !== 'unknown' || ![...FUNCTIONS, ...SHAPE_FUNCTIONS].includes(bare(e.callee));

/** What a call's callee names: a module, nn.Sequential, an op, or nothing nncalc knows. */
function calleeOf(name: string, ctx: Ctx): 'module' | 'sequential' | 'op' | 'unknown' {
  if (ctx.modules.has(name)) return 'module';
  const b = bare(name);
  if (ctx.modules.has(b)) return 'module';
  if (b === 'Sequential' || b === 'ModuleList') return 'sequential';
  return findOp(b) ? 'op' : 'unknown';
}

/** An argument's value: names no one bound are the names of tensors; shape readers wait for the analysis. */
function argValue(e: Expr, ctx: Ctx, at: At): unknown {
  if (e.k === 'name' && !ctx.env.has(e.v)) return e.v;
  if (e.k === 'list') return e.items.map((x) => argValue(x, ctx, at));
  if (e.k === 'call' && isLayerCall(e, ctx)) fail(at(e.at, e.calleeLen), `'${e.callee}(…)' is a layer; only Sequential(…) takes layers as arguments.`);
  if (needsShapes(e)) return deferredOf(e, '', ctx, at);
  return evaluate(e, scopeOf(ctx, () => at(e.at, e.len)));
}

/** References in `inputs=` or as a merge's tensors: names, or a list of them. */
function refs(v: unknown, loc: Loc): string[] {
  const list = Array.isArray(v) ? v : [v];
  // A number names an unnamed layer by its position.
  return list.map((r) => (typeof r === 'string' && r !== '' ? r : Number.isSafeInteger(r) && (r as number) >= 0 ? String(r) : fail(loc, `expected the names of layers or inputs, such as [skip, x]. Received: ${JSON.stringify(r)}.`)));
}

/** An op call → an op layer: positional arguments by the framework's order, graph keywords apart. */
function opCall(e: Call, name: string | undefined, ctx: Ctx, at: At): OpSpec {
  const callee = bare(e.callee);
  const def = findOp(callee)!;
  const s = spellings[def.kind];
  // Keras's order for Keras's spelling (Conv2D, Dense), PyTorch's for PyTorch's and for names both use (LSTM).
  // An op only Keras has (ZeroPadding2D) takes Keras's order whatever its spelling.
  const keras =
    (s?.keras !== undefined && (callee === s.keras ? callee !== def.title : callee.toLowerCase() === s.keras.toLowerCase() && callee.toLowerCase() !== def.title.toLowerCase())) ||
    (s?.torchArgs === undefined && s?.kerasArgs !== undefined);
  const order = (keras ? s?.kerasArgs : s?.torchArgs) ?? [];
  const word = (attr: string): string => s?.words[attr]?.[keras ? 1 : 0] ?? attr;
  const attrs: Record<string, unknown> = {};
  const attrLocs: Record<string, Loc> = {};
  let inputs: string[] | undefined;
  let args: readonly Expr[] = e.args;
  // Tensors first, as torch.cat([a, b], 1), torch.add(a, b) and functional calls such as flatten(x, 1) take them.
  if (MERGES.has(def.kind)) {
    const tensors = def.kind === 'concat' ? args.slice(0, 1) : args;
    if (tensors.length) inputs = tensors.flatMap((t) => refs(argValue(t, ctx, at), at(t.at, t.len)));
    args = def.kind === 'concat' ? args.slice(1) : [];
  } else if (/^[a-z]/.test(callee) && args[0]?.k === 'name' && !ctx.env.has(args[0].v)) {
    inputs = [args[0].v];
    args = args.slice(1);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const attr = order[i];
    if (attr === undefined) fail(at(a.at, a.len), `${e.callee} takes at most ${order.length} positional argument${order.length === 1 ? '' : 's'}${order.length ? ` (${order.map((o) => word(o.replace(/^\*/, ''))).join(', ')})` : ''}; give the others by keyword.`);
    if (attr!.startsWith('*')) {
      // The rest as one list: permute(0, 2, 1), reshape(1, -1, 192); a single list stands for itself.
      const rest = args.slice(i).map((x) => argValue(x, ctx, at));
      const last = args[args.length - 1]!;
      attrs[word(attr!.slice(1))] = rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest;
      attrLocs[word(attr!.slice(1))] = at(a.at, last.at + last.len - a.at);
      break;
    }
    attrs[word(attr!)] = argValue(a, ctx, at);
    attrLocs[word(attr!)] = at(a.at, a.len);
  }
  const graph: { inputs?: string[]; tied?: Record<string, string>; role?: string } = {};
  for (const k of e.kwargs) {
    const v = argValue(k.value, ctx, at);
    const loc = at(k.at, k.value.at + k.value.len - k.at);
    if (GRAPH_KEYS.includes(k.name)) {
      if (k.name === 'inputs') {
        if (inputs) fail(loc, `the tensors are given twice, as arguments and as inputs=.`);
        inputs = refs(v, loc);
      } else if (typeof v !== 'string') fail(loc, `${k.name}= takes a name, such as ${k.name === 'tied' ? 'tied=encoder.embed' : "role='attention'"}.`);
      else if (k.name === 'tied') graph.tied = { '*': v };
      else graph.role = v;
      continue;
    }
    if (Object.hasOwn(attrs, k.name)) fail(loc, `'${k.name}' is given twice, by position and by keyword.`);
    attrs[k.name] = v;
    attrLocs[k.name] = loc;
  }
  const loc = at(e.at, e.calleeLen);
  count(ctx, def.kind, loc);
  return {
    op: def.kind,
    attrs: withClassDefaults(callee, def, attrs),
    ...(name !== undefined ? { name } : {}),
    loc,
    attrLocs,
    ...(inputs ? { inputs } : {}),
    ...graph,
  };
}

/** Any call of a layer → its layers. */
function layerCall(e: Expr, name: string | undefined, ctx: Ctx, at: At, depth: number): LayerSpec {
  if (e.k !== 'call') return fail(at(e.at, e.len), `expected a layer such as Conv2d(3, 64, 3), a module call, or Sequential(…).`);
  const kind = calleeOf(e.callee, ctx);
  const loc = at(e.at, e.calleeLen);
  if (kind === 'sequential') {
    if (e.kwargs.length) fail(at(e.kwargs[0]!.at, e.kwargs[0]!.name.length), `${e.callee}(…) takes layers only, without keywords.`);
    const layers = e.args.map((a) => layerCall(a, undefined, ctx, at, depth + 1));
    return { ...(name !== undefined ? { block: name } : {}), layers, indexed: true, type: bare(e.callee), loc };
  }
  if (kind === 'module') {
    const def = ctx.modules.get(e.callee) ?? ctx.modules.get(bare(e.callee))!;
    const args: Arg[] = [
      ...e.args.map((a) => ({ value: argValue(a, ctx, at), loc: at(a.at, a.len) })),
      ...e.kwargs.map((k) => ({ value: argValue(k.value, ctx, at), loc: at(k.at, k.name.length), name: k.name })),
    ];
    return callModule(def, args, name, loc, ctx, depth);
  }
  if (kind === 'op') return opCall(e, name, ctx, at);
  const candidates = [...ctx.modules.keys(), ...Object.keys(ops), 'Sequential'];
  const near = closest(bare(e.callee), candidates);
  if (near !== undefined || e.args.length) {
    return fail(loc, `unknown layer '${e.callee}'.${near ? ` Did you mean '${near}'?` : ''}`, [
      `A call names an op (docs/ops.md), a module of the spec's 'modules:', or Sequential. A layer nncalc cannot count is written with keywords only, such as ${e.callee}(output_shape=[1, 3, 64, 64], params=0).`,
    ]);
  }
  // A layer nncalc has no rule for: build makes it a custom layer, with what the keywords declare.
  const attrs = Object.fromEntries(e.kwargs.map((k) => [k.name, argValue(k.value, ctx, at)]));
  const attrLocs = Object.fromEntries(e.kwargs.map((k) => [k.name, at(k.at, k.value.at + k.value.len - k.at)]));
  count(ctx, 'custom', loc);
  return { op: e.callee, attrs, ...(name !== undefined ? { name } : {}), loc, attrLocs };
}

/**
 * A bare string that is a statement: a layer call with an optional name, repeat and condition, or a binding.
 * Returns the layers it makes (none for a binding or a false condition).
 */
export function readStatement(text: string, path: Path, ctx: Ctx, depth: number): LayerSpec[] {
  const at = pieceAt(ctx, path);
  try {
    const p = new Parser(text);
    let name: string | undefined;
    const first = p.peek;
    if (first.t === 'name' && p.toks[1]?.t === 'op' && p.toks[1].v === '=') {
      name = readName(first.v, at(first.at, first.v.length), 'layer name');
      p.pos += 2;
    }
    const rhs = p.expr();
    if (!(rhs.k === 'call' && isLayerCall(rhs, ctx))) {
      if (name === undefined) fail(at(rhs.at, rhs.len), `expected a layer such as Conv2d(3, 64, 3), or a name for a value such as c = 64.`);
      p.end();
      // A binding: `c_ = c2 // 2` names a value for the items after it.
      if (needsShapes(rhs)) fail(at(rhs.at, rhs.len), `a value read from a tensor's shape cannot be given a name; write it where it is used.`);
      const value = evaluate(rhs, scopeOf(ctx, () => at(rhs.at, rhs.len)));
      ctx.env = new Map(ctx.env).set(name!, value);
      return [];
    }
    let times: Expr | undefined;
    if (p.eat('x') || p.eat('×')) times = p.expr();
    const cond = p.eat('if') ? p.expr() : undefined;
    p.end();
    if (cond && !isTrue(evaluate(cond, scopeOf(ctx, () => at(cond.at, cond.len))))) return [];
    if (!times) return [layerCall(rhs, name, ctx, at, depth)];
    const n = evaluate(times, scopeOf(ctx, () => at(times!.at, times!.len)));
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_REPEAT) {
      fail(at(times.at, times.len), `a repeat count must be an integer from 1 to ${MAX_REPEAT}. Received: ${JSON.stringify(n)}.`);
    }
    return repeatLayer(n as number, name, 'i', () => layerCall(rhs, undefined, ctx, at, depth), ctx, at(rhs.at, rhs.len));
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    return fail(at(e.at, e.length), `${e.message}`, [`In '${text.length > 80 ? `${text.slice(0, 80)}…` : text}'.`]);
  }
}

/**
 * n copies of one layer, each made with `i` bound to its index: under `name`, a block numbering them (m.0, m.1, …);
 * without a name, an unnamed block whose copies are numbered in the enclosing list.
 */
export function repeatLayer(n: number, name: string | undefined, index: string, make: (i: number) => LayerSpec, ctx: Ctx, loc: Loc): LayerSpec[] {
  const saved = ctx.env;
  const copies: LayerSpec[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const before = ctx.total;
      ctx.env = new Map(saved).set(index, i);
      copies.push(make(i));
      const size = ctx.total - before;
      if (i === 0 && ctx.total + (n - 1) * size > MAX_LAYERS) {
        fail(loc, `${n} copies of ${size} layer${size === 1 ? '' : 's'} bring the spec to ${(ctx.total + (n - 1) * size).toLocaleString('en-US')} layers, more than the limit of ${MAX_LAYERS.toLocaleString('en-US')}.`);
      }
    }
  } finally {
    ctx.env = saved;
  }
  return name === undefined ? copies : [{ block: name, layers: copies, indexed: true, loc }];
}
