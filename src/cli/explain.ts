/**
 * @module
 * `nncalc explain <model> [--layer NAME]`: how every number of a layer (or of the whole model) arises, as
 * text fitted to the terminal, Markdown for notes, or the same sections as JSON.
 */
import type { Report } from '../analyze/report.js';
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
