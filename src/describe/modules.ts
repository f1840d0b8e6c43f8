/**
 * @module
 * Modules a spec defines once and calls with arguments, as a PyTorch nn.Module is defined once and built at
 * several widths:
 *
 *     modules:
 *       DoubleConv(c_in, c_out, mid = c_out):
 *         - double_conv = Sequential(Conv2d(c_in, mid, 3, padding=1, bias=False), …)
 *
 * A call (`inc = DoubleConv(3, 64)`, or `{DoubleConv: [3, 64], name: inc}`) reads the body again with the
 * parameters bound, and becomes a block named by the call whose type is the module's name; its layers are named
 * inside it (`inc.double_conv.0`). A body written `{sequential: […]}` numbers its layers, as an nn.Sequential
 * subclass does. Calls nest at most MAX_CALL_DEPTH deep, and a module that calls itself is an error.
 */
import { ModelError, lineColumn, formatPath } from '../errors.js';
import { closest } from '../suggest.js';
import type { Loc } from '../types.js';
import { evaluate, type Value } from './evaluate.js';
import { ExprError, Parser, type Expr } from './expr.js';
import { describe, fail, has, isRecord, MAX_CALL_DEPTH, type Ctx, type LocMap, type Path } from './from-object-read.js';
import type { BlockSpec } from './spec.js';
import { scopeOf } from './values.js';

/** A parameter of a module, with its default when it has one. */
export interface Param {
  readonly name: string;
  readonly default?: Expr;
  /** Where it is written in the signature. */
  readonly at: number;
}

/** A module the spec defines. */
export interface ModuleDef {
  readonly name: string;
  readonly params: readonly Param[];
  /** The items of its body, and where they are in the document. */
  readonly body: readonly unknown[];
  readonly path: Path;
  /** Its layers are numbered 0, 1, 2, … as an nn.Sequential's are. */
  readonly indexed: boolean;
  /** The signature as written, and where. */
  readonly signature: string;
  readonly loc: Loc;
}

/** An argument of a call: its value and where it is written. */
export interface Arg {
  readonly value: unknown;
  readonly loc: Loc;
  /** The keyword it is given by; absent for a positional argument. */
  readonly name?: string;
}

/** A piece of a key's text, when the key is written plainly; else the whole key. */
function inKey(loc: Loc, text: string, at: number, length: number): Loc {
  if (loc.kind !== 'text' || loc.source === undefined) return loc;
  const quote = loc.source[loc.offset] === '"' || loc.source[loc.offset] === "'" ? 1 : 0;
  return loc.source.startsWith(text, loc.offset + quote) ? { ...loc, offset: loc.offset + quote + at, length } : loc;
}

