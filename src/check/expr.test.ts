import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { ModelError } from '../errors.js';
import { contains, evaluate, factors, parseExpr } from './expr.js';
import { approx, rat } from './rational.js';

/** The value and range of a text, as numbers (every value in these tests is well inside 2^53). */
const value = (text: string) => {
  const { value: v, lo, hi } = evaluate(parseExpr(text));
  return { value: approx(v), lo: approx(lo), hi: approx(hi) };
};

describe('numbers as people write them', () => {
  test.each([
    ['138357544', 138_357_544],
    ['138,357,544', 138_357_544],
    ['138_357_544', 138_357_544],
    ['4,096', 4096],
  ])('%s is exact', (text, n) => {
    expect(value(text)).toEqual({ value: n, lo: n, hi: n });
  });

  test.each([
    // Half of the last written digit, times the suffix: 138M → ± 0.5·10^6.
    ['138M', 138e6, 0.5e6],
    ['138m', 138e6, 0.5e6],
    ['0.59M', 0.59e6, 0.005e6],
    ['138.36M', 138.36e6, 0.005e6],
    ['61.1K', 61_100, 50],
    ['15.5G', 15.5e9, 0.05e9],
    ['7B', 7e9, 0.5e9],
    ['1T', 1e12, 0.5e12],
    ['138 million', 138e6, 0.5e6],
    ['61 thousand', 61_000, 500],
    ['7 billion', 7e9, 0.5e9],
    // 1.38e8 has three significant digits: ± 0.005·10^8.
    ['1.38e8', 138e6, 0.5e6],
    ['15.5 GMACs', 15.5e9, 0.05e9],
  ])('%s is %d ± %d', (text, n, half) => {
    const v = value(text);
    expect(v.value).toBeCloseTo(n, 0);
    expect(v.lo).toBeCloseTo(n - half, 0);
    expect(v.hi).toBeCloseTo(n + half, 0);
  });

  test('a unit word after a number is kept for matching', () => {
    const e = parseExpr('15.5 GMACs');
    expect(e.kind === 'num' && e.unit).toBe('macs');
    const p = parseExpr('138M params');
    expect(p.kind === 'num' && p.unit).toBe('params');
  });
});

describe('formulas', () => {
  test.each([
    // 3·3·256·256 = 9·65,536 = 589,824, however the product is written.
    ['(3*3)*(256*256)', 589_824],
    ['3*3*256*256', 589_824],
    ['3×3×256×256', 589_824],
    ['3x3x256x256', 589_824],
    ['3 x 3 x 256 x 256', 589_824],
    ['3·3·256·256', 589_824],
    ['3^2 * 256^2', 589_824],
    ['3**2 * 256**2', 589_824],
    // 512·7·7 = 25,088; 25,088·4,096 = 102,760,448; + 4,096 = 102,764,544.
    ['(512*7*7)*4096 + 4096', 102_764_544],
    ['(512x7x7)x4,096 (weights) + 4,096 (biases)', 102_764_544],
    // AlexNet's grouped conv2: 5·5·(96/2)·256 + 256 = 307,200 + 256 = 307,456.
    ['5*5*(96/2)*256 + 256', 307_456],
    ['2(3+4)', 14],
    ['2^20', 1_048_576],
    ['-3 + 5', 2],
    ['10 − 4', 6],
    ['~138357544', 138_357_544],
  ])('%s = %d', (text, n) => {
    expect(value(text)).toEqual({ value: n, lo: n, hi: n });
  });

  test('rounded numbers carry their range through arithmetic', () => {
    // 2·(0.59M ± 5,000) = 1,180,000 ± 10,000.
    expect(value('2 * 0.59M')).toEqual({ value: 1_180_000, lo: 1_170_000, hi: 1_190_000 });
    // 138M − 100 = 137,999,900 ± 500,000.
    expect(value('138M - 100')).toEqual({ value: 137_999_900, lo: 137_499_900, hi: 138_499_900 });
  });

  test("a formula's factors are those of its main product", () => {
    expect(factors(parseExpr('(3*3)*(256*256)'))).toEqual([3, 3, 256, 256]);
    expect(factors(parseExpr('(512*7*7)*4096 + 4096'))).toEqual([512, 7, 7, 4096]);
    expect(factors(parseExpr('3^2*256'))).toEqual([3, 3, 256]);
  });
});

describe('errors say what and where', () => {
  const error = (text: string): ModelError => errorOf(() => evaluate(parseExpr(text)), `no error for ${text}`);

  test.each([
    ['3**', /expected a number or '\(' after '\*\*'\. Received: the end of the claim/, 3],
    ['3 + * 4', /expected a number or '\(' after '\+'\. Received: '\*'/, 4],
    ['(3*3', /expected '\)' to close the '\(' at column 1\. Received: the end of the claim/, 4],
    ['3*3)', /this '\)' closes no '\('/, 3],
    ['13,1948', /separates groups of three digits.*Received: '13,1948'/, 0],
    ['3 3', /expected an operator .* between two numbers/, 2],
    ['3 * abc', /Received: 'abc'/, 4],
    ['1/0', /division by zero/, 1],
    ['2^0.5', /exponent must be a whole number/, 1],
  ])('%s', (text, message, offset) => {
    const e = error(text);
    expect(e.message).toMatch(message);
    expect(e.loc).toMatchObject({ kind: 'text', offset });
  });
});

describe('contains', () => {
  test('is exact at the bounds, past 2^53 and for fractions, whatever the doubles round to', () => {
    const at = (lo: bigint, hi: bigint, d = 1n) => ({ value: rat(lo, d), lo: rat(lo, d), hi: rat(hi, d) });
    // 2^53 + 1 rounds to 2^53 as a double; the exact check still tells them apart.
    const two53 = 2n ** 53n;
    expect(contains(at(two53 + 1n, two53 + 1n), two53 + 1n)).toBe(true);
    expect(contains(at(two53 + 1n, two53 + 1n), 2 ** 53)).toBe(false);
    expect(contains(at(10n ** 30n, 10n ** 30n + 1n), 10n ** 30n + 1n)).toBe(true);
    expect(contains(at(10n ** 30n, 10n ** 30n + 1n), 10n ** 30n + 2n)).toBe(false);
    // [1/3, 2/3] holds no integer; [1/3, 4/3] holds 1.
    expect(contains(at(1n, 2n, 3n), 0)).toBe(false);
    expect(contains(at(1n, 2n, 3n), 1)).toBe(false);
    expect(contains(at(1n, 4n, 3n), 1)).toBe(true);
    expect(contains(at(-5n, -5n), -5)).toBe(true);
    expect(contains(at(-5n, -5n), 5)).toBe(false);
  });
});
