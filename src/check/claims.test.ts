import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { formatError, ModelError } from '../errors.js';
import { parseClaims, readClaims, type Claim } from './claims.js';
import type { Interval } from './expr.js';
import { exactText } from './rational.js';

/** An interval as exact text: { value: '589824', lo: '589824', hi: '589824' }. */
const exact = (i: Interval) => ({ value: exactText(i.value), lo: exactText(i.lo), hi: exactText(i.hi) });
const one = (text: string): Claim => {
  const cs = parseClaims(text);
  expect(cs).toHaveLength(1);
  return cs[0]!;
};
/** Key, quantity and value of each claim of a text. */
const summary = (text: string) => parseClaims(text).map((c) => [c.key?.text ?? null, c.quantity ?? null, exactText(c.value.value)]);

describe('claims', () => {
  test('the seed question: a key, the number written down and the formula it came from', () => {
    const c = one('conv3-256: 0.59M = (3*3)*(256*256)');
    expect(c.key?.text).toBe('conv3-256');
    // The formula is exact, so it is the most precise side: 3·3·256·256 = 589,824.
    expect(exact(c.value)).toEqual({ value: '589824', lo: '589824', hi: '589824' });
    expect(c.formula?.text).toBe('(3*3)*(256*256)');
    expect(c.sides.map((s) => s.text)).toEqual(['0.59M', '(3*3)*(256*256)']);
    // 0.59M = 590,000 ± 5,000.
    expect(exact(c.sides[0]!.value)).toEqual({ value: '590000', lo: '585000', hi: '595000' });
    expect(c.factors).toEqual([3, 3, 256, 256]);
    expect(c.literal).toBeUndefined();
  });

  test('without a key, and a lone rounded number keeps its suffix', () => {
    const [a, b] = parseClaims('0.59M = (3*3)*(256*256)\n131.9M');
    expect(a!.key).toBeUndefined();
    expect(exactText(a!.value.value)).toBe('589824');
    expect(b!.literal).toMatchObject({ suffix: 'M', power: 2 });
    expect(exactText(b!.literal!.mantissa)).toBe('1319/10');
    expect(exactText(b!.literal!.half)).toBe('1/20');
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
    expect(exact(cs[3]!.value)).toEqual({ value: '138000000', lo: '137500000', hi: '138500000' });
  });

  test("lists, 'key = value', 'about', Markdown emphasis and code spans", () => {
    const text = ['fc1 = 102764544', '- total: 138M', '* fc2: 16,781,312', '• fc3: 4,097,000', '1. fc3: 4097000', '2) conv3-256: about 0.59M', '**Total params:** 138,357,544', '`fc1`: `102764544`', '> fc2: 16781312'].join('\n');
    expect(summary(text)).toEqual([
      ['fc1', null, '102764544'],
      ['total', null, '138000000'],
      ['fc2', null, '16781312'],
      ['fc3', null, '4097000'],
      ['fc3', null, '4097000'],
      ['conv3-256', null, '590000'],
      // 'Total params' is the total, with the quantity word taken off the key.
      ['Total', 'params', '138357544'],
      ['fc1', null, '102764544'],
      ['fc2', null, '16781312'],
    ]);
    // A power stays a power: '3**2' is not bold.
    expect(exactText(one('conv1: 3**2*64').value.value)).toBe('576');
  });

  test('weights and biases of a layer, MACs and FLOPs', () => {
    expect(summary('fc1 weights: 25088*4096\nfc1 biases: 4,096\nfeatures.0 macs: 86.7M\ntotal flops: 31G\nfc1 bias = 4096')).toEqual([
      ['fc1', 'weights', '102760448'],
      ['fc1', 'biases', '4096'],
      ['features.0', 'macs', '86700000'],
      ['total', 'flops', '31000000000'],
      ['fc1', 'biases', '4096'],
    ]);
  });

  test('thousands separators: commas, spaces, thin spaces, apostrophes, underscores', () => {
    for (const written of ['138,357,544', '138 357 544', '138\u2009357\u2009544', '138\u202f357\u202f544', "138'357'544", '138’357’544', '138_357_544']) {
      expect(exactText(one(`total: ${written}`).value.value)).toBe('138357544');
    }
    // Three digits after a space make a group; anything else is two numbers, which needs an operator.
    expect(() => parseClaims('total: 138 3575')).toThrow(/expected an operator/);
    expect(() => parseClaims('total: 13,1948')).toThrow(/separates groups of three digits/);
    expect(() => parseClaims("total: 1'0000")).toThrow(/separates groups of three digits/);
  });

  test("a key's unit in brackets scales its number, as torchinfo writes its totals", () => {
    // torchinfo: 'Total mult-adds (M): 3.41' is 3.41 million MACs, written to two decimals (± 5,000).
    const c = one('Total mult-adds (M): 3.41');
    expect([c.key?.text, c.quantity]).toEqual(['Total', 'macs']);
    expect(exact(c.value)).toEqual({ value: '3410000', lo: '3405000', hi: '3415000' });
  });

  test('a forum post that runs claims together on one line', () => {
    // The seed answer's breakdown as it was pasted: no line breaks, no separators.
    const text = 'conv3-64 x 2 : 38,720 conv3-128 x 2 : 221,440 conv3-256 x 3 : 1,475,328 fc1 : 102,764,544 TOTAL : 138,357,544';
    expect(summary(text)).toEqual([
      ['conv3-64 x 2', null, '38720'],
      ['conv3-128 x 2', null, '221440'],
      ['conv3-256 x 3', null, '1475328'],
      ['fc1', null, '102764544'],
      ['TOTAL', null, '138357544'],
    ]);
    const formulas = 'fc1 (x): (512x7x7)x4,096 (weights) + 4,096 (biases) fc2 : 4,096x4,096 (weights) + 4,096 (biases)';
    // 512·7·7·4,096 + 4,096 = 102,764,544; 4,096·4,096 + 4,096 = 16,781,312.
    expect(summary(formulas)).toEqual([
      ['fc1 (x)', null, '102764544'],
      ['fc2', null, '16781312'],
    ]);
  });

  test('Markdown tables: a header names the key and quantity columns; a formula column pairs with params', () => {
    const text = ['| Layer | Params | MACs |', '|:---|---:|---:|', '| conv1_1 | 1,792 | 86.7M |', '| pool1 | – | – |', '| fc6 | 102,764,544 | 102,760,448 |'].join('\n');
    expect(summary(text)).toEqual([
      ['conv1_1', 'params', '1792'],
      ['conv1_1', 'macs', '86700000'],
      ['fc6', 'params', '102764544'],
      ['fc6', 'macs', '102760448'],
    ]);
    const withFormula = parseClaims('| layer | formula | parameters |\n|---|---|---|\n| features.0 | 3·3·3·64 + 64 | 1,792 |');
    expect(withFormula[0]!.sides.map((s) => s.text)).toEqual(['1,792', '3·3·3·64 + 64']);
    expect(withFormula[0]!.text).toBe('features.0: 1,792 = 3·3·3·64 + 64');
    // Each claim of a row points at its row.
    expect([withFormula[0]!.line, withFormula[0]!.column]).toEqual([3, 3]);
  });

  test("the formula cells of nncalc's explanation are read as the sum of their parts", () => {
    const text = '| layer | label | c_in | formula | params |\n|:---|:---|---:|:---|---:|\n| features.0 | conv3-64 | 3 | weights k·k·c_in·c_out = 3·3·3·64 = 1,728; biases c_out = 64 | 1,792 |\n| bn1 | BN | 64 | weights C = 64; biases C = 64 (+ 128 buffers) | 128 |';
    const [a, b] = parseClaims(text);
    // 3·3·3·64 = 1,728 and 64: 1,792.
    expect(a!.formula?.text).toBe('3·3·3·64 + 64');
    expect(exactText(a!.formula!.value.value)).toBe('1792');
    expect(exactText(b!.formula!.value.value)).toBe('128');
  });

  test('CSV with a header (quoted cells, CRLF) and tab-separated rows with or without one', () => {
    const csv = 'name,type,params,macs,params_formula\r\nfeatures.0,Conv2d,1792,86704128,k·k·c_in·c_out + c_out\r\n"classifier.0",Linear,"102,764,544",102760448,\r\n';
    expect(summary(csv)).toEqual([
      ['features.0', 'params', '1792'],
      ['features.0', 'macs', '86704128'],
      ['classifier.0', 'params', '102764544'],
      ['classifier.0', 'macs', '102760448'],
    ]);
    expect(summary('conv1_1\t1,792\t3*3*3*64 + 64\nfc6\t102764544')).toEqual([
      ['conv1_1', 'params', '1792'],
      ['fc6', 'params', '102764544'],
    ]);
    expect(summary('layer\tparameters\nfc7\t16,781,312')).toEqual([['fc7', 'params', '16781312']]);
  });

  test('an unreadable line is reported at its place; the other lines are still read', () => {
    const r = readClaims('total: 138M\nconv3-256: 3**\nfc1: 4096\nfc2: 3 + * 4\nfc3 4097000 oops');
    expect(r.claims.map((c) => c.key?.text)).toEqual(['total', 'fc1']);
    expect(r.unread.map((u) => [u.line, u.column])).toEqual([
      [2, 15],
      [4, 10],
      [5, 1],
    ]);
    expect(r.unread[0]!.message).toBe("expected a number or '(' after '**'. Received: the end of the claim.");
  });

  test('memory figures are read but not checked', () => {
    const r = readClaims('Total params: 21,840\nParams size (MB): 0.09\nEstimated Total Size (MB): 0.51');
    expect(r.claims).toHaveLength(1);
    expect(r.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'memory is not checked'],
      [3, 'memory is not checked'],
    ]);
  });

  test('parseClaims is strict: the first unreadable claim is an error with a code frame', () => {
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
    ['fc1: 5 = ', /on both sides of '='/],
    ['# only a comment', /no claims to check/],
  ])('%s', (text, message) => {
    expect(() => parseClaims(text)).toThrow(message);
  });
});
