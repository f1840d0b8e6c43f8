import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, opsCases, rejection } from '../../test/ops-oracle.js';
import type { Raw } from './attrs.js';
import type { OpDef } from './op.js';
import { dropout, flatten, identity } from './reshape.js';

const defs: Record<string, OpDef<any>> = { flatten, dropout, identity };

describe('flatten, dropout and identity against PyTorch 1.13', () => {
  const cases = opsCases(...Object.keys(defs));
  test('the oracle covers flatten, dropout and identity, with rejections', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs)));
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(5);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c));
});

describe('flatten, derived by hand', () => {
  test.each([
    // VGG: 512·7·7 = 25,088.
    { attrs: {}, input: [1, 512, 7, 7], output: [1, 25_088] },
    { attrs: { start_dim: 0 }, input: [2, 512, 7, 7], output: [50_176] },
    // Only H and W: 7·5 = 35.
    { attrs: { start_dim: 2 }, input: [2, 8, 7, 5], output: [2, 8, 35] },
    // Negative dims count from the end: −3…−2 of a 4-D shape is 1…2, 8·7 = 56.
    { attrs: { start_dim: -3, end_dim: -2 }, input: [2, 8, 7, 5], output: [2, 56, 5] },
    { attrs: { start_dim: 2, end_dim: 2 }, input: [2, 8, 7, 5], output: [2, 8, 7, 5] },
    { attrs: {}, input: [4, 10], output: [4, 10] },
  ])('$attrs on $input → $output', ({ attrs, input, output }) => {
    const r = evaluate(flatten, attrs, [input]);
    expect(r.outputs).toEqual([output]);
    expect(r.weights).toEqual([]);
    expect(flatten.flops).toBeUndefined();
  });

  test.each([
    { attrs: { start_dim: 2, end_dim: 1 }, message: 'flatten cannot join dimensions 2…1 of a 3-D input [1, 3, 4].' },
    { attrs: { start_dim: 3 }, message: 'flatten cannot join dimensions 3…-1 of a 3-D input [1, 3, 4].' },
    { attrs: { start_dim: -4 }, message: 'flatten cannot join dimensions -4…-1 of a 3-D input [1, 3, 4].' },
    { attrs: { end_dim: 5 }, message: 'flatten cannot join dimensions 1…5 of a 3-D input [1, 3, 4].' },
  ])('shape: $message', ({ attrs, message }) => {
    expect(rejection(flatten, attrs, [[1, 3, 4]])).toMatchObject({ code: 'shape', message });
  });

  test.each([
    { attrs: { start_dim: 1.5 }, message: "flatten: 'start_dim' must be an integer. Received: start_dim=1.5." },
    { attrs: { end_dim: '-1' }, message: "flatten: 'end_dim' must be a number. Received: end_dim='-1'." },
    { attrs: { start_dm: 1 }, message: "flatten: unknown attribute 'start_dm'. Did you mean 'start_dim'? Known: start_dim, end_dim (see docs/ops.md#flatten)." },
  ])('spec: $message', ({ attrs, message }) => {
    const e = rejection(flatten, attrs, [[1, 3, 4]]);
    expect(e.code).toBe('spec');
    expect(e.message).toContain(message);
  });
});

describe('dropout and identity', () => {
  test('pass the shape through and count nothing', () => {
    for (const [def, raw] of [[dropout, { p: 0.3 }], [identity, {}]] as [OpDef<any>, Raw][]) {
      const r = evaluate(def, raw, [[2, 8, 5, 5]]);
      expect(r.outputs).toEqual([[2, 8, 5, 5]]);
      expect(r.weights).toEqual([]);
      expect(def.macs).toBeUndefined();
      expect(def.flops).toBeUndefined();
    }
    expect(evaluate(dropout, {}, [[1, 4]]).attrs).toEqual({ p: 0.5 });
  });

  test('dropout p is a probability; identity takes nothing', () => {
    expect(rejection(dropout, { p: 1.5 }, [[1, 4]])).toMatchObject({ code: 'spec', message: "dropout: 'p' must be between 0 and 1. Received: p=1.5." });
    expect(rejection(identity, { p: 0.5 }, [[1, 4]])).toMatchObject({ code: 'spec', message: "identity: unknown attribute 'p'. Known: none (see docs/ops.md#identity)." });
  });
});
