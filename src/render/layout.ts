/**
 * @module
 * Lays out a text table within a width: columns keep their natural width when it fits; otherwise the
 * flexible columns shrink (widest first) and their cells wrap onto extra lines instead of being cut.
 */

/** Columns are separated by this many spaces. */
export const GAP = 2;
const MIN_FLEX = 10;

/** Column widths: natural widths, then the flexible columns shrink until the line fits. */
export function fitWidths(natural: readonly number[], flexible: readonly boolean[], width: number): number[] {
  const widths = [...natural];
  const line = () => widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1);
  while (line() > width) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (flexible[i] && w > MIN_FLEX && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = Math.max(MIN_FLEX, widths[widest]! - (line() - width));
  }
  return widths;
}

/** Splits text into lines of at most `width` characters, breaking after spaces or commas where possible. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    // A space may sit just past the width (it is dropped); a comma or dot stays on the line, so it must fit.
    const window = rest.slice(0, width);
    // Never inside a number: a comma followed by a digit is a thousands separator (25,088).
    const comma = [...window.matchAll(/,(?!\d)/g)].at(-1)?.index ?? -1;
    const at = Math.max(rest.slice(0, width + 1).lastIndexOf(' '), comma + 1, window.lastIndexOf('·') + 1);
    const cut = at > width / 3 ? at : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}

/**
 * Splits prose into lines of at most `width` characters at spaces only, so numbers such as 25,557,032 and formulas
 * such as 3·3·128·256 stay whole; a word longer than `width` stands on a line of its own.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/** A table as lines: each row becomes as many lines as its tallest wrapped cell. */
export function layoutTable(
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[],
  flexible: readonly boolean[],
  width: number,
  indent = '',
): { lines: string[][]; widths: number[] } {
  // A loop, not Math.max(...rows): a spread of 200,000 rows would overflow the stack.
  const natural = align.map(() => 0);
  for (const r of rows) for (let i = 0; i < align.length; i++) natural[i] = Math.max(natural[i]!, (r[i] ?? '').length);
  const widths = fitWidths(natural, flexible, width - indent.length);
  const gap = ' '.repeat(GAP);
  /** One printed line: each column's text padded to its width. */
  const line = (text: (i: number) => string): string => {
    let out = indent;
    for (let i = 0; i < align.length; i++) {
      const t = text(i);
      out += (i ? gap : '') + (align[i] === 'right' ? t.padStart(widths[i]!) : t.padEnd(widths[i]!));
    }
    return out.trimEnd();
  };
  const lines = rows.map((r) => {
    // Most rows fit their columns: one line, without wrapping.
    if (align.every((_, i) => (r[i] ?? '').length <= widths[i]!)) return [line((i) => r[i] ?? '')];
    const cells = align.map((_, i) => wrap(r[i] ?? '', widths[i]!));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line((i) => cells[i]![k] ?? ''));
  });
  return { lines, widths };
}
