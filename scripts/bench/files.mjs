// The model-file benchmark: per format, the file's size, the time to a report past start-up (in-process, and the
// whole CLI run), the bytes and requests read, and the peak RSS; local files and the same over HTTP (a local
// server that honours Range). The 5 GB files are sparse (ftruncate, then the header written at offset 0), so they
// take no disk space and prove that no weight byte is read. A section of scripts/bench.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, openSync, closeSync, writeSync, ftruncateSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ggufHeader, llamaGgufKv, llamaGgufTensors, llamaTensors, safetensorsHeader } from '../fixtures/writers.mjs';

export const title = 'Model files: 5 GB sparse safetensors and GGUF, local and over HTTP; VGG-16 as PyTorch and Keras files';

export async function run({ runs: all }) {
  // Each run spawns two processes per case: a few runs give stable medians.
  const runs = Math.min(all, Number(process.env.BENCH_FILE_RUNS ?? 7));
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = join(tmpdir(), 'nncalc-bench-files');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  /** A sparse file: the header at offset 0, then `total` bytes in all. */
  function sparse(path, header, total) {
    const fd = openSync(path, 'w');
    ftruncateSync(fd, total);
    writeSync(fd, header, 0, header.length, 0);
    closeSync(fd);
  }

  // A Llama of 4096 wide with 11 layers in BF16: 2,489,724,928 parameters, 4.98 GB, with its config.json.
  const st = { hidden: 4096, layers: 11, heads: 32, kv: 32, inter: 11008, vocab: 32000 };
  const config = { model_type: 'llama', architectures: ['LlamaForCausalLM'], hidden_size: 4096, num_hidden_layers: st.layers, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 11008, vocab_size: 32000, max_position_embeddings: 4096 };
  const stDir = join(dir, 'llama-st');
  mkdirSync(stDir);
  writeFileSync(join(stDir, 'config.json'), JSON.stringify(config));
  {
    const { header, dataBytes } = safetensorsHeader(llamaTensors(st), { format: 'pt' });
    sparse(join(stDir, 'model.safetensors'), header, header.length + dataBytes);
  }
  // The same model in 3 shards with an index, as the Hub stores it.
  const shDir = join(dir, 'llama-sharded');
  mkdirSync(shDir);
  writeFileSync(join(shDir, 'config.json'), JSON.stringify(config));
  {
    const tensors = llamaTensors(st);
    const parts = [tensors.slice(0, 34), tensors.slice(34, 67), tensors.slice(67)];
    const map = {};
    parts.forEach((list, i) => {
      const file = `model-0000${i + 1}-of-00003.safetensors`;
      const { header, dataBytes } = safetensorsHeader(list, { format: 'pt' });
      sparse(join(shDir, file), header, header.length + dataBytes);
      for (const t of list) map[t.name] = file;
    });
    writeFileSync(join(shDir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: map }));
  }
  // A 13B-wide Llama with 26 layers quantised like Q4_K_M, with a 32,000-token vocabulary: 5.3 GB.
  const gg = { hidden: 5120, layers: 26, heads: 40, kv: 40, inter: 13824, vocab: 32000 };
  {
    const { header, dataBytes } = ggufHeader(llamaGgufKv(gg, 'llama-13b-26l'), llamaGgufTensors(gg));
    sparse(join(dir, 'llama-q4_k_m.gguf'), header, header.length + dataBytes);
  }

  // A local server for the same files: Range honoured, requests and bytes counted.
  let served = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    served.requests++;
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const hub = /^\/owner\/([^/]+)\/resolve\/main\/(.+)$/.exec(path);
    const file = join(dir, hub ? `${hub[1]}/${hub[2]}` : path);
    let size;
    try {
      size = statSync(file).size;
    } catch {
      return res.writeHead(404).end();
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) return res.writeHead(400).end();
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), size - 1);
    served.bytes += end - start + 1;
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
    createReadStream(file, { start, end }).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  /** Measures one argument: in-process time, CLI time, bytes, requests, RSS (medians of `runs`). */
  async function measure(arg, extra = []) {
    const once = () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['scripts/bench/_read-one.mjs', arg, url], { cwd: root });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`read-one ${arg} failed`))));
      });
    const results = [];
    const cli = [];
    for (let i = 0; i < runs; i++) {
      served = { requests: 0, bytes: 0 };
      const one = await once();
      results.push({ ...one, served: { ...served } });
      const t = performance.now();
      const env = { ...process.env, NNCALC_HF_ENDPOINT: url };
      const c = await new Promise((resolve) => {
        const p = spawn(process.execPath, ['bin/nncalc.js', arg, ...extra], { cwd: root, env, stdio: 'ignore' });
        p.on('close', resolve);
      });
      if (c !== 0) throw new Error(`nncalc ${arg} exited ${c}`);
      cli.push(performance.now() - t);
    }
    const r = results.at(-1);
    const ms = results.map((x) => x.ms);
    return { ms: median(ms), best: Math.min(...ms), cli: median(cli), read: r.read, served: r.served, rss: median(results.map((x) => x.rss)), params: r.params };
  }

  const size = (p) => statSync(p).size;
  const folderSize = (d, files) => files.reduce((s, f) => s + size(join(d, f)), 0);
  const cases = [
    ['safetensors, 1 file + config.json', 'local', stDir, folderSize(stDir, ['model.safetensors', 'config.json'])],
    ['safetensors, 3 shards + index', 'local', shDir, folderSize(shDir, ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'])],
    ['GGUF Q4_K_M, 32k vocabulary', 'local', join(dir, 'llama-q4_k_m.gguf'), size(join(dir, 'llama-q4_k_m.gguf'))],
    ['safetensors, 3 shards + index', 'hf: (HTTP)', 'hf:owner/llama-sharded', folderSize(shDir, ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'])],
    ['safetensors, 1 file + config.json', 'hf: (HTTP)', 'hf:owner/llama-st', size(join(stDir, 'model.safetensors'))],
    ['GGUF Q4_K_M, 32k vocabulary', 'HTTP', null, size(join(dir, 'llama-q4_k_m.gguf'))],
  ];
  // VGG-16 as PyTorch (zip and legacy) and Keras .h5 files with their 553 MB of weights, written once by torch and h5py
  // into the temp folder (scripts/bench/torch_keras_models.py) and kept; without /usr/bin/python3's torch the rows are left out.
  const tk = join(tmpdir(), 'nncalc-bench-torch');
  const made = spawnSync('/usr/bin/python3', [join(root, 'scripts/bench/torch_keras_models.py'), tk], { encoding: 'utf8' });
  if (made.status === 0) {
    for (const [name, f] of [['PyTorch state_dict, vgg16', 'vgg16.pth'], ['PyTorch legacy format, vgg16', 'vgg16_legacy.pth'], ['Keras .h5, VGG16 with weights', 'vgg16.h5']]) {
      cases.push([name, 'local', join(tk, f), size(join(tk, f))]);
    }
  }
  const rows = [];
  for (const [name, where, arg, bytes] of cases) {
    const m = await measure(arg ?? `${url}/llama-q4_k_m.gguf`);
    rows.push([`${name}, ${where}`, `${(bytes / 1e9).toFixed(2)} GB`, `${m.ms.toFixed(1)} / ${m.best.toFixed(1)}`, m.cli.toFixed(0), m.read.bytes.toLocaleString('en-US'), String(where === 'local' ? m.read.requests : m.served.requests), `${(m.rss / 2 ** 20).toFixed(0)} MB`]);
  }
  server.close();
  rmSync(dir, { recursive: true, force: true });
  const header = ['model file', 'size', 'report ms (median / best)', 'CLI ms', 'bytes read', 'requests', 'peak RSS'];
  const note = `report ms: from the first byte read to the finished report, in-process (past start-up); CLI ms: the whole \`nncalc <file>\` run.
Medians of ${runs} runs (and the best, for report ms); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores. Requests: reads of the file
handles (local) or HTTP requests received by the server (hf:, HTTP), for every file of the model.`;
  return { header, rows, note };
}
