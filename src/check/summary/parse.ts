/**
 * @module
 * Reads the text of a model summary as Keras's `model.summary()` (Keras 2's ruled columns, Keras 3's box
 * table) or torchinfo's `summary()` prints it: one row per layer with its name, type, shapes and parameter
 * count, and the totals. Columns are found from the header line; a row that the tool wrapped over several
 * lines is joined again. Every scan is a single pass over the lines (no regex backtracks over user text).
 */
import { int, type Int } from '../../int.js';
import { ModelError } from '../../errors.js';
import { quoted } from '../text.js';

/** A tensor shape as printed: a size, or null for Keras's None (the batch). */
export type Dims = readonly (number | null)[];

export interface SummaryRow {
  /** 1-based line where the row starts. */
  readonly line: number;
  /** 'conv2d', 'encoder', or torchinfo's 'Conv2d: 1-1' when it has no variable name. */
  readonly name: string;
  /** 'Conv2D', 'Conv2d', 'weight' for a torchinfo tensor row. */
  readonly type: string;
  readonly output?: Dims;
  readonly input?: Dims;
  /** torchinfo's Kernel Shape column. */
  readonly kernel?: readonly number[];
  /** The count, or null when the tool prints none ('--'). */
  readonly params: Int | null;
  /** torchinfo tree depth (0 for the model's own row); 1 for every Keras row. */
  readonly depth: number;
  /** torchinfo verbose mode: one weight or bias tensor of the layer above. */
  readonly tensor: boolean;
  /** Keras functional models: the layers this one reads ('conv2d_5', 'max_pooling2d_2…' when cut). */
  readonly connected: readonly string[];
  /** torchinfo prints a frozen count in brackets: (9,408). */
  readonly frozen: boolean;
  /** torchinfo's '(recursive)': a module used again, counted where it first ran. */
  readonly recursive: boolean;
}

export interface Summary {
  readonly layout: 'keras2' | 'keras3' | 'torchinfo';
  readonly name?: string;
  readonly rows: readonly SummaryRow[];
  readonly totals: { readonly params?: Int; readonly trainable?: Int; readonly nonTrainable?: Int };
}

/** The most rows read; a longer summary is an error, not a long wait. */
export const MAX_ROWS = 100_000;

/** True when a text looks like a Keras or torchinfo summary: a 'Param #' header and a 'Total params' line. */
export function isSummary(text: string): boolean {
  return text.includes('Param #') && text.includes('Total params');
}

const TITLES = ['Layer (type', 'Kernel Shape', 'Groups', 'Input Shape', 'Output Shape', 'Output shape', 'Param #', 'Param %', 'Mult-Adds', 'Trainable', 'Connected to'] as const;

/** The column starts of a ruled header (Keras 2, torchinfo), by title. */
function ruledColumns(header: string): { title: string; start: number }[] {
  const cols: { title: string; start: number }[] = [];
  for (const t of TITLES) {
    const at = header.indexOf(t);
    if (at >= 0) cols.push({ title: t === 'Output shape' ? 'Output Shape' : t, start: t === 'Layer (type' ? 0 : at });
  }
  return cols.sort((a, b) => a.start - b.start);
}

/** Cells of a ruled line by column starts. */
function ruledCells(line: string, cols: readonly { title: string; start: number }[]): Map<string, string> {
  const cells = new Map<string, string>();
  cols.forEach((c, i) => cells.set(c.title, line.slice(c.start, cols[i + 1]?.start ?? line.length).trim()));
  return cells;
}

/** Cells of a Keras 3 box row ('│ a │ b │'), by the header's titles. */
function boxCells(line: string, titles: readonly string[]): Map<string, string> {
  const parts = line.split('│');
  const cells = new Map<string, string>();
  titles.forEach((t, i) => cells.set(t, (parts[i + 1] ?? '').trim()));
  return cells;
}

