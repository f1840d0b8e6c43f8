import { describe, expect, test } from 'vitest';
import { caseTitle, checkCase, evaluate, ops2Cases, rejection } from '../../test/ops-oracle.js';
import { readOracle } from '../../test/oracle.js';
import type { OpDef } from './op.js';
import { transformerDecoderLayer, transformerEncoderLayer } from './transformer.js';

const defs: Record<string, OpDef<any>> = { transformer_encoder_layer: transformerEncoderLayer, transformer_decoder_layer: transformerDecoderLayer };

describe('transformer layers against PyTorch 1.13', () => {
  const cases = ops2Cases(...Object.keys(defs));
  test('the oracle covers both layers', () => expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(defs))));
  // MACs there: the attentions' + 2·N·L·E·F for linear1 and linear2.
  test.each(cases.map((c) => [caseTitle(c), c] as const))('%s', (_, c) => checkCase(defs[c.op]!, c, { names: true }));
});

describe('transformer layers, derived by hand', () => {
  test("an encoder layer equals ViT-B/16's encoder block in torchvision", () => {
    const block = readOracle('vit_b_16').layers.filter((l) => l.name.startsWith('encoder.layers.encoder_layer_0.'));
    const r = evaluate(transformerEncoderLayer, { nhead: 12, dim_feedforward: 3072, norm_first: true, activation: 'gelu' }, [[1, 197, 768]]);
    // ln_1 1,536 + self_attention 2,362,368 + ln_2 1,536 + mlp.0 2,362,368 + mlp.3 2,360,064 = 7,087,872.
    expect(r.params).toBe(block.reduce((s, l) => s + l.params, 0));
    // self_attention 524,391,936 + mlp.0 and mlp.3 464,781,312 each = 1,453,954,560.
    expect(r.macs.value).toBe(block.reduce((s, l) => s + (l.macs ?? 0), 0));
  });
  test('the Transformer-base decoder layer (Vaswani et al. 2017): two attentions, the feed-forward and three norms', () => {
    // Attentions 2·(4·512·512 + 4·512) = 2,101,248; FFN 2·512·2048 + 2048 + 512 = 2,099,712; norms 3·2·512 = 3,072 → 4,204,032.
    expect(evaluate(transformerDecoderLayer, { nhead: 8 }, [[1, 10, 512], [1, 16, 512]]).params).toBe(4_204_032);
  });
  test('PyTorch 2 bias=False drops every bias', () => {
    // Attention 4·512² = 1,048,576; FFN 2·512·2048 = 2,097,152; norms 2·512 = 1,024 → 3,146,752.
    expect(evaluate(transformerEncoderLayer, { nhead: 8, bias: false }, [[1, 10, 512]]).params).toBe(3_146_752);
  });
  test('inputs are checked', () => {
    expect(rejection(transformerDecoderLayer, { nhead: 8 }, [[1, 10, 512]]).message).toContain('two inputs');
    expect(rejection(transformerEncoderLayer, { nhead: 8 }, [[1, 10, 512], [1, 10, 512]]).message).toContain('one input');
    expect(rejection(transformerDecoderLayer, { nhead: 8 }, [[1, 10, 512], [1, 10, 256]]).message).toContain('memory width');
    expect(rejection(transformerEncoderLayer, { nhead: 7 }, [[1, 10, 512]]).message).toContain('d_model=512, num_heads=7');
  });
});
