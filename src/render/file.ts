/**
 * @module
 * Summary lines for a report read from a model file: what the file holds (tensors, bytes, storage types and the
 * real bits per weight), its repeated blocks, the architecture the MACs come from and how the file's tensors
 * compare with it, and how little of the file was read.
 */
import type { Report } from '../analyze/report.js';
import { toNumber } from '../int.js';
import { bytes, count } from './format.js';

/** [label, value, note] lines about the model file, or none for a report that was not read from one. */
export function fileLines(report: Report): [string, string, string][] {
  const f = report.file;
  if (!f) return [];
  const lines: [string, string, string][] = [];
  const types = f.dtypes.map((d) => `${d.dtype} ${d.tensors}`).join(', ');
  lines.push(['File', f.format, f.tensors ? `${f.tensors} tensors, ${bytes(f.bytes)}${types ? ` (${types})` : ''}` : 'no tensors: the model is built from its config alone']);
  if (f.bitsPerWeight !== undefined) lines.push(['Stored', count(f.params), `elements in the file's tensors, ${f.bitsPerWeight.toFixed(2)} bits each as stored`]);
  for (const b of f.blocks) {
    const range = b.first === 0 ? '' : ` (from ${b.first})`;
    lines.push(['Repeated block', `${b.count} × ${b.name}`, `${count(b.params)} each${range}`]);
  }
  if (f.architecture && f.check) {
    const d = f.check.differences;
    lines.push(['Architecture', f.architecture, d.length ? `the file differs from it: ${d.join('; ')}` : `all ${f.check.matched} tensors of the file match its weights`]);
  }
  if (f.read) {
    const pct = (100 * f.read.bytes) / toNumber(f.bytes);
    const share = Number.isFinite(pct) && pct > 0 ? ` (${pct >= 10 ? pct.toFixed(0) : pct.toPrecision(2)}% of the tensors' bytes)` : '';
    lines.push(['Read', `${count(f.read.bytes)} B`, `in ${f.read.requests} ${f.read.requests === 1 ? 'request' : 'requests'}${share}`]);
  }
  return lines;
}
