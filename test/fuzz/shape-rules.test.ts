/**
 * The shape rules against PyTorch on random settings: test/oracle/random-ops.json holds 900 convolution and pooling
 * layers whose settings were drawn by a seeded generator (scripts/oracle/random_ops_oracle.py) and run by PyTorch
 * 1.13. For each, nncalc must give PyTorch's output shape, parameters, buffers and MACs, or reject the layer as
 * PyTorch does. Two differences are deliberate and checked as such:
 * - padding 'same' with a stride: PyTorch refuses it; nncalc reads it as TensorFlow and Keras do, ⌈size/stride⌉;
 * - a pool whose window does not fit: PyTorch 1.13's max_pool1d returns an empty tensor (length 0); nncalc refuses
 *   a layer with no output position, as PyTorch does for every other pool.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findOp } from '../../src/ops/index.js';
import type { Shape } from '../../src/types.js';
import { caseName, checkCase, evaluate, rejection, type OpCase } from '../ops-oracle.js';

interface Drawn extends Omit<OpCase, 'inputs' | 'outputs'> {
  readonly input: number[];
  readonly output?: number[];
}

const doc = JSON.parse(readFileSync(new URL('../oracle/random-ops.json', import.meta.url), 'utf8')) as { seed: number; cases: Drawn[] };
const cases: OpCase[] = doc.cases.map(({ input, output, ...c }) => ({ ...c, inputs: [input], ...(output ? { outputs: [output] } : {}) }));

describe(`random convolutions and pools (seed ${doc.seed}) against PyTorch 1.13`, () => {
  test('the draw covers every rank of conv, max, average and adaptive pooling, accepted and rejected', () => {
    const kinds = new Set(cases.map((c) => c.op.replace(/[123]d$/, '')));
    expect(kinds).toEqual(new Set(['conv', 'maxpool', 'avgpool', 'adaptive_avgpool', 'adaptive_maxpool']));
    for (const rank of [1, 2, 3]) expect(cases.some((c) => c.op.endsWith(`${rank}d`))).toBe(true);
    expect(cases.filter((c) => c.error).length).toBeGreaterThan(100);
    // The deliberate differences are a few cases, not what the draw is made of.
    expect(cases.filter((c) => c.error?.includes("padding='same'") || c.outputs?.[0]?.includes(0)).length).toBeLessThan(cases.length / 20);
  });

  test('every case: the same shape, parameters and MACs, or the same rejection', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const def = findOp(c.op)!;
      try {
        if (c.error?.startsWith("padding='same' is not supported for strided")) {
          // TensorFlow's rule: each output size is ⌈input / stride⌉, whatever the kernel and dilation.
          const x = c.inputs[0]!;
          const stride = c.attrs['stride'] as number | number[];
          const s = (i: number) => (Array.isArray(stride) ? stride[i]! : stride);
          const want: Shape = [x[0]!, c.attrs['out'] as number, ...x.slice(2).map((v, i) => Math.ceil(v / s(i)))];
          expect(evaluate(def, c.attrs, c.inputs).outputs).toEqual([want]);
        } else if (c.outputs?.[0]?.includes(0)) {
          expect(rejection(def, c.attrs, c.inputs).message).toContain('does not fit');
        } else checkCase(def, c);
      } catch (e) {
        failures.push(`${caseName(c)}${c.error ? ` (PyTorch: ${c.error})` : ''}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
  });
});
