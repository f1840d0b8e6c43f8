/**
 * @module
 * A number together with how it was obtained. The value and its explanation come from one expression, so an
 * explanation can never disagree with the number it explains.
 *
 * A Count is a small expression tree. Its value is computed at once and exactly (an `Int`: a number while
 * safe, a bigint past 2^53); its two texts, the symbolic formula and the formula with numbers, are written
 * only when read and then kept. Analysis builds a Count for every factor of every layer, and most are never
 * shown, so a 50,000-layer model does not pay for half a million strings it does not print.
 */
import { ModelError } from './errors.js';
import { cmp, div, grouped, minus, plus, times, type Int } from './int.js';

/** A value with its symbolic formula and the same formula with the numbers filled in. */
export interface Count {
  /** Exact: a safe integer number, or a bigint past 2^53 (a fraction only for a non-integer factor such as a scale). */
  readonly value: Int;
  /** Symbols: 'k_h·k_w·c_in·c_out'. */
  readonly formula: string;
  /** Numbers: '3·3·64·128'. */
  readonly terms: string;
}

/** Made on first use: creating an Intl formatter loads locale data, which costs start-up milliseconds. */
let group: Intl.NumberFormat | undefined;

/** 1234567 → '1,234,567', exact at any size; fractions keep up to 6 decimals (0.75). */
export function fmt(n: Int): string {
  if (typeof n === 'bigint' || Number.isSafeInteger(n)) return grouped(n);
  return (group ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 })).format(n);
}

const enum Kind {
  Term,
  Lit,
  Mul,
  Add,
  Sub,
  Floor,
  Ceil,
  Rename,
  Raw,
}

/** One node of a formula. Texts are built on first read (prototype getters keep the objects small and fast). */
class Expr implements Count {
  readonly value: Int;
  /** @internal */ readonly k: Kind;
  /** @internal Symbol (Term, Rename), children (Mul, Add, Sub, Floor, Ceil) or the two texts (Raw). */
  readonly a: string | readonly Count[] | readonly [string, string];
  private f: string | undefined;
  private t: string | undefined;

  constructor(value: Int, k: Kind, a: Expr['a']) {
    this.value = value;
    this.k = k;
    this.a = a;
  }
  get formula(): string {
    return (this.f ??= text(this, 0));
  }
  get terms(): string {
    return (this.t ??= text(this, 1));
  }
  /** JSON carries the texts (and the value, which the JSON renderer writes exactly). */
  toJSON(): { value: Int; formula: string; terms: string } {
    return { value: this.value, formula: this.formula, terms: this.terms };
  }
}

/** True when `match` holds for a character outside brackets. */
function atTopLevel(s: string, match: (c: string, i: number) => boolean): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(' || c === '[' || c === '⌊' || c === '⌈') depth++;
    else if (c === ')' || c === ']' || c === '⌋' || c === '⌉') depth--;
    else if (depth === 0 && match(c, i)) return true;
  }
  return false;
}

/** True when the text has a + or − outside brackets, so it needs parentheses inside a product. */
const isSum = (s: string): boolean => atTopLevel(s, (c, i) => (c === '+' || c === '−') && s[i - 1] === ' ');

/** True when the text has a · or / outside brackets, so it needs parentheses as a divisor: a/(b·c), not a/b·c. */
const isProduct = (s: string): boolean => atTopLevel(s, (c) => c === '·' || c === '/');

const wrap = (s: string): string => (isSum(s) ? `(${s})` : s);

const side = (c: Count, which: 0 | 1): string => (which === 0 ? c.formula : c.terms);

function text(e: Expr, which: 0 | 1): string {
  switch (e.k) {
    case Kind.Term:
    case Kind.Rename:
      return which === 0 ? (e.a as string) : fmt(e.value);
    case Kind.Lit:
      return fmt(e.value);
    case Kind.Raw:
      return (e.a as readonly [string, string])[which];
    case Kind.Mul:
      return (e.a as readonly Count[]).map((c) => wrap(side(c, which))).join('·');
    case Kind.Add:
      return (e.a as readonly Count[]).map((c) => side(c, which)).join(' + ');
    case Kind.Sub: {
      const [x, y] = e.a as readonly Count[];
      return `${side(x!, which)} − ${wrap(side(y!, which))}`;
    }
    case Kind.Floor:
    case Kind.Ceil: {
      const [x, y] = e.a as readonly Count[];
      const [l, r] = e.k === Kind.Floor ? ['⌊', '⌋'] : ['⌈', '⌉'];
      const den = side(y!, which);
      return `${l}${wrap(side(x!, which))}/${isSum(den) || isProduct(den) ? `(${den})` : den}${r}`;
    }
  }
}

