/**
 * @module
 * `nncalc list [filter] [--family F]`: the built-in models grouped by family, each with its parameters, MACs and
 * the input they are given at. The figures come from the totals file the build writes (dist/zoo-totals.json);
 * an entry missing from it (or no file, when running from source) is analysed here, and only the rows shown.
 */
import { readFileSync } from 'node:fs';
import type { Convention } from '../analyze/index.js';
import { ModelError } from '../errors.js';
import { grouped, type Int } from '../int.js';
import { ascii } from '../render/ascii.js';
import { csvRows } from '../render/csv.js';
import { mdTable } from '../render/markdown.js';
import { didYouMean } from '../suggest.js';
import { FAMILIES, FAMILY_TITLES, familyOf, zoo, type Family, type ZooEntry } from '../zoo/index.js';
import { readTotalsFile, zooTotals, type ZooTotals } from '../zoo/totals.js';
import type { Command } from './load.js';

/** What to list and how. */
export interface ListOptions {
  readonly format: string;
  /** Absent: each model in its own convention (Keras's models in 'keras'). */
  readonly convention?: Convention;
  /** Words a model's name or description must contain (names compared without case, '-', '_' or '.'). */
  readonly filter?: string;
  readonly family?: Family;
  /** Plain ASCII (--ascii): 224x224x3, '>=' for a lower bound. */
  readonly ascii?: boolean;
}

/** The names --family accepts, with other spellings of them. */
const FAMILY_NAMES: Readonly<Record<string, Family>> = {
  torchvision: 'torchvision',
  tv: 'torchvision',
  keras: 'keras',
  hf: 'hf',
  huggingface: 'hf',
  transformers: 'hf',
  papers: 'papers',
  paper: 'papers',
  classic: 'papers',
};

/** A --family value as a Family, or a usage error listing the families. */
export function readFamily(text: string, usage: (message: string) => ModelError): Family {
  const f = FAMILY_NAMES[text.toLowerCase().replace(/[-_\s]/g, '')];
  if (!f) throw usage(`--family must be one of ${FAMILIES.join(', ')}. Received: '${text}'.${didYouMean(text, Object.keys(FAMILY_NAMES))}`);
  return f;
}

const loose = (s: string): string => s.toLowerCase().replace(/[-_.\s]/g, '');

/** True when every word of the filter is in the entry's name (loosely) or its description. */
function matches(e: ZooEntry, filter: string): boolean {
  return filter
    .split(/\s+/)
    .filter((w) => w !== '')
    .every((w) => loose(e.name).includes(loose(w)) || e.title.toLowerCase().includes(w.toLowerCase()));
}

/** The totals file the build writes next to the CLI bundle; empty when there is none (running from source). */
function builtTotals(): Map<string, ZooTotals> {
  try {
    return readTotalsFile(readFileSync(new URL('../zoo-totals.json', import.meta.url), 'utf8'));
  } catch {
    return new Map();
  }
}

/** The input a model's figures are given at: 224×224×3 for an image (H×W×C), '128 tokens' for a sequence. */
export function inputText(t: ZooTotals): string {
  if (t.seq !== undefined) return `${t.seq} tokens`;
  const [, c, ...spatial] = t.input;
  return t.input.length >= 3 ? [...spatial, c].join('×') : t.input.slice(1).join('×');
}

interface Row {
  readonly entry: ZooEntry;
  readonly family: Family;
  readonly params: Int;
  readonly convention: Convention;
  readonly totals: ZooTotals;
}

/** The models to list, with their figures, in zoo order. */
export function listRows(opts: Omit<ListOptions, 'format'>, known: ReadonlyMap<string, ZooTotals> = builtTotals()): Row[] {
  const chosen = zoo.filter((e) => (!opts.family || familyOf(e) === opts.family) && (!opts.filter || matches(e, opts.filter)));
  return chosen.map((entry) => {
    const totals = known.get(entry.name) ?? zooTotals(entry);
    const convention = opts.convention ?? entry.convention ?? 'pytorch';
    return { entry, family: familyOf(entry), params: totals.params[convention], convention, totals };
  });
}

/** What the figures mean, under the rows. */
function footer(rows: readonly Row[], convention: Convention | undefined): string[] {
  const seqs = [...new Set(rows.map((r) => r.totals.seq).filter((s): s is number => s !== undefined))];
  const lines = [
    convention
      ? `Parameters in the ${convention === 'keras' ? 'Keras' : 'PyTorch'} convention${convention === 'keras' ? ' (BatchNorm statistics counted as non-trainable parameters)' : ' (BatchNorm statistics are buffers, not parameters)'}.`
      : "Parameters in each model's own convention: Keras's models count BatchNorm statistics as non-trainable parameters, the others do not.",
    'MACs for one input (batch 1) of the size shown.',
  ];
  if (rows.some((r) => r.totals.macsLowerBound)) {
    lines.push("≥: a lower bound. nncalc cannot count part of that model (a detector's box decoding and non-maximum suppression depend on the image); its other layers are counted.");
  }
  if (seqs.length) {
    lines.push(`Transformer MACs depend on the sequence length: given here at ${seqs.join(', ')} tokens; nncalc <model> --seq N for another.`);
  }
  return lines;
}

