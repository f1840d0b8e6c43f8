/**
 * @module
 * Evaluating the spec language's expressions (expr.ts) with Python's arithmetic: `//` and `%` floor, `/` divides
 * exactly, `round` rounds half to even, `and`/`or` return an operand. Values are numbers, strings, booleans,
 * None and lists; a number must stay finite and, when whole, within 2^53 − 1, so every value is exact.
 *
 * `like(t)`, `dim(t, i)` and `shape(t)` read the shape of a tensor, which only the analysis knows: an expression
 * that uses them is kept as a Deferred value in the layer's attributes and evaluated once shapes are known.
 */
import { ExprError, walk, type Expr } from './expr.js';

/** A value of the spec language. */
export type Value = number | string | boolean | null | readonly Value[];

/** What an evaluation may read. */
export interface Scope {
  /** A bound name's value, or undefined. */
  lookup(name: string): Value | undefined;
  /** The shape of a tensor, by the reference written in like()/dim()/shape(); only during the analysis. */
  shapeOf?(ref: string, at: number, length: number): readonly number[];
  /** Called once per node evaluated, so that a caller can bound the total work. */
  step?(): void;
}

/** Functions of shapes, evaluated during the analysis. */
export const SHAPE_FUNCTIONS = ['like', 'dim', 'shape'];
/** Functions of numbers. */
export const FUNCTIONS = ['min', 'max', 'round', 'floor', 'ceil', 'int', 'float', 'abs', 'len', 'sum'];

/** A callee without the module prefixes people write: math.ceil → ceil. */
export const bare = (callee: string): string => callee.replace(/^(?:math|torch\.nn\.functional|torch\.nn|torch|nn\.functional|nn|F|tf\.keras\.layers|keras\.layers|layers)\./, '');

/** True when an expression reads a tensor's shape, so it must wait for the analysis. */
export function needsShapes(e: Expr): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.k === 'call' && SHAPE_FUNCTIONS.includes(bare(x.callee))) found = true;
  });
  return found;
}

const fail = (message: string, e: { at: number; len: number }): never => {
  throw new ExprError(message, e.at, e.len);
};

const show = (v: Value): string => (typeof v === 'string' ? `'${v}'` : v === null ? 'None' : JSON.stringify(v));
const isNum = (v: Value): v is number => typeof v === 'number';
const truthy = (v: Value): boolean => (Array.isArray(v) ? v.length > 0 : v !== null && v !== false && v !== 0 && v !== '');

/** A number result, checked: finite, and a whole number only within 2^53 − 1. */
function num(v: number, e: { at: number; len: number }): number {
  if (!Number.isFinite(v)) return fail(`the result is not a finite number.`, e);
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return fail(`the result ${v.toExponential(3)} is past 2^53 − 1, beyond exact arithmetic.`, e);
  return v === 0 ? 0 : v;
}

/** Python's round: to the nearest integer, halves to the even one. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

const MAX_LIST = 10_000;

function arithmetic(op: string, a: Value, b: Value, e: Expr): Value {
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) {
    if (a.length + b.length > MAX_LIST) fail(`the list would hold more than ${MAX_LIST} items.`, e);
    return [...a, ...b];
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '*' && Array.isArray(a) && isNum(b)) {
    if (!Number.isInteger(b) || b < 0 || a.length * b > MAX_LIST) fail(`a list can be repeated a whole number of times, up to ${MAX_LIST} items; received ${show(b)}.`, e);
    return Array.from({ length: a.length * b }, (_, i) => a[i % a.length]!);
  }
  if (!isNum(a) || !isNum(b)) return fail(`'${op}' works on numbers; received ${show(a)} and ${show(b)}.`, e);
  if ((op === '/' || op === '//' || op === '%') && b === 0) return fail(`division by zero: ${show(a)} ${op} 0.`, e);
  switch (op) {
    case '+':
      return num(a + b, e);
    case '-':
      return num(a - b, e);
    case '*':
      return num(a * b, e);
    case '/':
      return num(a / b, e);
    case '//':
      return num(Math.floor(a / b), e);
    case '%':
      return num(a - b * Math.floor(a / b), e);
    default:
      if (a === 0 && b < 0) return fail(`division by zero: 0 ** ${b}.`, e);
      return num(a ** b, e);
  }
}

function compare(op: string, a: Value, b: Value, e: Expr): boolean {
  if (op === '==' || op === '!=') return (JSON.stringify(a) === JSON.stringify(b)) === (op === '==');
  if (!((isNum(a) && isNum(b)) || (typeof a === 'string' && typeof b === 'string'))) return fail(`'${op}' compares two numbers or two strings; received ${show(a)} and ${show(b)}.`, e);
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** A tensor reference written as the first argument of like(), dim() or shape(): a name, or a name bound to one. */
export function tensorArg(e: Expr, scope: Scope): string {
  if (e.k !== 'name') return fail(`expected the name of a layer or an input here, such as skip or x.`, e);
  const bound = scope.lookup(e.v);
  if (bound === undefined) return e.v;
  if (typeof bound !== 'string') return fail(`'${e.v}' is ${show(bound)}, not the name of a layer or an input.`, e);
  return bound;
}

