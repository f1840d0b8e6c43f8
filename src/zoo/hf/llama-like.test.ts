import { describe, expect, test } from 'vitest';
import { publishedTotals } from '../../../test/hf-published.js';
import { summarize } from '../../summarize.js';
import { fromHfConfig } from './index.js';

const totals = (name: string) => summarize(name).totals;
const layer = (name: string, path: string) => summarize(name).layers.find((l) => l.name === path)!;

describe('Llama-like families against their published totals', () => {
  publishedTotals([
    // The Hub's safetensors totals, each also derived below where the family is new.
    ['gemma-2-2b', 2_614_341_888],
    ['gemma-2-9b', 9_241_705_984],
    ['gemma-3-1b-it', 999_885_952],
    ['qwen1.5-moe-a2.7b', 14_315_784_192],
    ['qwen3-30b-a3b', 30_532_122_624],
    ['granite-3.1-2b', 2_533_531_648],
    ['olmo-1b', 1_176_764_416],
    ['olmo-2-7b', 7_298_617_344],
    ['stablelm-2-1.6b', 1_644_515_328],
    ['stablelm-2-12b', 12_143_185_920],
    ['phi-3-mini', 3_821_079_552],
  ]);

  test('Gemma 2 9B by hand: four norms per layer', () => {
    // 256,000·3,584 tied; per layer q and o 2·3,584·4,096, k and v 2·3,584·2,048, GeGLU 3·3,584·14,336, 4·3,584 norms.
    expect(totals('gemma-2-9b').params).toBe(917_504_000 + 42 * (29_360_128 + 14_680_064 + 154_140_672 + 14_336) + 3584);
  });

  test('Gemma 3 1B by hand: q/k RMSNorms of 256 in every layer', () => {
    // 262,144·1,152 tied; per layer q 1,152·1,024, k and v 1,152·256, o 1,024·1,152, q/k norms 2·256, GeGLU 3·1,152·6,912, 4·1,152.
    const perLayer = 1_179_648 + 2 * 294_912 + 1_179_648 + 512 + 23_887_872 + 4608;
    expect(perLayer).toBe(26_842_112);
    expect(totals('gemma-3-1b-it').params).toBe(301_989_888 + 26 * perLayer + 1152);
  });

  test('Qwen1.5-MoE-A2.7B: 2,689,173,504 active parameters per token ("A2.7B")', () => {
    // The total less 56 idle experts of 3·2,048·1,408 in each of 24 layers.
    expect(totals('qwen1.5-moe-a2.7b').active).toBe(14_315_784_192 - 24 * 56 * 8_650_752);
    // Router 60·2,048, experts 60·8,650,752, shared expert 3·2,048·5,632, shared_expert_gate 2,048.
    expect(layer('qwen1.5-moe-a2.7b', 'model.layers.0.mlp').params).toBe(122_880 + 519_045_120 + 34_603_008 + 2048);
  });

  test('Qwen3-30B-A3B: 3,353,032,704 active parameters per token ("A3B")', () => {
    expect(totals('qwen3-30b-a3b').active).toBe(30_532_122_624 - 48 * 120 * 3 * 2048 * 768);
  });

  test('OLMo 1B: its LayerNorms have no parameters; the layers are Llama-shaped', () => {
    // 50,304·2,048 tied + 16·(4·2,048² + 3·2,048·8,192).
    expect(totals('olmo-1b').params).toBe(103_022_592 + 16 * 67_108_864);
    expect(layer('olmo-1b', 'model.layers.0.input_layernorm').params).toBe(0);
  });

  test('OLMo 2 7B: q_norm and k_norm over the whole projection, norms after each sub-layer', () => {
    const attn = layer('olmo-2-7b', 'model.layers.0.self_attn');
    expect(attn.weights.find((w) => w.name === 'q_norm.weight')!.shape).toEqual([4096]);
    expect(summarize('olmo-2-7b').layers.some((l) => l.name === 'model.layers.0.input_layernorm')).toBe(false);
    expect(layer('olmo-2-7b', 'model.layers.0.post_feedforward_layernorm').inputs).toEqual(['model.layers.0.mlp.down_proj']);
  });

  test('StableLM 2 12B: 277,889,280 per layer with per-head q/k LayerNorms and one norm (parallel residual)', () => {
    // q, o 5,120² each; k, v 5,120·1,280 each; norms (32 + 8)·160; SwiGLU 3·5,120·13,824; input_layernorm 2·5,120.
    expect(26_214_400 * 2 + 6_553_600 * 2 + 6400 + 212_336_640 + 10_240).toBe(277_889_280);
    expect(layer('stablelm-2-12b', 'model.layers.0.self_attn').weights.find((w) => w.name === 'k_norm.weight')!.shape).toEqual([8, 160]);
    expect(summarize('stablelm-2-12b').layers.some((l) => l.name === 'model.layers.0.post_attention_layernorm')).toBe(false);
  });

  test('StarCoder2 3B: 3,030,371,328 by hand (listings say 3.03B): LayerNorms, biases everywhere, tied', () => {
    // 49,152·3,072; per layer q 3,072² + 3,072, k and v 3,072·256 + 256, o 3,072² + 3,072, MLP 2·3,072·12,288 + 12,288 + 3,072, 2·2·3,072.
    expect(totals('starcoder2-3b').params).toBe(150_994_944 + 30 * 95_979_008 + 6144);
  });

  test('Gemma 3: the sliding window masks scores and changes no count', () => {
    const notes = summarize('gemma-3-1b-it').model.notes.join(' ');
    expect(notes).toContain('sliding_window=512 masks the scores of farther positions in the local layers');
    expect(summarize('qwen2-7b').model.notes.join(' ')).not.toContain('sliding_window');
  });

  test("Phi-3-mini: gate_up_proj is 2·8,192 wide, cut into the gate and the up half", () => {
    expect(layer('phi-3-mini', 'model.layers.0.mlp.gate_up_proj').outputShape).toEqual([1, 128, 16_384]);
    expect(layer('phi-3-mini', 'model.layers.0.mlp.mul').outputShape).toEqual([1, 128, 8192]);
  });
});

describe('Qwen-MoE sparse layers', () => {
  const base = { model_type: 'qwen2_moe', hidden_size: 16, intermediate_size: 24, num_attention_heads: 2, num_key_value_heads: 2, num_hidden_layers: 4, vocab_size: 10 };
  const kinds = (config: object) => summarize(fromHfConfig(config)).layers.filter((l) => /layers\.\d+\.mlp$/.test(l.name) || /mlp\.down_proj$/.test(l.name)).map((l) => l.op);

  test('decoder_sparse_step 2 makes layers 1 and 3 sparse; mlp_only_layers keeps a layer dense', () => {
    // (i + 1) mod 2 = 0 for i = 1, 3; mlp_only_layers [3] leaves layer 1 alone sparse.
    expect(kinds({ ...base, decoder_sparse_step: 2 })).toEqual(['linear', 'moe', 'linear', 'moe']);
    expect(kinds({ ...base, decoder_sparse_step: 2, mlp_only_layers: [3] })).toEqual(['linear', 'moe', 'linear', 'linear']);
    expect(kinds({ ...base, num_experts: 0 })).toEqual(['linear', 'linear', 'linear', 'linear']);
  });

  test('num_experts_per_tok above num_experts is an error at the key', () => {
    expect(() => fromHfConfig({ ...base, num_experts: 2, num_experts_per_tok: 3 })).toThrow(/num_experts_per_tok cannot exceed num_experts=2/);
  });
});
