/**
 * @module
 * Claims in tables: Markdown tables (nncalc's own `--format md` and its explanation's tables among them), CSV
 * with a header row (nncalc's `--format csv`) and tab-separated rows (a spreadsheet's copy). A header names
 * the key column (layer, name, stage) and the quantity columns (params, MACs, FLOPs, weights, biases, a
 * formula); each row becomes one claim per quantity cell that holds a number.
 */
import { headerQuantity, problem, side, splitOutside, trimmed, type ClaimQuantity, type Found, type Piece, type RawClaim, type RawSide } from './lines.js';

/** Cells of a Markdown table row, unescaping '\|' and '\\' as nncalc's writer escapes them. */
export function markdownCells(row: Piece): Piece[] {
  const t = row.text;
  const cells: Piece[] = [];
  let i = t.indexOf('|') + 1;
  let start = i;
  let text = '';
  for (; i < t.length; i++) {
    const c = t[i]!;
    if (c === '\\' && (t[i + 1] === '|' || t[i + 1] === '\\')) {
      text += t[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell(text, row.offset + start));
      start = i + 1;
      text = '';
    } else text += c;
  }
  if (text.trim()) cells.push(cell(text, row.offset + start));
  return cells;
}

/** Cells of a CSV (or TSV) line, with RFC 4180 quotes; undefined for an unterminated quote. */
export function delimitedCells(row: Piece, delimiter: string): Piece[] | undefined {
  const t = row.text;
  const cells: Piece[] = [];
  let i = 0;
  while (i <= t.length) {
    if (t[i] === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= t.length) return undefined;
        if (t[j] === '"' && t[j + 1] === '"') {
          text += '"';
          j += 2;
        } else if (t[j] === '"') break;
        else text += t[j++];
      }
      cells.push(cell(text, row.offset + i + 1));
      i = j + 1;
      while (i < t.length && t[i] !== delimiter) i++;
      i++;
    } else {
      let j = t.indexOf(delimiter, i);
      if (j < 0) j = t.length;
      cells.push(cell(t.slice(i, j), row.offset + i));
      i = j + 1;
    }
  }
  return cells;
}

/** A cell trimmed; its offset is exact when the cell had no escapes to undo. */
function cell(text: string, offset: number): Piece {
  return trimmed(text.replace(/\r$/, ''), offset);
}

const SEPARATOR = /^:?-+:?$/;
const KEY_HEADER = /^(layer(\s*\(type.*\))?|layers? name|name|stage|module|key|block|part|what|component)$/i;
const EMPTY = new Set(['', '-', '–', '—', '--', '?', 'n/a', 'tied']);

/** The columns of a header: the key column and each quantity column (a formula column pairs with params). */
export function columns(header: readonly Piece[]): { key: number; stage: boolean; quantities: { index: number; quantity: ClaimQuantity; scale?: number }[]; formula: number } | undefined {
  let key = header.findIndex((h) => KEY_HEADER.test(h.text));
  const quantities: { index: number; quantity: ClaimQuantity; scale?: number }[] = [];
  let formula = -1;
  header.forEach((h, index) => {
    if (index === key) return;
    const q = headerQuantity(h.text);
    if (!q) return;
    if (q.quantity === 'formula') formula = formula < 0 ? index : formula;
    else if (!quantities.some((x) => x.quantity === q.quantity)) quantities.push({ index, quantity: q.quantity, ...(q.scale !== undefined ? { scale: q.scale } : {}) });
  });
  if (quantities.length === 0) return undefined;
  if (key < 0) key = 0;
  return { key, stage: /^stage/i.test(header[key]?.text ?? ''), quantities, formula };
}

