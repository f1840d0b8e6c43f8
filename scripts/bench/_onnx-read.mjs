#!/usr/bin/env node
// Reads one ONNX file with nncalc (a Node file handle behind the windowed reader), analyses the graph and renders
// the table, then prints one JSON line: phase times, bytes and requests read, peak RSS. Bundled and spawned by
// scripts/bench/onnx.mjs.
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { readOnnx } = await import('../../dist/formats/onnx.js');
const { analyze } = await import('../../dist/analyze/index.js');
const { render } = await import('../../dist/render/index.js');
const loaded = performance.now();

const path = process.argv[2];
const format = process.argv[3] ?? 'table';
const fh = await open(path, 'r');
const { size } = await fh.stat();
const stats = { requests: 0, bytes: 0 };
const source = {
  name: path,
  size,
  stats,
  async read(offset, length) {
    stats.requests++;
    stats.bytes += length;
    const buffer = new Uint8Array(length);
    await fh.read({ buffer, position: offset, length });
    return buffer;
  },
};
const { file } = await readOnnx(source, {});
const read = performance.now();
const report = analyze(file.graph);
const analysed = performance.now();
const text = render(report, format);
const rendered = performance.now();
await fh.close();
console.log(
  JSON.stringify({
    size,
    layers: report.layers.length,
    params: report.totals.params,
    load: loaded - t0,
    read: read - loaded,
    analyse: analysed - read,
    render: rendered - analysed,
    out: text.length,
    bytes: stats.bytes,
    requests: stats.requests,
    rss: process.resourceUsage().maxRSS * 1024,
  }),
);
