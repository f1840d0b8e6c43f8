/**
 * @module
 * The expressions of the spec language, parsed by nncalc and never evaluated as JavaScript: numbers, strings,
 * true/false/None, lists, names, `+ - * / // % **`, comparisons, `and or not`, `a if c else b`, and calls
 * (`max(8, c // 4)`, `Conv2d(c, 2 * c, 3)`). A call may name a layer; the spec reader decides what a call means.
 *
 * Bounded: an expression is at most MAX_EXPR_CHARS characters and nests at most MAX_EXPR_DEPTH deep, so parsing
 * is linear and its recursion shallow. Errors carry the offset and length of the piece they are about.
 */

import { MAX_SPEC_EXPR_CHARS as MAX_EXPR_CHARS, MAX_SPEC_EXPR_DEPTH as MAX_EXPR_DEPTH } from '../limits.js';

/** An expression is at most MAX_EXPR_CHARS long, and its brackets, calls and operators nest at most MAX_EXPR_DEPTH deep. */
export { MAX_EXPR_CHARS, MAX_EXPR_DEPTH };

/** A parse or evaluation error at [at, at + length) of the expression text. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly length: number,
  ) {
    super(message);
  }
}

/** A keyword argument of a call. */
export interface Kwarg {
  readonly name: string;
  readonly value: Expr;
  readonly at: number;
}

interface Span {
  /** Offset and length in the text, for errors. */
  readonly at: number;
  readonly len: number;
}

/** A parsed expression. */
export type Expr = Span &
  (
    | { readonly k: 'num'; readonly v: number }
    | { readonly k: 'str'; readonly v: string }
    | { readonly k: 'const'; readonly v: boolean | null }
    /** A name, a module path (layer1.0.conv1), a second call (m#2) or an output (lstm:1). */
    | { readonly k: 'name'; readonly v: string }
    | { readonly k: 'list'; readonly items: readonly Expr[] }
    | { readonly k: 'unary'; readonly op: '-' | '+' | 'not'; readonly a: Expr }
    | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'if'; readonly cond: Expr; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'call'; readonly callee: string; readonly calleeLen: number; readonly args: readonly Expr[]; readonly kwargs: readonly Kwarg[] }
  );

type Tok = { readonly t: 'num' | 'str' | 'name' | 'op' | 'end'; readonly v: string; readonly at: number };

const OPS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '<', '>', '(', ')', '[', ']', ',', '=', '×'];
const WORDS = new Set(['and', 'or', 'not', 'if', 'else']);
const isStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/** Splits the text into tokens, in one pass. */
export function tokenize(text: string): Tok[] {
  if (text.length > MAX_EXPR_CHARS) throw new ExprError(`an expression is at most ${MAX_EXPR_CHARS.toLocaleString('en-US')} characters; this one has ${text.length.toLocaleString('en-US')}.`, 0, 1);
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < text.length && /[0-9_]/.test(text[i]!)) i++;
      if (text[i] === '.' && !isStart(text[i + 1] ?? '')) for (i++; i < text.length && /[0-9_]/.test(text[i]!); ) i++;
      if (/[eE]/.test(text[i] ?? '') && /[0-9]/.test(text[i + 1] === '-' || text[i + 1] === '+' ? (text[i + 2] ?? '') : (text[i + 1] ?? ''))) {
        i += text[i + 1] === '-' || text[i + 1] === '+' ? 2 : 1;
        while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      }
      out.push({ t: 'num', v: text.slice(start, i), at: start });
    } else if (isStart(c)) {
      // A name, with module-path parts (layer1.0.conv1), a call number (m#2) and an output index (lstm:1).
      i++;
      for (;;) {
        while (i < text.length && isPart(text[i]!)) i++;
        if (text[i] === '.' && isPart(text[i + 1] ?? '')) i++;
        else break;
      }
      if (text[i] === '#' && /[0-9]/.test(text[i + 1] ?? '')) for (i++; i < text.length && /[0-9]/.test(text[i]!); ) i++;
      if (text[i] === ':' && /[0-9]/.test(text[i + 1] ?? '')) for (i++; i < text.length && /[0-9]/.test(text[i]!); ) i++;
      out.push({ t: 'name', v: text.slice(start, i), at: start });
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExprError(`a string starting here has no closing ${c}.`, start, 1);
      out.push({ t: 'str', v: text.slice(i + 1, end), at: start });
      i = end + 1;
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      if (!op) throw new ExprError(`unexpected '${c}' in an expression.`, start, 1);
      out.push({ t: 'op', v: op, at: start });
      i += op.length;
    }
  }
  out.push({ t: 'end', v: '', at: text.length });
  return out;
}

