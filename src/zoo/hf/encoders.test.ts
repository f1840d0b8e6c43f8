import { describe, expect, test } from 'vitest';
import { summarize } from '../../summarize.js';
import { getModel } from '../index.js';
import { fromHfConfig } from './index.js';

const params = (name: string): number => Number(summarize(name).totals.params);
const names = (config: object) => summarize(fromHfConfig(config)).layers.map((l) => l.name);

describe('BERT-style encoders against their published totals', () => {
  // A BERT layer of width 768: 4·(768² + 768) + 2·2·768 + 768·3,072 + 3,072 + 3,072·768 + 768 = 7,087,872.
  const layer768 = 7_087_872;

  test('roberta-base as RobertaModel: 124,645,632, the count of many loads of FacebookAI/roberta-base', () => {
    // Word 50,265·768, positions 514·768, one token type, LayerNorm, 12 layers, pooler 768² + 768.
    expect(params('roberta-base')).toBe(38_603_520 + 394_752 + 768 + 1536 + 12 * layer768 + 590_592);
    expect(getModel('roberta-base').published).toBe(124_645_632);
  });

  test('xlm-roberta-base as XLMRobertaModel: 278,043,648 by hand (the XLM-R paper says 270M)', () => {
    expect(params('xlm-roberta-base')).toBe(250_002 * 768 + 394_752 + 768 + 1536 + 12 * layer768 + 590_592);
  });

  test('distilbert-base-uncased as DistilBertModel: 66,362,880 (the card: 66M)', () => {
    expect(params('distilbert-base-uncased')).toBe(23_440_896 + 393_216 + 1536 + 6 * layer768);
    expect(getModel('distilbert-base-uncased').published).toBe(66_362_880);
  });

  test('albert-base-v2 as AlbertModel: 11,683,584 (the ALBERT paper, Table 1: 12M), one shared layer counted once', () => {
    // Tables of width 128: 30,000·128 + 512·128 + 2·128 + LayerNorm 256; mapping in 128·768 + 768; one layer; pooler.
    const r = summarize('albert-base-v2');
    expect(r.totals.params).toBe(3_840_000 + 65_536 + 256 + 256 + 99_072 + layer768 + 590_592);
    expect(getModel('albert-base-v2').published).toBe(11_683_584);
    // Twelve runs of the shared layer: the first holds its parameters, the other eleven share them.
    expect(r.layers.filter((l) => l.name.endsWith('albert_layers.0.ffn')).map((l) => l.params)).toEqual([3072 * 768 + 3072, ...new Array(11).fill(0)]);
    expect(r.totals.tied).toBe(11 * layer768);
  });

  test('electra-small-discriminator as ElectraModel: 13,483,008, the count of several loads', () => {
    // Tables of width 128 (30,522 + 512 + 2 rows) + LayerNorm; embeddings_project 128·256 + 256; 12 layers of width 256.
    expect(params('electra-small-discriminator')).toBe(3_906_816 + 65_536 + 256 + 256 + 33_024 + 12 * 789_760);
    expect(getModel('electra-small-discriminator').published).toBe(13_483_008);
  });

  test('deberta-v3-base: 183,831,552 (the card: an 86M backbone and 98M of embeddings)', () => {
    // Word 128,100·768 and its LayerNorm; rel_embeddings 2·256·768 and encoder.LayerNorm; 12 BERT-sized layers.
    expect(params('deberta-v3-base')).toBe(98_380_800 + 1536 + 393_216 + 1536 + 12 * layer768);
    expect(getModel('deberta-v3-base').published).toBe(183_831_552);
    expect(params('deberta-v3-base') - 98_380_800).toBe(85_450_752);
  });
});

describe('heads and options', () => {
  const small = { hidden_size: 16, intermediate_size: 32, num_attention_heads: 2, num_hidden_layers: 1, max_position_embeddings: 8, vocab_size: 10 };

  test('RobertaForMaskedLM: lm_head.dense, lm_head.layer_norm and a decoder tied to roberta.embeddings.word_embeddings', () => {
    const r = summarize(fromHfConfig({ model_type: 'roberta', architectures: ['RobertaForMaskedLM'], ...small }));
    expect(r.layers.find((l) => l.name === 'lm_head.decoder')!.weights[0]!.tiedTo).toBe('roberta.embeddings.word_embeddings.weight');
  });

  test('ElectraForPreTraining and ElectraForMaskedLM heads', () => {
    expect(names({ model_type: 'electra', architectures: ['ElectraForPreTraining'], ...small, embedding_size: 8 })).toContain('discriminator_predictions.dense_prediction');
    expect(names({ model_type: 'electra', architectures: ['ElectraForMaskedLM'], ...small, embedding_size: 8 })).toContain('generator_lm_head');
  });

  test('ALBERT: 4 layers over 2 groups of 2 run each group twice, named #2 the second time', () => {
    const n = names({ model_type: 'albert', ...small, num_hidden_layers: 4, num_hidden_groups: 2, inner_group_num: 2, embedding_size: 8 });
    expect(n).toContain('encoder.albert_layer_groups.1.albert_layers.1.ffn');
    expect(n).toContain('encoder.albert_layer_groups.1#2.albert_layers.1.ffn');
    expect(n.some((x) => x.includes('#3'))).toBe(false);
  });

  test('DeBERTa without relative attention has no relative table', () => {
    expect(names({ model_type: 'deberta-v2', ...small }).some((x) => x.includes('rel_embeddings'))).toBe(false);
    expect(() => fromHfConfig({ model_type: 'deberta-v2', ...small, relative_attention: true, pos_att_type: 'p2c|x2y' })).toThrow(/pos_att_type/);
  });
});
