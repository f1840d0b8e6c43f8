import { describe, expect, test } from 'vitest';
import { summarize } from '../../summarize.js';
import { getModel } from '../index.js';
import { fromHfConfig } from './index.js';

describe('DeepSeek-V2 and V3', () => {
  test("DeepSeek-V2-Lite: 15,706,484,224, the Hub's safetensors total", () => {
    // Attention per layer (queries without the low-rank step): q 2,048·16·192 + kv_a 2,048·576 + 512 + kv_b 512·16·256 + o 16·128·2,048
    // = 13,763,072; dense layer 0: 3·2,048·10,944; 26 MoE layers: router 64·2,048, experts 64·3·2,048·1,408, shared 3·2,048·2,816.
    const moe = 131_072 + 553_648_128 + 17_301_504;
    const total = 2 * 102_400 * 2048 + 27 * (13_763_072 + 4096) + 67_239_936 + 26 * moe + 2048;
    const r = summarize('deepseek-v2-lite');
    expect(r.totals.params).toBe(total);
    expect(getModel('deepseek-v2-lite').published).toBe(15_706_484_224);
    expect(r.layers.find((l) => l.name === 'model.layers.0.mlp.down_proj')!.params).toBe(10_944 * 2048);
    expect(r.layers.find((l) => l.name === 'model.layers.1.mlp')!.params).toBe(moe);
  });

  test('DeepSeek-V3: 671,026,404,352 parameters ("671B"), 37,552,282,624 active ("37B activated")', () => {
    const r = summarize('deepseek-v3');
    // Embeddings and head 2·129,280·7,168; attention 187,107,328 and norms 2·7,168 per layer; 3 dense MLPs 3·7,168·18,432;
    // 58 MoE layers: router 256·7,168, experts 256·3·7,168·2,048, shared 3·7,168·2,048.
    const moe = 1_835_008 + 11_274_289_152 + 44_040_192;
    expect(r.totals.params).toBe(1_853_358_080 + 61 * (187_107_328 + 14_336) + 3 * 396_361_728 + 58 * moe + 7168);
    // Routed experts idle per token: 248 of 256, each 3·7,168·2,048.
    expect(r.totals.active).toBe(Number(r.totals.params) - 58 * 248 * 44_040_192);
    expect(r.totals.active).toBe(37_552_282_624);
    // The checkpoint's main-model tensors add each MoE router's e_score_correction_bias buffer: 671,026,419,200.
    expect(Number(r.totals.params) + 58 * 256).toBe(671_026_419_200);
    expect(r.model.notes.join(' ')).toContain('e_score_correction_bias [256], a buffer');
    expect(r.model.notes.join(' ')).toContain('multi-token-prediction layer is not built');
  });

  test('q_lora_rank: null means q_proj; absent means the class default of 1536', () => {
    const base = { model_type: 'deepseek_v2', hidden_size: 32, num_attention_heads: 2, kv_lora_rank: 8, qk_nope_head_dim: 4, qk_rope_head_dim: 4, v_head_dim: 4, num_hidden_layers: 1, intermediate_size: 16, n_routed_experts: null, vocab_size: 10 };
    const weights = (config: object) => summarize(fromHfConfig(config)).layers.find((l) => l.name === 'model.layers.0.self_attn')!.weights.map((w) => `${w.name} ${w.shape.join('×')}`);
    expect(weights({ ...base, q_lora_rank: null })[0]).toBe('q_proj.weight 16×32');
    expect(weights(base).slice(0, 2)).toEqual(['q_a_proj.weight 1536×32', 'q_a_layernorm.weight 1536']);
  });

  test('DeepseekV2Config leaves num_experts_per_tok unset: a config without it is an error at the key', () => {
    expect(() => fromHfConfig({ model_type: 'deepseek_v2', num_hidden_layers: 2, first_k_dense_replace: 1 })).toThrow(/'num_experts_per_tok' is required for model_type 'deepseek_v2'/);
  });
});