function callFunction(name: string, e: Expr & { k: 'call' }, scope: Scope): Value {
  if (e.kwargs.length) fail(`${name}() takes no keyword arguments.`, { at: e.kwargs[0]!.at, len: e.kwargs[0]!.name.length });
  if (SHAPE_FUNCTIONS.includes(name)) {
    if (!scope.shapeOf) return fail(`${name}() reads a tensor's shape, which is known only while the network is analysed.`, e);
    const want = name === 'dim' ? 2 : 1;
    if (e.args.length !== want) fail(`${name}() takes ${want === 2 ? 'a tensor and a dimension, as dim(x, -1)' : 'one tensor, as like(skip)'}; received ${e.args.length} arguments.`, e);
    const s = scope.shapeOf(tensorArg(e.args[0]!, scope), e.args[0]!.at, e.args[0]!.len);
    if (name === 'shape') return [...s];
    if (name === 'like') return s.slice(2);
    const d = evaluate(e.args[1]!, scope);
    if (!isNum(d) || !Number.isInteger(d) || d < -s.length || d >= s.length) return fail(`dim ${show(d)} is out of range for the ${s.length}-D shape [${s.join(', ')}]: expected ${-s.length}…${s.length - 1}.`, e.args[1]!);
    return s[d < 0 ? d + s.length : d]!;
  }
  const args = e.args.map((a) => evaluate(a, scope));
  const nums = (list: readonly Value[]): number[] => list.map((v) => (isNum(v) ? v : fail(`${name}() works on numbers; received ${show(v)}.`, e)));
  const one = (): number => {
    if (args.length !== 1) fail(`${name}() takes one argument; received ${args.length}.`, e);
    return nums(args)[0]!;
  };
  switch (name) {
    case 'min':
    case 'max': {
      const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args;
      if (list.length === 0) return fail(`${name}() needs at least one value.`, e);
      return Math[name](...nums(list));
    }
    case 'round':
      if (args.length === 2) {
        const [x, n] = nums(args);
        if (!Number.isInteger(n) || n! < 0 || n! > 15) return fail('round(x, n) takes n digits from 0 to 15.', e);
        return num(Number(x!.toFixed(n)), e);
      }
      return num(roundHalfEven(one()), e);
    case 'floor':
      return num(Math.floor(one()), e);
    case 'ceil':
      return num(Math.ceil(one()), e);
    case 'int':
      return num(Math.trunc(one()), e);
    case 'float':
      return one();
    case 'abs':
      return Math.abs(one());
    case 'len':
    case 'sum': {
      if (args.length !== 1 || !Array.isArray(args[0])) return fail(`${name}() takes one list.`, e);
      const list = args[0] as Value[];
      return name === 'len' ? list.length : num(nums(list).reduce((s, v) => s + v, 0), e);
    }
    default:
      return fail(`unknown function '${e.callee}'.`, { at: e.at, len: e.calleeLen });
  }
}

/** Evaluates an expression. Calls of layers are the spec reader's to handle: here they are errors. */
export function evaluate(e: Expr, scope: Scope): Value {
  scope.step?.();
  switch (e.k) {
    case 'num':
    case 'str':
    case 'const':
      return e.v;
    case 'name': {
      const v = scope.lookup(e.v);
      return v === undefined ? fail(`unknown name '${e.v}'.`, e) : v;
    }
    case 'list':
      return e.items.map((x) => evaluate(x, scope));
    case 'unary': {
      const a = evaluate(e.a, scope);
      if (e.op === 'not') return !truthy(a);
      return isNum(a) ? num(e.op === '-' ? -a : a, e) : fail(`'${e.op}' works on a number; received ${show(a)}.`, e);
    }
    case 'bin': {
      if (e.op === 'and' || e.op === 'or') {
        const a = evaluate(e.a, scope);
        return truthy(a) === (e.op === 'or') ? a : evaluate(e.b, scope);
      }
      const a = evaluate(e.a, scope);
      const b = evaluate(e.b, scope);
      return ['==', '!=', '<', '<=', '>', '>='].includes(e.op) ? compare(e.op, a, b, e) : arithmetic(e.op, a, b, e);
    }
    case 'if':
      return truthy(evaluate(e.cond, scope)) ? evaluate(e.a, scope) : evaluate(e.b, scope);
    case 'call': {
      const name = bare(e.callee);
      if (FUNCTIONS.includes(name) || SHAPE_FUNCTIONS.includes(name)) return callFunction(name, e, scope);
      return fail(`'${e.callee}(…)' is a layer, not a value; a layer cannot be used inside an expression.`, { at: e.at, len: e.calleeLen });
    }
  }
}

/** Python's truth of a value: 0, '', [], None and false are false. */
export const isTrue = truthy;
