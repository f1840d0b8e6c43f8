/**
 * Activation memory against PyTorch's own accounting (test/oracle/memory.json, written by
 * scripts/oracle/memory_oracle.py with torch 1.13 on CPU) and against Korthikanti et al. 2022.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { LayerSpec } from '../describe/spec.js';
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

/**
 * Where nncalc's figure is not PyTorch 1.13's, and why: [least, most] of (nncalc − PyTorch) / PyTorch, measured at
 * batch 1 and 8. A test fails if a gap leaves its range, so a change that widens one is seen.
 * - alexnet, squeezenet1_0: PyTorch 1.13's max pooling computes int64 indices even at inference (max_pool2d calls
 *   max_pool2d_with_indices), held while it runs: alexnet's peak is short by exactly the indices of features.2's
 *   output (below). nncalc counts the layer's output only, as later PyTorch versions allocate.
 * - densenet121: torchvision's bn_function keeps the concatenated features in a local variable until conv1 returns;
 *   nncalc frees them after norm1, their last reader.
 * - efficientnet_b0: StochasticDepth is counted as a dropout (a full-size mask); PyTorch keeps one value per sample
 *   and the input of the multiply.
 * - convnext_tiny, vit_b_16, swin_t: temporaries inside the blocks that nncalc does not model (the attention's
 *   reshapes and its fast path, Swin's shifted-window rolls and masks, LayerNorm's and GELU's intermediates).
 */
const KNOWN: Readonly<Record<string, { peak?: [number, number]; saved?: [number, number] }>> = {
  alexnet: { peak: [-0.29, -0.27] },
  squeezenet1_0: { peak: [-0.06, -0.05] },
  densenet121: { peak: [-0.17, -0.15] },
  efficientnet_b0: { saved: [0.009, 0.01] },
  convnext_tiny: { peak: [-0.19, -0.17], saved: [-0.011, -0.009] },
  vit_b_16: { peak: [-0.16, -0.15], saved: [-1e-6, 0] },
  swin_t: { peak: [-0.18, -0.16], saved: [-0.2, -0.18] },
};

const gap = (ours: number, theirs: number): number => (ours - theirs) / theirs;

/** Ops without a rule of their own, which nncalc assumes keep their inputs (and says so): for `mul`, what PyTorch does. */
const UNRULED: Readonly<Record<string, readonly string[]>> = {
  mobilenet_v3_large: ['mul'],
  efficientnet_b0: ['mul'],
  regnet_y_400mf: ['mul'],
  swin_t: ['window_attention', 'patch_merge'],
};

describe.each(oracle.cases.map((c) => [`${c.model} at batch ${c.batch}`, c] as const))('%s, fp32', (_, c) => {
  const r = summarize(c.model, { batch: c.batch });
  const known = KNOWN[c.model] ?? {};
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
  test('the peak live set equals the most bytes PyTorch held at once, at the same layer (or the stated gap)', () => {
    const inf = inference(r, { bytes: 4 });
    if (known.peak) {
      const g = gap(Number(inf.peak), c.peak);
      expect(g).toBeGreaterThanOrEqual(known.peak[0]);
      expect(g).toBeLessThanOrEqual(known.peak[1]);
      return;
    }
    expect(Number(inf.peak)).toBe(c.peak);
    expect(inf.peakAt).toBe(c.peak_at);
  });
  test('what a training step saves equals the unique storages autograd saved (CPU: dropout masks in fp32), or the stated gap', () => {
    const t = training(r, { bytes: 4, device: 'cpu' });
    expect(t.unruled).toEqual(UNRULED[c.model] ?? []);
    if (known.saved) {
      const g = gap(Number(t.saved), c.saved);
      expect(g).toBeGreaterThanOrEqual(known.saved[0]);
      expect(g).toBeLessThanOrEqual(known.saved[1]);
      return;
    }
    expect(Number(t.saved)).toBe(c.saved);
    expect(Number(t.byKind['max-pool indices (int64)'] ?? 0)).toBe(c.saved_by_dtype['int64'] ?? 0);
  });
});