/** The text without the given characters at its start and at its end. */
function strip(s: string, lead: string, trail: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && lead.includes(s[a]!)) a++;
  while (b > a && trail.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** '(None, 26, 26, 32)', '[7, 10, 24, 24]', '[(None, 28, 28, 1)]' → dims; undefined for '--', 'multiple', '?'. */
export function parseDims(text: string): Dims | undefined {
  if (text.length > 200) return undefined;
  const inner = strip(text, '[(', '])');
  if (!inner) return undefined;
  const dims: (number | null)[] = [];
  for (const part of inner.split(',')) {
    const p = part.trim();
    if (p === 'None' || p === '?') dims.push(null);
    else if (/^\d{1,12}$/.test(p)) dims.push(Number(p));
    else return undefined;
    if (dims.length > 16) return undefined;
  }
  return dims;
}

/** A count cell: '2,560,000', '(9,408)' (frozen), '└─6,000' (a tensor), '--', '(recursive)', '0 (unbuilt)'. */
function parseCount(cell: string): { params: Int | null; frozen: boolean; recursive: boolean } | undefined {
  if (cell.length > 60) return undefined;
  const c = cell.replace(/^[│├└─\s]+/, '').replace(/\s*\(unbuilt\)$/, '');
  if (c === '--' || c === '' || c === '?') return { params: null, frozen: false, recursive: false };
  if (c === '(recursive)') return { params: null, frozen: false, recursive: true };
  const frozen = c.startsWith('(') && c.endsWith(')');
  const digits = (frozen ? c.slice(1, -1) : c).replace(/,/g, '');
  if (!/^\d{1,30}$/.test(digits)) return undefined;
  return { params: int(BigInt(digits)), frozen, recursive: false };
}

/** 'conv2d (Conv2D)' → conv2d, Conv2D; '├─Conv2d: 1-1' → Conv2d: 1-1, Conv2d, depth 1; 'LSTM (encoder)' → encoder, LSTM. */
function nameAndType(cell: string, layout: Summary['layout']): { name: string; type: string; depth: number; tensor: boolean } {
  if (layout !== 'torchinfo') {
    const open = cell.lastIndexOf('(');
    const type = open >= 0 ? cell.slice(open + 1).replace(/\)$/, '').trim() : '';
    return { name: (open >= 0 ? cell.slice(0, open) : cell).trim(), type, depth: 1, tensor: false };
  }
  let i = 0;
  while (i < cell.length && '│├└─ '.includes(cell[i]!)) i++;
  const prefix = cell.slice(0, i);
  const body = cell.slice(i);
  const tensor = prefix.includes('└─') && prefix.startsWith('│') && !/[:(]/.test(body);
  const depthMatch = /: (\d{1,3})-\d{1,6}$/.exec(body);
  const depth = depthMatch ? Number(depthMatch[1]) : prefix ? Math.max(1, Math.round(prefix.length / 5)) : 0;
  const head = depthMatch ? body.slice(0, depthMatch.index) : body;
  const open = head.indexOf(' (');
  const type = (open >= 0 ? head.slice(0, open) : head).trim();
  const varName = open >= 0 ? head.slice(open + 2).replace(/\)$/, '').trim() : '';
  return { name: varName || body.trim(), type, depth: tensor ? depth + 1 : depth, tensor };
}

const error = (message: string, line?: number): ModelError =>
  new ModelError('input', message, { details: line !== undefined ? [`at line ${line} of the summary`] : ["Paste the whole text that model.summary() or torchinfo's summary() prints."] });

/**
 * Reads a Keras or torchinfo summary. Throws a ModelError that says what was expected and where when the
 * text is not one.
 * @example parseSummary(text).rows[0] // { name: 'conv2d', type: 'Conv2D', output: [null, 26, 26, 32], params: 320, … }
 */
