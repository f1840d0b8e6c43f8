/**
 * @module
 * The data behind the page's pictures, computed in the worker from a Report: parameters and MACs by layer and
 * by stage, the spatial chain (224 → 112 → … → 7), a plain sequential CNN's boxes, and a branched model's layers
 * for the graph.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import { collapse } from '../analyze/collapse.js';
import { plus, toNumber, type Int } from '../int.js';
import { stages } from '../render/explain.js';
import { countCell, layoutShape } from '../render/format.js';
import type { Bar, Block, ReportView } from './protocol.js';

/** At most this many bars in a chart; a larger model shows its largest layers, in order. */
export const MAX_BARS = 48;
/** More stages than this are charted by top-level module instead. */
const MAX_STAGES = 32;

const sumOf = (xs: readonly (Int | null)[]): Int | null => xs.reduce<Int | null>((s, x) => (s === null || x === null ? null : plus(s, x)), 0);
const approx = (n: Int | null): number => (n === null ? NaN : toNumber(n));

function bar(label: string, detail: string, params: Int | null, macs: Int | null): Bar {
  return { label, detail, p: approx(params), m: approx(macs), pText: countCell(params), mText: countCell(macs) };
}

/** The largest `max` of the bars by their share of parameters or of MACs, kept in model order. */
export function largest(bars: readonly Bar[], max: number): Bar[] {
  if (bars.length <= max) return [...bars];
  const tp = bars.reduce((s, b) => s + (b.p || 0), 0) || 1;
  const tm = bars.reduce((s, b) => s + (b.m || 0), 0) || 1;
  const weight = (b: Bar) => Math.max((b.p || 0) / tp, (b.m || 0) / tm);
  const keep = new Set([...bars].sort((a, b) => weight(b) - weight(a)).slice(0, max));
  return bars.filter((b) => keep.has(b));
}

function byLayer(report: Report): { bars: Bar[]; of: number } {
  const all = report.layers.filter((l) => l.params !== 0 || l.macs !== 0).map((l) => bar(l.name, l.label, l.params, l.macs));
  return { bars: largest(all, MAX_BARS), of: all.length };
}

function byGroup(report: Report): ReportView['groups'] {
  const ss = stages(report);
  if (ss.length > 0 && ss.length <= MAX_STAGES) {
    const bars = ss.map((s) => {
      const first = s.layers[0]!.name;
      const last = s.layers[s.layers.length - 1]!.name;
      return bar(s.label, first === last ? first : `${first} … ${last}`, s.params, sumOf(s.layers.map((l) => l.macs)));
    });
    return { title: 'stage', bars };
  }
  // Else by module: the shallowest depth that splits the model into a few modules (densenet121's features alone
  // is one bar at depth 1; its dense blocks and transitions are a dozen at depth 2).
  const deepest = report.layers.reduce((m, l) => Math.max(m, l.scope.length), 0);
  let rows: LayerReport[] = [];
  for (let d = 1; d <= Math.max(1, deepest); d++) {
    rows = collapse(report, d).layers.filter((l) => l.params !== 0 || l.macs !== 0);
    if (rows.length >= 4) break;
  }
  return { title: 'module', bars: largest(rows.map((l) => bar(l.name, l.op === 'module' ? l.type : l.label, l.params, l.macs)), MAX_BARS) };
}

const spatial = (s: readonly number[]): boolean => s.length === 4;

/** Height, width and channels after every layer that changes the spatial size, from the input on. */
function chain(report: Report): ReportView['chain'] {
  const input = report.model.input;
  if (!spatial(input)) return [];
  const out = [{ h: input[2]!, w: input[3]!, c: input[1]!, layer: 'input' }];
  for (const l of report.layers) {
    const s = l.outputShape;
    const last = out[out.length - 1]!;
    if (spatial(s) && (s[2] !== last.h || s[3] !== last.w)) out.push({ h: s[2]!, w: s[3]!, c: s[1]!, layer: l.name });
  }
  return out.length > 1 ? out : [];
}

/** True when every layer reads the one before it (the first reads the input), as in VGG or LeNet. */
export function sequential(layers: readonly LayerReport[]): boolean {
  return layers.length > 0 && layers.every((l, i) => l.inputs.length === 1 && (i === 0 || l.inputs[0] === layers[i - 1]!.name));
}

/** 'conv3-64 ×2' from the labels of a run of layers: each run of equal labels once, with its count. */
function runLabel(labels: readonly string[]): string {
  const parts: [string, number][] = [];
  for (const l of labels) {
    const last = parts[parts.length - 1];
    if (last && last[0] === l) last[1]++;
    else parts.push([l, 1]);
  }
  return parts.map(([l, n]) => (n > 1 ? `${l} ×${n}` : l)).join(', ');
}

/**
 * A sequential model's boxes: a layer that changes the shape starts a box, and so does one with parameters, unless
 * it repeats the conv that made the box (conv3-64 ×2). Layers that keep the shape and have no parameters (ReLU,
 * dropout, soft-max) join the box before them.
 */
function blocks(report: Report): Block[] | undefined {
  const input = report.model.input;
  if (!spatial(input) || !sequential(report.layers) || report.layers.length > 400) return undefined;
  const layout = report.model.layout;
  const out: { block: Block; labels: string[] }[] = [{ block: { kind: 'maps', c: input[1]!, h: input[2]!, w: input[3]!, label: 'input', shape: layoutShape(input, layout) }, labels: ['input'] }];
  let previous = input;
  for (const l of report.layers) {
    const s = l.outputShape;
    const same = s.length === previous.length && s.every((d, i) => d === previous[i]);
    previous = s;
    const box = out[out.length - 1]!;
    const free = l.params === 0;
    if (same && (free || (box.block.kind === 'maps' && box.labels[box.labels.length - 1] === l.label))) {
      if (!free) box.labels.push(l.label);
      continue;
    }
    const shape = layoutShape(s, layout);
    if (spatial(s)) out.push({ block: { kind: 'maps', c: s[1]!, h: s[2]!, w: s[3]!, label: '', shape }, labels: [l.label] });
    else if (s.length === 2) out.push({ block: { kind: 'vector', n: s[1]!, label: '', shape }, labels: [l.label] });
    else return undefined;
  }
  return out.map(({ block, labels }) => ({ ...block, label: runLabel(labels) }));
}

/** The figures' data of a report. */
export function figures(report: Report): Pick<ReportView, 'byLayer' | 'byLayerOf' | 'groups' | 'chain' | 'blocks' | 'graph'> {
  const layers = byLayer(report);
  const b = blocks(report);
  const layout = report.model.layout;
  return {
    byLayer: layers.bars,
    byLayerOf: layers.of,
    groups: byGroup(report),
    chain: chain(report),
    ...(b ? { blocks: b } : {}),
    // A graph when layers read other layers in more than a chain (a weights-only file's modules read nothing).
    ...(!b && !sequential(report.layers) && report.layers.some((l) => l.inputs.length > 0) && report.layers.length > 1
      ? {
          graph: {
            layers: report.layers.map((l) => ({ name: l.name, scope: l.scope, inputs: l.inputs, type: l.type, shape: layoutShape(l.outputShape, layout) })),
            modules: report.modules ?? {},
          },
        }
      : {}),
  };
}
