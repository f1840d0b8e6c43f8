import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, rejection } from '../../test/ops-oracle.js';
import { transformersOpCases } from '../../test/transformers-ops.js';
import { similarity } from './similarity.js';

/** CLIP's and SigLIP's logits as PyTorch 1.13 runs them, from scripts/oracle/transformers_oracle.py (hf_torch/vision.py). */
const cases = transformersOpCases('similarity');

describe('contrastive logits against PyTorch', () => {
  test('the oracle covers a CLIP scale and a SigLIP scale and bias', () => {
    expect(cases.length).toBe(2);
  });
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(similarity, c, { names: true }));
});

describe('by hand', () => {
  test('CLIP ViT-B/32: 4 texts against 2 images of 512: 4·2·512 MACs, one parameter', () => {
    const r = evaluate(similarity, { scalar: true }, [[4, 512], [2, 512]]);
    expect([r.outputs, r.params, r.macs.value]).toEqual([[[4, 2]], 1, 4096]);
    expect(r.weights[0]!.shape).toEqual([]);
  });
  test('embeddings of different widths are rejected', () => {
    expect(rejection(similarity, {}, [[1, 512], [1, 768]]).message).toContain('one width');
  });
});
