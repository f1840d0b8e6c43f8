/**
 * @module
 * collapse(report, depth): sums the layers inside each module at that depth into one row, like torchinfo's
 * `depth`. Totals are unchanged; a module's row has the output of its last layer.
 */
import { plus, type Int } from '../int.js';
import type { LayerReport, Report, WeightReport } from './report.js';

const add = (a: Int | null, b: Int | null): Int | null => (a === null || b === null ? null : plus(a, b));

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The module path of a layer at a depth, or undefined when the layer sits above that depth. */
const prefixAt = (l: LayerReport, depth: number): string | undefined => (l.scope.length >= depth ? l.scope.slice(0, depth).join('.') : undefined);

/**
 * The report with every module at `depth` shown as one row.
 * @example collapse(summarize('resnet50'), 1).layers.map((l) => l.name) // conv1, bn1, relu, maxpool, layer1, …, fc
 */
export function collapse(report: Report, depth: number): Report {
  const rows: LayerReport[] = [];
  // A module's row is updated in place and its weights appended: linear in the number of layers.
  const open = new Map<string, { row: Mutable<LayerReport>; weights: WeightReport[] }>();
  for (const l of report.layers) {
    const key = prefixAt(l, depth);
    if (key === undefined) {
      rows.push(l);
      continue;
    }
    const m = open.get(key);
    if (m === undefined) {
      const weights = [...l.weights];
      const row: Mutable<LayerReport> = {
        ...l,
        name: key,
        op: 'module',
        type: report.modules?.[key] ?? 'Module',
        label: report.modules?.[key] ?? 'module',
        scope: l.scope.slice(0, depth - 1),
        implicit: false,
        attrs: {},
        weights,
        formulas: {},
        children: 1,
      };
      delete row.rule;
      open.set(key, { row, weights });
      rows.push(row);
      continue;
    }
    const r = m.row;
    r.outputShape = l.outputShape;
    r.rf = l.rf;
    r.params = add(r.params, l.params);
    r.trainable = add(r.trainable, l.trainable);
    r.nonTrainable = add(r.nonTrainable, l.nonTrainable);
    r.tied = plus(r.tied, l.tied);
    r.buffers = plus(r.buffers, l.buffers);
    r.macs = add(r.macs, l.macs);
    r.flops = add(r.flops, l.flops);
    r.outputBytes = plus(r.outputBytes, l.outputBytes);
    for (const w of l.weights) m.weights.push(w);
    r.children = (r.children ?? 1) + 1;
    // A module row is training-only when every layer in it is.
    if (!l.training) delete r.training;
  }
  return { ...report, layers: rows };
}
