/**
 * @module
 * The footer every text renderer shows: totals with units stated once, and what the counts include.
 */
import type { Report } from '../analyze/report.js';
import { toNumber } from '../int.js';
import { bytes, compact, count } from './format.js';
import { fileLines } from './file.js';

/** What the running statistics of the report are: BatchNorm's, and a Keras Normalization's where one adapts them. */
function statistics(report: Report): string {
  const normalization = report.layers.some((l) => l.op === 'normalization' && l.weights.some((w) => w.buffer));
  return `BatchNorm ${report.model.convention === 'keras' ? 'moving' : 'running'} mean and variance${normalization ? '; Normalization mean, variance and count' : ''}`;
}

/** What the non-trainable parameters are, in Keras's convention: the statistics and any fixed (never trained) parameters. */
function nonTrainableNote(report: Report): string {
  const weights = report.layers.flatMap((l) => l.weights.filter((w) => !w.trainable && w.tiedTo === undefined));
  const parts = [...(weights.some((w) => w.buffer) ? [`${statistics(report)} (Keras convention)`] : []), ...(weights.some((w) => !w.buffer) ? ['fixed parameters, never trained'] : [])];
  return parts.join('; ');
}

/** [label, value, note] lines of the summary. */
export function summaryLines(report: Report): [string, string, string][] {
  const t = report.totals;
  const keras = report.model.convention === 'keras';
  const lines: [string, string, string][] = [
    ['Total params', count(t.params), `${bytes(t.paramBytes)} at fp32`],
    ['Trainable params', count(t.trainable), ''],
    ['Non-trainable params', count(t.nonTrainable), keras && t.nonTrainable ? nonTrainableNote(report) : ''],
  ];
  if (t.roles) {
    const order = ['embeddings', 'attention', 'mlp', 'experts', 'norms', 'head'];
    const rank = (role: string) => (order.includes(role) ? order.indexOf(role) : order.length);
    const roles = Object.entries(t.roles).sort(([a], [b]) => rank(a) - rank(b));
    for (const [role, n] of roles) lines.push([`  ${role}`, count(n), `${((100 * toNumber(n)) / (toNumber(t.params) || 1)).toFixed(1)}%`]);
  }
  if (t.tied) {
    const sharing = report.layers.filter((l) => l.tied > 0).map((l) => l.name);
    lines.push(['Shared weights', count(t.tied), `used again by ${sharing.slice(0, 3).join(', ')}${sharing.length > 3 ? ', …' : ''}; counted once above`]);
  }
  if (t.buffers) lines.push(['Buffers', count(t.buffers), `${statistics(report)}; not parameters in PyTorch (--convention keras counts them)`]);
  if (t.active !== undefined) lines.push(['Active params', count(t.active), 'used per token: each mixture-of-experts layer routes to top_k experts']);
  const unknown = (k: 'macs' | 'flops' | 'activationBytes') => t.unknownTotals?.includes(k) ?? false;
  if (unknown('macs')) lines.push(['Total MACs', '?', 'unknown: no layer says what it computes (the file holds weights, not an architecture nncalc knows)']);
  else lines.push(['Total MACs', count(t.macs), `${compact(t.macs)} multiply-accumulates of conv, linear and attention matmuls`]);
  if (!unknown('flops')) lines.push(['FLOPs', count(t.flops), '2·MACs + bias adds, activations, pooling, normalisation']);
  if (!unknown('activationBytes')) lines.push(['Activations', bytes(t.activationBytes), `Σ layer outputs at fp32, batch ${report.model.input[report.model.inputLayout ? report.model.inputLayout.indexOf('N') : 0]}`]);
  lines.push(...fileLines(report));
  if (report.model.approximate) lines.push(['Approximate', 'all totals', report.model.approximate]);
  // A weights-only file: every layer is unknown in the same way, which the MACs line already says.
  if (t.unknown && !(unknown('macs') && t.unknown === t.layers)) {
    const names = report.layers.filter((l) => l.params === null || l.macs === null || l.flops === null).map((l) => `${l.name} (${l.type})`);
    lines.push(['Unknown', `${t.unknown} of ${t.layers} layers`, `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}: not counted, so the totals are lower bounds`]);
  }
  return lines;
}
