import { describe, expect, test } from 'vitest';
import { publishedTotals } from '../../../test/hf-published.js';
import { summarize } from '../../summarize.js';
import { fromHfConfig } from './index.js';

const params = (name: string): number => Number(summarize(name).totals.params);

describe('BART, mBART, Marian and Whisper against their published totals', () => {
  publishedTotals([
    // The counts of the released checkpoints as transformers loads them (num_parameters()).
    ['bart-base', 139_420_416],
    ['bart-large', 406_291_456],
    ['mbart-large-50', 610_879_488],
    ['opus-mt-en-de', 74_410_496],
    ['whisper-tiny', 37_760_640],
    ['whisper-base', 72_593_920],
  ]);

  test('bart-base by hand: one shared table, learned positions of 1,024 + 2 rows on each side', () => {
    // 50,265·768 + 2·1,026·768 + 6·7,087,872 (encoder layers) + 6·9,451,776 (decoder layers, with cross-attention) + 2·1,536.
    expect(params('bart-base')).toBe(38_603_520 + 2 * 787_968 + 6 * 7_087_872 + 6 * 9_451_776 + 2 * 1536);
    const r = summarize('bart-base');
    expect(r.layers.find((l) => l.name === 'decoder.embed_tokens')!.weights[0]!.tiedTo).toBe('shared.weight');
  });

  test("opus-mt-en-de: 74,410,496 with its sinusoid tables; the saved weights hold 2·512·512 fewer", () => {
    // 58,101·512 + 2·512·512 + 6·3,152,384 + 6·4,204,032.
    expect(params('opus-mt-en-de')).toBe(29_747_712 + 524_288 + 18_914_304 + 25_224_192);
    expect(summarize('opus-mt-en-de').model.notes.join(' ')).toContain('2·P·d fewer');
  });

  test('whisper-tiny by hand: the conv front end, the frozen encoder table, k_proj without bias', () => {
    // Encoder: conv1 80·384·3 + 384, conv2 384·384·3 + 384, positions 1,500·384, 4 layers of 1,774,080, layer_norm 768.
    // Decoder: 51,865·384 (tied to proj_out), positions 448·384, 4 layers of 2,365,824, layer_norm 768.
    expect(params('whisper-tiny')).toBe(92_544 + 442_752 + 576_000 + 4 * 1_774_080 + 768 + 19_916_160 + 172_032 + 4 * 2_365_824 + 768);
    const r = summarize('whisper-tiny');
    expect(r.model.input).toEqual([1, 80, 3000]);
    expect(r.layers.find((l) => l.name === 'model.encoder.embed_positions')!.inputShapes).toEqual([[1, 1500, 384]]);
    expect(r.layers.find((l) => l.name === 'model.encoder.layers.0.self_attn')!.weights.map((w) => w.name)).not.toContain('k_proj.bias');
    expect(() => summarize('whisper-tiny', { seq: 64 })).toThrow(/no sequence input/);
  });

  test('Marian with separate vocabularies: the lm_head is tied to the decoder table', () => {
    const config = {
      model_type: 'marian',
      d_model: 16,
      encoder_layers: 1,
      decoder_layers: 1,
      encoder_ffn_dim: 8,
      decoder_ffn_dim: 8,
      encoder_attention_heads: 2,
      decoder_attention_heads: 2,
      vocab_size: 30,
      decoder_vocab_size: 20,
      share_encoder_decoder_embeddings: false,
    };
    const r = summarize(fromHfConfig(config));
    expect(r.layers.find((l) => l.name === 'lm_head')!.weights[0]!.tiedTo).toBe('model.decoder.embed_tokens.weight');
    expect(r.layers.some((l) => l.name === 'model.shared')).toBe(false);
  });
});
