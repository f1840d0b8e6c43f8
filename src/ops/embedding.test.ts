import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { embedding, parameter } from './embedding.js';

describe('embedding against PyTorch 1.13', () => {
  test.each(ops2Cases('embedding').map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(embedding, c, { names: true }));
});

describe('embedding, derived by hand', () => {
  test('BERT-base word embeddings: 30,522·768 = 23,440,896 parameters', () => {
    const r = evaluate(embedding, { num_embeddings: 30522, embedding_dim: 768 }, [[1, 128]]);
    expect(r.params).toBe(23_440_896);
    expect(r.weights[0]!.count!.formula).toBe('V·d');
    expect(r.outputs).toEqual([[1, 128, 768]]);
    expect(r.macs.value).toBe(0);
    expect(r.flops.value).toBe(0);
  });
  test('padding_idx must be an id in the table', () => {
    expect(evaluate(embedding, { num_embeddings: 10, embedding_dim: 4, padding_idx: -10 }, [[1, 3]]).params).toBe(40);
    expect(rejection(embedding, { num_embeddings: 10, embedding_dim: 4, padding_idx: 10 }, [[1, 3]]).message).toContain('from -10 to 9');
  });
});

/** torchvision's ViT-B/16 parameters outside its modules (test/oracle/torchvision/vit_b_16.json). */
const vit = JSON.parse(readFileSync(new URL('../../test/oracle/torchvision/vit_b_16.json', import.meta.url), 'utf8')) as {
  other_params: { name: string; shape: number[]; numel: number }[];
};
const vitParam = (name: string) => vit.other_params.find((p) => p.name === name)!;

describe('parameter tensors', () => {
  test("ViT-B/16 class token: [1, 1, 768] prepended, 197 tokens, 768 parameters", () => {
    const token = vitParam('class_token');
    const r = evaluate(parameter, { shape: token.shape, mode: 'concat_token' }, [[1, 196, 768]]);
    expect(r.outputs).toEqual([[1, 197, 768]]);
    expect(r.params).toBe(token.numel);
    expect(r.weights[0]!.count!.formula).toBe('d');
    expect(r.flops.value).toBe(0);
  });
  test('ViT-B/16 position embedding: [1, 197, 768] added, 151,296 parameters, 1 FLOP per element', () => {
    const pos = vitParam('encoder.pos_embedding');
    const r = evaluate(parameter, { shape: pos.shape }, [[2, 197, 768]]);
    expect(r.outputs).toEqual([[2, 197, 768]]);
    expect(r.params).toBe(pos.numel);
    expect(r.weights[0]!.count!.formula).toBe('L·d');
    // 2·197·768 = 302,592 adds.
    expect(r.flops.value).toBe(302_592);
  });
  test('ConvNeXt-T layer scale: [96, 1, 1] multiplies [N, 96, 56, 56]', () => {
    // torchvision CNBlock.layer_scale is [dim, 1, 1]; stage 1 of ConvNeXt-T has dim 96.
    const r = evaluate(parameter, { shape: [96, 1, 1], mode: 'mul' }, [[1, 96, 56, 56]]);
    expect(r.params).toBe(96);
    expect(r.weights[0]!.count!.formula).toBe('C');
    expect(r.flops.value).toBe(96 * 56 * 56);
  });
  test('a tensor that would enlarge the input, or a token of the wrong width, is rejected', () => {
    expect(rejection(parameter, { shape: [1, 198, 768] }, [[1, 197, 768]]).message).toContain('dimension 1 is 197 vs 198');
    expect(rejection(parameter, { shape: [2, 197, 768] }, [[1, 197, 768]]).message).toContain('without enlarging it');
    expect(rejection(parameter, { shape: [1, 1, 512], mode: 'concat_token' }, [[1, 196, 768]]).details[0]).toContain('d = 768');
    expect(rejection(parameter, { shape: [1, 1, 768], mode: 'concat_token' }, [[1, 768, 14, 14]]).details[0]).toContain('Hint');
    expect(rejection(parameter, { shape: [1, 1, 768], mode: 'prepend' }, [[1, 196, 768]]).code).toBe('spec');
    expect(rejection(parameter, { shape: [2, 1, 768], mode: 'expand' }, [[4, 196, 768]]).message).toContain('first dimension must be 1');
  });
  test("DeBERTa-v3-base rel_embeddings: the [512, 768] table itself, 393,216 parameters, whatever it follows", () => {
    const r = evaluate(parameter, { shape: [512, 768], mode: 'value' }, [[2, 128, 768]]);
    expect([r.outputs, r.params, r.flops.value]).toEqual([[[512, 768]], 393_216, 0]);
  });
  test("SigLIP's probe: [1, 1, 768] repeated over a batch of 4 as the pooling head's query", () => {
    const r = evaluate(parameter, { shape: [1, 1, 768], mode: 'expand' }, [[4, 196, 768]]);
    expect([r.outputs, r.params, r.flops.value]).toEqual([[[4, 1, 768]], 768, 0]);
  });
});
