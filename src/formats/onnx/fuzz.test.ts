import { describe, expect, it } from 'vitest';
import { fuzzOnnx } from '../../../test/onnx-fuzz.js';

describe('ONNX reader fuzzing (a seeded slice; fuzzOnnx runs the full campaign)', () => {
  it('arbitrary bytes, protobuf-shaped fields and mutated real fixtures give a report or a ModelError, quickly', async () => {
    const tally = await fuzzOnnx({ runs: 60, seed: 20_241_207 });
    expect(tally.cases).toBe(60 * 9);
    // Mutations of real files must not all be rejected: most single-byte changes land in names or skipped data.
    expect(tally.read).toBeGreaterThan(50);
  }, 120_000);
});
