// The CLI on model files: local files and folders, URLs and hf: repositories served by a local server that stands
// in for the Hub (NNCALC_HF_ENDPOINT) and counts requests and bytes.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggufHeader, llamaGgufKv, llamaGgufTensors, llamaTensors, safetensorsHeader } from '../scripts/fixtures/writers.mjs';
import { memoryFolder } from '../src/io/folder.js';
import { summarizeFile } from '../src/summarize-file.js';
import { run } from './cli-io.js';
import { errorOfAsync } from './helpers.js';
import { startRangeServer, type RangeServer } from './range-server.js';

const FIXTURES = 'test/fixtures/models';
let server: RangeServer;
beforeAll(async () => {
  // owner/<name>/resolve/<revision>/<file> → <name>/<file>, as the Hub lays out its download URLs.
  server = await startRangeServer(FIXTURES, (p) => /^owner\/([^/]+)\/resolve\/main\/(.+)$/.exec(p)?.slice(1).join('/') ?? (p.startsWith('files/') ? p.slice(6) : undefined));
});
afterAll(() => server.close());

describe('nncalc on model files', () => {
  it('prints a weights-only safetensors file as modules with ? for what is unknown', async () => {
    const r = await run([`${FIXTURES}/small-cnn.safetensors`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/features\.4 \(F16\)\s+\?\s+4,640\s+\?/);
    expect(r.stdout).toMatch(/Total MACs:\s+\?\s+unknown/);
    expect(r.stdout).not.toMatch(/Total MACs:\s+0/);
  });
  it('prints a GGUF file against its architecture, at a depth, in every format', async () => {
    const table = await run([`${FIXTURES}/tiny-llama.gguf`, '--depth', '2']);
    expect(table.stdout).toMatch(/model\.layers \(ModuleList\)\s+\[1, 128, 256\]\s+787,456\s+117,440,512/);
    expect(table.stdout).toMatch(/Repeated block:\s+2 × blk\.N\s+393,728 each/);
    expect(table.stdout).toMatch(/Architecture:\s+LlamaForCausalLM\s+all 21 tensors of the file match its weights/);
    const json = JSON.parse((await run([`${FIXTURES}/tiny-llama.gguf`, '--format', 'json'])).stdout);
    expect(json.file).toMatchObject({ format: 'gguf', tensors: 21, architecture: 'LlamaForCausalLM' });
    expect(json.totals.params).toBe(918784);
    expect((await run([`${FIXTURES}/tiny-llama.gguf`, '--format', 'md'])).stdout).toMatch(/- \*\*File:\*\* gguf \(21 tensors/);
    expect((await run([`${FIXTURES}/small-cnn.safetensors`, '--format', 'csv'])).stdout).toMatch(/^features\.4,F16,tensors,F16,,4640,4640,0,0,,,/m);
    expect((await run([`${FIXTURES}/tiny-llama.gguf`, '--seq', '16'])).stdout).toMatch(/Input \[1, 16\]/);
  });
  it('reads a model folder: config.json and the shards of its index', async () => {
    const r = await run([`${FIXTURES}/tiny-llama-sharded`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Total params:\s+106,816/);
    expect(r.stdout).toMatch(/all 21 tensors of the file match its weights/);
  });
  it('reads a folder of PyTorch shards (pytorch_model.bin.index.json), as transformers saved models before safetensors', async () => {
    // scripts/fixtures/torch_shards.py: the same tiny Llama, each shard written by torch.save; 106,816 parameters as
    // in the safetensors folder above, every tensor checked against the architecture its config.json builds.
    for (const arg of [`${FIXTURES}/tiny-llama-bin-sharded`, `${FIXTURES}/tiny-llama-bin-sharded/pytorch_model.bin.index.json`]) {
      const r = await run([arg]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Total params:\s+106,816/);
      expect(r.stdout).toMatch(/Architecture:\s+LlamaForCausalLM\s+all 21 tensors of the file match its weights/);
      expect(r.stdout).toMatch(/File:\s+pytorch\s+21 tensors/);
      // The index's total_size equals the shards' tensors: no note says otherwise.
      expect(r.stdout).not.toMatch(/total_size/);
    }
  });
  it('a PyTorch index whose shard lacks a tensor, or names a shard that is not there, is an error naming both', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = `${FIXTURES}/tiny-llama-bin-sharded`;
    const index = JSON.parse(readFileSync(`${dir}/pytorch_model.bin.index.json`, 'utf8')) as { weight_map: Record<string, string> };
    const files = (map: Record<string, string>) => ({
      'pytorch_model.bin.index.json': new TextEncoder().encode(JSON.stringify({ weight_map: map })),
      'pytorch_model-00001-of-00002.bin': new Uint8Array(readFileSync(`${dir}/pytorch_model-00001-of-00002.bin`)),
    });
    // model.norm.weight is in the second shard; the index says the first.
    const moved = await errorOfAsync(() => summarizeFile(memoryFolder('m', files({ 'model.norm.weight': 'pytorch_model-00001-of-00002.bin' }))));
    expect(moved.message).toBe("pytorch: index m/pytorch_model.bin.index.json puts 'model.norm.weight' in 'pytorch_model-00001-of-00002.bin', whose state_dict does not hold it.");
    const gone = await errorOfAsync(() => summarizeFile(memoryFolder('m', files(index.weight_map))));
    expect(gone.message).toMatch(/^pytorch: index m\/pytorch_model.bin.index.json puts \d+ tensors in 'pytorch_model-00002-of-00002.bin', which is not beside it.$/);
  });
  it('reads hf:owner/name like the Hub: config.json, the index, each shard header, by Range, few requests', async () => {
    server.reset();
    const r = await run(['hf:owner/tiny-llama-sharded'], { env: { NNCALC_HF_ENDPOINT: server.url } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Total params:\s+106,816/);
    expect(server.stats.paths).toEqual([
      'owner/tiny-llama-sharded/resolve/main/config.json',
      'owner/tiny-llama-sharded/resolve/main/model.safetensors.index.json',
      'owner/tiny-llama-sharded/resolve/main/model-00001-of-00002.safetensors',
      'owner/tiny-llama-sharded/resolve/main/model-00002-of-00002.safetensors',
    ]);
    // One request per file: the first 256 KiB block holds each small file or header.
    expect(server.stats.requests).toBe(4);
    const single = await run(['hf:owner/tiny-llama'], { env: { NNCALC_HF_ENDPOINT: server.url } });
    expect(single.stdout).toMatch(/Total params:\s+106,816/);
    const gguf = await run(['hf:owner/tiny-llama.gguf'.replace('tiny-llama.gguf', 'x/tiny-llama.gguf')], { env: { NNCALC_HF_ENDPOINT: server.url } });
    expect(gguf.stderr).toMatch(/hf:owner\/x has no file 'tiny-llama.gguf'/);
  });
  it('lists a Hub repository of GGUF files through the tree API, reads its one model file, or asks which to read', async () => {
    const { readFileSync } = await import('node:fs');
    const gguf = readFileSync(`${FIXTURES}/tiny-llama.gguf`);
    const tree = (files: string[]) => new TextEncoder().encode(JSON.stringify([{ type: 'directory', path: 'docs' }, ...files.map((path) => ({ type: 'file', path, size: 1 }))]));
    const hub = await startRangeServer({
      'api/models/owner/one/tree/main': tree(['README.md', '.gitattributes', 'tiny-llama.Q4_K_M.gguf']),
      'owner/one/resolve/main/tiny-llama.Q4_K_M.gguf': gguf,
      'api/models/owner/two/tree/main': tree(['a.Q4_K_M.gguf', 'a.Q8_0.gguf']),
    });
    try {
      const env = { NNCALC_HF_ENDPOINT: hub.url };
      const one = await run(['hf:owner/one'], { env });
      expect(one.stderr).toBe('');
      expect(one.stdout).toMatch(/Total params:\s+918,784/);
      const two = await run(['hf:owner/two'], { env });
      expect(two.stderr).toMatch(/hf:owner\/two holds 2 model files \(a\.Q4_K_M\.gguf, a\.Q8_0\.gguf\) and no model\.safetensors; name the one to read, e\.g\. hf:owner\/two\/a\.Q4_K_M\.gguf/);
      const none = await run(['hf:owner/none'], { env });
      expect(none.stderr).toMatch(/hf:owner\/none: the Hub does not know this repository or revision \(HTTP 404\)/);
    } finally {
      await hub.close();
    }
  });
  it('reads a URL by Range requests, and refuses a server that ignores Range or when offline', async () => {
    server.reset();
    const r = await run([`${server.url}files/tiny-llama.gguf`]);
    expect(r.stdout).toMatch(/Total params:\s+918,784/);
    expect(server.stats.requests).toBe(1);
    server.mode = 'ignore-range';
    try {
      const bad = await run([`${server.url}files/tiny-llama.gguf`]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/error\[file\]: .*tiny-llama\.gguf: the server ignored the Range request/);
    } finally {
      server.mode = 'ranges';
    }
    server.reset();
    const offline = await run(['hf:owner/tiny-llama', '--offline'], { env: { NNCALC_HF_ENDPOINT: server.url } });
    expect(offline.stderr).toMatch(/offline \(--offline\), so it will not fetch/);
    expect(server.stats.requests).toBe(0);
  });
  it('explains and compares weights-only files without claiming MACs, shapes or inputs it does not know', async () => {
    const explain = await run(['explain', `${FIXTURES}/small-cnn.safetensors`]);
    expect(explain.stdout).toMatch(/The MACs and FLOPs are unknown/);
    expect(explain.stdout).toMatch(/Its input and output shapes are unknown/);
    expect(explain.stdout).not.toMatch(/Total 0 MACs|0 bytes|Subtotals by stage/);
    const diff = await run(['diff', `${FIXTURES}/small-cnn.safetensors`, `${FIXTURES}/tiny-mamba.gguf`]);
    expect(diff.stdout).not.toMatch(/Total MACs|batch undefined|\[\]|0 MACs/);
    expect(diff.stdout).toMatch(/so the MACs on both sides are unknown or lower bounds/);
  });
  it('says what is wrong with a bad file, naming the format and the offset', async () => {
    const r = await run([`${FIXTURES}/missing.gguf`]);
    expect(r.stderr).toMatch(/cannot open 'test\/fixtures\/models\/missing\.gguf': no such file or directory/);
    const json = await run([`${FIXTURES}/small-cnn.safetensors`, '--format', 'json', '--input', '3x3x3']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr).error.message).toMatch(/holds weights only, with no architecture nncalc knows, so --input, --batch and --seq do not apply/);
  });
});

describe('5 GB files read by their headers alone', () => {
  it('reads a sparse 5 GB safetensors and a 5 GB GGUF touching under 1 MB of either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nncalc-sparse-'));
    const sparse = (name: string, header: Uint8Array, total: number) => {
      const fd = openSync(join(dir, name), 'w');
      ftruncateSync(fd, total);
      writeSync(fd, header, 0, header.length, 0);
      closeSync(fd);
      return join(dir, name);
    };
    try {
      const st = safetensorsHeader(llamaTensors({ hidden: 4096, layers: 11, heads: 32, kv: 32, inter: 11008, vocab: 32000 }));
      const gg = ggufHeader(llamaGgufKv({ hidden: 5120, layers: 26, heads: 40, kv: 40, inter: 13824, vocab: 32000 }), llamaGgufTensors({ hidden: 5120, layers: 26, heads: 40, kv: 40, inter: 13824, vocab: 32000 }));
      for (const path of [sparse('big.safetensors', st.header, st.header.length + st.dataBytes), sparse('big.gguf', gg.header, gg.header.length + gg.dataBytes)]) {
        const r = await run([path, '--format', 'json']);
        expect(r.stderr).toBe('');
        const file = JSON.parse(r.stdout).file;
        expect(file.bytes).toBeGreaterThan(4.9e9);
        expect(file.read.bytes).toBeLessThan(1 << 20);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('a folder with config.json alone is built from the config, and says it has no tensors', async () => {
  const r = await run([`${FIXTURES}/tiny-llama/config.json`.replace('/config.json', '-config-only')]);
  expect(r.stdout).toMatch(/File:\s+hf-config\s+no tensors: the model is built from its config alone/);
  expect(r.stdout).toMatch(/Read:\s+\d+ B\s+in 1 request$/m);
});

describe('ONNX through the command line: --input, --batch and --bind set the graph input', () => {
  // typed_data.onnx (scripts/fixtures/onnx_fixtures.py) declares its batch as the symbol p2o.DynamicDimension.0.
  it('an unbound symbol is taken as 1; --bind names it', async () => {
    const one = await run(['test/fixtures/onnx/typed_data.onnx', '--format', 'json']);
    expect(JSON.parse(one.stdout).model.input[0]).toBe(1);
    const six = await run(['test/fixtures/onnx/typed_data.onnx', '--bind', 'p2o.DynamicDimension.0=6', '--format', 'json']);
    expect(JSON.parse(six.stdout).model.input).toEqual([6, 3, 28, 28]);
  });
  it('--batch sets the first dimension; MACs scale with it', async () => {
    const one = JSON.parse((await run(['test/fixtures/onnx/resnet18.onnx', '--format', 'json'])).stdout);
    const eight = JSON.parse((await run(['test/fixtures/onnx/resnet18.onnx', '--batch', '8', '--format', 'json'])).stdout);
    expect(eight.model.input).toEqual([8, 3, 224, 224]);
    expect(BigInt(eight.totals.macs)).toBe(8n * BigInt(one.totals.macs));
    expect(eight.totals.params).toBe(one.totals.params);
  });
  it('--bind needs name=value', async () => {
    const r = await run(['test/fixtures/onnx/typed_data.onnx', '--bind', 'oops']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--bind takes name=value, such as --bind batch=8. Received: 'oops'.");
  });
});
