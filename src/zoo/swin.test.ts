import { describe, expect, test } from 'vitest';
import { familyTests } from '../../test/zoo-family.js';
import { summarize } from '../summarize.js';

const r = summarize('swin_t');
const layer = (name: string) => r.layers.find((l) => l.name === name)!;
const sum = (prefix: string) => r.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + Number(l.params ?? Number.NaN), 0);

describe('Swin totals', () => {
  // num_params of Swin_T_Weights.IMAGENET1K_V1 (and Swin_S, Swin_B, Swin_V2_T, _S, _B), torchvision 0.14. LayerNorm
  // only, so under the Keras convention nothing is non-trainable in V1; V2's relative_coords_table buffers are.
  familyTests({ swin_t: 28_288_354, swin_s: 49_606_258, swin_b: 87_768_224, swin_v2_t: 28_351_570, swin_v2_s: 49_737_442, swin_v2_b: 87_930_848 });
});

describe('Swin V2-T by hand', () => {
  const v2 = summarize('swin_v2_t');
  const at = (name: string) => v2.layers.find((l) => l.name === name)!;

  test('post-norm blocks and patch merging that normalises after projecting', () => {
    // 256/4 = 64 tokens a side, then 32, 16, 8.
    expect(v2.model.input).toEqual([1, 3, 256, 256]);
    const block = v2.layers.filter((l) => l.name.startsWith('features.1.0.')).map((l) => l.name.slice('features.1.0.'.length));
    expect(block.indexOf('attn')).toBeLessThan(block.indexOf('norm1'));
    expect(block.indexOf('mlp.3')).toBeLessThan(block.indexOf('norm2'));
    // PatchMergingV2 of C = 96: Linear 4C → 2C 384·192 = 73,728, then LayerNorm(2C) 384 (V1: LayerNorm(4C) 768).
    expect(at('features.2.reduction').params).toBe(73_728);
    expect(at('features.2.norm').params).toBe(384);
    expect(at('features.2.norm').outputShape).toEqual([1, 32, 32, 192]);
  });

  test('the last stage is one 8×8 window, so its shift is dropped', () => {
    expect(at('features.7.1.attn').label).toBe('SW-MSA-24 v2');
    // 8×8 tokens, C = 768, 24 heads: 4·64·768² + 2·64²·768 = 150,994,944 + 6,291,456, plus cpb 225·(2·512 + 512·24)
    // = 2,995,200: 160,281,600. No mask FLOPs: the 5 per score of an unshifted window, 24·64² = 98,304 scores.
    expect(at('features.7.1.attn').macs).toBe(160_281_600);
    expect(at('features.7.1.attn').flops).toBe(at('features.7.0.attn').flops);
  });
});

describe('Swin-T by hand', () => {
  test('the total from blocks, patch mergings, stem and head', () => {
    // A block of width C with h heads: norms 2·2C; attention (2·7 − 1)²·h + 3C² + 3C + C² + C; MLP 8C² + 5C
    // → 12C² + 13C + 169h. C = 96, h = 3: 110,592 + 1,248 + 507 = 112,347.
    expect(sum('features.1.0.')).toBe(112_347);
    // Stages: 2·112,347 + 2·445,878 (C 192, h 6) + 6·1,776,492 (C 384, h 12) + 2·7,091,928 (C 768, h 24) = 25,959,258.
    expect(['1', '3', '5', '7'].reduce((s, i) => s + sum(`features.${i}.`), 0)).toBe(25_959_258);
    // Patch merging of C: LayerNorm 2·4C + Linear 4C·2C = 8C + 8C²: 74,496 + 296,448 + 1,182,720 = 1,553,664.
    expect(sum('features.2.')).toBe(74_496);
    expect(['2', '4', '6'].reduce((s, i) => s + sum(`features.${i}.`), 0)).toBe(1_553_664);
    // Stem 96·3·4·4 + 96 + 2·96 = 4,896; final norm 1,536; head 768·1000 + 1000 = 769,000.
    // 25,959,258 + 1,553,664 + 4,896 + 1,536 + 769,000 = 28,288,354.
    expect(sum('features.0.')).toBe(4_896);
  });

  test('window attention of the first block: 64 windows of 7×7 tokens', () => {
    // 56×56 tokens of C = 96 in 3 heads (d_head 32): nW = (56/7)² = 64, M = 49, T = 3,136.
    // qkv 3,136·96·288 = 86,704,128 + proj 3,136·96·96 = 28,901,376 + QKᵀ and AV 2·64·3·49²·32 = 29,503,488: 145,108,992.
    expect(layer('features.1.0.attn').macs).toBe(145_108_992);
    // (2·7 − 1)²·3 = 507 + 96·288 + 288 + 96·96 + 96 = 37,755.
    expect(layer('features.1.0.attn').params).toBe(37_755);
  });

  test('blocks alternate plain and shifted windows; stages halve the map and double the width', () => {
    expect(layer('features.1.0.attn').label).toBe('W-MSA-3');
    expect(layer('features.1.1.attn').label).toBe('SW-MSA-3');
    expect(layer('features.5.5.attn').label).toBe('SW-MSA-12');
    // 224/4 = 56, then /2 at each merging; 96·2ⁱ channels; channels last until the final permute.
    expect(['1.1.add_2', '3.1.add_2', '5.5.add_2', '7.1.add_2'].map((n) => layer(`features.${n}`).outputShape)).toEqual([
      [1, 56, 56, 96],
      [1, 28, 28, 192],
      [1, 14, 14, 384],
      [1, 7, 7, 768],
    ]);
    expect(layer('permute').outputShape).toEqual([1, 768, 7, 7]);
  });

  test('sizes that do not divide are padded, as torchvision pads them', () => {
    // 250×250: stem ⌊(250 − 4)/4⌋ + 1 = 62, then ⌈62/2⌉ = 31, ⌈31/2⌉ = 16, 16/2 = 8.
    const odd = summarize('swin_t', { input: [1, 3, 250, 250] });
    const at = (name: string) => odd.layers.find((l) => l.name === name)!;
    expect(['1.1.add_2', '3.1.add_2', '5.5.add_2', '7.1.add_2'].map((n) => at(`features.${n}`).outputShape[1])).toEqual([62, 31, 16, 8]);
    // The last stage pads 8×8 to 14×14: 4 windows of 49 tokens, T = 196, C = 768:
    // 4·196·768² = 462,422,016 + 2·4·49²·768 = 14,751,744: 477,173,760 (torchvision 0.14 measures the same).
    expect(at('features.7.0.attn').macs).toBe(477_173_760);
    expect(odd.model.output).toEqual([1, 1000]);
  });
});
