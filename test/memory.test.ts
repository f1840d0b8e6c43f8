/**
 * Memory through the command line: the footer, --explain, JSON, `fit`, `diff --vs-dtype`, and the flags' errors.
 * Expected bytes are derived next to each test from the model's published parameter count.
 */
import { describe, expect, test } from 'vitest';
import { summarize } from '../src/summarize.js';
import { run } from './cli-io.js';

// Llama-2-7B: 6,738,415,616 parameters (Meta's model card; the zoo entry reproduces it).
const P = 6_738_415_616;

describe('weights by dtype', () => {
  test('Llama-2-7B in bf16 is 2·P = 13,476,831,232 bytes', () => {
    expect(summarize('llama-2-7b', { memory: { dtype: 'bf16' } }).memory!.weights.bytes).toBe(13_476_831_232);
  });
  test('fp32 is 4 bytes a parameter, and the default', () => {
    expect(summarize('vgg16').memory!.weights.bytes).toBe(4 * 138_357_544);
  });
  test('nf4 as bitsandbytes leaves it: linear weights 4.5 bits, the head, embeddings and norms 16-bit', () => {
    const m = summarize('llama-2-7b', { memory: { dtype: 'nf4' } }).memory!;
    // Embedding and head 32,000·4,096 each, norms 65·4,096, all fp16; the rest nf4 at 36 bytes per 64 weights.
    const sixteen = 2 * 32_000 * 4_096 + 65 * 4_096;
    const quantised = P - sixteen;
    expect(m.weights.byType['fp16']!.elements).toBe(sixteen);
    expect(m.weights.bytes).toBe(2 * sixteen + (quantised / 64) * 36);
  });
});

