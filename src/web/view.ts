/**
 * @module
 * A Report as the page shows it, built in the worker: the layer rows as a tree of modules (each module row sums
 * the layers inside it, exactly), the summary, the explanation sections, the tables to copy and the figures' data.
 */
import { collapse } from '../analyze/collapse.js';
import type { LayerReport, Report } from '../analyze/report.js';
import { plus, toNumber, type Int } from '../int.js';
import { renderCsv } from '../render/csv.js';
import { explainReport } from '../render/explain.js';
import { countCell, layoutShape } from '../render/format.js';
import { renderMarkdown } from '../render/markdown.js';
import { printableReport } from '../render/printable.js';
import { summaryLines } from '../render/summary.js';
import { columns } from '../render/table.js';
import { figures } from './figures.js';
import type { Options, ReportView, RowView } from './protocol.js';

const add = (a: Int | null, b: Int | null): Int | null => (a === null || b === null ? null : plus(a, b));
const approx = (n: Int | null): number => (n === null ? NaN : toNumber(n));

/** A module while its layers are being summed. */
interface Open {
  readonly key: string;
  readonly path: string;
  readonly segment: string;
  readonly index: number;
  readonly level: number;
  readonly parent: string | undefined;
  params: Int | null;
  macs: Int | null;
  flops: Int | null;
  last: LayerReport | undefined;
  layers: number;
}

/** Layer rows under module rows, in the report's order; a module that appears again later gets a second row. */
export function treeRows(report: Report): RowView[] {
  const rows: RowView[] = [];
  const stack: Open[] = [];
  const used = new Map<string, number>();
  const close = (m: Open) => {
    const type = report.modules?.[m.path] ?? 'Module';
    rows[m.index] = {
      key: m.key,
      ...(m.parent !== undefined ? { parent: m.parent } : {}),
      level: m.level,
      module: true,
      name: m.path,
      type,
      label: type,
      shape: m.last ? layoutShape(m.last.outputShape, report.model.layout) : '',
      params: countCell(m.params),
      macs: countCell(m.macs),
      flops: countCell(m.flops),
      formula: '',
      rf: m.last?.rf ? `${m.last.rf.size} (jump ${m.last.rf.jump})` : '–',
      implicit: false,
      p: approx(m.params),
      m: approx(m.macs),
      layers: m.layers,
    };
  };
  for (const l of report.layers) {
    let k = 0;
    while (k < stack.length && k < l.scope.length && stack[k]!.segment === l.scope[k]) k++;
    while (stack.length > k) close(stack.pop()!);
    for (let d = k; d < l.scope.length; d++) {
      const path = l.scope.slice(0, d + 1).join('.');
      const n = (used.get(path) ?? 0) + 1;
      used.set(path, n);
      const parent = stack[stack.length - 1]?.key;
      stack.push({ key: n > 1 ? `${path}#${n}` : path, path, segment: l.scope[d]!, index: rows.length, level: d, parent, params: 0, macs: 0, flops: 0, last: undefined, layers: 0 });
      rows.push(undefined as unknown as RowView); // filled when the module closes
    }
    for (const m of stack) {
      m.params = add(m.params, l.params);
      m.macs = add(m.macs, l.macs);
      m.flops = add(m.flops, l.flops);
      m.last = l;
      m.layers++;
    }
    const parent = stack[stack.length - 1]?.key;
    rows.push({
      key: l.name,
      ...(parent !== undefined ? { parent } : {}),
      level: l.scope.length,
      module: false,
      name: l.name,
      type: l.type,
      label: l.label,
      shape: columns.output!.cell(l, report),
      params: columns.params!.cell(l, report),
      macs: countCell(l.macs),
      flops: countCell(l.flops),
      formula: columns.formula!.cell(l, report),
      rf: columns.rf!.cell(l, report),
      ...(l.note !== undefined ? { note: l.note } : {}),
      implicit: l.implicit,
      p: approx(l.params),
      m: approx(l.macs),
    });
  }
  while (stack.length) close(stack.pop()!);
  return rows;
}

/** The whole view of a report under the page's settings. */
export function reportView(raw: Report, options: Options, extra: { file?: string; ms: number }): ReportView {
  const report = printableReport(raw);
  const m = report.model;
  const rows = treeRows(report);
  const shown = options.depth > 0 ? collapse(report, options.depth) : report;
  return {
    name: m.name,
    ...(m.source !== undefined ? { source: m.source } : {}),
    line: `Input ${layoutShape(m.input, m.layout)} · output ${layoutShape(m.output, m.layout)} · ${m.convention === 'keras' ? 'Keras' : 'PyTorch'} convention${m.layout ? ' · shapes channels last' : ''}`,
    ...(extra.file !== undefined ? { file: extra.file } : {}),
    // The page names its settings, not the command line's flags.
    summary: summaryLines(report).map(([l, v, n]) => [l, v, n.replace('(--convention keras counts them)', '(the Keras convention counts them)')] as const),
    diagnostics: report.diagnostics.map((d) => `${d.layer !== undefined ? `${d.layer}: ` : ''}${d.message}`),
    rows,
    maxDepth: report.layers.reduce((d, l) => Math.max(d, l.scope.length), 0),
    markdown: renderMarkdown(shown, { explain: options.formula, rf: options.rf }),
    csv: renderCsv(shown),
    sections: explainReport(report),
    ...figures(report),
    ms: extra.ms,
  };
}