/** A named quantity: symbol 'c_in' with value 64. */
export function term(symbol: string, value: Int): Count {
  return new Expr(value, Kind.Term, symbol);
}

/** A plain number that is its own formula. */
export function lit(value: Int): Count {
  return new Expr(value, Kind.Lit, '');
}

/** A count whose two texts are given as they are (for a rule that is not a product or a sum). */
export function raw(value: Int, formula: string, terms: string): Count {
  return new Expr(value, Kind.Raw, [formula, terms]);
}

/** The same value and numbers under another symbolic formula: 'Σfan_in' for a sum of many fan-ins. */
export function relabel(c: Count, formula: string): Count {
  return new Expr(c.value, Kind.Raw, [formula, c.terms]);
}

/** The product of counts: a·b·c, with sums parenthesised. */
export function mul(...factors: Count[]): Count {
  if (factors.length === 1) return factors[0]!;
  let v: Int = 1;
  for (const f of factors) v = times(v, f.value);
  return new Expr(v, Kind.Mul, factors);
}

/** The sum of counts: a + b + c. */
export function add(...terms: Count[]): Count {
  if (terms.length === 1) return terms[0]!;
  let v: Int = 0;
  for (const t of terms) v = plus(v, t.value);
  return new Expr(v, Kind.Add, terms);
}

/** a − b. */
export function sub(a: Count, b: Count): Count {
  return new Expr(minus(a.value, b.value), Kind.Sub, [a, b]);
}

/** ⌊a/b⌋ (or ⌈a/b⌉). */
export function divide(a: Count, b: Count, round: 'floor' | 'ceil'): Count {
  const integral = (x: Int) => typeof x === 'bigint' || Number.isInteger(x);
  const value = integral(a.value) && integral(b.value) ? div(a.value, b.value, round) : Math[round](Number(a.value) / Number(b.value));
  return new Expr(value, round === 'floor' ? Kind.Floor : Kind.Ceil, [a, b]);
}

/** A count with a product of named factors: product({ k_h: 3, k_w: 3 }) → k_h·k_w = 3·3. */
export function product(factors: Readonly<Record<string, Int>>): Count {
  return mul(...Object.entries(factors).map(([k, v]) => term(k, v)));
}

/** The same count under a new single-symbol name (for nesting a long formula as one factor). */
export function rename(c: Count, symbol: string): Count {
  return new Expr(c.value, Kind.Rename, symbol);
}

/** True when two counts have the same value and read the same, symbol for symbol and number for number. */
export function sameCount(a: Count, b: Count): boolean {
  return cmp(a.value, b.value) === 0 && a.terms === b.terms && a.formula === b.formula;
}

/** 'formula = terms = value', skipping the parts that add nothing. */
export function show(c: Count): string {
  const parts = [c.formula];
  if (c.terms !== c.formula) parts.push(c.terms);
  const v = fmt(c.value);
  if (v !== parts[parts.length - 1]) parts.push(v);
  return parts.join(' = ');
}

/** The plain data of a count, for tests and JSON: { value, formula, terms }. */
export const plain = (c: Count): { value: Int; formula: string; terms: string } => ({ value: c.value, formula: c.formula, terms: c.terms });

/** A count used as a tensor size: a safe integer. A size past 2^53 cannot be a tensor and is an error. */
export function dim(c: Count): number {
  const v = c.value;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw new ModelError('shape', `a tensor size of ${fmt(v)} (${c.formula} = ${c.terms}) is not a whole number below 2^53.`);
}

/** True for a Count built by this module. */
export const isCount = (x: unknown): x is Count => x instanceof Expr;
