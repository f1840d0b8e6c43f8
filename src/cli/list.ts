/**
 * @module
 * `nncalc list`: every built-in model with its parameter count and source.
 */
import { analyze, type Convention } from '../analyze/index.js';
import { fmt } from '../count.js';
import { csvRows } from '../render/csv.js';
import { mdTable } from '../render/markdown.js';
import { build } from '../describe/build.js';
import { zoo } from '../zoo/index.js';

/** The zoo as text, Markdown, CSV or JSON. */
export function listText(format: string, convention: Convention): string {
  const rows = zoo.map((e) => {
    const t = analyze(build(e.spec()), { convention }).totals;
    return { name: e.name, params: t.params, macs: t.macs, title: e.title, source: e.source };
  });
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return csvRows([['name', 'params', 'macs', 'title'], ...rows.map((r) => [r.name, r.params, r.macs, r.title])]);
  const cells = rows.map((r) => [r.name, fmt(r.params), fmt(r.macs), r.title]);
  if (format === 'md') return mdTable(['model', 'params', 'MACs', 'description'], ['left', 'right', 'right', 'left'], cells).join('\n') + '\n';
  const w = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i]!.length), ['model', 'params', 'MACs'][i]!.length));
  const line = (c: readonly string[]) => `${c[0]!.padEnd(w[0]!)}  ${c[1]!.padStart(w[1]!)}  ${c[2]!.padStart(w[2]!)}  ${c[3]}`;
  return [line(['model', 'params', 'MACs', 'description']), ...cells.map(line)].join('\n') + '\n';
}
