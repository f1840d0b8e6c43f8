import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { prelu } from './prelu.js';

describe('PReLU against PyTorch 1.13', () => {
  test.each(ops2Cases('prelu').map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(prelu, c, { names: true }));
});

describe('PReLU, derived by hand', () => {
  test('one shared slope, or one per channel', () => {
    expect(evaluate(prelu, {}, [[1, 64, 8, 8]]).params).toBe(1);
    const r = evaluate(prelu, { num_parameters: 64, init: 0.25 }, [[1, 64, 8, 8]]);
    expect(r.params).toBe(64);
    // 64·8·8 = 4,096 elements, 1 FLOP each.
    expect(r.flops.value).toBe(4096);
  });
  test('a slope count that is neither 1 nor C', () => {
    const e = rejection(prelu, { num_parameters: 3 }, [[1, 64, 8, 8]]);
    expect(e.message).toContain('the number of channels, 64. Received: num_parameters=3.');
  });
});
