/**
 * @module
 * The memory figures of a report as footer lines and as an explanation section: each figure with the formula
 * and the assumptions it rests on. Bytes are shown in binary units (KiB, MiB, GiB: powers of 1024), exact bytes
 * in the JSON and the explanation.
 */
import { batchOf, type MemoryReport, type Report } from '../analyze/report.js';
import { fmt, show } from '../count.js';
import type { Section } from './document.js';
import { bytes } from './format.js';

const exact = (b: MemoryReport['weights']['bytes']): string => `${fmt(b)} bytes`;

/** 'in fp32 (--dtype for others)', 'q4_k_m as placed: …', 'as the file stores them: Q4_K …, F32 …'. */
function weightsNote(m: MemoryReport): string {
  const types = Object.keys(m.weights.byType);
  const split = types.map((t) => `${t} ${bytes(m.weights.byType[t]!.bytes)}`).join(', ');
  if (m.dtype === 'stored') return types.length > 1 ? `as the file stores them: ${split}` : `in ${types[0]}, as the file stores them`;
  return types.length > 1 ? `${m.dtype} as placed: ${split}` : `in ${m.dtype}${m.dtype === 'fp32' ? ' (--dtype for others)' : ''}`;
}

/** [label, value, note] lines for the table's footer. */
export function memoryLines(report: Report): [string, string, string][] {
  const m = report.memory!;
  const batch = batchOf(report);
  const lines: [string, string, string][] = [['Weights', bytes(m.weights.bytes), weightsNote(m)]];
  if (m.activations) lines.push(['Activations (peak)', bytes(m.activations.peak), `live at once at batch ${batch}, at ${m.activations.peakAt} (${m.activationDtype}; Σ of all layer outputs ${bytes(m.activations.sum)})`]);
  else lines.push(['Activations', '?', 'unknown: the file holds weights, not an architecture nncalc knows']);
  if (m.kv) lines.push(['KV cache', bytes(m.kv.bytes), `${m.kv.dtype}, ${fmt(m.kv.context)} tokens × ${batch}: ${bytes(m.kv.perToken)} a token`]);
  if (m.inference) lines.push(['Inference memory', bytes(m.inference.bytes), `weights + peak activations${m.kv ? ' + KV cache' : ''}; see --explain for the assumptions`]);
  if (m.training) {
    const t = m.training;
    lines.push([
      'Training memory',
      bytes(t.total.bytes),
      `${t.optimizer}, ${t.precision}: weights ${bytes(t.weights.bytes)} + gradients ${bytes(t.grads.bytes)} + optimizer ${bytes(t.optimizerStates.bytes)} + saved activations ${bytes(t.saved.bytes)}${t.checkpointing ? ' (checkpointed)' : ''}`,
    ]);
  }
  if (m.perGpu) {
    const g = m.perGpu;
    lines.push(['Per GPU', bytes(g.total.bytes), `${g.gpus} GPUs, ${g.scheme}${g.tp > 1 ? `, tensor parallel ${g.tp}` : ''}${g.pp > 1 ? `, pipeline ${g.pp}` : ''}`]);
  }
  return lines;
}

/** The memory section of --explain: every figure with its formula, then the assumptions. */
export function memorySection(report: Report): Section | undefined {
  const m = report.memory;
  if (!m) return undefined;
  const rows: string[][] = [['weights', Object.entries(m.weights.byType).map(([t, e]) => `${fmt(e.elements)} × ${t}`).join(' + '), exact(m.weights.bytes)]];
  const a = m.activations;
  if (a) {
    rows.push(['activations, peak', `at ${a.peakAt}, batch ${batchOf(report)}`, exact(a.peak)]);
    rows.push(['Σ layer outputs', 'every layer\'s output added up (not memory: views and in-place results take none)', exact(a.sum)]);
    if (a.attentionScores) {
      // Counted in the live set while an attention layer runs; the peak may fall elsewhere (a wide MLP).
      const atAttention = report.layers.find((l) => l.name === a.peakAt)?.op === 'attention';
      const where = atAttention ? `part of the peak at ${a.peakAt}` : `counted while it runs; the peak, at ${a.peakAt}, is elsewhere`;
      rows.push(['attention scores', `one attention layer's scores and probabilities, ${where} (none with --fused-attention)`, exact(a.attentionScores)]);
    }
  }
  if (m.kv?.formula) rows.push(['KV cache', show(m.kv.formula), exact(m.kv.bytes)]);
  if (m.inference?.formula) rows.push(['inference', show(m.inference.formula), exact(m.inference.bytes)]);
  const t = m.training;
  if (t) {
    if (t.weights.formula) rows.push(['training: weights', show(t.weights.formula), exact(t.weights.bytes)]);
    if (t.grads.formula) rows.push(['training: gradients', show(t.grads.formula), exact(t.grads.bytes)]);
    if (t.optimizerStates.formula) rows.push([`training: ${t.optimizer} state`, show(t.optimizerStates.formula), exact(t.optimizerStates.bytes)]);
    rows.push(['training: saved for backward', Object.entries(t.saved.byKind).map(([k, b]) => `${k} ${fmt(b)}`).join(' + '), exact(t.saved.bytes)]);
    if (t.total.formula) rows.push(['training', show(t.total.formula), exact(t.total.bytes)]);
  }
  const g = m.perGpu;
  if (g?.total.formula) rows.push([`per GPU (${g.gpus})`, show(g.total.formula), exact(g.total.bytes)]);
  return {
    title: 'Memory',
    blocks: [
      { kind: 'table', header: ['figure', 'formula', 'bytes'], align: ['left', 'left', 'right'], rows },
      { kind: 'p', text: 'Assumptions:' },
      { kind: 'list', items: [...m.assumptions] },
    ],
  };
}
