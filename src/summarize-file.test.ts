import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorOfAsync } from '../test/helpers.js';
import { memorySource } from './io/bytes.js';
import { memoryFolder } from './io/folder.js';
import { summarize } from './summarize.js';
import { summarizeFile } from './summarize-file.js';
import { fromHfConfig } from './zoo/hf/index.js';

const FIXTURES = 'test/fixtures/models';
const file = (path: string) => memorySource(readFileSync(`${FIXTURES}/${path}`), path);
const folder = (dir: string, names: string[]) => memoryFolder(dir, Object.fromEntries(names.map((n) => [n, readFileSync(`${FIXTURES}/${dir}/${n}`)])));

describe('summarizeFile', () => {
  it('a weights-only file: parameters, buffers, dtypes and bytes per module; MACs, FLOPs and shapes unknown, never 0', async () => {
    const r = await summarizeFile(file('small-cnn.safetensors'));
    // By hand: features.0 3·3·3·16 + 16 = 448; features.1 (BatchNorm) 16 + 16 = 32 with 16 + 16 + 1 buffer values;
    // features.4 3·3·16·32 + 32 = 4,640; classifier 32·10 + 10 = 330.
    expect(r.layers.map((l) => [l.name, l.type, l.params, l.buffers, l.macs, l.flops, l.outputShape])).toEqual([
      ['classifier', 'F16', 330, 0, null, null, []],
      ['features.0', 'F32', 448, 0, null, null, []],
      ['features.1', 'F32+I64', 32, 33, null, null, []],
      ['features.4', 'F16', 4640, 0, null, null, []],
    ]);
    expect(r.totals.params).toBe(5450);
    expect(r.totals.unknownTotals).toEqual(['macs', 'flops', 'activationBytes']);
    expect(r.layers[3]!.weights[0]).toMatchObject({ name: 'weight', shape: [32, 16, 3, 3], dtype: 'F16', bytes: 9216 });
    expect(r.file).toMatchObject({ format: 'safetensors', tensors: 11, params: 5483, bytes: 11996, blocks: [] });
    expect(r.file?.dtypes).toEqual([
      { dtype: 'F16', tensors: 4, params: 4970, bytes: 9940 },
      { dtype: 'F32', tensors: 6, params: 512, bytes: 2048 },
      { dtype: 'I64', tensors: 1, params: 1, bytes: 8 },
    ]);
  });
  it('a folder with config.json: the architecture, its MACs, and every tensor checked against it', async () => {
    const r = await summarizeFile(folder('tiny-llama', ['config.json', 'model.safetensors']));
    const config = JSON.parse(readFileSync(`${FIXTURES}/tiny-llama/config.json`, 'utf8'));
    const built = summarize(fromHfConfig(config, 'tiny-llama'));
    // By hand: 256·64 embeddings, 2 layers of 36,992 (q 64·64, k and v 32·64, o 64·64, MLP 3·128·64, 2 norms of 64),
    // the final norm 64 and lm_head 256·64.
    expect(r.totals.params).toBe(256 * 64 + 2 * (4096 + 2048 + 2048 + 4096 + 3 * 8192 + 128) + 64 + 256 * 64);
    expect(r.totals.params).toBe(built.totals.params);
    expect(r.totals.macs).toBe(built.totals.macs);
    expect(r.file).toMatchObject({ architecture: 'LlamaForCausalLM', check: { matched: 21, differences: [] }, blocks: [{ name: 'model.layers.N', count: 2, first: 0, params: 36992 }], bitsPerWeight: 16 });
    expect(r.file?.read?.bytes).toBeLessThan(3000);
  });
  it('a folder whose config and weights disagree: the report follows the config and says where the file differs', async () => {
    const config = { ...JSON.parse(readFileSync(`${FIXTURES}/tiny-llama/config.json`, 'utf8')), num_hidden_layers: 3 };
    const f = memoryFolder('m', { 'config.json': new TextEncoder().encode(JSON.stringify(config)), 'model.safetensors': readFileSync(`${FIXTURES}/tiny-llama/model.safetensors`) });
    const r = await summarizeFile(f);
    expect(r.file?.check?.differences).toEqual([
      '6 layers of LlamaForCausalLM with parameters have no tensor in the file: model.layers.2.input_layernorm, model.layers.2.self_attn, model.layers.2.post_attention_layernorm, model.layers.2.mlp.gate_proj, … (6)',
    ]);
    expect(r.diagnostics.at(-1)).toMatchObject({ severity: 'warning' });
  });
  it('a GGUF file of a known family: the builder gives the layers and MACs; bits per weight from the ggml types', async () => {
    const r = await summarizeFile(file('tiny-llama.gguf'));
    // By hand: hidden 256, 4 heads of 64, 2 KV heads (k and v 128·256), MLP 256: 2·65,536 embeddings and head, 2 layers of
    // (4·65,536 − 2·32,768) + 3·65,536 + 2·256 = 393,728, and the final norm 256.
    expect(r.totals.params).toBe(2 * 65536 + 2 * 393728 + 256);
    expect(r.file?.check).toEqual({ matched: 21, differences: [] });
    // Q4_K 4.5 bits, Q6_K 6.5625, F32 32: bytes over elements as stored.
    expect(r.file?.bitsPerWeight).toBeCloseTo((8 * Number(r.file!.bytes)) / Number(r.file!.params), 12);
    expect(r.file?.dtypes.map((d) => d.dtype)).toEqual(['Q4_K', 'Q6_K', 'F32']);
    expect(r.model.name).toBe('tiny-llama');
  });
  it('an unknown GGUF architecture: modules in file order, MACs unknown', async () => {
    const r = await summarizeFile(file('tiny-mamba.gguf'));
    expect(r.layers.map((l) => l.name)).toEqual(['token_embd', 'blk.0.ssm_in', 'blk.0.ssm_out', 'blk.1.ssm_in', 'blk.1.ssm_out', 'output_norm']);
    expect(r.totals.unknownTotals).toContain('macs');
    expect(r.file?.blocks).toEqual([{ name: 'blk.N', count: 2, first: 0, params: 64 * 256 + 128 * 64 }]);
  });
  it('--input, --batch and --seq do not apply to weights alone; an unknown format is named', async () => {
    expect((await errorOfAsync(() => summarizeFile(file('small-cnn.safetensors'), { seq: 4 }))).message).toMatch(/holds weights only.*--input, --batch and --seq do not apply/);
    expect((await errorOfAsync(() => summarizeFile(memorySource(new Uint8Array(100), 'x.dat')))).message).toMatch(/cannot tell the format of 'x.dat'/);
    expect((await errorOfAsync(() => summarizeFile(memoryFolder('empty', {})))).message).toMatch(/empty holds no config.json, model.safetensors/);
  });
});

