import { describe, expect, test } from 'vitest';
import { summarize } from '../summarize.js';
import { checkClaims } from './index.js';
import { wrapWords } from '../render/layout.js';
import { checkJson, checkMarkdown, checkText } from './render.js';

const result = checkClaims(summarize('vgg16'), 'conv3-256: 0.59M = (3*3)*(256*256)\ntotal: 138M; macs: 15.5G');

describe('text', () => {
  test('each claim with its verdict, the mistakes and the true formula, then the context and a count', () => {
    const out = checkText(result);
    expect(out).toContain('✗ conv3-256: 0.59M = (3*3)*(256*256)  (line 1) — wrong');
    expect(out).toContain('    (3*3)*(256*256) = 589,824.');
    expect(out).toContain('  features.12, features.14 (256 → 256): wrong');
    expect(out).toContain('    true: k·k·c_in·c_out + c_out = 3·3·128·256 + 256 = 295,168');
    // Two claims share line 2, so their columns are given.
    expect(out).toContain('≈ total: 138M  (line 2, column 1) — right, as rounded');
    expect(out).toContain('≈ macs: 15.5G  (line 2, column 14) — right, as rounded');
    expect(out).toContain('Where the parameters are:\n  123.6M of the 138.4M parameters are in the three FC layers (fc1 alone: 102.8M).');
    expect(out.trimEnd().split('\n').pop()).toBe('3 claims: 2 right, 1 wrong.');
  });

  test('fitted to the width, without breaking numbers or formulas', () => {
    const out = checkText(result, { width: 60 });
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    for (const n of checkText(result).match(/\d{1,3}(,\d{3})+|[\d·]+·\d+/g)!) expect(out).toContain(n);
  });

  test('wrap breaks at spaces only', () => {
    expect(wrapWords('is 25,557,032 and 3·3·128·256 too', 15)).toEqual(['is 25,557,032', 'and 3·3·128·256', 'too']);
  });

  test('ASCII marks and colour', () => {
    expect(checkText(result, { ascii: true })).toMatch(/^x conv3-256/m);
    expect(checkText(result, { ascii: true })).toMatch(/^~ total: 138M/m);
    expect(checkText(result, { color: true })).toContain('\x1b[31m✗\x1b[0m');
  });
});

describe('markdown', () => {
  test('a list per claim, the truth in code spans', () => {
    const md = checkMarkdown(result);
    expect(md).toMatch(/^## Checking claims against vgg16\n/);
    expect(md).toContain('- ✗ `conv3-256: 0.59M = (3*3)*(256*256)` (line 1): **wrong**');
    expect(md).toContain('  - **features.10 (128 → 256)**: wrong. The first conv3-256, features.10, has 128 input channels');
    expect(md).toContain('True: `k·k·c_in·c_out + c_out = 3·3·128·256 + 256 = 295,168`.');
    expect(md).toContain('**Where the parameters are.** 123.6M of the 138.4M');
  });
});

describe('json', () => {
  test('the documented structure', () => {
    const doc = JSON.parse(checkJson(result));
    expect(doc.schema).toBe(2);
    expect(doc.model).toEqual({ name: 'vgg16', convention: 'pytorch', params: 138_357_544 });
    expect(doc.summary).toEqual({ claims: 3, right: 2, wrong: 1, unknown: 0, unread: 0, skipped: 0 });
    const [seed, total] = doc.claims;
    expect(seed).toMatchObject({
      text: 'conv3-256: 0.59M = (3*3)*(256*256)',
      line: 1,
      column: 1,
      key: 'conv3-256',
      matchedBy: 'label',
      matched: 'conv3-256',
      value: 589_824,
      low: 589_824,
      high: 589_824,
      exact: true,
      formula: '(3*3)*(256*256)',
      verdict: 'wrong',
      right: false,
    });
    expect(seed.targets[0]).toMatchObject({ kind: 'layer', name: 'features.12, features.14', layers: ['features.12', 'features.14'], quantity: 'params', value: 590_080, channels: '256 → 256', verdict: 'wrong' });
    expect(seed.targets[0].diagnoses.map((d: { code: string }) => d.code)).toEqual(['formula', 'bias']);
    // 138M: 137,500,000 to 138,500,000.
    expect(total).toMatchObject({ key: 'total', matchedBy: 'total', value: 138e6, low: 137.5e6, high: 138.5e6, exact: false, formula: null, verdict: 'rounded', right: true });
    expect(total.targets[0]).toMatchObject({ kind: 'total', layers: [], value: 138_357_544 });
    expect(doc.context).toEqual(['123.6M of the 138.4M parameters are in the three FC layers (fc1 alone: 102.8M).']);
  });
});

describe('unread lines, headlines and hostile text', () => {
  const mixed = checkClaims(summarize('vgg16'), 'conv3-64: 1792\nconv3-265: 5\ntotal: 138M\nfc1\u0000: 5\nfeatures.0: 1\u001b[2J');

  test('an unread line appears at its place, with its column and the nearest key', () => {
    const out = checkText(mixed);
    const order = ['conv3-64: 1792', 'line 2, column 1 — not read', 'total: 138M', 'line 4, column 1 — not read', 'line 5, column 14 — not read'].map((s) => out.indexOf(s));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(out).toContain("? line 2, column 1 — not read: 'conv3-265' is not a layer, module, stage or total of vgg16. Did you mean 'conv3-256'?");
    expect(out).toContain('✗ conv3-64: 1792  (line 1) — wrong: right for features.0; wrong for features.2');
    expect(out.trimEnd().split('\n').pop()).toBe('2 claims: 1 right, 1 wrong; 3 lines not read (2, 4, 5).');
  });

  test('control characters in user text are escaped, never written raw', () => {
    for (const out of [checkText(mixed), checkMarkdown(mixed)]) {
      expect(out).not.toMatch(/[\u0000\u001b]/);
      expect(out).toContain('\\u{0}');
    }
    expect(checkText(mixed, { color: true })).toContain('\x1b[31m✗\x1b[0m');
  });

  test('JSON: unread lines, and values past 2^53 as exact decimal strings', () => {
    const doc = JSON.parse(checkJson(mixed));
    expect(doc.unread.map((u: { line: number }) => u.line)).toEqual([2, 4, 5]);
    const big = JSON.parse(checkJson(checkClaims(summarize('vgg16'), 'total: 123456789012345678901')));
    expect(big.claims[0].value).toBe('123456789012345678901');
    expect(big.claims[0].targets[0].diagnoses[0].message).toContain('123,456,789,012,345,678,901');
  });
});
