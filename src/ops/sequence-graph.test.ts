import { describe, expect, test } from 'vitest';
import { readOracle } from '../../test/oracle.js';
import { analyze } from '../analyze/index.js';
import { build } from '../describe/build.js';
import { op, type Spec } from '../describe/spec.js';

describe('sequence ops inside a whole analysis', () => {
  test("ViT-B/16's stem and first encoder layer match torchvision", () => {
    const vit = readOracle('vit_b_16');
    const spec: Spec = {
      name: 'vit-stem',
      input: [1, 3, 224, 224],
      layers: [
        op('conv2d', { out: 768, kernel: 16, stride: 16 }, { name: 'conv_proj' }),
        op('flatten', { start_dim: 2 }),
        op('transpose', { dim0: 1, dim1: 2 }),
        op('parameter', { shape: [1, 1, 768], mode: 'concat_token' }, { name: 'class_token' }),
        op('parameter', { shape: [1, 197, 768] }, { name: 'pos_embedding' }),
        op('transformer_encoder_layer', { nhead: 12, dim_feedforward: 3072, norm_first: true, activation: 'gelu' }, { name: 'layer0' }),
      ],
    };
    const r = analyze(build(spec));
    const layer0 = vit.layers.filter((l) => l.name.startsWith('encoder.layers.encoder_layer_0.'));
    const conv = vit.layers.find((l) => l.name === 'conv_proj')!;
    const other = vit.other_params.reduce((s, p) => s + p.numel, 0);
    // conv_proj 590,592 + class token 768 + position embedding 151,296 + one encoder layer 7,087,872.
    expect(r.totals.params).toBe(conv.params + other + layer0.reduce((s, l) => s + l.params, 0));
    expect(r.totals.macs).toBe(conv.macs! + layer0.reduce((s, l) => s + l.macs!, 0));
    expect(r.model.output).toEqual([1, 197, 768]);
  });

  test("an LSTM's h_n is read as 'lstm:1'; the Keras convention declares Keras's weights", () => {
    const spec: Spec = {
      name: 'lstm-classifier',
      input: [1, 10, 32],
      layers: [op('lstm', { hidden_size: 64, batch_first: true }, { name: 'lstm' }), op('linear', { out: 5 }, { name: 'head', inputs: ['lstm:1'] })],
    };
    const torch = analyze(build(spec));
    // h_n is [1, 1, 64]; the head maps it to [1, 1, 5].
    expect(torch.model.output).toEqual([1, 1, 5]);
    // PyTorch: 4·(32·64 + 64·64 + 2·64) = 25,088; head 64·5 + 5 = 325.
    expect(torch.totals.params).toBe(25_413);
    // Keras: one bias vector, 24,832 + 325.
    expect(analyze(build(spec), { convention: 'keras' }).totals.params).toBe(25_157);
  });
});
