import { describe, expect, test } from 'vitest';
import { modelStates, type Param } from './training.js';

// Llama-2-7B has 6,738,415,616 parameters (Meta's model card; nncalc's llama-2-7b zoo entry reproduces it).
const P = 6_738_415_616;
const one = (n: number, trainable = true): Param => ({ shape: [n], trainable });

describe('model states per parameter', () => {
  test('mixed-precision Adam is 16 bytes a parameter (ZeRO §3.1: 2Ψ + 2Ψ + 12Ψ)', () => {
    const s = modelStates([one(P)], 'adamw', 'mixed');
    expect(s.total.value).toBe(16 * P); // 107,814,649,856 (docs/memory.md §9)
    expect(s.total.value).toBe(107_814_649_856);
    expect(s.k).toBe(12);
    expect([s.weights.value, s.grads.value, s.optimizer.value]).toEqual([2 * P, 2 * P, 12 * P]);
  });
  test('fp32 SGD 8, SGD with momentum 12, Adam 16; pure bf16 Adam 8 (states follow the parameter dtype)', () => {
    expect(modelStates([one(1000)], 'sgd', 'fp32').total.value).toBe(8_000);
    expect(modelStates([one(1000)], 'momentum', 'fp32').total.value).toBe(12_000);
    expect(modelStates([one(1000)], 'adam', 'fp32').total.value).toBe(16_000);
    expect(modelStates([one(1000)], 'adam', 'bf16').total.value).toBe(8_000);
  });
  test('8-bit Adam: 2n + 8·⌈n/256⌉ from 4,096 elements, two fp32 states below', () => {
    // A 4096×4096 matrix: 2·16,777,216 + 8·65,536 = 34,078,720 bytes of state; a 1,000-element bias: 8·1,000.
    const s = modelStates([{ shape: [4096, 4096], trainable: true }, one(1000)], 'adam8bit', 'fp32');
    expect(s.optimizer.value).toBe(34_078_720 + 8_000);
  });
  test('Adafactor factors a matrix into row and column statistics', () => {
    // [1024, 4096]: (1024 + 4096)·4 bytes; a 4096 vector keeps its full second moment, 4096·4.
    const s = modelStates([{ shape: [1024, 4096], trainable: true }, one(4096)], 'adafactor', 'fp32');
    expect(s.optimizer.value).toBe((1024 + 4096) * 4 + 4096 * 4);
  });
  test('frozen parameters keep weights but no gradients or state', () => {
    const s = modelStates([one(100), one(900, false)], 'adam', 'fp32');
    expect([s.weights.value, s.grads.value, s.optimizer.value]).toEqual([4_000, 400, 800]);
    expect(s.assumptions).toContain('frozen parameters keep their weights only');
  });
  test('the formula reads as written: bytes·P', () => {
    expect(modelStates([one(P)], 'adamw', 'mixed').optimizer.formula).toBe('4·P + 8·P');
  });
});
