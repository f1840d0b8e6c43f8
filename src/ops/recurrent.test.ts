import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { ModelError } from '../errors.js';
import type { OpDef } from './op.js';
import { gru, lstm, rnn } from './recurrent.js';

const defs: Record<string, OpDef<any>> = { rnn, lstm, gru };
const keras = { convention: 'keras' } as const;

describe('recurrent layers against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(defs));
  test('the oracle covers layers, directions, bias, batch_first, unbatched, projection and rejections', () => {
    expect(cases.length).toBeGreaterThanOrEqual(28);
    expect(cases.filter((c) => c.error).length).toBe(5);
  });
  // Names and shapes of every weight, in PyTorch's order; outputs are [output, h_n(, c_n)].
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c, { names: true }));
});

describe('PyTorch counts, derived by hand', () => {
  test('LSTM(32, 64) on [35, 4, 32]', () => {
    const r = evaluate(lstm, { hidden_size: 64 }, [[35, 4, 32]]);
    // 4·(32·64 + 64·64 + 64 + 64) = 4·6,272 = 25,088.
    expect(r.params).toBe(25_088);
    // L·N·G·H·(in + H) = 35·4·4·64·(32 + 64) = 3,440,640.
    expect(r.macs.value).toBe(3_440_640);
    expect(r.macs.formula).toBe('L·N·4·H·(in + H)');
    // Per step and unit: 4 sums + 4 bias adds + 9 gate operations = 17; 35·4·17·64 = 152,320.
    expect(r.flops.value).toBe(152_320);
  });
  test('a second layer reads the D·H outputs of the first', () => {
    const r = evaluate(gru, { hidden_size: 64, num_layers: 2, bidirectional: true }, [[35, 4, 32]]);
    // Layer 0: 2·3·64·(32 + 64) MACs per step = 36,864; layer 1: 2·3·64·(128 + 64) = 73,728; 140 steps → 15,482,880.
    expect(r.macs.value).toBe(15_482_880);
    expect(r.macs.formula).toBe('L·N·D·3·H·(in + H) + (num_layers − 1)·L·N·D·3·H·(2·H + H)');
    expect(r.weights.find((w) => w.name === 'weight_ih_l1_reverse')!.shape).toEqual([192, 128]);
  });
  test('an LSTM projection adds L·N·H·P MACs and shrinks h_n', () => {
    const r = evaluate(lstm, { hidden_size: 64, proj_size: 16 }, [[35, 4, 32]]);
    // 35·4·(4·64·(32 + 16) + 64·16) = 140·13,312 = 1,863,680.
    expect(r.macs.value).toBe(1_863_680);
    expect(r.outputs).toEqual([
      [35, 4, 16],
      [1, 4, 16],
      [1, 4, 64],
    ]);
  });
  test('bad configurations', () => {
    expect(rejection(lstm, { hidden_size: 64, proj_size: 64 }, [[35, 4, 32]]).message).toContain('proj_size=64, hidden_size=64');
    expect(rejection(gru, { hidden_size: 64, proj_size: 16 }, [[35, 4, 32]]).message).toContain("unknown attribute 'proj_size'");
    expect(rejection(rnn, { hidden_size: 8 }, [[1, 3, 32, 32]]).details[0]).toContain('image');
    expect(rejection(lstm, { hidden_size: 8, input_size: 12 }, [[9, 2, 10]]).message).toContain('expects input_size 12');
  });
});

describe('Keras counts, derived by hand', () => {
  test('LSTM(units=64) on 32 features: 4·(32·64 + 64·64 + 64) = 24,832', () => {
    // kernel [32, 256] = 8,192; recurrent_kernel [64, 256] = 16,384; bias [256] = 256.
    const r = evaluate(lstm, { hidden_size: 64, batch_first: true }, [[1, 10, 32]], keras);
    expect(r.params).toBe(24_832);
    expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual([
      ['kernel', [32, 256]],
      ['recurrent_kernel', [64, 256]],
      ['bias', [256]],
    ]);
  });
  test('GRU(64) on 32 features, reset_after=True (Keras default): 3·(32·64 + 64·64 + 2·64) = 18,816', () => {
    // Keras keeps separate input and recurrent biases when the reset gate is applied after the matmul: bias [2, 192].
    const r = evaluate(gru, { hidden_size: 64 }, [[1, 10, 32]], keras);
    expect(r.params).toBe(18_816);
    expect(r.weights[2]!.shape).toEqual([2, 192]);
  });
  test('GRU(64, reset_after=False) on 32 features: 3·(32·64 + 64·64 + 64) = 18,624', () => {
    expect(evaluate(gru, { hidden_size: 64, reset_after: false }, [[1, 10, 32]], keras).params).toBe(18_624);
    // PyTorch's GRU always has both bias vectors: 3·(32·64 + 64·64 + 2·64) = 18,816.
    expect(evaluate(gru, { hidden_size: 64, reset_after: false }, [[1, 10, 32]]).params).toBe(18_816);
  });
  test('SimpleRNN(64) on 32 features: 32·64 + 64·64 + 64 = 6,208; Bidirectional(LSTM(64)): 2·24,832 = 49,664', () => {
    expect(evaluate(rnn, { hidden_size: 64 }, [[1, 10, 32]], keras).params).toBe(6208);
    const bi = evaluate(lstm, { hidden_size: 64, bidirectional: true }, [[1, 10, 32]], keras);
    expect(bi.params).toBe(49_664);
    expect(bi.weights.map((w) => w.name)).toContain('recurrent_kernel_l0_reverse');
  });
  test('a projection has no Keras weights', () => {
    expect(() => evaluate(lstm, { hidden_size: 64, proj_size: 16 }, [[1, 10, 32]], keras)).toThrow(ModelError);
  });
});
