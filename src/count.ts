/**
 * @module
 * A number together with how it was obtained. The value and its explanation come from one
 * expression, so an explanation can never disagree with the number it explains.
 */

/** A value with its symbolic formula and the same formula with the numbers filled in. */
export interface Count {
  readonly value: number;
  /** Symbols: 'k_h·k_w·c_in·c_out'. */
  readonly formula: string;
  /** Numbers: '3·3·64·128'. */
  readonly terms: string;
}

const group = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** 1234567 → '1,234,567'. Integers take a fast path: analysis formats every factor of every formula. */
export function fmt(n: number): string {
  if (!Number.isSafeInteger(n)) return group.format(n);
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** A named quantity: symbol 'c_in' with value 64. */
export function term(symbol: string, value: number): Count {
  return { value, formula: symbol, terms: fmt(value) };
}

/** A plain number that is its own formula. */
export function lit(value: number): Count {
  return { value, formula: fmt(value), terms: fmt(value) };
}

/** True when `match` holds for a character outside brackets. */
function atTopLevel(text: string, match: (c: string, i: number) => boolean): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '⌊' || c === '⌈') depth++;
    else if (c === ')' || c === ']' || c === '⌋' || c === '⌉') depth--;
    else if (depth === 0 && match(c, i)) return true;
  }
  return false;
}

/** True when the text has a + or − outside brackets, so it needs parentheses inside a product. */
const isSum = (text: string): boolean => atTopLevel(text, (c, i) => (c === '+' || c === '−') && text[i - 1] === ' ');

/** True when the text has a · or / outside brackets, so it needs parentheses as a divisor: a/(b·c), not a/b·c. */
const isProduct = (text: string): boolean => atTopLevel(text, (c) => c === '·' || c === '/');

const wrap = (text: string): string => (isSum(text) ? `(${text})` : text);

/** The product of counts: a·b·c, with sums parenthesised. */
export function mul(...factors: Count[]): Count {
  if (factors.length === 1) return factors[0]!;
  return {
    value: factors.reduce((p, c) => p * c.value, 1),
    formula: factors.map((c) => wrap(c.formula)).join('·'),
    terms: factors.map((c) => wrap(c.terms)).join('·'),
  };
}

/** The sum of counts: a + b + c. */
export function add(...terms: Count[]): Count {
  if (terms.length === 1) return terms[0]!;
  return {
    value: terms.reduce((s, c) => s + c.value, 0),
    formula: terms.map((c) => c.formula).join(' + '),
    terms: terms.map((c) => c.terms).join(' + '),
  };
}

/** a − b. */
export function sub(a: Count, b: Count): Count {
  const right = (t: string) => (isSum(t) ? `(${t})` : t);
  return { value: a.value - b.value, formula: `${a.formula} − ${right(b.formula)}`, terms: `${a.terms} − ${right(b.terms)}` };
}

/** ⌊a/b⌋ (or ⌈a/b⌉). */
export function divide(a: Count, b: Count, round: 'floor' | 'ceil'): Count {
  const [l, r] = round === 'floor' ? ['⌊', '⌋'] : ['⌈', '⌉'];
  const frac = (x: string, y: string) => `${l}${wrap(x)}/${isSum(y) || isProduct(y) ? `(${y})` : y}${r}`;
  const q = a.value / b.value;
  return { value: round === 'floor' ? Math.floor(q) : Math.ceil(q), formula: frac(a.formula, b.formula), terms: frac(a.terms, b.terms) };
}

/** A count with a product of named factors: product({ k_h: 3, k_w: 3 }) → k_h·k_w = 3·3. */
export function product(factors: Readonly<Record<string, number>>): Count {
  return mul(...Object.entries(factors).map(([k, v]) => term(k, v)));
}

/** The same count under a new single-symbol name (for nesting a long formula as one factor). */
export function rename(c: Count, symbol: string): Count {
  return { value: c.value, formula: symbol, terms: fmt(c.value) };
}

/** 'formula = terms = value', skipping the parts that add nothing. */
export function show(c: Count): string {
  const parts = [c.formula];
  if (c.terms !== c.formula) parts.push(c.terms);
  const v = fmt(c.value);
  if (v !== parts[parts.length - 1]) parts.push(v);
  return parts.join(' = ');
}
