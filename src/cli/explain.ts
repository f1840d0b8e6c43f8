/**
 * @module
 * `nncalc explain <model> [--layer NAME]`: how every number of a layer (or of the whole model) arises, as
 * text fitted to the terminal, Markdown for notes, or the same sections as JSON. `nncalc explain
 * summary.txt` (or `-`) explains a pasted Keras or torchinfo summary instead, row by row.
 */
import { stat } from 'node:fs/promises';
import { explainSummary, isSummary, summarySections } from '../check/summary/index.js';
import { readText } from './load.js';
import type { Report } from '../analyze/report.js';
import { jsonReplacer } from '../int.js';
import type { Command } from './load.js';
import { documentMarkdown, documentText, type Section } from '../render/document.js';
import { explainAll, explainLayer, findLayers, noSuchLayer } from '../render/explain-layer.js';
import { shapeText } from '../render/format.js';
import { mdCell } from '../render/markdown.js';
import { ascii } from '../render/ascii.js';
import { wrapWords } from '../render/layout.js';

const heading = (r: Report): string[] => [
  `${r.model.name}${r.model.source ? ` — ${r.model.source}` : ''}`,
  `Input ${shapeText(r.model.input)} · output ${shapeText(r.model.output)} · ${r.model.convention === 'keras' ? 'Keras' : 'PyTorch'} convention`,
];

export const explainCommand: Command = async (args, ctx) => {
  if (args.length !== 1) throw ctx.usage(`explain takes one model; received ${args.length}${args.length ? `: ${args.map((a) => `'${a}'`).join(', ')}` : ''}. Try: nncalc explain vgg16 --layer features.10`);
  const arg = args[0]!;
  const pasted = await summaryText(arg, ctx.io.readStdin);
  if (pasted !== undefined) return explainPasted(pasted, ctx);
  const report = await ctx.load(arg);
  const query = ctx.values['layer'];
  let sections: Section[];
  let intro: string[] = [];
  if (typeof query === 'string') {
    const layers = findLayers(report, query);
    if (layers.length === 0) throw noSuchLayer(report, query);
    if (layers.length > 1 || layers[0]!.name !== query) intro = [`${layers.length} layer${layers.length > 1 ? 's are' : ' is'} labelled ${query}: ${layers.map((l) => l.name).join(', ')}.`];
    sections = layers.map((l) => explainLayer(report, l));
  } else sections = explainAll(report);

  if (ctx.format === 'json') {
    ctx.io.stdout(`${JSON.stringify({ model: report.model.name, ...(typeof query === 'string' ? { layer: query } : {}), sections }, null, 2)}\n`);
  } else if (ctx.format === 'md') {
    const [title, ...rest] = heading(report);
    ctx.io.stdout(`## ${mdCell(title!)}\n\n${[...rest, ...intro].join('\n\n')}\n${documentMarkdown(sections)}`);
  } else if (ctx.format === 'csv') {
    throw ctx.usage("explain writes prose and formulas: --format table, md or json. Received: 'csv'.");
  } else {
    const plain = ctx.values['ascii'] === true;
    const lines = [...heading(report), ...intro].map((t) => (plain ? ascii(t) : t));
    ctx.io.stdout(lines.flatMap((t) => wrapWords(t, ctx.width)).join('\n') + '\n' + documentText(sections, ctx.width, plain));
  }
  return 0;
};

/** The text of a Keras or torchinfo summary, when the argument (stdin or a file) holds one. */
async function summaryText(arg: string, readStdin: () => Promise<string>): Promise<string | undefined> {
  let text: string | undefined;
  if (arg === '-') text = await readStdin();
  else if (/\.(txt|log|out|md)$/i.test(arg) && (await stat(arg).catch(() => undefined))?.isFile()) text = await readText(arg);
  return text !== undefined && isSummary(text) ? text : undefined;
}

/** Explains every row of a pasted summary. Exit 0 when every row is explained (or its candidates named) and the totals add up. */
async function explainPasted(text: string, ctx: Parameters<Command>[1]): Promise<number> {
  const e = explainSummary(text);
  const sections = summarySections(e);
  if (ctx.format === 'json') ctx.io.stdout(`${JSON.stringify({ summary: e.summary.name ?? null, layout: e.summary.layout, complete: e.complete, rows: e.rows.map((r) => ({ line: r.row.line, name: r.row.name, type: r.row.type, params: r.row.params, status: r.status, formula: r.formula ?? null, text: r.text, candidates: r.candidates })), totals: e.totals }, jsonReplacer, 2)}\n`);
  else if (ctx.format === 'md') ctx.io.stdout(documentMarkdown(sections));
  else if (ctx.format === 'csv') throw ctx.usage("explain writes prose and formulas: --format table, md or json. Received: 'csv'.");
  else ctx.io.stdout(documentText(sections, ctx.width, !!ctx.values['ascii']).replace(/^\n/, ''));
  return e.complete ? 0 : 1;
}
