import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, rejection, type OpCase } from '../../test/ops-oracle.js';
import { readFileSync } from 'node:fs';
import { findOp, opAliases, ops } from './index.js';
import { keywordsOf, spellings, withClassDefaults } from './keywords.js';

/** The ops2.json cases written in PyTorch's vocabulary: a torch.nn class and its keyword arguments. */
const torchCases = (JSON.parse(readFileSync(new URL('../../test/oracle/ops2.json', import.meta.url), 'utf8')) as { cases: OpCase[] }).cases.filter((c) =>
  /^[A-Z]/.test(c.op),
);

describe("PyTorch's classes and keywords against PyTorch 1.13", () => {
  test('the oracle has them, rejections included', () => {
    expect(torchCases.length).toBeGreaterThan(35);
    expect(torchCases.filter((c) => c.error).length).toBeGreaterThanOrEqual(7);
  });
  test.each(torchCases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => {
    const def = findOp(c.op);
    expect(def, `${c.op} is a known class name`).toBeDefined();
    // The class name brings PyTorch's defaults where nncalc's differ, as a spec written with it does.
    checkCase(def!, { ...c, attrs: withClassDefaults(c.op, def!, c.attrs) });
  });
});

describe("Keras's classes and keywords, derived by hand", () => {
  test("Conv2D(filters, kernel_size, strides, padding='same', use_bias=False) on 32×32×3", () => {
    // 'same' with stride 2: ⌈32/2⌉ = 16. Weights 3·3·3·32 = 864, no bias. MACs 16·16·32·3·3·3 = 221,184.
    const r = evaluate(findOp('Conv2D')!, { filters: 32, kernel_size: 3, strides: 2, padding: 'same', use_bias: false }, [[1, 3, 32, 32]]);
    expect(r.outputs).toEqual([[1, 32, 16, 16]]);
    expect(r.params).toBe(864);
    expect(r.macs.value).toBe(221_184);
  });
  test('Dense(units) and MaxPooling2D(pool_size, strides)', () => {
    // 128·10 + 10 = 1,290.
    expect(evaluate(findOp('Dense')!, { units: 10 }, [[1, 128]]).params).toBe(1_290);
    // ⌊(9 − 3)/2⌋ + 1 = 4.
    expect(evaluate(findOp('MaxPooling2D')!, { pool_size: 3, strides: 2 }, [[1, 8, 9, 9]]).outputs).toEqual([[1, 8, 4, 4]]);
  });
  test("MaxPooling2D() takes Keras's pool_size 2; maxpool2d, PyTorch's spelling, still asks for it", () => {
    const pool = findOp('MaxPooling2D')!;
    expect(evaluate(pool, withClassDefaults('MaxPooling2D', pool, {}), [[1, 8, 9, 9]]).outputs).toEqual([[1, 8, 4, 4]]);
    expect(withClassDefaults('MaxPool2d', pool, {})).toEqual({});
    expect(withClassDefaults('MaxPooling2D', pool, { kernel: 3 })).toEqual({ kernel: 3 });
  });
  test("BatchNormalization is Keras's: γ and β each on or off, on any rank", () => {
    const bn = findOp('BatchNormalization')!;
    expect(bn.kind).toBe('batch_normalization');
    // γ only: 16 parameters, plus the moving mean and variance (buffers in the PyTorch convention).
    const r = evaluate(bn, { epsilon: 1e-3, center: false }, [[1, 16, 4, 4]]);
    expect(r.weights.map((w) => w.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    expect(r.params).toBe(16);
    expect(evaluate(bn, {}, [[2, 10]]).params).toBe(20);
  });
  test('Embedding(input_dim, output_dim) and GlobalAveragePooling2D', () => {
    expect(evaluate(findOp('Embedding')!, { input_dim: 1000, output_dim: 64 }, [[2, 7]]).outputs).toEqual([[2, 7, 64]]);
    expect(evaluate(findOp('GlobalAveragePooling2D')!, { keepdims: true }, [[1, 8, 5, 5]]).outputs).toEqual([[1, 8, 1, 1]]);
  });
  test('LSTM(units) is batch first and returns the last step, as Keras layers do; return_sequences keeps them all', () => {
    const lstm = findOp('LSTM')!;
    // [N, L, in] = [2, 30, 16]. PyTorch-convention weights: 4·32·(16 + 32) + 2·4·32 = 6,400.
    const last = evaluate(lstm, { units: 32 }, [[2, 30, 16]]);
    expect(last.outputs[0]).toEqual([2, 32]);
    expect(last.params).toBe(6_400);
    // MACs L·N·G·H·(in + H) = 30·2·4·32·48 = 368,640, the same whichever steps are returned.
    expect(last.macs.value).toBe(368_640);
    expect(evaluate(lstm, { units: 32, return_sequences: true }, [[2, 30, 16]]).outputs[0]).toEqual([2, 30, 32]);
    // Written PyTorch's way the same layer is sequence first: [L, N, in] = [2, 30, 16] is L = 2, N = 30.
    expect(evaluate(lstm, { hidden_size: 32 }, [[2, 30, 16]]).outputs[0]).toEqual([2, 30, 32]);
  });
});

describe('keyword errors', () => {
  test('an unknown keyword close to a PyTorch or Keras one names it', () => {
    expect(rejection(ops.conv2d!, { out: 4, kernel_sise: 3 }, [[1, 3, 8, 8]]).message).toBe(
      "conv2d: 'kernel' (or 'kernel_size') is required (an integer ≥ 1 or a list of 2 of them). Received an unknown attribute 'kernel_sise'; did you mean 'kernel_size'?",
    );
    expect(rejection(ops.linear!, { out_features: 4, use_biass: false }, [[1, 3]]).message).toBe(
      "linear: unknown attribute 'use_biass'. Did you mean 'use_bias'? Known: out, in, bias (see docs/ops.md#linear).",
    );
  });
  test('two keywords for one attribute are an error that names both', () => {
    expect(rejection(ops.conv2d!, { out: 4, kernel: 3, kernel_size: 3 }, [[1, 3, 8, 8]]).message).toBe("conv2d: 'kernel' and 'kernel_size' both give 'kernel'; keep one.");
    expect(rejection(ops.linear!, { units: 4, out_features: 4 }, [[1, 3]]).message).toBe("linear: 'units' and 'out_features' both give 'out' (as 'out_features' and 'units'); keep one.");
  });
  test("values are named as written: 'kernel_size', not 'kernel'", () => {
    expect(rejection(ops.conv2d!, { out: 4, kernel_size: -1 }, [[1, 3, 8, 8]]).message).toBe(
      "conv2d: 'kernel_size' must be an integer ≥ 1 or a list of 2 of them. Received: kernel_size=-1.",
    );
  });
  test('in_channels is checked against the input', () => {
    const e = rejection(ops.conv2d!, { in_channels: 4, out: 8, kernel: 3 }, [[1, 3, 8, 8]]);
    expect(e).toMatchObject({ code: 'shape', message: 'conv2d was given 4 input channels, but its input [1, 3, 8, 8] has 3 (dimension 1).' });
  });
});

describe('the table', () => {
  test('every spelled kind is an op, and every keyword names an attribute the op reads', () => {
    for (const kind of Object.keys(spellings)) expect(Object.hasOwn(ops, kind), kind).toBe(true);
    for (const [kind, s] of Object.entries(spellings)) {
      for (const attr of [...(s.torchArgs ?? []), ...(s.kerasArgs ?? [])]) {
        const name = attr.replace(/^\*/, '');
        // return_indices, add_bias_kv and add_zero_attn are PyTorch arguments nncalc refuses: they change the outputs or the weights.
        if (!['return_indices', 'add_bias_kv', 'add_zero_attn'].includes(name)) expect(s.words[name], `${kind} ${attr}`).toBeDefined();
      }
    }
  });
  test('Keras class names find their kind, and no keyword names two attributes of one op', () => {
    for (const [kind, s] of Object.entries(spellings)) {
      if (s.keras) expect(findOp(s.keras)?.kind, s.keras).toBe(kind);
      const seen = new Map<string, string>();
      for (const [attr, words] of Object.entries(s.words)) {
        for (const w of words) if (w !== null) expect(seen.get(w) ?? attr, `${kind}: ${w}`).toBe(attr), seen.set(w, attr);
      }
      expect(keywordsOf(kind).size).toBeLessThanOrEqual(seen.size);
    }
    expect(Object.values(opAliases).every((k) => Object.hasOwn(ops, k))).toBe(true);
  });
});
