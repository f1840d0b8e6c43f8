/**
 * @module
 * The footer every text renderer shows: totals with units stated once, and what the counts include. Each note is
 * derived from the layers of the network (which layers hold buffers, which kinds do MACs), so it is true of it.
 */
import { batchOf, type LayerReport, type Report } from '../analyze/report.js';
import { toNumber } from '../int.js';
import { memoryLines } from './memory.js';
import { bytes, compact, count } from './format.js';
import { fileLines } from './file.js';

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

const NAMES: Readonly<Record<string, string>> = {
  running_mean: 'running mean',
  running_var: 'running variance',
  moving_mean: 'moving mean',
  moving_variance: 'moving variance',
  weight: 'weights',
  bias: 'biases',
};

/** 'running mean and running variance of BatchNorm2d layers; fixed weights of output (EuclideanRBF)'. */
function whatWeights(layers: readonly LayerReport[], pick: (w: LayerReport['weights'][number]) => boolean): string {
  const groups = new Map<string, { names: string[]; layers: Set<string> }>();
  for (const l of layers) {
    const ws = l.weights.filter((w) => pick(w) && w.tiedTo === undefined);
    if (!ws.length) continue;
    const g = groups.get(l.type) ?? { names: [], layers: new Set<string>() };
    for (const w of ws) {
      const name = `${!w.buffer && !w.trainable ? 'fixed ' : ''}${NAMES[w.name] ?? w.name}`;
      if (!g.names.includes(name)) g.names.push(name);
    }
    g.layers.add(l.name);
    groups.set(l.type, g);
  }
  return [...groups]
    .map(([type, g]) => {
      const names = list(g.names);
      const where = g.layers.size === 1 ? `${[...g.layers][0]} (${type})` : `${g.layers.size} ${type} layers`;
      return `${names} of ${where}`;
    })
    .join('; ');
}

/** What does MACs here, by kind of op: 'conv, linear and attention matmuls'. */
function macKinds(report: Report): string {
  const word = (op: string): string =>
    /^(conv|depthwise|separable|table_conv)/.test(op)
      ? 'conv'
      : op === 'linear'
        ? 'linear'
        : /attention|transformer/.test(op)
          ? 'attention'
          : /^(rnn|lstm|gru)$/.test(op)
            ? 'recurrent'
            : op === 'moe'
              ? 'expert'
              : op;
  const kinds: string[] = [];
  for (const l of report.layers) if (!l.training && (l.macs ?? 0) !== 0 && !kinds.includes(word(l.op))) kinds.push(word(l.op));
  return kinds.length ? `of ${list(kinds)} layers` : '';
}

/** What FLOPs add to 2·MACs in this network: ['bias adds', 'activations', 'pooling']. */
export function flopParts(report: Report): string[] {
  // What an op without MACs adds, when its kind alone says (asked once per op).
  const byOp = new Map<string, string | null>();
  const opWord = (op: string): string | null => {
    let w = byOp.get(op);
    if (w === undefined) {
      w = /pool/.test(op) ? 'pooling' : /norm/.test(op) ? 'normalisation' : /^(add|mul)$/.test(op) ? 'element-wise sums and products' : op === 'softmax' ? 'softmax' : null;
      byOp.set(op, w);
    }
    return w;
  };
  const sameShape = (a: readonly number[] | undefined, b: readonly number[]): boolean => !!a && a.length === b.length && a.every((d, i) => d === b[i]);
  const word = (l: LayerReport): string | string[] =>
    (l.macs ?? 0) !== 0
      ? /attention|transformer/.test(l.op)
        ? ['the scaling and softmax of attention scores', ...(l.weights.some((w) => /bias/.test(w.name)) ? ['bias adds'] : [])]
        : 'bias adds'
      : (opWord(l.op) ?? (l.weights.length === 0 && l.inputs.length === 1 && sameShape(l.inputShapes[0], l.outputShape) ? 'activations' : l.type));
  const kinds: string[] = [];
  // A layer of a kind already seen with MACs adds nothing new (a network of 20,000 convs asks once).
  const seen = new Set<string>();
  for (const l of report.layers) {
    const other = (l.flops ?? 0) !== 0 && toNumber(l.flops ?? 0) !== 2 * toNumber(l.macs ?? 0);
    if (l.training || !other) continue;
    const macs = (l.macs ?? 0) !== 0;
    if (macs && seen.has(l.op) && !/attention|transformer/.test(l.op)) continue;
    if (macs) seen.add(l.op);
    for (const w of [word(l)].flat()) if (!kinds.includes(w)) kinds.push(w);
  }
  return kinds;
}