describe('metadata that does not match the file does not drive a build', () => {
  it('a GGUF whose block_count disagrees with its tensors is read as weights only', async () => {
    const { ggufFile, llamaGgufKv, llamaGgufTensors } = await import('../scripts/fixtures/writers.mjs');
    const c = { hidden: 32, layers: 2, heads: 2, kv: 2, inter: 64, vocab: 8 };
    const kv = llamaGgufKv(c).map((e) => (e[0] === 'llama.block_count' ? (['llama.block_count', 'u32', 1_000_000_000] as typeof e) : e));
    const r = await summarizeFile(memorySource(ggufFile(kv, llamaGgufTensors(c, 'F32', 'F32')), 'm.gguf'));
    expect(r.totals.unknownTotals).toContain('macs');
    expect(r.model.notes.join(' ')).toMatch(/llama.block_count is 1000000000, but the file's tensors hold 2 blocks/);
  });
  it('a config asking for a billion layers is refused', async () => {
    const f = memoryFolder('m', { 'config.json': new TextEncoder().encode(JSON.stringify({ model_type: 'llama', num_hidden_layers: 1e9 })) });
    expect((await errorOfAsync(() => summarizeFile(f))).message).toMatch(/declares 1000000000 layers, more than the 4096/);
  });
});

it('a GGUF Mixtral (llama with experts): stacked expert tensors checked against the mixture-of-experts layer', async () => {
  const { ggufFile, llamaGgufKv } = await import('../scripts/fixtures/writers.mjs');
  const c = { hidden: 32, layers: 2, heads: 2, kv: 2, inter: 64, vocab: 8 };
  const t = [{ name: 'token_embd.weight', type: 'F32', dims: [32, 8] }];
  for (const p of ['blk.0', 'blk.1']) {
    t.push(
      { name: `${p}.attn_norm.weight`, type: 'F32', dims: [32] },
      ...['q', 'k', 'v', 'output'].map((x) => ({ name: `${p}.attn_${x}.weight`, type: 'F32', dims: [32, 32] })),
      { name: `${p}.ffn_norm.weight`, type: 'F32', dims: [32] },
      { name: `${p}.ffn_gate_inp.weight`, type: 'F32', dims: [32, 4] },
      { name: `${p}.ffn_gate_exps.weight`, type: 'F32', dims: [32, 64, 4] },
      { name: `${p}.ffn_up_exps.weight`, type: 'F32', dims: [32, 64, 4] },
      { name: `${p}.ffn_down_exps.weight`, type: 'F32', dims: [64, 32, 4] },
    );
  }
  t.push({ name: 'output_norm.weight', type: 'F32', dims: [32] }, { name: 'output.weight', type: 'F32', dims: [32, 8] });
  const r = await summarizeFile(memorySource(ggufFile([...llamaGgufKv(c), ['llama.expert_count', 'u32', 4], ['llama.expert_used_count', 'u32', 2]], t), 'moe.gguf'));
  expect(r.file?.architecture).toBe('MixtralForCausalLM');
  expect(r.file?.check).toEqual({ matched: 23, differences: [] });
  // By hand, per layer: attention 4·32·32 = 4,096, two norms 64, router 32·4 = 128, 4 experts of 3·32·64 = 24,576.
  expect(r.file?.blocks).toEqual([{ name: 'blk.N', count: 2, first: 0, params: 4096 + 64 + 128 + 24576 }]);
});

it('a safetensors file given alone takes its architecture from the config.json beside it, and ignores a broken one', async () => {
  const weights = readFileSync(`${FIXTURES}/tiny-llama/model.safetensors`);
  const config = readFileSync(`${FIXTURES}/tiny-llama/config.json`);
  const beside = (files: Record<string, Uint8Array>) => memoryFolder('dir', files).open;
  const r = await summarizeFile(memorySource(weights, 'dir/model.safetensors'), { sibling: beside({ 'config.json': config }) });
  expect(r.file?.architecture).toBe('LlamaForCausalLM');
  expect(r.model.notes).toContain('The architecture comes from config.json beside the file.');
  const broken = await summarizeFile(memorySource(weights, 'dir/model.safetensors'), { sibling: beside({ 'config.json': new TextEncoder().encode('{"model_type": ') }) });
  expect(broken.totals.unknownTotals).toContain('macs');
  expect(broken.model.notes.join(' ')).toMatch(/config.json beside the file was not used: config.json: dir\/config.json is not valid JSON/);
});

it('a config nncalc cannot build beside weights is noted, and the weights are grouped by name', async () => {
  const weights = readFileSync(`${FIXTURES}/small-cnn.safetensors`);
  // RWKV: a model_type nncalc does not build, without the decoder keys that would make it Llama-like.
  const config = new TextEncoder().encode(JSON.stringify({ model_type: 'rwkv', hidden_size: 768 }));
  const r = await summarizeFile(memoryFolder('rwkv', { 'config.json': config, 'model.safetensors': weights }));
  expect(r.totals.params).toBe(5450);
  expect(r.totals.unknownTotals).toContain('macs');
  expect(r.model.notes.join(' ')).toMatch(/The config was not used \(config.json: model_type 'rwkv' is not supported\. Supported families: .*\), so the tensors are grouped by name and MACs are unknown\./);
  // Without weights there is nothing to fall back on: the error stands.
  expect((await errorOfAsync(() => summarizeFile(memoryFolder('rwkv', { 'config.json': config })))).message).toMatch(/model_type 'rwkv' is not supported/);
});