/** `Name(a, b = 2)` or `Name` → the name and its parameters. */
function readSignature(text: string, loc: Loc): { name: string; params: Param[] } {
  const where = (at: number, length: number) => inKey(loc, text, at, length);
  try {
    const p = new Parser(text);
    const head = p.peek;
    if (head.t !== 'name' || /[.:#]/.test(head.v)) throw new ExprError(`a module is named by a word such as DoubleConv, then its parameters in parentheses.`, head.at, Math.max(1, head.v.length));
    p.pos++;
    const params: Param[] = [];
    if (p.eat('(')) {
      while (!p.eat(')')) {
        const t = p.peek;
        if (t.t !== 'name' || /[.:#]/.test(t.v)) throw new ExprError(`expected a parameter name such as c_in.`, t.at, Math.max(1, t.v.length));
        if (params.some((q) => q.name === t.v)) throw new ExprError(`the parameter '${t.v}' is named twice.`, t.at, t.v.length);
        p.pos++;
        const def = p.eat('=') ? p.expr() : undefined;
        if (!def && params.some((q) => q.default)) throw new ExprError(`'${t.v}' needs a default: it follows a parameter that has one.`, t.at, t.v.length);
        params.push({ name: t.v, at: t.at, ...(def ? { default: def } : {}) });
        if (!p.eat(',')) {
          p.expect(')', "',' or ')'");
          break;
        }
      }
    }
    p.end();
    return { name: head.v, params };
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    return fail(where(e.at, e.length), `module '${text}': ${e.message}`, ['A module is written as its signature and its layers, such as DoubleConv(c_in, c_out, mid = c_out): [ … ].']);
  }
}

/** The `modules:` mapping of a spec: signature → list of layers, or {sequential: list of layers}. */
export function readModules(v: unknown, locs: LocMap, reserved: (name: string) => boolean): Map<string, ModuleDef> {
  const out = new Map<string, ModuleDef>();
  if (!isRecord(v)) return fail(locs.value(['modules']), `'modules' must be a mapping from signatures to layers, such as DoubleConv(c_in, c_out): [ … ]. Received: ${describe(v)}.`);
  for (const key of Object.keys(v)) {
    const loc = locs.key(['modules', key]);
    const { name, params } = readSignature(key, loc);
    if (out.has(name)) fail(loc, `the module '${name}' is defined twice.`);
    if (reserved(name)) fail(inKey(loc, key, 0, name.length), `'${name}' cannot name a module: it is a word of the spec language.`);
    let body = v[key];
    let path: Path = ['modules', key];
    let indexed = false;
    if (isRecord(body) && has(body, 'sequential') && Object.keys(body).length === 1) {
      body = body.sequential;
      path = [...path, 'sequential'];
      indexed = true;
    }
    if (!Array.isArray(body)) fail(locs.value(path), `the module '${name}' must be a list of layers, or {sequential: [ … ]} to number them. Received: ${describe(body)}.`);
    out.set(name, { name, params, body: body as unknown[], path, indexed, signature: key, loc });
  }
  return out;
}

/** 'line 12, column 5', or a path: where a call is written, for errors that happen inside it. */
function whereIs(loc: Loc): string {
  if (loc.kind === 'path') return formatPath(loc.path);
  if (loc.source === undefined) return `offset ${loc.offset}`;
  const { line, column } = lineColumn(loc.source, loc.offset);
  return `line ${line}, column ${column}`;
}

const signatureOf = (def: ModuleDef): string => `${def.name}(${def.params.map((p) => p.name).join(', ')})`;

/** The module's parameters bound to a call's arguments, defaults filled in order. */
function bind(def: ModuleDef, args: readonly Arg[], loc: Loc, ctx: Ctx): Map<string, Value> {
  const env = new Map<string, Value>();
  const positional = args.filter((a) => a.name === undefined);
  if (positional.length > def.params.length) {
    fail(positional[def.params.length]!.loc, `${def.name} takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, ${signatureOf(def)}; received ${positional.length}.`);
  }
  positional.forEach((a, i) => env.set(def.params[i]!.name, a.value as Value));
  for (const a of args) {
    if (a.name === undefined) continue;
    if (!def.params.some((p) => p.name === a.name)) {
      const near = closest(a.name, def.params.map((p) => p.name));
      fail(a.loc, `${def.name} has no parameter '${a.name}'.${near ? ` Did you mean '${near}'?` : ''} Its parameters: ${signatureOf(def)}.`);
    }
    if (env.has(a.name)) fail(a.loc, `'${a.name}' is given twice in this call of ${def.name}, by position and by name.`);
    env.set(a.name, a.value as Value);
  }
  for (const p of def.params) {
    if (env.has(p.name)) continue;
    if (!p.default) fail(loc, `${def.name} needs its parameter '${p.name}'; the call gives ${args.length ? args.map((a) => a.name ?? '…').join(', ') : 'none'}. Its parameters: ${signatureOf(def)}.`);
    const saved = ctx.env;
    ctx.env = env;
    try {
      env.set(p.name, evaluate(p.default!, scopeOf(ctx, () => loc)));
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      fail(inKey(def.loc, def.signature, e.at, e.length), `the default of '${p.name}' in ${def.name}: ${e.message}`, [`In the call at ${whereIs(loc)}.`]);
    } finally {
      ctx.env = saved;
    }
  }
  return env;
}

/** A call of a module: its body read with the parameters bound, as a block named `name` of type def.name. */
export function callModule(def: ModuleDef, args: readonly Arg[], name: string | undefined, loc: Loc, ctx: Ctx, depth: number): BlockSpec {
  if (ctx.calls.some((c) => c.name === def.name)) {
    const chain = [...ctx.calls.slice(ctx.calls.findIndex((c) => c.name === def.name)).map((c) => c.name), def.name].join(' → ');
    fail(loc, `recursion between modules: ${chain}. A module cannot call itself, directly or through another.`);
  }
  if (ctx.calls.length >= MAX_CALL_DEPTH) fail(loc, `modules call each other more than ${MAX_CALL_DEPTH} deep (${ctx.calls.map((c) => c.name).join(' → ')} → ${def.name}).`);
  const env = bind(def, args, loc, ctx);
  const saved = ctx.env;
  ctx.env = env;
  ctx.calls.push({ name: def.name, loc });
  try {
    const layers = ctx.readList(def.body, def.path, ctx, depth + 1);
    return { ...(name !== undefined ? { block: name } : {}), layers, indexed: def.indexed, type: def.name, loc };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const shown = [...env].map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
    throw new ModelError(e.code, e.message, { loc: e.loc, layer: e.layer, details: [...e.details, `in ${def.name}(${shown}), called at ${whereIs(loc)}`] });
  } finally {
    ctx.env = saved;
    ctx.calls.pop();
  }
}
