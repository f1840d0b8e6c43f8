/**
 * @module
 * The footer every text renderer shows: totals with units stated once, and what the counts include.
 */
import type { Report } from '../analyze/report.js';
import { bytes, compact, count } from './format.js';

/** [label, value, note] lines of the summary. */
export function summaryLines(report: Report): [string, string, string][] {
  const t = report.totals;
  const keras = report.model.convention === 'keras';
  const lines: [string, string, string][] = [
    ['Total params', count(t.params), `${bytes(t.paramBytes)} at fp32`],
    ['Trainable params', count(t.trainable), ''],
    ['Non-trainable params', count(t.nonTrainable), keras && t.nonTrainable ? 'BatchNorm moving mean and variance (Keras convention)' : ''],
  ];
  if (t.buffers) lines.push(['Buffers', count(t.buffers), 'BatchNorm running mean and variance; not parameters in PyTorch (--convention keras counts them)']);
  lines.push(['Total MACs', count(t.macs), `${compact(t.macs)} multiply-accumulates of conv and linear layers`]);
  lines.push(['FLOPs', count(t.flops), '2·MACs + bias adds, activations, pooling, normalisation']);
  lines.push(['Activations', bytes(t.activationBytes), `Σ layer outputs at fp32, batch ${report.model.input[0]}`]);
  if (t.unknown) lines.push(['Unknown', `${t.unknown} layers`, 'their MACs/FLOPs are not counted: the totals are lower bounds']);
  return lines;
}
