import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, rejection } from '../../test/ops-oracle.js';
import { transformersOpCases } from '../../test/transformers-ops.js';
import { selectiveScan } from './selective-scan.js';

/** The scan as PyTorch 1.13 runs it, from scripts/oracle/transformers_oracle.py (hf_torch/mamba.py): addcmul and matmul MACs. */
const cases = transformersOpCases('selective_scan');

describe('the selective scan against its recurrence in PyTorch', () => {
  test('the oracle covers Mamba, and Mamba-2 with one and two groups', () => {
    expect(cases.length).toBe(3);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(selectiveScan, c, { names: true, counts: true }));
});

describe('mamba-130m, one layer, derived by hand', () => {
  // d_inner 1,536, d_state 16, 128 tokens.
  const r = evaluate(selectiveScan, { state_size: 16 }, [[1, 128, 1536], [1, 128, 1536], [1, 128, 16], [1, 128, 16]]);
  test('A_log 1,536·16 and D 1,536', () => {
    expect(r.params).toBe(24_576 + 1536);
  });
  test('MACs: state update and readout 128·1,536·16 each, skip 128·1,536', () => {
    expect(r.macs.value).toBe(2 * 128 * 1536 * 16 + 128 * 1536);
    expect(r.macs.formula).toBe('N·L·d_inner·d_state + N·L·d_inner·d_state + N·L·d_inner');
  });
  test('a Δ of the wrong width is named', () => {
    expect(rejection(selectiveScan, { state_size: 16 }, [[1, 8, 32], [1, 8, 4], [1, 8, 16], [1, 8, 16]]).message).toContain('Δ [N, L, 32] (one per channel)');
  });
});
