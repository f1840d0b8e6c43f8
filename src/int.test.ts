import { describe, expect, it } from 'vitest';
import { cmp, div, grouped, int, minus, plus, prod, sum, times } from './int.js';

// Reference: JavaScript's own bigint arithmetic, which is exact at every size.
const B = (n: number | bigint) => BigInt(n);

describe('Int', () => {
  it('stays a number while safe and becomes a bigint past 2^53', () => {
    expect(times(3, 4)).toBe(12);
    expect(plus(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(minus(2n ** 53n, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('multiplies exactly: 25,088·999,999,999 · 999,999,999', () => {
    const a = times(times(25088, 999999999), 999999999);
    expect(a).toBe(B(25088) * B(999999999) * B(999999999));
    // The float product is off: the reason Int exists.
    expect(BigInt(25088 * 999999999 * 999999999)).not.toBe(B(25088) * B(999999999) * B(999999999));
  });
  it('sums and multiplies lists', () => {
    expect(sum([2 ** 52, 2 ** 52, 3])).toBe(2n ** 53n + 3n);
    expect(prod([1e6, 1e6, 1e6])).toBe(10n ** 18n);
  });
  it('divides with floor and ceil for every sign, small and large', () => {
    for (const [a, b] of [[7, 2], [-7, 2], [7, -2], [-7, -2], [6, 3], [0, 5]] as const) {
      expect(div(a, b, 'floor')).toBe(Math.floor(a / b));
      expect(div(a, b, 'ceil')).toBe(Math.ceil(a / b));
    }
    const x = 10n ** 20n + 7n;
    expect(div(x, 2, 'floor')).toBe((10n ** 20n + 6n) / 2n);
    expect(div(x, 2, 'ceil')).toBe((10n ** 20n + 8n) / 2n);
    expect(div(x, x, 'floor')).toBe(1);
  });
  it('compares across number and bigint', () => {
    expect(cmp(1, 2n ** 60n)).toBe(-1);
    expect(cmp(2n ** 60n, 2n ** 60n)).toBe(0);
  });
  it('groups digits exactly', () => {
    expect(grouped(138357544)).toBe('138,357,544');
    expect(grouped(-1234)).toBe('-1,234');
    expect(grouped(2n ** 70n)).toBe('1,180,591,620,717,411,303,424');
  });
  it('rejects a non-integer as a bug', () => {
    expect(() => int(1.5)).toThrow(RangeError);
  });
});