describe('the footer states memory, not a sum of outputs', () => {
  test('vgg16: weights, the peak at batch 1 and inference memory', async () => {
    const r = await run(['vgg16']);
    expect(r.stdout).toMatch(/Weights:\s+527\.79 MiB\s+in fp32/);
    // Peak: two 64×224×224 fp32 maps, 2·12,845,056 = 25,690,112 bytes = 24.50 MiB (PyTorch's own figure, test/oracle/memory.json).
    expect(r.stdout).toMatch(/Activations \(peak\):\s+24\.50 MiB\s+live at once at batch 1/);
    expect(r.stdout).not.toMatch(/Activations:\s.*Σ layer outputs at fp32/);
  });
  test('a decoder adds its KV cache at the sequence length; training adds its states', async () => {
    const r = await run(['llama-2-7b', '--dtype', 'bf16', '--seq', '4096', '--train', 'adamw']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/KV cache:\s+2\.00 GiB\s+bf16, 4,096 tokens × 1: 512\.00 KiB a token/);
    expect(r.stdout).toMatch(/Training memory:.*adamw, mixed: weights 12\.55 GiB \+ gradients 12\.55 GiB \+ optimizer 75\.31 GiB/);
  });
  test('--explain gives each figure with its formula and the assumptions', async () => {
    const r = await run(['llama-2-7b', '--dtype', 'bf16', '--train', 'adamw', '--explain']);
    expect(r.stdout).toContain('Memory');
    expect(r.stdout).toContain('4·P + 8·P');
    expect(r.stdout).toContain('mixed precision: 16-bit weights and gradients, an fp32 master copy');
  });
  test("the attention scores' line says whether they are part of the peak", async () => {
    // At 128 tokens one layer's scores are 2·32·128·128·4 = 4,194,304 bytes, and the MLP's live set is larger: the
    // peak is at model.layers.0.mlp.mul. At 2,048 tokens they are 2·32·2,048·2,048·4 = 1,073,741,824 bytes, and the
    // peak is at the attention layer.
    const short = (await run(['llama-2-7b', '--explain', '--width', '200'])).stdout;
    expect(short).toMatch(/attention scores +one attention layer's scores and probabilities, counted while it runs; the peak, at model\.layers\.0\.mlp\.mul, is elsewhere .* 4,194,304 bytes/);
    const long = (await run(['llama-2-7b', '--explain', '--seq', '2048', '--width', '200'])).stdout;
    expect(long).toMatch(/attention scores +one attention layer's scores and probabilities, part of the peak at model\.layers\.0\.self_attn .* 1,073,741,824 bytes/);
  });
  test('JSON carries exact bytes', async () => {
    const r = await run(['llama-2-7b', '--dtype', 'bf16', '--format', 'json']);
    const m = JSON.parse(r.stdout).memory;
    expect(m.weights.bytes).toBe(2 * P);
    expect(m.kv.perToken).toBe(524_288);
  });
});

describe('nncalc fit', () => {
  test('the largest batch, with the term that binds', async () => {
    const r = await run(['fit', 'llama-2-7b', '--gpu', 'rtx4090', '--dtype', 'bf16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fits for inference at 128 tokens up to a batch of \d+/);
    expect(r.stdout).toContain('Binding term: KV cache');
    // Check the answer: at that batch it fits, one more does not.
    const batch = Number(/up to a batch of ([\d,]+)/.exec(r.stdout)![1]!.replace(/,/g, ''));
    const budget = 24_564 * 2 ** 20;
    const at = (b: number) => Number(summarize('llama-2-7b', { batch: b, memory: { dtype: 'bf16' } }).memory!.inference!.bytes);
    expect(at(batch)).toBeLessThanOrEqual(budget);
    expect(at(batch + 1)).toBeGreaterThan(budget);
  });
  test('a model that does not fit at batch 1 says so, with the term that is over and the GPUs that would hold it', async () => {
    const r = await run(['fit', 'llama-2-70b', '--gpu', 'rtx4090', '--dtype', 'bf16', '--train', 'adamw']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Does not fit for training with adamw, even at batch 1');
    expect(r.stdout).toContain('The optimizer state alone takes');
    expect(r.stdout).toMatch(/It fits on \d+ such GPUs with/);
    expect(r.stdout).not.toMatch(/batch of 0/);
  });
  test.each([
    [['fit', 'vgg16', '--memory', '24'], "--memory '24' is not a memory size. Write a number with a unit, such as 24GiB or 80GB"],
    [['fit', 'vgg16', '--memory', '24G'], "unknown unit 'G'"],
    [['fit', 'vgg16', '--gpu', 'rtx5090'], "unknown GPU 'rtx5090'. Did you mean 'rtx4090'?"],
    [['fit', 'vgg16'], 'fit needs the memory to fit in'],
    [['vgg16', '--train', 'adamw', '--zero', '3', '--fsdp', '--gpus', '8'], '--zero and --fsdp are two names for sharding the same states'],
    [['llama-2-7b', '--train', 'adamw', '--gpus', '6', '--tp', '3', '--dtype', 'bf16'], '--tp 3 does not divide the 32 attention heads'],
    [['vgg16', '--dtype', 'int3'], "--dtype 'int3' is not a storage type nncalc knows. Did you mean 'int8'?"],
    [['vgg16', '--train', 'lbfgs'], "--train 'lbfgs' is not an optimizer nncalc models"],
    [['list', '--train', 'adamw'], "--train does nothing for 'nncalc list'"],
  ])('%j is an error that says why', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBeGreaterThan(0);
    expect(r.stderr).toContain(message);
  });
});

describe('diff --vs-dtype', () => {
  test('shows the saving of int4 weights', async () => {
    const r = await run(['diff', 'llama-2-7b', '--vs-dtype', 'int4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/memory: weights \(fp32 → int4\)\s+25\.10 GiB\s+3\.50 GiB/);
    // The same layers, so "Why" names the storage types, not "the two are the same".
    expect(r.stdout).toContain('Why: the storage types differ: weights in fp32 in llama-2-7b (a) and int4 in llama-2-7b (b) (25.10 GiB → 3.50 GiB)');
    expect(r.stdout).toContain('which changes the memory, not the counts');
    expect(r.stdout).not.toContain('the two are the same');
  });
});

describe('llama.cpp files, as its quantiser places the types (docs/memory.md)', () => {
  // Llama-2-7B: norms 65·4,096 = 266,240 F32 elements (1,064,960 bytes); output 32,000·4,096 = 131,072,000 as Q6_K,
  // 210 bytes per 256 (107,520,000 bytes); the other 6,607,077,376 elements as Q4_0, 18 bytes per 32
  // (3,716,481,024 bytes): 3,825,065,984, the published Q4_0 file (3.83 GB) less its metadata.
  test('Q4_0: 3,825,065,984 bytes', () => {
    expect(summarize('llama-2-7b', { memory: { dtype: 'q4_0' } }).memory!.weights.bytes).toBe(3_825_065_984);
  });
  // Q4_K_M raises attn_v and ffn_down to Q6_K on 16 of the 32 layers (the first 4, the last 4, and layers 6, 9,
  // …, 27): 16·(4,096·4,096 + 4,096·11,008) = 988,807,168 elements at 210/256 instead of 144/256 bytes, 254,926,848
  // bytes more than all-Q4_K; with token_embd Q4_K, output Q6_K and F32 norms: 4,080,263,168 bytes.
  test('Q4_K_M: 4,080,263,168 bytes', () => {
    const m = summarize('llama-2-7b', { memory: { dtype: 'q4_k_m' } }).memory!;
    expect(m.weights.bytes).toBe(4_080_263_168);
    expect(m.assumptions.join(' ')).toContain('attn_v and ffn_down Q6_K on the layers that get more bits');
  });
});

describe('a model file is sized as it stores its weights, unless --dtype says otherwise', () => {
  const fixtures = new URL('fixtures/models/', import.meta.url).pathname;
  test('a Q4_K_M GGUF: its own Q4_K, Q6_K and F32 tensors', async () => {
    // scripts/fixtures/model-files.mjs: 753,664 elements in Q4_K (144 bytes per 256: 423,936 B), 163,840 in Q6_K
    // (210 per 256: 134,400 B), 1,280 in F32 (5,120 B): 563,456 bytes, the file's tensors.
    const r = await run([`${fixtures}tiny-llama.gguf`, '--format', 'json']);
    const m = JSON.parse(r.stdout).memory;
    expect(m.dtype).toBe('stored');
    expect(m.weights.bytes).toBe(563_456);
    expect(m.weights.byType).toEqual({ Q4_K: { bytes: 423_936, elements: 753_664 }, Q6_K: { bytes: 134_400, elements: 163_840 }, F32: { bytes: 5_120, elements: 1_280 } });
    const table = (await run([`${fixtures}tiny-llama.gguf`])).stdout;
    expect(table).toMatch(/Weights:\s+550\.25 KiB\s+as the file stores them: Q4_K 414\.00 KiB, Q6_K 131\.25 KiB, F32 5\.00 KiB/);
    // --dtype sizes every weight in one type: 918,784 parameters · 2 bytes.
    const bf16 = JSON.parse((await run([`${fixtures}tiny-llama.gguf`, '--dtype', 'bf16', '--format', 'json'])).stdout).memory;
    expect(bf16).toMatchObject({ dtype: 'bf16', weights: { bytes: 2 * 918_784 } });
  });
  test('a sharded safetensors folder in BF16, and a weights-only file: no "fp32" they do not hold', async () => {
    // 106,816 BF16 elements: 213,632 bytes.
    expect((await run([`${fixtures}tiny-llama-sharded`])).stdout).toMatch(/Weights:\s+208\.63 KiB\s+in BF16, as the file stores them/);
    const weightsOnly = (await run([`${fixtures}small-cnn.safetensors`, '--explain'])).stdout;
    expect(weightsOnly).toMatch(/Weights:\s+[\d.]+ KiB\s+as the file stores them: F16 /);
    expect(weightsOnly).toContain('tensors the model file stores keep their stored size (F16, F32, I64)');
    expect(weightsOnly).not.toContain('every parameter and buffer in fp32');
  });
});
