import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { activeParams, moe, type Moe } from './moe.js';

describe('Mixtral 8x7B sparse MoE block (Jiang et al. 2024), derived by hand', () => {
  // d_model 4096, 8 experts of SwiGLU width 14,336, top-2, router without bias.
  const attrs = { num_experts: 8, top_k: 2, ffn_dim: 14336 };
  const input = [1, 16, 4096];
  test('total parameters: 8·3·4096·14,336 + 8·4096 = 1,409,318,912', () => {
    // One expert: 3·4096·14,336 = 176,160,768; router 8·4096 = 32,768.
    // Over 32 layers, with attention 2·4096² + 2·4096·1024 = 41,943,040, two RMSNorms 8,192, embeddings and head
    // 2·32,000·4096 = 262,144,000 and the final norm 4,096: 46,702,792,704, the published "46.7B".
    const r = evaluate(moe, attrs, [input]);
    expect(r.params).toBe(1_409_318_912);
    expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual([
      ['gate.weight', [8, 4096]],
      ['experts.gate_proj.weight', [8, 14336, 4096]],
      ['experts.up_proj.weight', [8, 14336, 4096]],
      ['experts.down_proj.weight', [8, 4096, 14336]],
    ]);
    expect(r.weights[1]!.count!.formula).toBe('E·d_ff·d_model');
  });
  test('active parameters per token: 2·176,160,768 + 32,768 = 352,354,304', () => {
    // Over 32 layers with the same attention, norms, embeddings and head: 12,879,925,248, the published "12.9B active".
    const a = evaluate(moe, attrs, [input]).attrs as Moe;
    const active = activeParams(a, [input]);
    expect(active.value).toBe(352_354_304);
    expect(active.terms).toBe('32,768 + 2·176,160,768');
  });
  test('MACs: the router and two experts per token', () => {
    // 16 tokens · (4096·8 + 2·3·4096·14,336) = 16·352,354,304 = 5,637,668,864.
    const r = evaluate(moe, attrs, [input]);
    expect(r.macs.value).toBe(5_637_668_864);
    expect(r.macs.formula).toBe('T·d_model·E + T·top_k·3·d_model·d_ff');
    // Per token: softmax 3·8 = 24; per expert 2·14,336 (SiLU and product) + 2·4096 (weight, sum) = 36,864; 24 + 2·36,864 = 73,752.
    expect(r.flops.value).toBe(16 * 73_752);
  });
});

describe('shared experts: Qwen1.5-MoE-A2.7B, derived by hand', () => {
  // d_model 2048, 60 experts of width 1,408, top-4, one shared expert of width 5,632 with a sigmoid gate.
  const attrs = { num_experts: 60, top_k: 4, ffn_dim: 1408, num_shared_experts: 1, shared_ffn_dim: 5632, shared_expert_gate: true };
  const input = [1, 8, 2048];
  test('total 553,773,056 and active 69,330,944 per layer', () => {
    // Router 60·2048 = 122,880; experts 60·3·2048·1,408 = 519,045,120; shared 3·2048·5,632 = 34,603,008; gate 2,048.
    const r = evaluate(moe, attrs, [input]);
    expect(r.params).toBe(553_773_056);
    // 122,880 + 34,603,008 + 2,048 outside the routed experts, + 4·8,650,752.
    // With 24 layers of attention (4·2048² + 3·2048 = 16,783,360) and norms (4,096), untied embeddings 2·151,936·2048
    // and the final norm: 14,315,784,192 total and 2,689,173,504 active, the published "14.3B" and "A2.7B".
    expect(activeParams(r.attrs as Moe, [input]).value).toBe(69_330_944);
    expect(r.weights.map((w) => w.name)).toContain('shared_experts.down_proj.weight');
  });
});

describe('plain experts and errors', () => {
  test('Switch-style experts: 2 matrices with biases', () => {
    // 4 experts · (512·2048 + 2048 + 2048·512 + 512) = 4·2,099,712 = 8,398,848; router 4·512 = 2,048.
    const r = evaluate(moe, { num_experts: 4, top_k: 1, ffn_dim: 2048, gated: false, bias: true }, [[2, 512]]);
    expect(r.params).toBe(8_400_896);
    // 2 tokens · (512·4 + 1·2·512·2048) = 2·2,099,200 = 4,198,400.
    expect(r.macs.value).toBe(4_198_400);
  });
  test('bad attributes', () => {
    expect(rejection(moe, { num_experts: 8, top_k: 9, ffn_dim: 64 }, [[1, 4, 32]]).message).toContain('top_k=9, num_experts=8');
    expect(rejection(moe, { num_experts: 8, top_k: 2, ffn_dim: 64, shared_expert_gate: true }, [[1, 4, 32]]).code).toBe('spec');
    expect(rejection(moe, { num_experts: 8, top_k: 2, ffn_dim: 64 }, [[32]]).message).toContain('[N, L, d_model]');
  });
});
