import { describe, expect, test } from 'vitest';
import { add, divide, fmt, lit, mul, product, rename, show, sub, term } from './count.js';

const a = term('a', 2);
const b = term('b', 3);
const c = term('c', 5);

describe('leaves', () => {
  test('term: a symbol and its value', () => {
    expect(term('c_in', 64)).toEqual({ value: 64, formula: 'c_in', terms: '64' });
  });

  test('lit: a number is its own formula, grouped by thousands', () => {
    expect(lit(2)).toEqual({ value: 2, formula: '2', terms: '2' });
    expect(lit(25_088)).toEqual({ value: 25_088, formula: '25,088', terms: '25,088' });
  });

  test('fmt groups thousands and keeps small fractions', () => {
    expect(fmt(86_704_128)).toBe('86,704,128');
    expect(fmt(1e-5)).toBe('0.00001');
    expect(fmt(0.75)).toBe('0.75');
  });
});

describe('arithmetic', () => {
  test('mul multiplies with · and a single factor is itself', () => {
    // 2·3·5 = 30.
    expect(mul(a, b, c)).toEqual({ value: 30, formula: 'a·b·c', terms: '2·3·5' });
    expect(mul(a)).toBe(a);
  });

  test('add sums with +', () => {
    // 2 + 3 + 5 = 10.
    expect(add(a, b, c)).toEqual({ value: 10, formula: 'a + b + c', terms: '2 + 3 + 5' });
    expect(add(a)).toBe(a);
  });

  test('sub subtracts, bracketing a sum on the right but not on the left', () => {
    // 5 − 2 = 3; 5 − (2 + 3) = 0; (5 + 3) − 2 needs no brackets: 6.
    expect(sub(c, a)).toEqual({ value: 3, formula: 'c − a', terms: '5 − 2' });
    expect(sub(c, add(a, b))).toEqual({ value: 0, formula: 'c − (a + b)', terms: '5 − (2 + 3)' });
    expect(sub(add(c, b), a)).toEqual({ value: 6, formula: 'c + b − a', terms: '5 + 3 − 2' });
    // 5 − (3 − 2) = 4, not 5 − 3 − 2 = 0.
    expect(sub(c, sub(b, a))).toEqual({ value: 4, formula: 'c − (b − a)', terms: '5 − (3 − 2)' });
  });

  test('products parenthesise sums and differences: (a + b)·c', () => {
    // (2 + 3)·5 = 25.
    expect(mul(add(a, b), c)).toEqual({ value: 25, formula: '(a + b)·c', terms: '(2 + 3)·5' });
    // 5·(3 − 2) = 5.
    expect(mul(c, sub(b, a))).toEqual({ value: 5, formula: 'c·(b − a)', terms: '5·(3 − 2)' });
    // A product inside a sum needs nothing: 2·3 + 5 = 11.
    expect(add(mul(a, b), c)).toEqual({ value: 11, formula: 'a·b + c', terms: '2·3 + 5' });
    // A bracketed sum is already one factor: ⌊(2 + 3)/2⌋·5 = 2·5 = 10.
    expect(mul(divide(add(a, b), a, 'floor'), c)).toEqual({ value: 10, formula: '⌊(a + b)/a⌋·c', terms: '⌊(2 + 3)/2⌋·5' });
  });

  test('a hyphen inside a symbol is not a minus', () => {
    expect(mul(term('k-size', 3), a)).toEqual({ value: 6, formula: 'k-size·a', terms: '3·2' });
  });

  test('divide rounds down or up and brackets a compound numerator or divisor', () => {
    // ⌊5/2⌋ = 2, ⌈5/2⌉ = 3.
    expect(divide(c, a, 'floor')).toEqual({ value: 2, formula: '⌊c/a⌋', terms: '⌊5/2⌋' });
    expect(divide(c, a, 'ceil')).toEqual({ value: 3, formula: '⌈c/a⌉', terms: '⌈5/2⌉' });
    // ⌊(5 + 3)/2⌋ = 4.
    expect(divide(add(c, b), a, 'floor')).toEqual({ value: 4, formula: '⌊(c + b)/a⌋', terms: '⌊(5 + 3)/2⌋' });
    // ⌊30/(2·3)⌋ = 5; written 30/2·3 it would read as 45.
    expect(divide(lit(30), mul(a, b), 'floor')).toEqual({ value: 5, formula: '⌊30/(a·b)⌋', terms: '⌊30/(2·3)⌋' });
    // A product over a single divisor needs no brackets: ⌊2·3/5⌋ = ⌊1.2⌋ = 1.
    expect(divide(mul(a, b), c, 'floor')).toEqual({ value: 1, formula: '⌊a·b/c⌋', terms: '⌊2·3/5⌋' });
    // Negative quotients round toward −∞ and +∞: ⌊−1/2⌋ = −1, ⌈−1/2⌉ = 0.
    expect(divide(sub(a, b), a, 'floor').value).toBe(-1);
    expect(divide(sub(a, b), a, 'ceil').value).toBe(0);
  });

  test('the output-size rule reads as written in textbooks', () => {
    // ⌊(224 + 2·1 − 3)/1⌋ + 1 = 224.
    const padded = add(term('H_in', 224), mul(lit(2), term('p', 1)));
    const out = add(divide(sub(padded, term('k', 3)), term('s', 1), 'floor'), lit(1));
    expect(out).toEqual({ value: 224, formula: '⌊(H_in + 2·p − k)/s⌋ + 1', terms: '⌊(224 + 2·1 − 3)/1⌋ + 1' });
  });
});

describe('product, rename, show', () => {
  test('product names each factor', () => {
    // 3·3·64 = 576.
    expect(product({ k_h: 3, k_w: 3, c_in: 64 })).toEqual({ value: 576, formula: 'k_h·k_w·c_in', terms: '3·3·64' });
    expect(product({ c_out: 64 })).toEqual(term('c_out', 64));
  });

  test('rename folds a long formula into one symbol', () => {
    const macs = mul(term('N', 1), term('c_in', 25_088), term('c_out', 4_096));
    expect(rename(macs, 'MACs')).toEqual({ value: 102_760_448, formula: 'MACs', terms: '102,760,448' });
    // 2·MACs = 2·102,760,448 = 205,520,896.
    expect(mul(lit(2), rename(macs, 'MACs'))).toEqual({ value: 205_520_896, formula: '2·MACs', terms: '2·102,760,448' });
  });

  test('show writes formula = terms = value, skipping repeats', () => {
    // 3·3·3·64 = 1,728.
    expect(show(product({ k_h: 3, k_w: 3, c_in: 3, c_out: 64 }))).toBe('k_h·k_w·c_in·c_out = 3·3·3·64 = 1,728');
    expect(show(term('c_out', 64))).toBe('c_out = 64');
    expect(show(lit(4_096))).toBe('4,096');
    expect(show(mul(lit(2), lit(3)))).toBe('2·3 = 6');
    // (1,728 + 64) = 1,792.
    expect(show(add(product({ k: 27, c_out: 64 }), term('c_out', 64)))).toBe('k·c_out + c_out = 27·64 + 64 = 1,792');
  });
});
