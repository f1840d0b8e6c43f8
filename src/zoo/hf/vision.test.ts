import { describe, expect, test } from 'vitest';
import { publishedTotals } from '../../../test/hf-published.js';
import { summarize } from '../../summarize.js';
import { fromHfConfig } from './index.js';

const params = (name: string): number => Number(summarize(name).totals.params);

describe('vision and vision-language models against their published totals', () => {
  publishedTotals([
    // vit-base-patch16-224: the checkpoint's 152 tensors; torchvision's ViT-B/16 has the same total.
    ['vit-base-patch16-224', 86_567_656],
    // dinov2-small and -base: the checkpoints' element counts.
    ['dinov2-small', 22_056_576],
    ['dinov2-base', 86_580_480],
    // clip-vit-base-patch32: OpenAI's package gives the same total.
    ['clip-vit-base-patch32', 151_277_313],
    // The Hub's safetensors totals.
    ['siglip-base-patch16-224', 203_155_970],
    ['llava-1.5-7b', 7_063_427_072],
    ['gemma-3-4b-it', 4_300_079_472],
  ]);

  test('dinov2-base by hand: 1,370 positions at 518, layer scales, a mask token', () => {
    // 12 layers of 7,089,408 (BERT-sized plus two layer scales of 768), positions 1,370·768, patch 768·3·14·14 + 768,
    // class and mask tokens 2·768, final LayerNorm 1,536.
    expect(params('dinov2-base')).toBe(12 * 7_089_408 + 1_052_160 + 452_352 + 1536 + 1536);
  });

  test('clip-vit-base-patch32 by tower: vision 87,456,000, text 63,165,952, projections 655,360 and logit_scale', () => {
    const roles = summarize('clip-vit-base-patch32').totals.roles!;
    expect(roles).toEqual({ vision: 87_456_000, text: 63_165_952, projector: 393_216 + 262_144 + 1 });
  });

  test('llava-1.5-7b by part: the vision tower, the projector and Vicuna-7B with 32,064 tokens', () => {
    const r = summarize('llava-1.5-7b');
    // Vision: 1,024 + 602,112 + 590,848 + 2,048 + 24·12,596,224 + 2,048; projector 1,024·4,096 + 4,096 + 4,096² + 4,096.
    expect(r.totals.roles!['vision']).toBe(303_507_456);
    expect(r.totals.roles!['projector']).toBe(4_198_400 + 16_781_312);
    // The language model's roles add up to Llama-7B with V = 32,064 (6,738,939,904 untied).
    const { vision, projector, ...lm } = r.totals.roles!;
    expect(Object.values(lm).reduce<number>((s, v) => s + Number(v), 0)).toBe(6_738_939_904);
    expect(Number(vision) + Number(projector)).toBe(7_063_427_072 - 6_738_939_904);
    // 576 image tokens join the 128 text tokens.
    expect(r.layers.find((l) => l.name === 'model.language_model.image_and_text')!.outputShape).toEqual([1, 576 + 128, 4096]);
  });

  test('gemma-3-4b-it by part: SigLIP tower 416,866,032, projector 2,950,272, text 3,880,263,168', () => {
    const r = summarize('gemma-3-4b-it');
    expect(r.totals.roles!['vision']).toBe(416_866_032);
    expect(r.totals.roles!['projector']).toBe(2_950_272);
    expect(r.layers.find((l) => l.name === 'model.multi_modal_projector.avg_pool')!.outputShape).toEqual([1, 1152, 16, 16]);
  });
});

describe('options', () => {
  const tower = { hidden_size: 16, intermediate_size: 24, num_attention_heads: 2, num_hidden_layers: 2, image_size: 32, patch_size: 8 };

  test('ViTForImageClassification takes its labels from id2label', () => {
    const r = summarize(fromHfConfig({ model_type: 'vit', architectures: ['ViTForImageClassification'], ...tower, id2label: { 0: 'cat', 1: 'dog', 2: 'owl' } }));
    expect(r.model.output).toEqual([1, 3]);
  });

  test('the image must be the size of the position table', () => {
    expect(() => summarize(fromHfConfig({ model_type: 'vit', ...tower }), { input: [1, 3, 64, 64] })).toThrow(/position_embeddings/);
  });

  test('LLaVA: a list of feature layers widens linear_1; the full strategy keeps the class token', () => {
    const config = {
      model_type: 'llava',
      text_config: { model_type: 'llama', hidden_size: 32, intermediate_size: 48, num_attention_heads: 4, num_hidden_layers: 1, vocab_size: 50 },
      vision_config: tower,
      vision_feature_layer: [-3, -1],
      vision_feature_select_strategy: 'full',
    };
    const r = summarize(fromHfConfig(config));
    expect(r.layers.find((l) => l.name === 'model.multi_modal_projector.linear_1')!.inputShapes).toEqual([[1, 17, 32]]);
    expect(() => fromHfConfig({ ...config, vision_feature_layer: -4 })).toThrow(/vision_feature_layer/);
  });
});
