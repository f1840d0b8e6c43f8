import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { llamaTensors } from '../../scripts/fixtures/writers.mjs';
import { summarize } from '../summarize.js';
import type { TensorInfo } from './format.js';
import { checkAgainst, foldBlocks, naturalCompare, splitName, weightsGraph } from './weights.js';

// Llama-2-7B's shapes (its config.json: hidden 4096, 32 layers, 32 heads, MLP 11008, 32,000 tokens).
const llama7b = llamaTensors({ hidden: 4096, layers: 32, heads: 32, kv: 32, inter: 11008, vocab: 32000 }).map(({ name, dtype, shape }): TensorInfo => ({ name, dtype, shape, bytes: 0 }));

describe('grouping tensors into modules', () => {
  it('splits names into module and tensor, and orders layer numbers as numbers', () => {
    expect(splitName('model.layers.0.self_attn.q_proj.weight')).toEqual({ module: 'model.layers.0.self_attn.q_proj', leaf: 'weight' });
    expect(splitName('cls_token')).toEqual({ module: 'cls_token', leaf: 'cls_token' });
    expect(['layers.10.w', 'layers.2.w', 'embed.w'].sort(naturalCompare)).toEqual(['embed.w', 'layers.2.w', 'layers.10.w']);
  });
  it('folds 32 identical decoder layers into one block of 202,383,360 parameters', () => {
    // By hand: q, k, v, o are 4·4096² = 67,108,864; gate, up, down 3·4096·11008 = 135,266,304; two norms 2·4096.
    expect(foldBlocks(llama7b)).toEqual([{ name: 'model.layers.N', count: 32, first: 0, params: 4 * 4096 ** 2 + 3 * 4096 * 11008 + 2 * 4096 }]);
    expect(4 * 4096 ** 2 + 3 * 4096 * 11008 + 2 * 4096).toBe(202_383_360);
  });
  it('splits the fold where blocks differ, and ignores storage types', () => {
    const t = (name: string, shape: number[], dtype = 'F16'): TensorInfo => ({ name, shape, dtype });
    const blocks = foldBlocks([t('h.0.w', [4]), t('h.1.w', [4], 'Q4_K'), t('h.2.w', [8]), t('h.3.w', [8]), t('h.4.w', [8]), t('solo.5.w', [1])]);
    expect(blocks).toEqual([
      { name: 'h.N', count: 2, first: 0, params: 4 },
      { name: 'h.N', count: 3, first: 2, params: 8 },
    ]);
  });
  it('names every weight uniquely, even for an empty name or a tensor named like its module (found by fuzzing)', () => {
    const g = weightsGraph('m', [{ name: '', shape: [1], dtype: 'F32' }, { name: 'a', shape: [1], dtype: 'F32' }, { name: 'a.a', shape: [2], dtype: 'F32' }]);
    expect(g.nodes.map((n) => [n.id, (n.attrs['weights'] as { name: string }[]).map((w) => w.name)])).toEqual([
      ['(empty name)', ['(empty name)']],
      ['a', ['a', 'a.a']],
    ]);
  });
  it('makes one tensors node per module, with the file weights, reading nothing', () => {
    const g = weightsGraph('m', [{ name: 'b.weight', shape: [2, 3], dtype: 'F32', bytes: 24 }, { name: 'b.bias', shape: [2], dtype: 'F32', bytes: 8 }, { name: 'a.running_mean', shape: [2], dtype: 'F32' }], true);
    expect(g.nodes.map((n) => [n.id, n.op, n.inputs, n.scope])).toEqual([
      ['a', 'tensors', [], []],
      ['b', 'tensors', [], []],
    ]);
    expect(g.nodes[0]!.attrs['weights']).toEqual([{ name: 'running_mean', shape: [2], dtype: 'F32', buffer: true }]);
  });
});

describe('checking a file against an architecture', () => {
  const report = summarize('llama-2-7b');
  it('finds every tensor of a Llama-2-7B file in the architecture nncalc builds', () => {
    expect(checkAgainst(report, llama7b, 'LlamaForCausalLM')).toEqual({ matched: 291, differences: [] });
  });
  it('names the modules where the file and the architecture differ', () => {
    const changed = llama7b
      .filter((t) => t.name !== 'model.layers.3.mlp.up_proj.weight')
      .map((t) => (t.name === 'model.layers.0.self_attn.k_proj.weight' ? { ...t, shape: [1024, 4096] } : t));
    changed.push({ name: 'model.extra.weight', shape: [4], dtype: 'F16' }, { name: 'model.layers.0.self_attn.rotary_emb.inv_freq', shape: [64], dtype: 'F32' });
    expect(checkAgainst(report, changed, 'LlamaForCausalLM').differences).toEqual([
      // k_proj of 1024 rows instead of 4096: 3·4096² + 1024·4096 = 54,525,952 against 4·4096² = 67,108,864; the rotary
      // table (a buffer) is not counted.
      'model.layers.0.self_attn: 54525952 parameters in the file, 67108864 in LlamaForCausalLM',
      '1 layer of LlamaForCausalLM with parameters has no tensor in the file: model.layers.3.mlp.up_proj',
      '1 tensor of the file belongs to no layer of LlamaForCausalLM: model.extra.weight',
    ]);
  });
  it('matches a base model saved without its leading module name, and says when a tied weight is stored', () => {
    const base = llama7b.filter((t) => t.name !== 'lm_head.weight').map((t) => ({ ...t, name: t.name.replace(/^model\./, '') }));
    const model = summarize('llama-2-7b');
    expect(checkAgainst(model, base, 'LlamaForCausalLM').differences).toEqual(['1 layer of LlamaForCausalLM with parameters has no tensor in the file: lm_head']);
    const gemma = summarize('gemma-2b');
    const embed = { name: 'model.embed_tokens.weight', shape: [256000, 2048], dtype: 'BF16' };
    const stored = checkAgainst(gemma, [embed, { ...embed, name: 'lm_head.weight' }], 'GemmaForCausalLM').differences;
    expect(stored[0]).toBe('lm_head: the file stores 524288000 parameters that GemmaForCausalLM shares with model.embed_tokens.weight (tied; counted once in the table)');
  });
  it('ends on names that start with a dot (found by fuzzing a .keras file whose layer lost its name)', () => {
    const odd = [{ name: '.0', shape: [2], dtype: 'F32' }, { name: '..x', shape: [3], dtype: 'F32' }];
    expect(checkAgainst(report, odd, 'LlamaForCausalLM').differences.at(-1)).toBe('2 tensors of the file belong to no layer of LlamaForCausalLM: .0, ..x');
  });
});

it('the fixture folder is the config the tests describe', () => {
  expect(JSON.parse(readFileSync('test/fixtures/models/tiny-llama/config.json', 'utf8'))).toMatchObject({ hidden_size: 64, num_hidden_layers: 2 });
});
