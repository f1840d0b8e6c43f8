import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import type { OpDef } from './op.js';
import { pixelShuffle, pixelUnshuffle, upsample } from './upsample.js';

const defs: Record<string, OpDef<any>> = { upsample, pixel_shuffle: pixelShuffle, pixel_unshuffle: pixelUnshuffle };

describe('resizing against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(defs));
  test('the oracle covers every op', () => expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs))));
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c));
});

describe('upsample, derived by hand', () => {
  test('without size or scale_factor, the size of a second input (a segmentation head resized to the image)', () => {
    // DeepLabV3's logits [1, 21, 65, 65] resized to a 520×520 image: 21·520·520 = 5,678,400 outputs × 7 FLOPs.
    const r = evaluate(upsample, { mode: 'bilinear', align_corners: false }, [[1, 21, 65, 65], [1, 3, 520, 520]]);
    expect(r.outputs).toEqual([[1, 21, 520, 520]]);
    expect(r.flops.value).toBe(5_678_400 * 7);
    expect(r.macs.value).toBe(0);
  });

  test('scale 1.5 on 11: ⌊16.5⌋ = 16, noted', () => {
    const r = evaluate(upsample, { scale_factor: 1.5, mode: 'linear' }, [[2, 4, 11]]);
    expect(r.outputs).toEqual([[2, 4, 16]]);
    expect(r.notes[0]).toEqual({ label: 'L_out', count: { value: 16, formula: '⌊L_in·scale⌋', terms: '⌊11·1.5⌋' } });
    // linear: 2 multiplies + 1 add per output; 2·4·16 = 128 outputs → 384.
    expect(r.flops.value).toBe(384);
  });
  test('FLOPs per output element by mode', () => {
    // 1·64·56·56 = 200,704 outputs.
    expect(evaluate(upsample, { scale_factor: 2 }, [[1, 64, 28, 28]]).flops.value).toBe(0);
    expect(evaluate(upsample, { scale_factor: 2, mode: 'bilinear' }, [[1, 64, 28, 28]]).flops.value).toBe(200_704 * 7);
    expect(evaluate(upsample, { scale_factor: 2, mode: 'bicubic' }, [[1, 64, 28, 28]]).flops.value).toBe(200_704 * 31);
    // 1·2·8·12·4 = 768 outputs, 8 corners: 8 multiplies + 7 adds.
    expect(evaluate(upsample, { scale_factor: [2, 3, 1], mode: 'trilinear' }, [[1, 2, 4, 4, 4]]).flops.value).toBe(768 * 15);
  });
  test('bad combinations', () => {
    expect(rejection(upsample, { scale_factor: 2, mode: 'bilinear' }, [[1, 2, 8]]).message).toContain("'bilinear' needs a 4-D input");
    expect(rejection(upsample, { scale_factor: 2, size: 4 }, [[1, 2, 8]]).message).toContain('both');
    expect(rejection(upsample, {}, [[1, 2, 8]]).message).toContain('neither');
    expect(rejection(upsample, {}, [[1, 2, 8, 8], [1, 8, 8]]).message).toContain('rank of the first');
    expect(rejection(upsample, { scale_factor: 2, align_corners: true }, [[1, 2, 8, 8]]).code).toBe('spec');
    expect(rejection(upsample, { size: [4, 4, 4] }, [[1, 2, 8, 8]]).message).toContain('one value or 2');
    expect(rejection(upsample, { scale_factor: 0.1 }, [[1, 2, 8, 8]]).message).toContain('⌊8·0.1⌋ = 0');
  });
});

describe('pixel shuffle', () => {
  test('ESPCN upscale 3: [1, 9, 32, 32] → [1, 1, 96, 96]', () => {
    expect(evaluate(pixelShuffle, { upscale_factor: 3 }, [[1, 9, 32, 32]]).outputs).toEqual([[1, 1, 96, 96]]);
    expect(rejection(pixelShuffle, { upscale_factor: 2 }, [[1, 6, 4, 4]]).message).toContain('upscale_factor² = 4');
  });
});
