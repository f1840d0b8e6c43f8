#!/usr/bin/env node
// One measurement, in a fresh process: node scripts/bench/read-one.mjs <path | url | hf:owner/name> [endpoint]
// Prints JSON: the time from the first byte read to the finished report (past start-up and imports), the bytes and
// requests read, and the process's peak RSS.
import { performance } from 'node:perf_hooks';

const [arg, endpoint] = process.argv.slice(2);
const lib = await import('../../dist/node.js');
const t0 = performance.now();
let report;
if (arg.startsWith('hf:')) {
  const folder = lib.hubFolder(lib.parseHubRef(arg), endpoint);
  report = await lib.summarizeFile(folder);
} else if (/^https?:/.test(arg)) {
  const folder = lib.urlFolder(arg.slice(0, arg.lastIndexOf('/') + 1));
  report = await lib.summarizeFile(await lib.httpSource(arg), { sibling: (n) => folder.open(n) });
} else {
  report = await lib.summarizePath(arg);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, read: report.file.read, params: report.totals.params, macs: report.totals.macs, bytes: report.file.bytes, rss: process.resourceUsage().maxRSS * 1024 }));
