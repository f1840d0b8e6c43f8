/**
 * @module
 * collapse(report, depth): sums the layers inside each module at that depth into one row, like torchinfo's
 * `depth`. Totals are unchanged; a module's row has the output of its last layer.
 */
import type { LayerReport, Report } from './report.js';

const add = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

/** The module path of a layer at a depth, or undefined when the layer sits above that depth. */
const prefixAt = (l: LayerReport, depth: number): string | undefined => (l.scope.length >= depth ? l.scope.slice(0, depth).join('.') : undefined);

/**
 * The report with every module at `depth` shown as one row.
 * @example collapse(summarize('resnet50'), 1).layers.map((l) => l.name) // conv1, bn1, relu, maxpool, layer1, …, fc
 */
export function collapse(report: Report, depth: number): Report {
  const rows: LayerReport[] = [];
  const open = new Map<string, number>();
  for (const l of report.layers) {
    const key = prefixAt(l, depth);
    if (key === undefined) {
      rows.push(l);
      continue;
    }
    const at = open.get(key);
    if (at === undefined) {
      open.set(key, rows.length);
      rows.push({
        ...l,
        name: key,
        op: 'module',
        type: report.modules?.[key] ?? 'Module',
        label: report.modules?.[key] ?? 'module',
        scope: l.scope.slice(0, depth - 1),
        implicit: false,
        attrs: {},
        weights: [...l.weights],
        formulas: {},
        children: 1,
      });
      continue;
    }
    const m = rows[at]!;
    rows[at] = {
      ...m,
      outputShape: l.outputShape,
      rf: l.rf,
      params: add(m.params, l.params),
      trainable: add(m.trainable, l.trainable),
      nonTrainable: add(m.nonTrainable, l.nonTrainable),
      tied: m.tied + l.tied,
      buffers: m.buffers + l.buffers,
      macs: add(m.macs, l.macs),
      flops: add(m.flops, l.flops),
      outputBytes: m.outputBytes + l.outputBytes,
      weights: [...m.weights, ...l.weights],
      children: (m.children ?? 1) + 1,
    };
  }
  return { ...report, layers: rows };
}
