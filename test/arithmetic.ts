/**
 * Recomputes the arithmetic an explanation prints. Every "a·b·c = n" (and every sum, floor, ceiling or
 * quotient written as numbers on both sides of an " = ") is evaluated exactly, with rationals over bigints,
 * and every table of subtotals must add up to its total row. Used over the whole zoo and examples/ by
 * explain-truth.test.ts; any model added to the zoo is covered without a change here.
 */

/** An exact rational n/d with d > 0. */
interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y) [x, y] = [y, x % y];
  return x || 1n;
};
const q = (n: bigint, d = 1n): Q => {
  if (d === 0n) throw new Error('division by zero');
  const s = d < 0n ? -1n : 1n;
  const g = gcd(n, d);
  return { n: (s * n) / g, d: (s * d) / g };
};
const floorQ = (x: Q): Q => q(x.n >= 0n ? x.n / x.d : -((-x.n + x.d - 1n) / x.d));
const ceilQ = (x: Q): Q => q(-floorQ(q(-x.n, x.d)).n);

/** One token: a number (1,234 or 3.5), an operator or a bracket. */
const TOKEN = /\s*(\d{1,3}(?:,\d{3})+(?![\d,]*\d)|\d+(?:\.\d+)?|[+\-−·×*/()⌊⌋⌈⌉])/y;

function tokens(text: string): string[] | undefined {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    out.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return out;
}

/** Evaluates a numeric expression; undefined when the text is not one (words, an unbalanced bracket). */
export function evaluate(text: string): Q | undefined {
  const ts = tokens(text);
  if (!ts || ts.length === 0 || !ts.some((t) => /\d/.test(t))) return undefined;
  let i = 0;
  const peek = () => ts[i];
  const sum = (): Q => {
    let v = product();
    while (peek() === '+' || peek() === '−' || peek() === '-') {
      const op = ts[i++];
      const r = product();
      v = op === '+' ? q(v.n * r.d + r.n * v.d, v.d * r.d) : q(v.n * r.d - r.n * v.d, v.d * r.d);
    }
    return v;
  };
  const product = (): Q => {
    let v = unary();
    while (peek() === '·' || peek() === '×' || peek() === '*' || peek() === '/') {
      const op = ts[i++];
      const r = unary();
      v = op === '/' ? q(v.n * r.d, v.d * r.n) : q(v.n * r.n, v.d * r.d);
    }
    return v;
  };
  const unary = (): Q => {
    if (peek() === '−' || peek() === '-') {
      i++;
      const v = unary();
      return q(-v.n, v.d);
    }
    return primary();
  };
  const primary = (): Q => {
    const t = ts[i++];
    if (t === undefined) throw new Error('end');
    if (t === '(' || t === '⌊' || t === '⌈') {
      const v = sum();
      const close = ts[i++];
      if (close !== { '(': ')', '⌊': '⌋', '⌈': '⌉' }[t]) throw new Error('bracket');
      return t === '(' ? v : t === '⌊' ? floorQ(v) : ceilQ(v);
    }
    if (!/^\d/.test(t)) throw new Error('operand');
    const plain = t.replace(/,/g, '');
    const [whole, frac = ''] = plain.split('.');
    return q(BigInt(whole! + frac), 10n ** BigInt(frac.length));
  };
  try {
    const v = sum();
    return i === ts.length ? v : undefined;
  } catch {
    return undefined;
  }
}

const NUMERIC = /[\d,.\s+\-−·×*/()⌊⌋⌈⌉]/;

/** The longest numeric expression that ends the text (left of an " = "). */
function tail(text: string): string | undefined {
  let start = text.length;
  while (start > 0 && NUMERIC.test(text[start - 1]!)) start--;
  for (let s = start; s < text.length; s++) {
    const candidate = text.slice(s);
    if (!/^[\d(⌊⌈]/.test(candidate)) continue;
    // A number glued to a word before it ('features.0') is part of a name, not arithmetic.
    if (s > 0 && /[\w.]/.test(text[s - 1]!) && /^\d/.test(candidate)) continue;
    // After an operator, the numbers end a longer formula with symbols in it ('⌊(H_in + 2·p − k)/s⌋ + 1').
    if (/[+\-−·×*/⌊⌈]$/.test(text.slice(0, s).trimEnd())) continue;
    if (evaluate(candidate)) return candidate;
  }
  return undefined;
}

/** The longest numeric expression that starts the text (right of an " = "). */
function head(text: string): string | undefined {
  let end = 0;
  while (end < text.length && NUMERIC.test(text[end]!)) end++;
  for (let e = end; e > 0; e--) {
    const candidate = text.slice(0, e);
    // A number glued to a word after it ('7×7', '3x') is a size, not a result.
    if (e < text.length && /[\w×]/.test(text[e]!) && /\d$/.test(candidate)) continue;
    // Before an operator, the numbers begin a longer formula with symbols in it ('2·MACs + …').
    if (/^[+\-−·×*/]/.test(text.slice(e).trimStart())) continue;
    if (evaluate(candidate)) return candidate.trimEnd().replace(/[,.]$/, '');
  }
  return undefined;
}

const show = (x: Q): string => (x.d === 1n ? String(x.n) : `${x.n}/${x.d}`);

/** Every false equation in one line: 'a·b = n' where a·b ≠ n. */
export function falseEquations(line: string): string[] {
  const parts = line.split(/\s=\s/);
  const out: string[] = [];
  for (let k = 0; k + 1 < parts.length; k++) {
    const l = tail(parts[k]!);
    const r = head(parts[k + 1]!);
    if (l === undefined || r === undefined) continue;
    const a = evaluate(l)!;
    const b = evaluate(r)!;
    if (a.n !== b.n || a.d !== b.d) out.push(`${l.trim()} = ${r.trim()}: the left side is ${show(a)}, the right ${show(b)} (in "${line.trim()}")`);
  }
  return out;
}

/** How many equations with numbers on both sides a line holds (for tests that the checker sees them). */
export function countEquations(line: string): number {
  const parts = line.split(/\s=\s/);
  let n = 0;
  for (let k = 0; k + 1 < parts.length; k++) if (tail(parts[k]!) !== undefined && head(parts[k + 1]!) !== undefined) n++;
  return n;
}

/**
 * Every false piece of arithmetic in an explanation's text: equations, and each "Subtotals by stage" table whose
 * rows do not add up to its total row. The text is the output at unlimited width, so no line is wrapped.
 */
export function arithmeticErrors(text: string): string[] {
  const lines = text.split('\n');
  const errors = lines.flatMap(falseEquations);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== 'Subtotals by stage') continue;
    let total = 0n;
    for (let k = i + 3; k < lines.length && lines[k]!.trim() !== ''; k++) {
      const value = /(\d{1,3}(?:,\d{3})*)$/.exec(lines[k]!)?.[1];
      if (value === undefined) {
        errors.push(`a stage row without a subtotal: "${lines[k]}"`);
        continue;
      }
      const n = BigInt(value.replace(/,/g, ''));
      if (/^\s*total\s/.test(lines[k]!)) {
        if (n !== total) errors.push(`the stages add up to ${total}, but the total row says ${n}`);
        break;
      }
      total += n;
    }
  }
  return errors;
}
