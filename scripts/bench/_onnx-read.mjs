#!/usr/bin/env node
// Reads one ONNX file with nncalc (the CLI's file source behind the windowed reader), analyses the graph and renders
// the table, then prints one JSON line: phase times, bytes and requests read, peak RSS. Bundled and spawned by
// scripts/bench/onnx.mjs.
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { readOnnx } = await import('../../dist/formats/onnx.js');
const { nodeFileSource } = await import('../../dist/io/node-file.js');
const { analyze } = await import('../../dist/analyze/index.js');
const { render } = await import('../../dist/render/index.js');
const loaded = performance.now();

const path = process.argv[2];
const format = process.argv[3] ?? 'table';
// The CLI's own file source: positioned reads through a file handle.
const source = await nodeFileSource(path);
const { size, stats } = source;
const { file } = await readOnnx(source, {});
const read = performance.now();
const report = analyze(file.graph);
const analysed = performance.now();
const text = render(report, format);
const rendered = performance.now();
await source.close();
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
