/**
 * @module
 * Finds the claims in a claims text, whatever its form: plain lines and lists (plain.ts), Markdown tables,
 * CSV with a header and tab-separated rows (tables.ts). nncalc's own Markdown output is read back too: its
 * tables and its totals, and nothing of its prose. The text is read line by line, once.
 */
import { trimmed, type Found, type Piece } from './lines.js';
import { commentStart, plainLine } from './plain.js';
import { delimitedCells, delimitedTable, isHeader, markdownTable } from './tables.js';

/** Keys of figures nncalc prints but check does not judge: memory. */
const MEMORY = /^(activations|input size|params size|forward\/backward pass size|estimated total size|memory|weights? size|optimizer params|weights|kv cache|inference memory|training memory|per gpu)\b/i;

/** Lines of nncalc's own footer that state facts, not counts: the sequence length, the file read, warnings. */
const OWN_NOTES = /^- \*\*(sequence|file|stored|read|repeated block|architecture|approximate|warning|training only|unknown|weights|activations \(peak\)|kv cache|inference memory|training memory|per gpu):\*\*/i;

/** True for nncalc's own Markdown (`nncalc <model> --format md`): a '## name' title and its layer table. */
function ownMarkdown(source: string): boolean {
  return source.startsWith('## ') && (source.includes('\n| Layer (type) |') || source.includes('\n| layer | label |'));
}

/** Every line with its offset, without its line break. */
function splitLines(source: string): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  for (;;) {
    const end = source.indexOf('\n', start);
    const stop = end < 0 ? source.length : end;
    out.push({ text: source.slice(start, stop > start && source[stop - 1] === '\r' ? stop - 1 : stop), offset: start });
    if (end < 0) return out;
    start = end + 1;
  }
}

/**
 * The raw claims of a text, the lines that could not be read and the lines deliberately not checked.
 * @example readForms('| layer | params |\n|---|---:|\n| fc1 | 102,764,544 |').claims[0].key.text // 'fc1'
 */
export function readForms(source: string): Found {
  const found: Found = { claims: [], problems: [], skipped: [] };
  const own = ownMarkdown(source);
  const lines = splitLines(source);
  const block = (from: number, belongs: (p: Piece) => boolean): number => {
    let to = from;
    while (to < lines.length && belongs(lines[to]!)) to++;
    return to;
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const t = trimmed(line.text, line.offset);
    if (t.text.startsWith('|')) {
      const to = block(i, (p) => p.text.trimStart().startsWith('|'));
      markdownTable(lines.slice(i, to).map((p) => trimmed(p.text, p.offset)), found);
      i = to;
    } else if (!own && t.text.includes('\t') && commentStart(t.text) > 0) {
      const to = block(i, (p) => p.text.includes('\t'));
      delimitedTable(lines.slice(i, to), '\t', found);
      i = to;
    } else if (!own && t.text.includes(',') && isHeader(delimitedCells(t, ',') ?? [])) {
      const to = block(i + 1, (p) => p.text.trim() !== '');
      delimitedTable(lines.slice(i, to), ',', found);
      i = to;
    } else {
      if (own && OWN_NOTES.test(t.text)) found.skipped.push({ offset: t.offset, text: t.text, reason: /memory|weights|kv cache|per gpu|activations/i.test(t.text) ? 'memory is not checked' : 'not a count' });
      else if (!own || t.text.startsWith('- **')) plainLine(line, found);
      i++;
    }
  }
  const claims = found.claims.filter((c) => {
    if (!c.key || !MEMORY.test(c.key.text)) return true;
    found.skipped.push({ offset: c.offset, text: c.text, reason: 'memory is not checked' });
    return false;
  });
  const byOffset = (a: { offset: number }, b: { offset: number }) => a.offset - b.offset;
  return { claims, problems: found.problems.sort(byOffset), skipped: found.skipped.sort(byOffset) };
}
