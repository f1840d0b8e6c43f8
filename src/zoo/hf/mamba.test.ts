import { describe, expect, test } from 'vitest';
import { summarize } from '../../summarize.js';
import { getModel } from '../index.js';
import { fromHfConfig } from './index.js';

describe('Mamba and Mamba-2', () => {
  test('mamba-130m: 129,135,360, the count of the released mamba-130m-hf weights', () => {
    // Per layer: in_proj 768·3,072; conv1d 1,536·4 + 1,536; x_proj 1,536·(48 + 32); dt_proj 48·1,536 + 1,536; A_log 1,536·16;
    // D 1,536; out_proj 1,536·768; norm 768 = 3,771,648. Tied embeddings 50,280·768 and norm_f 768.
    const perLayer = 2_359_296 + 7680 + 122_880 + 75_264 + 24_576 + 1536 + 1_179_648 + 768;
    expect(perLayer).toBe(3_771_648);
    expect(summarize('mamba-130m').totals.params).toBe(38_615_040 + 24 * perLayer + 768);
    expect(getModel('mamba-130m').published).toBe(129_135_360);
  });

  test("Mamba-Codestral-7B: 7,285,403,648, Mistral's release figure", () => {
    // Per layer: in_proj 4,096·(8,192 + 10,240 + 128); conv1d 10,240·4 + 10,240; dt_bias, A_log, D 3·128; gated norm 8,192;
    // out_proj 8,192·4,096; norm 4,096. Untied embeddings and head 2·32,768·4,096.
    const perLayer = 76_021_760 + 51_200 + 384 + 8192 + 33_554_432 + 4096;
    expect(summarize('mamba-codestral-7b').totals.params).toBe(268_435_456 + 64 * perLayer + 4096);
    expect(getModel('mamba-codestral-7b').published).toBe(7_285_403_648);
  });

  test('the mixer keeps transformers names; the scan is labelled in the notes and grows linearly with the sequence', () => {
    const r = summarize('mamba-130m');
    const names = r.layers.map((l) => l.name);
    for (const n of ['in_proj', 'conv1d', 'x_proj', 'dt_proj', 'selective_scan', 'out_proj']) expect(names).toContain(`backbone.layers.0.mixer.${n}`);
    expect(r.layers.find((l) => l.name === 'backbone.layers.0.mixer.selective_scan')!.weights.map((w) => w.name)).toEqual(['A_log', 'D']);
    expect(r.model.notes.join(' ')).toContain('state update and the readout');
    const macs = (seq: number) => Number(summarize('mamba-130m', { seq }).totals.macs);
    // Affine in L (the causal conv computes k − 1 more positions per call, which are cut): equal steps, no L² term.
    expect(macs(384) - macs(256)).toBe(macs(256) - macs(128));
  });

  test('Mamba-2: num_heads·head_dim must equal expand·hidden_size', () => {
    expect(() => fromHfConfig({ model_type: 'mamba2', hidden_size: 16, num_heads: 3, head_dim: 8, state_size: 4, n_groups: 1, num_hidden_layers: 1, vocab_size: 10 })).toThrow(
      /num_heads·head_dim must equal expand·hidden_size/,
    );
  });
});