/** True when a row looks like a header: text cells, one of them a quantity column. */
export function isHeader(cells: readonly Piece[]): boolean {
  return cells.length >= 2 && cells.every((c) => !/^[-+(]?[\d.]/.test(c.text)) && columns(cells) !== undefined;
}

/**
 * A formula cell of nncalc's explanation, 'weights k·k·c_in·c_out = 3·3·3·64 = 1,728; biases c_out = 64':
 * the numbers of each part (3·3·3·64 and 64), summed. Any other cell is one formula.
 */
export function formulaSide(c: Piece): RawSide | undefined {
  if (!/\d/.test(c.text)) return undefined;
  if (!/^[A-Za-z]/.test(c.text) || !c.text.includes('=')) return { ...side(c), optional: true };
  const parts: Piece[] = [];
  let start = 0;
  for (const part of (c.text + ';').split(';')) {
    const pieces = part.split('=');
    let at = start;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && /\d/.test(pieces[i]!)) {
        parts.push(trimmed(pieces[i]!, c.offset + at));
        break;
      }
      at += pieces[i]!.length + 1;
    }
    start += part.length + 1;
  }
  return parts.length ? { text: parts.map((p) => p.text).join(' + '), parts } : undefined;
}

/** The claims of table rows under a header. */
export function tableClaims(rows: readonly Piece[][], header: readonly Piece[], found: Found, firstOffset: number): void {
  const cols = columns(header);
  if (!cols) {
    found.skipped.push({ offset: firstOffset, text: header.map((h) => h.text).join(' | '), reason: 'a table without a params, MACs or FLOPs column' });
    return;
  }
  for (const row of rows) {
    const key = row[cols.key];
    if (!key || EMPTY.has(key.text)) continue;
    for (const q of cols.quantities) {
      const value = row[q.index];
      if (!value || EMPTY.has(value.text.toLowerCase())) continue;
      const formulaCell = cols.formula >= 0 && (q.quantity === 'params' || q.quantity === 'weights') ? row[cols.formula] : undefined;
      const formula = formulaCell ? formulaSide(formulaCell) : undefined;
      // A cell may chain its arithmetic: '2 × 73,984 = 147,968' (nncalc's stage table); every side is checked.
      const cellSides = splitOutside(value, (ch) => ch === '=' || ch === '≈').map(side);
      const sides = formula ? [...cellSides, formula] : cellSides;
      const label = q.quantity === 'params' ? key.text : `${key.text} ${q.quantity}`;
      const claim: RawClaim = {
        text: `${label}: ${sides.map((s) => s.text).join(' = ')}`,
        offset: key.offset,
        key,
        quantity: q.quantity,
        ...(q.scale !== undefined ? { scale: q.scale } : {}),
        ...(cols.stage ? { hint: 'stage' as const } : {}),
        sides,
      };
      found.claims.push(claim);
    }
  }
}

/** A Markdown table (its rows, in order). */
export function markdownTable(rows: readonly Piece[], found: Found): void {
  const cells = rows.map(markdownCells);
  const sep = cells.findIndex((r) => r.length > 0 && r.every((c) => SEPARATOR.test(c.text.replace(/\s/g, ''))));
  if (sep === 1) tableClaims(cells.slice(2), cells[0]!, found, rows[0]!.offset);
  else if (sep < 0 && cells.every((r) => r.length >= 2)) tableClaims(cells, headerless(cells), found, rows[0]!.offset);
  else found.problems.push(problem(rows[0]!, 'expected a Markdown table with a header row, then a |---| row, then one row per layer.'));
}

/** Columns for rows without a header: the key, then the value, then a formula. */
function headerless(rows: readonly Piece[][]): Piece[] {
  const n = Math.max(...rows.slice(0, 50).map((r) => r.length));
  return Array.from({ length: n }, (_, i) => ({ text: i === 0 ? 'layer' : i === 1 ? 'params' : i === 2 ? 'formula' : '', offset: 0 }));
}

/** CSV or TSV lines: a header row and its rows, or (for TSV) rows of key, value, formula. */
export function delimitedTable(lines: readonly Piece[], delimiter: string, found: Found): void {
  const rows: Piece[][] = [];
  for (const line of lines) {
    const cells = delimitedCells(line, delimiter);
    if (!cells) found.problems.push(problem(line, `a quote (") opens a cell that does not close on this line.`));
    else rows.push(cells);
  }
  if (rows.length === 0) return;
  if (isHeader(rows[0]!)) tableClaims(rows.slice(1), rows[0]!, found, lines[0]!.offset);
  else tableClaims(rows, headerless(rows), found, lines[0]!.offset);
}