/** The listing as text, Markdown, CSV or JSON. */
export const listText = (opts: ListOptions, known?: ReadonlyMap<string, ZooTotals>): string => renderList(listRows(opts, known), opts);

/** Rows as text (one table per family), Markdown, CSV or JSON. */
function renderList(rows: readonly Row[], opts: ListOptions): string {
  if (opts.format === 'json') {
    const data = rows.map((r) => ({
      name: r.entry.name,
      family: r.family,
      params: r.params,
      macs: r.totals.macs,
      ...(r.totals.macsLowerBound ? { macsLowerBound: true } : {}),
      input: r.totals.input,
      ...(r.totals.seq === undefined ? {} : { seq: r.totals.seq }),
      convention: r.convention,
      title: r.entry.title,
      source: r.entry.source,
    }));
    return `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
  }
  if (opts.format === 'csv') {
    const cells = rows.map((r) => [r.entry.name, r.family, String(r.params), String(r.totals.macs), r.totals.macsLowerBound ? 'lower bound' : 'exact', inputText(r.totals), r.entry.title]);
    return csvRows([['name', 'family', 'params', 'macs', 'macs_bound', 'input', 'title'], ...cells]);
  }
  const header = ['model', 'params', 'MACs', 'input', 'description'];
  const groups = FAMILIES.map((f) => ({ family: f, rows: rows.filter((r) => r.family === f) })).filter((g) => g.rows.length > 0);
  const macsText = (t: ZooTotals) => `${t.macsLowerBound ? '≥ ' : ''}${grouped(t.macs)}`;
  const cellsOf = (rs: readonly Row[]) => rs.map((r) => [r.entry.name, grouped(r.params), macsText(r.totals), inputText(r.totals), r.entry.title]);
  const heading = (g: (typeof groups)[number]) => `${FAMILY_TITLES[g.family]} (${g.rows.length} model${g.rows.length === 1 ? '' : 's'})`;
  if (opts.format === 'md') {
    const align = ['left', 'right', 'right', 'left', 'left'] as const;
    const parts = groups.flatMap((g) => [`### ${heading(g)}`, '', ...mdTable(header, align, cellsOf(g.rows)), '']);
    return [...parts, ...footer(rows, opts.convention)].join('\n') + '\n';
  }
  // Converted before the layout, so that the columns stay aligned.
  const plain = (c: readonly string[]) => (opts.ascii ? c.map(ascii) : c);
  const tables = groups.map((g) => ({ title: heading(g), cells: cellsOf(g.rows).map(plain) }));
  let w = header.map((h) => h.length);
  for (const t of tables) for (const c of t.cells) w = w.map((x, i) => Math.max(x, c[i]!.length));
  const line = (c: readonly string[]) => `${c[0]!.padEnd(w[0]!)}  ${c[1]!.padStart(w[1]!)}  ${c[2]!.padStart(w[2]!)}  ${c[3]!.padEnd(w[3]!)}  ${c[4]}`;
  const out = tables.flatMap((t) => [t.title, line(header), ...t.cells.map(line), '']);
  return plain([...out, ...footer(rows, opts.convention)]).join('\n') + '\n';
}

/** `nncalc list [filter…]`: an empty result is an error that suggests a model name. */
export const listCommand: Command = async (args, ctx) => {
  const family = typeof ctx.values['family'] === 'string' ? readFamily(ctx.values['family'], ctx.usage) : undefined;
  const filter = args.join(' ').trim();
  const opts: ListOptions = { format: ctx.format, ...(ctx.values['ascii'] ? { ascii: true } : {}), ...(ctx.convention ? { convention: ctx.convention } : {}), ...(filter ? { filter } : {}), ...(family ? { family } : {}) };
  const rows = listRows(opts);
  if (rows.length === 0) {
    const where = family ? ` among the ${FAMILY_TITLES[family]} models` : '';
    throw new ModelError('input', `no built-in model matches '${filter}'${where}.${didYouMean(filter, zoo.map((e) => e.name))} Run 'nncalc list' to see them all.`);
  }
  ctx.io.stdout(renderList(rows, opts));
  return 0;
};