export function parseSummary(text: string): Summary {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const h = lines.findIndex((l) => l.includes('Param #'));
  if (h < 0) throw error("expected a model summary with a 'Param #' column, as Keras's model.summary() or torchinfo's summary() prints it.");
  const header = lines[h]!;
  const layout: Summary['layout'] = header.includes('┃') ? 'keras3' : header.includes('Layer (type:') || header.includes('Layer (type (') || /Mult-Adds|Kernel Shape|Input Shape/.test(header) || lines.some((l) => /^[├│└]─/.test(l)) ? 'torchinfo' : 'keras2';
  const titles = layout === 'keras3' ? header.split('┃').slice(1, -1).map((t) => (t.trim().startsWith('Layer') ? 'Layer (type' : t.trim())) : [];
  const cols = layout === 'keras3' ? [] : ruledColumns(header);
  if (layout !== 'keras3' && !cols.some((c) => c.title === 'Param #')) throw error("expected the header line to hold 'Param #'.", h + 1);
  const cellsOf = (line: string) => (layout === 'keras3' ? boxCells(line, titles) : ruledCells(line, cols));
  const name = /^Model: "(.{1,200})"$/.exec(lines.slice(0, h).find((l) => l.startsWith('Model: "'))?.trim() ?? '')?.[1];

  type Building = { line: number; cells: Map<string, string> };
  const raw: Building[] = [];
  let i = h + 1;
  // Skip the rule under the header.
  while (i < lines.length && /^[\s=━┡╇┩_-]*$/.test(lines[i]!) && lines[i]!.trim()) i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (t.startsWith('Total params') || t.startsWith('└') || (t.startsWith('=') && raw.length > 0)) break;
    if (!t || /^[_=─┼├┤━]+$/.test(t.replace(/[├┼┤─]/g, '─'))) continue;
    if (layout === 'keras3' && !t.startsWith('│')) continue;
    const cells = cellsOf(line);
    const count = cells.get('Param #') ?? '';
    const starts = layout === 'torchinfo' || count !== '';
    if (starts) {
      if (raw.length >= MAX_ROWS) throw error(`a summary of more than ${MAX_ROWS} rows.`, i + 1);
      raw.push({ line: i + 1, cells });
    } else if (raw.length) {
      // A cell the tool wrapped: Keras 3 wraps at spaces, Keras 2 cuts words ('MaxPooling' + '2D)').
      const last = raw[raw.length - 1]!;
      for (const [k, v] of cells) if (v) last.cells.set(k, layout === 'keras2' ? (last.cells.get(k) ?? '') + v : `${last.cells.get(k) ?? ''} ${v}`.trim());
    }
  }
  const rows: SummaryRow[] = [];
  for (const r of raw) {
    const layer = r.cells.get('Layer (type') ?? '';
    const countCell = r.cells.get('Param #') ?? '';
    const count = parseCount(countCell);
    if (!count) throw error(`expected a parameter count in the Param # column. Received: '${quoted(countCell)}'.`, r.line);
    const nt = nameAndType(layer, layout);
    const output = parseDims(r.cells.get('Output Shape') ?? '');
    const input = parseDims(r.cells.get('Input Shape') ?? '');
    const kernel = parseDims(r.cells.get('Kernel Shape') ?? '');
    const connected = (r.cells.get('Connected to') ?? '')
      .split(/,\s*/)
      .map((s) => {
        const name = strip(s, `['" -`, `'"], `);
        const bracket = name.indexOf('[');
        // 'conv2d[0][0]' → conv2d; a name Keras cut ('max_pooling2d_2[…', 'global_average_p…') keeps its '…'.
        return bracket > 0 ? name.slice(0, bracket) + (name.endsWith('…') ? '…' : '') : name;
      })
      .filter(Boolean);
    rows.push({
      line: r.line,
      ...nt,
      ...(output ? { output } : {}),
      ...(input ? { input } : {}),
      ...(kernel && kernel.every((k) => k !== null) ? { kernel: kernel as number[] } : {}),
      params: count.params,
      connected,
      frozen: count.frozen,
      recursive: count.recursive,
    });
  }
  if (rows.length === 0) throw error('expected at least one layer row under the header.', h + 1);
  const total = (label: string): Int | undefined => {
    const l = lines.find((x) => x.trimStart().startsWith(label));
    const m = l ? /^([\d,]{1,40})/.exec(l.trimStart().slice(label.length).trim()) : null;
    return m ? int(BigInt(m[1]!.replace(/,/g, '') || '0')) : undefined;
  };
  const params = total('Total params:');
  const trainable = total('Trainable params:');
  const nonTrainable = total('Non-trainable params:');
  return {
    layout,
    ...(name ? { name } : {}),
    rows,
    totals: { ...(params !== undefined ? { params } : {}), ...(trainable !== undefined ? { trainable } : {}), ...(nonTrainable !== undefined ? { nonTrainable } : {}) },
  };
}
