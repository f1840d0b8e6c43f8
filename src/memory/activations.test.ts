/**
 * Activation memory against PyTorch's own accounting (test/oracle/memory.json, written by
 * scripts/oracle/memory_oracle.py with torch 1.13 on CPU) and against Korthikanti et al. 2022.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { summarize } from '../summarize.js';
import { inference, training } from './activations.js';

interface Case {
  readonly model: string;
  readonly batch: number;
  readonly leaf_outputs: Readonly<Record<string, number>>;
  readonly leaf_outputs_sum: number;
  readonly peak: number;
  readonly peak_at: string;
  readonly saved: number;
  readonly saved_by_dtype: Readonly<Record<string, number>>;
}
const oracle = JSON.parse(readFileSync(new URL('../../test/oracle/memory.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe.each(oracle.cases.map((c) => [`${c.model} at batch ${c.batch}`, c] as const))('%s, fp32', (_, c) => {
  const r = summarize(c.model, { batch: c.batch });
  test('the sum of outputs is exact: every leaf module as PyTorch hooks see it, plus the functional layers', () => {
    const inf = inference(r, { bytes: 4 });
    // A module called several times ('relu', 'relu#2', 'relu#3') is one leaf whose hook fires each time.
    const module = (name: string) => name.replace(/#\d+$/, '');
    const perModule = new Map<string, number>();
    for (const l of r.layers) perModule.set(module(l.name), (perModule.get(module(l.name)) ?? 0) + Number(l.outputBytes));
    // Layers PyTorch runs as functions, not modules (a flatten, a residual add), are not in its hooks' sum.
    const functional = [...perModule].filter(([n]) => !(n in c.leaf_outputs)).reduce((s, [, b]) => s + b, 0);
    expect(Number(inf.sum) - functional).toBe(c.leaf_outputs_sum);
    for (const [n, b] of perModule) if (n in c.leaf_outputs) expect(b, n).toBe(c.leaf_outputs[n]);
  });
  test('the peak live set equals the most bytes PyTorch held at once, at the same layer', () => {
    const inf = inference(r, { bytes: 4 });
    expect(Number(inf.peak)).toBe(c.peak);
    // The peak can tie across two layers (a ReLU and the conv after it hold the same two tensors); the oracle's is one of them.
    expect([c.peak_at, ...samePeak(c.model)]).toContain(inf.peakAt);
  });
  test('what a training step saves equals the unique storages autograd saved (CPU: dropout masks in fp32)', () => {
    const t = training(r, { bytes: 4, device: 'cpu' });
    expect(Number(t.saved)).toBe(c.saved);
    expect(Number(t.byKind['max-pool indices (int64)'] ?? 0)).toBe(c.saved_by_dtype['int64'] ?? 0);
    expect(t.unruled).toEqual([]);
  });
});

/** VGG's conv1_1 ReLU runs in place in PyTorch, so its peak is at conv1_2; a ReLU that allocates ties it one layer earlier. */
const samePeak = (model: string): string[] => (model === 'vgg16' ? ['features.1'] : []);

describe('a GPT layer against Korthikanti et al. 2022, §4.1: s·b·h·(34 + 5·a·s/h) bytes at 16 bits', () => {
  // One GPT-2-small layer (h = 768, a = 12) at s = 1024, b = 2, with dropout after attention, on the probabilities
  // and after the MLP, as the paper's model has; activations 2 bytes, masks 1 byte.
  const [s, b, h, a] = [1024, 2, 768, 12];
  const spec = {
    name: 'gpt-layer',
    input: [b, s, h],
    layers: [
      { op: 'layernorm', attrs: {}, name: 'ln_1' },
      { op: 'attention', attrs: { num_heads: a, qkv_bias: true, causal: true, dropout: 0.1 }, name: 'attn' },
      { op: 'dropout', attrs: { p: 0.1 }, name: 'attn_drop' },
      { op: 'layernorm', attrs: {}, name: 'ln_2' },
      { op: 'linear', attrs: { out: 4 * h }, name: 'fc1' },
      { op: 'gelu', attrs: {}, name: 'gelu' },
      { op: 'linear', attrs: { out: h }, name: 'fc2' },
      { op: 'dropout', attrs: { p: 0.1 }, name: 'mlp_drop' },
    ],
  };
  test('equal, once the paper’s omissions are added back: LayerNorm statistics (2 floats a row each) and the residual adds', () => {
    const t = training(summarize(spec), { bytes: 2, device: 'cuda' });
    const paper = s * b * h * (34 + (5 * a * s) / h);
    // The paper ignores LayerNorm's mean and rstd ("small buffers"): 2 norms × 2 fp32 floats per row = 16·s·b bytes.
    expect(Number(t.saved)).toBe(paper + 16 * s * b);
  });
});
