/**
 * @module
 * Attribute values in a spec: numbers, lists and strings as written, and strings that are expressions over the
 * names bound where they stand (`out: c * 2`, `kernel: [1, k]`, `size: like(skip)`). A string is an expression
 * when it reads a bound name or calls a function, or is arithmetic on numbers ("2 * 64"); any other string
 * (`mode: bilinear`, `padding: same`, `nearest-exact`) is kept as text.
 */
import type { Raw } from '../ops/attrs.js';
import { closest, distance } from '../suggest.js';
import type { Loc } from '../types.js';
import { Deferred } from './deferred.js';
import { bare, evaluate, FUNCTIONS, needsShapes, SHAPE_FUNCTIONS, tensorArg, type Scope, type Value } from './evaluate.js';
import { ExprError, parseExpr, walk, type Expr } from './expr.js';
import { count, fail, step, type Ctx, type Path } from './from-object-read.js';
import type { OpSpec } from './spec.js';

/** Attribute values nest at most this deep (lists of lists). */
const MAX_ATTR_DEPTH = 8;

/** The parse of each distinct string, or null when it is not an expression; specs repeat a few strings. */
const parsed = new Map<string, Expr | null>();
const MAX_CACHED = 10_000;

function tryParse(text: string): Expr | null {
  let e = parsed.get(text);
  if (e === undefined) {
    try {
      e = parseExpr(text);
    } catch {
      e = null;
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(text, e);
  }
  return e;
}

/** The names an expression reads (not its callees, nor the tensors of like/dim/shape), and the functions it calls. */
function namesIn(e: Expr): { names: Expr[]; calls: string[]; operator: boolean } {
  const names: Expr[] = [];
  const calls: string[] = [];
  const tensors = new Set<Expr>();
  let operator = false;
  walk(e, (x) => {
    if (x.k === 'call') {
      calls.push(bare(x.callee));
      if (SHAPE_FUNCTIONS.includes(bare(x.callee)) && x.args[0]) tensors.add(x.args[0]);
    } else if (x.k === 'name' && !tensors.has(x)) names.push(x);
    else if (x.k === 'bin' || x.k === 'unary' || x.k === 'if') operator = true;
  });
  return { names, calls, operator };
}

/** A scope over the reader's bound names, counting steps against the limit. */
export function scopeOf(ctx: Ctx, loc: () => Loc): Scope {
  return { lookup: (n) => ctx.env.get(n), step: () => step(ctx, loc) };
}

/** Where a piece of the string at `path` is written: the piece itself when the text can be found, else the whole value. */
export const pieceAt =
  (ctx: Ctx, path: Path) =>
  (at: number, length: number): Loc =>
    ctx.locs.span?.(path, at, length) ?? ctx.locs.value(path);

/**
 * An expression that reads shapes, kept for the analysis: the names it reads keep their values here, and the
 * tensors it reads are resolved to layers by build.
 */
export function deferredOf(e: Expr, text: string, ctx: Ctx, at: (at: number, length: number) => Loc): Deferred {
  const scope = scopeOf(ctx, () => at(e.at, e.len));
  const tensors: Record<string, string> = {};
  const env: Record<string, Value> = {};
  walk(e, (x) => {
    if (x.k === 'call' && SHAPE_FUNCTIONS.includes(bare(x.callee)) && x.args[0]) tensors[tensorArg(x.args[0], scope)] = '';
    if (x.k === 'name' && ctx.env.has(x.v)) env[x.v] = ctx.env.get(x.v)!;
  });
  return new Deferred(text, e, env, tensors, at);
}

/** A string at `path`: its value when it is an expression, a Deferred when it reads shapes, else the text itself. */
function readString(text: string, path: Path, ctx: Ctx): unknown {
  const e = tryParse(text);
  if (!e || e.k === 'num' || e.k === 'str' || e.k === 'const') return text;
  const { names, calls, operator } = namesIn(e);
  const known = (n: Expr) => n.k === 'name' && ctx.env.has(n.v);
  const isExpression = names.some(known) || calls.some((c) => FUNCTIONS.includes(c) || SHAPE_FUNCTIONS.includes(c)) || (names.length === 0 && calls.length === 0 && operator);
  const at = pieceAt(ctx, path);
  if (!isExpression) {
    // Arithmetic on a misspelt parameter (c_ot * 2) is a typo; other text (nearest-exact) is kept.
    for (const n of operator ? names : []) {
      const near = n.k === 'name' ? closest(n.v, ctx.env.keys()) : undefined;
      if (near !== undefined && n.k === 'name' && distance(n.v, near) <= 2) fail(at(n.at, n.len), `unknown name '${n.v}' in '${text}'. Did you mean '${near}'?`);
    }
    return text;
  }
  for (const n of names) {
    if (n.k === 'name' && !ctx.env.has(n.v)) {
      const near = closest(n.v, ctx.env.keys());
      fail(at(n.at, n.len), `unknown name '${n.v}' in '${text}'.${near ? ` Did you mean '${near}'?` : ''} Names here: ${[...ctx.env.keys()].join(', ') || 'none'}.`);
    }
  }
  const scope = scopeOf(ctx, () => at(0, text.length));
  try {
    return needsShapes(e) ? deferredOf(e, text, ctx, at) : evaluate(e, scope);
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    return fail(at(err.at, err.length), `${err.message}${err.length < text.length ? ` In '${text}'.` : ''}`);
  }
}

/** An attribute value, with its expressions evaluated and copied so that YAML's shared or cyclic aliases cannot reach analyze. */
export function readValue(v: unknown, path: Path, ctx: Ctx, depth = 0): unknown {
  if (typeof v === 'string') return readString(v, path, ctx);
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_ATTR_DEPTH) fail(ctx.locs.value(path), `an attribute value is nested more than ${MAX_ATTR_DEPTH} levels deep.`);
  if (Array.isArray(v)) return v.map((x, i) => readValue(x, [...path, i], ctx, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readValue(x, [...path, k], ctx, depth + 1)]));
}

/** An op layer from its kind and attribute map; every attribute keeps its location. */
export function opSpec(kind: string, attrMap: Record<string, unknown>, attrPath: Path, name: string | undefined, loc: Loc, ctx: Ctx): OpSpec {
  const keys = Object.keys(attrMap);
  const attrLocs = Object.fromEntries(keys.map((k) => [k, ctx.locs.value([...attrPath, k])]));
  const attrs: Raw = Object.fromEntries(keys.map((k) => [k, readValue(attrMap[k], [...attrPath, k], ctx)]));
  count(ctx, kind, loc);
  return { op: kind, attrs, ...(name !== undefined ? { name } : {}), loc, attrLocs };
}