/** Python's and YAML's spellings of the constants. */
const CONSTANTS = new Map<string, boolean | null>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['None', null],
  ['null', null],
]);

const BINARY: readonly (readonly string[])[] = [['or'], ['and'], ['==', '!=', '<', '<=', '>', '>='], ['+', '-'], ['*', '/', '//', '%']];

/** A parser over the tokens of one text; `pos` advances as it reads. */
export class Parser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly toks: readonly Tok[] = tokenize(text),
  ) {}

  get peek(): Tok {
    return this.toks[this.pos]!;
  }
  /** True (and consumed) when the next token is `v`. */
  eat(v: string): boolean {
    const t = this.peek;
    if ((t.t === 'op' || t.t === 'name') && t.v === v) {
      this.pos++;
      return true;
    }
    return false;
  }
  expect(v: string, what: string): Tok {
    const t = this.peek;
    if (!this.eat(v)) throw new ExprError(`expected ${what}${t.t === 'end' ? ' before the end' : `, found '${t.v || t.t}'`}.`, t.at, Math.max(1, t.v.length));
    return t;
  }
  private span(start: number): Span {
    const prev = this.toks[this.pos - 1]!;
    const end = prev.t === 'str' ? prev.at + prev.v.length + 2 : prev.at + prev.v.length;
    return { at: start, len: Math.max(1, end - start) };
  }

  /** One expression: a ternary `a if c else b` at the top. */
  expr(depth = 0): Expr {
    if (depth > MAX_EXPR_DEPTH) throw new ExprError(`the expression nests more than ${MAX_EXPR_DEPTH} deep.`, this.peek.at, 1);
    const start = this.peek.at;
    const a = this.binary(0, depth);
    const save = this.pos;
    if (this.eat('if')) {
      const cond = this.binary(0, depth + 1);
      // Without `else` this `if` belongs to the statement around the expression (`Conv(…) if c`).
      if (!this.eat('else')) {
        this.pos = save;
        return a;
      }
      const b = this.expr(depth + 1);
      return { k: 'if', cond, a, b, ...this.span(start) };
    }
    return a;
  }

  private binary(level: number, depth: number): Expr {
    if (level === BINARY.length) return this.unary(depth);
    const start = this.peek.at;
    let a = this.binary(level + 1, depth);
    for (;;) {
      const t = this.peek;
      const op = (t.t === 'op' || (t.t === 'name' && WORDS.has(t.v))) && BINARY[level]!.includes(t.v) ? t.v : undefined;
      if (!op) return a;
      this.pos++;
      const b = this.binary(level + 1, depth);
      a = { k: 'bin', op, a, b, ...this.span(start) };
    }
  }

  private unary(depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) throw new ExprError(`the expression nests more than ${MAX_EXPR_DEPTH} deep.`, this.peek.at, 1);
    const t = this.peek;
    for (const op of ['-', '+', 'not'] as const) {
      if (this.eat(op)) {
        const a = op === 'not' ? this.binary(2, depth + 1) : this.unary(depth + 1);
        return { k: 'unary', op, a, ...this.span(t.at) };
      }
    }
    const base = this.atom(depth);
    if (this.eat('**')) {
      // Right-associative, and binds tighter than a unary minus on its left: -2 ** 2 = -4.
      const b = this.unary(depth + 1);
      return { k: 'bin', op: '**', a: base, b, ...this.span(t.at) };
    }
    return base;
  }

  private atom(depth: number): Expr {
    const t = this.peek;
    if (t.t === 'num') {
      this.pos++;
      const v = Number(t.v.replace(/_/g, ''));
      if (!Number.isFinite(v)) throw new ExprError(`'${t.v}' is not a finite number.`, t.at, t.v.length);
      return { k: 'num', v, at: t.at, len: t.v.length };
    }
    if (t.t === 'str') {
      this.pos++;
      return { k: 'str', v: t.v, at: t.at, len: t.v.length + 2 };
    }
    if (t.t === 'name' && !WORDS.has(t.v)) {
      this.pos++;
      if (CONSTANTS.has(t.v)) return { k: 'const', v: CONSTANTS.get(t.v)!, at: t.at, len: t.v.length };
      if (this.eat('(')) return this.call(t, depth);
      return { k: 'name', v: t.v, at: t.at, len: t.v.length };
    }
    if (this.eat('(')) {
      const items = this.items(')', depth);
      // (a) is a; (a, b) is a list, as Python's tuples are used for kernel sizes.
      return items.trailing || items.list.length !== 1 ? { k: 'list', items: items.list, ...this.span(t.at) } : items.list[0]!;
    }
    if (this.eat('[')) return { k: 'list', items: this.items(']', depth).list, ...this.span(t.at) };
    throw new ExprError(t.t === 'end' ? 'the expression ends where a value is expected.' : `expected a value, found '${t.v}'.`, t.at, Math.max(1, t.v.length));
  }

  private items(close: string, depth: number): { list: Expr[]; trailing: boolean } {
    const list: Expr[] = [];
    let trailing = false;
    while (!this.eat(close)) {
      list.push(this.expr(depth + 1));
      trailing = false;
      if (this.eat(',')) trailing = true;
      else {
        this.expect(close, `',' or '${close}'`);
        break;
      }
    }
    return { list, trailing };
  }

  private call(name: Tok, depth: number): Expr {
    const args: Expr[] = [];
    const kwargs: Kwarg[] = [];
    while (!this.eat(')')) {
      const t = this.peek;
      if (t.t === 'name' && this.toks[this.pos + 1]?.v === '=' && this.toks[this.pos + 1]?.t === 'op') {
        this.pos += 2;
        if (kwargs.some((k) => k.name === t.v)) throw new ExprError(`'${t.v}' is given twice.`, t.at, t.v.length);
        kwargs.push({ name: t.v, value: this.expr(depth + 1), at: t.at });
      } else {
        if (kwargs.length) throw new ExprError('a positional argument cannot follow a keyword argument.', t.at, Math.max(1, t.v.length));
        args.push(this.expr(depth + 1));
      }
      if (!this.eat(',')) {
        this.expect(')', "',' or ')'");
        break;
      }
    }
    return { k: 'call', callee: name.v, calleeLen: name.v.length, args, kwargs, ...this.span(name.at) };
  }

  /** Fails unless every token has been read. */
  end(): void {
    const t = this.peek;
    if (t.t !== 'end') throw new ExprError(`unexpected '${t.v}' after the expression.`, t.at, Math.max(1, t.v.length));
  }
}

/** Parses a whole text as one expression. */
export function parseExpr(text: string): Expr {
  const p = new Parser(text);
  const e = p.expr();
  p.end();
  return e;
}

/** Visits every node of an expression, without recursion. */
export function walk(e: Expr, visit: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x; x = stack.pop()) {
    visit(x);
    switch (x.k) {
      case 'list':
        stack.push(...x.items);
        break;
      case 'unary':
        stack.push(x.a);
        break;
      case 'bin':
        stack.push(x.a, x.b);
        break;
      case 'if':
        stack.push(x.cond, x.a, x.b);
        break;
      case 'call':
        stack.push(...x.args, ...x.kwargs.map((k) => k.value));
        break;
      default:
    }
  }
}