const flopKinds = (report: Report): string => {
  const kinds = flopParts(report);
  return kinds.length ? `2·MACs + ${list(kinds)}` : '2·MACs';
};

/** [label, value, note] lines of the summary. */
export function summaryLines(report: Report): [string, string, string][] {
  const t = report.totals;
  const keras = report.model.convention === 'keras';
  const frozen = whatWeights(report.layers, (w) => !w.trainable && (keras || !w.buffer));
  const lines: [string, string, string][] = [
    ['Total params', count(t.params), `${bytes(t.paramBytes)} at fp32`],
    ['Trainable params', count(t.trainable), ''],
    ['Non-trainable params', count(t.nonTrainable), t.nonTrainable ? `${frozen}${keras && report.layers.some((l) => l.weights.some((w) => w.buffer)) ? ' (Keras convention)' : ''}` : ''],
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
  if (t.buffers) lines.push(['Buffers', count(t.buffers), `${whatWeights(report.layers, (w) => w.buffer)}; not parameters in PyTorch (--convention keras counts them)`]);
  if (t.active !== undefined) lines.push(['Active params', count(t.active), 'used per token: each mixture-of-experts layer routes to top_k experts']);
  const unknown = (k: 'macs' | 'flops' | 'activationBytes') => t.unknownTotals?.includes(k) ?? false;
  const kinds = macKinds(report);
  if (unknown('macs')) lines.push(['Total MACs', '?', 'unknown: no layer says what it computes (the file holds weights, not an architecture nncalc knows)']);
  else lines.push(['Total MACs', count(t.macs), t.macs ? `${compact(t.macs)} multiply-accumulates${kinds ? ` ${kinds}` : ''}` : '']);
  if (!unknown('flops')) lines.push(['FLOPs', count(t.flops), flopKinds(report)]);
  if (report.memory) lines.push(...memoryLines(report));
  else if (!unknown('activationBytes')) lines.push(['Σ layer outputs', bytes(t.activationBytes), `at fp32, batch ${batchOf(report)}: what the layers write, not memory`]);
  lines.push(...fileLines(report));
  if (report.model.approximate) lines.push(['Approximate', 'all totals', report.model.approximate]);
  const seq = report.model.sequence;
  if (seq) lines.push(['Sequence', `${count(seq.length)} tokens`, seq.given ? 'MACs, FLOPs and activations are counted at this length' : "the model's default here, which --seq changes; MACs, FLOPs and activations depend on it"]);
  if (t.training) {
    const names = [...new Set(report.layers.filter((l) => l.training).map((l) => l.scope[0] ?? l.name))];
    lines.push(['Training only', `${t.training.layers} layers`, `${list(names)}: ${count(t.training.params)} params, counted above; their ${count(t.training.macs)} MACs (in parentheses in the table) run only in training and are not in Total MACs`]);
  }
  // A weights-only file: every layer is unknown in the same way, which the MACs line already says.
  if (t.unknown && !(unknown('macs') && t.unknown === t.layers)) {
    const names = report.layers.filter((l) => l.params === null || l.macs === null || l.flops === null).map((l) => `${l.name} (${l.type})`);
    lines.push(['Unknown', `${t.unknown} of ${t.layers} layers`, `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}: not counted, so the totals are lower bounds`]);
  }
  for (const d of report.diagnostics) if (d.severity === 'warning' && d.layer === undefined && d.message !== report.model.approximate) lines.push(['Warning', '', d.message]);
  return lines;
}
