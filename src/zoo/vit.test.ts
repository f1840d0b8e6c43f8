import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { familyTests } from '../../test/zoo-family.js';
import { ModelError } from '../errors.js';
import { summarize } from '../summarize.js';

const sum = (r: ReturnType<typeof summarize>, prefix: string) =>
  r.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + Number(l.params ?? Number.NaN), 0);

describe('ViT totals', () => {
  // num_params of ViT_B_16_Weights.IMAGENET1K_V1, ViT_B_32_…, ViT_L_16_… and ViT_L_32_Weights.IMAGENET1K_V1, and of
  // ViT_H_14_Weights.IMAGENET1K_SWAG_LINEAR_V1 (the 224×224 weights; H/14 has no V1), in torchvision 0.14. No BatchNorm,
  // so under the Keras convention nothing is non-trainable.
  familyTests({ vit_b_16: 86_567_656, vit_b_32: 88_224_232, vit_l_16: 304_326_632, vit_l_32: 306_535_400, vit_h_14: 632_045_800 });
});

describe('ViT-B/16 by hand', () => {
  const r = summarize('vit_b_16');

  test('one encoder layer holds 7,087,872 parameters', () => {
    // ln_1 2·768 + in_proj 3·768·768 + 3·768 + out_proj 768·768 + 768 + ln_2 2·768
    // + mlp.0 768·3072 + 3072 + mlp.3 3072·768 + 768 = 7,087,872.
    expect(sum(r, 'encoder.layers.encoder_layer_0.')).toBe(7_087_872);
    expect(sum(r, 'encoder.layers.encoder_layer_11.')).toBe(7_087_872);
  });

  test('the total is the patch embedding, the tokens, 12 layers and the head', () => {
    // conv_proj 768·3·16·16 + 768 = 590,592; class token 768; position embedding 197·768 = 151,296;
    // 12·7,087,872 = 85,054,464; encoder.ln 1,536; head 768·1000 + 1000 = 769,000: 86,567,656.
    expect(r.layers.find((l) => l.name === 'conv_proj')!.params).toBe(590_592);
    expect(r.layers.find((l) => l.name === 'class_token')!.params).toBe(768);
    expect(r.layers.find((l) => l.name === 'encoder.pos_embedding')!.params).toBe(151_296);
    expect(sum(r, 'encoder.layers.')).toBe(85_054_464);
    expect(r.layers.find((l) => l.name === 'heads.head')!.params).toBe(769_000);
  });

  test('the sequence is (224/16)² + 1 = 197 tokens, and the head reads the class token', () => {
    expect(r.layers.find((l) => l.name === 'permute')!.outputShape).toEqual([1, 196, 768]);
    expect(r.layers.find((l) => l.name === 'class_token')!.outputShape).toEqual([1, 197, 768]);
    expect(r.layers.find((l) => l.name === 'class_token_out')!.outputShape).toEqual([1, 768]);
    // ViT-B/32: (224/32)² + 1 = 50.
    expect(summarize('vit_b_32').layers.find((l) => l.name === 'encoder.ln')!.outputShape).toEqual([1, 50, 768]);
  });

  test('self-attention MACs: 4·L·d² + 2·L²·d with L = 197', () => {
    // 4·197·768² = 464,781,312 (q, k, v and out projections) + 2·197²·768 = 59,610,624 (QKᵀ and AV): 524,391,936.
    expect(r.layers.find((l) => l.name === 'encoder.layers.encoder_layer_0.self_attention')!.macs).toBe(524_391_936);
  });

  test('every count but the tokens scales with the batch', () => {
    const two = summarize('vit_b_16', { batch: 2 });
    expect(two.model.output).toEqual([2, 1000]);
    expect(Number(two.totals.macs)).toBe(2 * Number(r.totals.macs));
    expect(two.totals.params).toBe(r.totals.params);
  });

  test('parameters by role add up to the total', () => {
    // attention 12·(3·768·768 + 3·768 + 768·768 + 768) = 12·2,362,368 = 28,348,416;
    // mlp 12·(768·3072 + 3072 + 3072·768 + 768) = 56,669,184; norms (2·12 + 1)·1,536 = 38,400;
    // embeddings 590,592 + 768 + 151,296 = 742,656.
    expect(r.totals.roles).toEqual({ embeddings: 742_656, attention: 28_348_416, norms: 38_400, mlp: 56_669_184, head: 769_000 });
  });

  test('ViT-H/14 at 224: (224/14)² + 1 = 257 tokens of width 1,280', () => {
    // Position embedding 257·1,280 = 328,960. One layer: 2·2·1,280 + 4·1,280² + 4·1,280 + 2·1,280·5,120 + 5,120 + 1,280
    // = 5,120 + 6,553,600 + 5,120 + 13,107,200 + 6,400 = 19,677,440; 32 layers 629,678,080.
    // conv_proj 1,280·3·14·14 + 1,280 = 753,920; class token 1,280; ln 2,560; head 1,280·1,000 + 1,000 = 1,281,000.
    // 629,678,080 + 753,920 + 1,280 + 328,960 + 2,560 + 1,281,000 = 632,045,800, the published count.
    const h = summarize('vit_h_14');
    expect(h.layers.find((l) => l.name === 'encoder.pos_embedding')!.params).toBe(328_960);
    expect(sum(h, 'encoder.layers.encoder_layer_31.')).toBe(19_677_440);
    expect(h.totals.params).toBe(632_045_800);
  });

  test('another image size cannot fit the 197-token position embedding, as in torchvision', () => {
    // 384×384: (384/16)² + 1 = 577 tokens against the embedding's 197.
    const error = errorOf(() => summarize('vit_b_16', { input: [1, 3, 384, 384] }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'shape', layer: 'encoder.pos_embedding' });
    expect(error.message).toMatch(/577.*197/);
  });
});
