import { describe, expect, test } from 'vitest';
import { checkLayout, deepspeedZero2, deepspeedZero3, perGpu, zeroFormula } from './parallel.js';

describe('ZeRO, Rajbhandari et al. 2020, Fig. 1: Ψ = 7.5B, N = 64, K = 12', () => {
  const psi = 7_500_000_000;
  test.each([
    [0, 120_000_000_000], // (2 + 2 + 12)·7.5B = 120 GB
    [1, 31_406_250_000], // 4·7.5B + 12·7.5B/64 = 31.4 GB
    [2, 16_640_625_000], // 2·7.5B + 14·7.5B/64 = 16.6 GB
    [3, 1_875_000_000], // 16·7.5B/64 = 1.9 GB
  ] as const)('stage %i: %i bytes per GPU', (z, bytes) => {
    expect(zeroFormula(psi, 12, 64, z).value).toBe(bytes);
  });
  test('the same from the shard: weights, gradients and states partitioned stage by stage', () => {
    const shard = { weights: 2 * psi, grads: 2 * psi, optimizer: 12 * psi };
    const at = (sharding: 'none' | 'zero1' | 'zero2' | 'zero3') => perGpu(shard, { gpus: 64, sharding, tp: 1, pp: 1 }).total.value;
    expect([at('none'), at('zero1'), at('zero2'), at('zero3')]).toEqual([120_000_000_000, 31_406_250_000, 16_640_625_000, 1_875_000_000]);
  });
  test('Llama-2-7B over 8 GPUs with ZeRO-3 holds 2P = 13,476,831,232 bytes of 16-bit weights per GPU', () => {
    const P = 6_738_415_616;
    const s = perGpu({ weights: 2 * P, grads: 2 * P, optimizer: 12 * P }, { gpus: 8, sharding: 'zero3', tp: 1, pp: 1 });
    expect(s.total.value).toBe(2 * P);
  });
});

describe("DeepSpeed's estimators, the t5-3b example of its memory.rst (1 node × 8 GPUs, 2,851M params, largest layer 32M)", () => {
  const c = { params: 2851e6, largestLayer: 32e6, nodes: 1, gpusPerNode: 8 };
  const gib = (b: number) => Number((b / 2 ** 30).toFixed(2)); // printed as "GB", computed as GiB
  test('ZeRO-2: 127.45 GiB CPU and 5.31 GiB GPU with the optimizer offloaded; 11.28 GiB GPU without', () => {
    const [off, none] = deepspeedZero2(c);
    expect([gib(off!.cpu), gib(off!.gpu)]).toEqual([127.45, 5.31]);
    // The docs still print 15.93, the formula before PR #5099 (4P + 16P/8); the code gives 2P + 18P/8.
    expect(gib(none!.gpu)).toBe(11.28);
    expect(gib(4 * c.params + (16 * c.params) / 8)).toBe(15.93);
  });
  test('ZeRO-3: the six rows of the docs', () => {
    const rows = deepspeedZero3(c).map((r) => [r.zeroInit, gib(r.cpu), gib(r.gpu)]);
    expect(rows).toEqual([
      [1, 71.69, 0.12],
      [1, 63.72, 0.78],
      [1, 1.43, 6.09],
      [0, 127.45, 0.12],
      [0, 127.45, 0.78],
      [0, 127.45, 6.09],
    ]);
  });
});

describe('layouts that cannot work are errors that say why', () => {
  test('GPUs not a multiple of t·p', () => {
    expect(() => checkLayout({ gpus: 6, sharding: 'none', tp: 4, pp: 1 })).toThrow(/--gpus 6 is not a multiple of --tp 4 × --pp 1/);
  });
  test('a tensor-parallel degree that does not divide the heads', () => {
    expect(() => checkLayout({ gpus: 8, sharding: 'none', tp: 8, pp: 1 }, 12)).toThrow(/--tp 8 does not divide the 12 attention heads/);
  });
});
