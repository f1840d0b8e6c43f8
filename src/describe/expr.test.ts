import { describe, expect, test } from 'vitest';
import { evaluate, needsShapes, type Value } from './evaluate.js';
import { ExprError, MAX_EXPR_DEPTH, parseExpr } from './expr.js';

/** Evaluates a text with the given names bound. */
const run = (text: string, names: Record<string, Value> = {}, shapes: Record<string, number[]> = {}): Value =>
  evaluate(parseExpr(text), {
    lookup: (n) => (Object.hasOwn(names, n) ? names[n] : undefined),
    shapeOf: (ref) => shapes[ref] ?? [],
  });

/** The error an evaluation throws: its message and the piece of text it points at. */
function error(text: string, names: Record<string, Value> = {}): { message: string; piece: string } {
  try {
    run(text, names);
  } catch (e) {
    if (e instanceof ExprError) return { message: e.message, piece: text.slice(e.at, e.at + e.length) };
    throw e;
  }
  throw new Error(`${text} was accepted`);
}

describe("Python's arithmetic", () => {
  test.each([
    // Each value as Python 3 evaluates it.
    ['c * 2', 128],
    ['c // 2', 32],
    ['7 // -2', -4],
    ['-7 % 3', 2],
    ['7 / 2', 3.5],
    ['2 ** 10', 1024],
    ['-2 ** 2', -4],
    ['2 ** -1', 0.5],
    ['max(8, c // 4)', 16],
    ['min([3, 1, 2])', 1],
    ['round(c * 0.25 / 8) * 8', 16],
    ['round(2.5)', 2],
    ['round(3.5)', 4],
    ['round(-0.5)', 0],
    ['int(c * 0.75)', 48],
    ['int(-2.5)', -2],
    ['math.ceil(c / 3)', 22],
    ['floor(c / 3)', 21],
    ['abs(-3)', 3],
    ['len([1, 2, 3])', 3],
    ['1024 // f if bilinear else 1024', 512],
    ['c if c > 100 else c * 2', 128],
    ['shortcut and c == 64', true],
    ['not shortcut or c != 64', false],
    ['[1, c] + [3]', [1, 64, 3]],
    ['(3, 7, 7)', [3, 7, 7]],
    ['(3,)', [3]],
    ['[1] * 3', [1, 1, 1]],
    ['1e-3', 0.001],
    ['True', true],
    ['None', null],
    ["'same'", 'same'],
    ['1 < 2 and 2 <= 2', true],
  ] as const)('%s', (text, want) => {
    expect(run(text, { c: 64, f: 2, bilinear: true, shortcut: true })).toEqual(want);
  });
});

describe('shapes', () => {
  test('like(t) is the size after N and C, dim(t, i) one dimension, shape(t) all of them', () => {
    const shapes = { skip: [1, 64, 71, 71], x: [1, 128, 35] };
    expect(run('like(skip)', {}, shapes)).toEqual([71, 71]);
    expect(run('dim(x, -1)', {}, shapes)).toBe(35);
    expect(run('shape(x)', {}, shapes)).toEqual([1, 128, 35]);
    // A name bound to a string names the tensor: a module's parameter holding a layer's name.
    expect(run('like(s)', { s: 'skip' }, shapes)).toEqual([71, 71]);
    expect(needsShapes(parseExpr('2 * dim(x, 1)'))).toBe(true);
    expect(needsShapes(parseExpr('2 * max(x, 1)'))).toBe(false);
  });
});

describe('errors point at the piece of text', () => {
  test.each([
    ['c // 0', { message: 'division by zero: 64 // 0.', piece: 'c // 0' }],
    ['10 % (c - 64)', { message: 'division by zero: 10 % 0.', piece: '10 % (c - 64)' }],
    ['c * 2 + d', { message: "unknown name 'd'.", piece: 'd' }],
    ['c +', { message: 'the expression ends where a value is expected.', piece: '' }],
    ['max(c, ', { message: 'the expression ends where a value is expected.', piece: '' }],
    ["c + 'a'", { message: "'+' works on numbers; received 64 and 'a'.", piece: "c + 'a'" }],
    ['2 ** 60', { message: 'the result 1.153e+18 is past 2^53 − 1, beyond exact arithmetic.', piece: '2 ** 60' }],
    ['10 ** 400', { message: 'the result is not a finite number.', piece: '10 ** 400' }],
    ['c $ 2', { message: "unexpected '$' in an expression.", piece: '$' }],
    ['Conv2d(3, 64)', { message: "'Conv2d(…)' is a layer, not a value; a layer cannot be used inside an expression.", piece: 'Conv2d' }],
    ['[1] * 100000', { message: 'a list can be repeated a whole number of times, up to 10000 items; received 100000.', piece: '[1] * 100000' }],
  ] as const)('%s', (text, want) => {
    expect(error(text, { c: 64 })).toEqual(want);
  });

  test('nesting is bounded: parentheses, unary minus and power chains', () => {
    for (const text of ['('.repeat(5_000) + '1' + ')'.repeat(5_000), '-'.repeat(10_000) + '1', Array(4_000).fill('2').join(' ** '), 'not '.repeat(4_000) + 'x', '['.repeat(5_000)]) {
      expect(() => parseExpr(text)).toThrow(`the expression nests more than ${MAX_EXPR_DEPTH} deep.`);
    }
    // A long flat sum is not nested.
    expect(run(Array(5_000).fill('1').join(' + '))).toBe(5_000);
  });

  test('the length is bounded', () => {
    expect(() => parseExpr('1+'.repeat(20_000) + '1')).toThrow('an expression is at most 20,000 characters; this one has 40,001.');
  });
});
