import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { formatError, ModelError } from '../errors.js';
import { parseClaims } from './claims.js';

describe('claims', () => {
  test('the seed question: a key, the number written down and the formula it came from', () => {
    const [c] = parseClaims('conv3-256: 0.59M = (3*3)*(256*256)');
    expect(c!.key?.text).toBe('conv3-256');
    // The formula is exact, so it is what gets checked: 3·3·256·256 = 589,824.
    expect(c!.value).toEqual({ value: 589_824, lo: 589_824, hi: 589_824 });
    expect(c!.formula?.text).toBe('(3*3)*(256*256)');
    expect(c!.sides.map((s) => s.text)).toEqual(['0.59M', '(3*3)*(256*256)']);
    expect(c!.factors).toEqual([3, 3, 256, 256]);
    expect(c!.literal).toBeUndefined();
  });

  test('without a key, and a lone rounded number keeps its suffix', () => {
    const [a, b] = parseClaims('0.59M = (3*3)*(256*256)\n131.9M');
    expect(a!.key).toBeUndefined();
    expect(a!.value.value).toBe(589_824);
    expect(b!.literal).toMatchObject({ mantissa: 131.9, half: 0.05, suffix: 'M', power: 2 });
  });

  test('lines, semicolons, comments, blank lines; each claim knows its line and column', () => {
    const text = ['# VGG-16, by hand', 'conv3-64 x2: 38,720; conv3-128 x2: 221440', '', 'fc1: (512*7*7)*4096 + 4096  # the big one', 'total: 138M.'].join('\n');
    const cs = parseClaims(text);
    expect(cs.map((c) => c.key?.text)).toEqual(['conv3-64 x2', 'conv3-128 x2', 'fc1', 'total']);
    expect(cs.map((c) => [c.line, c.column])).toEqual([
      [2, 1],
      [2, 22],
      [4, 1],
      [5, 1],
    ]);
    // 'total: 138M.' — the full stop ends the sentence; 138M stays 138,000,000 ± 500,000.
    expect(cs[3]!.value).toMatchObject({ value: 138e6, lo: 137.5e6, hi: 138.5e6 });
  });

  test("'key = value', a Markdown bullet and 'about'", () => {
    const [a, b, c] = parseClaims('fc1 = 102764544\n- total: 138M\nconv3-256: about 0.59M');
    expect(a!.key?.text).toBe('fc1');
    expect(a!.value.value).toBe(102_764_544);
    expect(b!.key?.text).toBe('total');
    expect(c!.value.value).toBe(590_000);
  });

  test('a bad claim is an error at its line and column, with a code frame', () => {
    const text = 'total: 138M\nfc1: 4096\nconv3-256: 3**';
    const error = errorOf(() => parseClaims(text));
    expect(error).toBeInstanceOf(ModelError);
    const shown = formatError(error);
    expect(shown).toContain("expected a number or '(' after '**'");
    expect(shown).toContain('line 3, column 15');
    expect(shown).toContain('3 | conv3-256: 3**');
  });

  test.each([
    [': 5', /expected a layer, stage or total before ':'/],
    ['conv3-256:', /expected a number or a formula after 'conv3-256:'/],
    ['# only a comment', /no claims to check/],
  ])('%s', (text, message) => {
    expect(() => parseClaims(text)).toThrow(message);
  });
});