test("alexnet's peak: PyTorch 1.13 also holds the int64 indices of features.2's output, 64·27·27·8 bytes a sample", () => {
  for (const c of oracle.cases.filter((x) => x.model === 'alexnet')) {
    const inf = inference(summarize('alexnet', { batch: c.batch }), { bytes: 4 });
    expect(c.peak - Number(inf.peak)).toBe(c.batch * 64 * 27 * 27 * 8);
    expect(inf.peakAt).toBe(c.peak_at);
  }
});

test('the oracle covers 15 torchvision models, 8 of them equal in every figure', () => {
  const models = new Set(oracle.cases.map((c) => c.model));
  expect(models.size).toBe(15);
  expect([...models].filter((m) => !(m in KNOWN))).toEqual(['vgg16', 'resnet50', 'mobilenet_v2', 'resnet18', 'shufflenet_v2_x1_0', 'mnasnet1_0', 'mobilenet_v3_large', 'regnet_y_400mf']);
});

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

describe('in-place activations and dropouts that drop nothing', () => {
  // [1, 4, 8, 8] in fp32 is 4·8·8·4 = 1,024 bytes; BatchNorm keeps two floats per channel, 2·4·4 = 32 bytes.
  const net = (act: string, inplace: boolean, extra: LayerSpec[] = []) =>
    summarize({
      name: 'block',
      input: [1, 4, 8, 8],
      layers: [
        { op: 'conv2d', attrs: { out: 4, kernel: 3, padding: 1 }, name: 'conv1' },
        { op: 'batchnorm2d', attrs: {}, name: 'bn' },
        { op: act, attrs: { inplace }, name: 'act' },
        ...extra,
        { op: 'conv2d', attrs: { out: 4, kernel: 3, padding: 1 }, name: 'conv2' },
      ],
    });
  test('an in-place ReLU writes over its input: it allocates nothing', () => {
    // conv1 (4 → 4 channels, 1,024 B), relu, conv2 (4 → 2 channels, 512 B). Not in place: at relu, conv1's output and
    // relu's are live, 2,048 B. In place: relu allocates nothing, and the most is at conv2: 1,024 + 512 = 1,536 B.
    const small = (inplace: boolean) =>
      summarize({
        name: 'pair',
        input: [1, 4, 8, 8],
        layers: [
          { op: 'conv2d', attrs: { out: 4, kernel: 3, padding: 1 }, name: 'conv1' },
          { op: 'relu', attrs: { inplace }, name: 'relu' },
          { op: 'conv2d', attrs: { out: 2, kernel: 3, padding: 1 }, name: 'conv2' },
        ],
      });
    expect(inference(small(false), { bytes: 4 })).toMatchObject({ peak: 2048, peakAt: 'relu' });
    expect(inference(small(true), { bytes: 4 })).toMatchObject({ peak: 1536, peakAt: 'conv2' });
  });
  test('what backward keeps: an in-place ReLU its output; an in-place ReLU6 a copy of the input it overwrote', () => {
    // conv1 keeps the input (1,024), bn its input (1,024) and statistics (32), conv2 its input: bn's storage, which
    // the in-place activation overwrote (1,024). ReLU keeps that same storage: 3,104. ReLU6's backward needs the
    // values before it wrote, so PyTorch 1.13 keeps a copy: 3,104 + 1,024 = 4,128.
    expect(Number(training(net('relu', true), { bytes: 4, device: 'cpu' }).saved)).toBe(3104);
    expect(Number(training(net('relu6', true), { bytes: 4, device: 'cpu' }).saved)).toBe(4128);
  });
  test('a dropout with p = 0 returns its input in training too: no mask, no new tensor', () => {
    const p = (v: number) => Number(training(net('relu', true, [{ op: 'dropout', attrs: { p: v }, name: 'drop' }]), { bytes: 4, device: 'cpu' }).saved);
    expect(p(0)).toBe(3104);
    // p = 0.5: a mask of 1,024 B (fp32 on a CPU), and conv2 keeps the dropout's new output (1,024 B).
    expect(p(0.5)).toBe(3104 + 1024 + 1024);
  });
});
