/**
 * @module
 * A tiny document model (sections of paragraphs, lists and tables) so an explanation is written once
 * and rendered as terminal text or Markdown.
 */
import { mdCell, mdTable } from './markdown.js';
import { fitWidths } from './terminal.js';

/** A piece of a section. */
export type Block =
  | { readonly kind: 'p'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly align: readonly ('left' | 'right')[]; readonly rows: readonly (readonly string[])[] };

/** A titled section. */
export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
}

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`);

/** Plain text: titles underlined, tables aligned and fitted to the width. */
export function documentText(sections: readonly Section[], width = Infinity, ascii = false): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push('', s.title, (ascii ? '-' : '─').repeat(s.title.length));
    for (const b of s.blocks) {
      if (b.kind === 'p') out.push(b.text);
      else if (b.kind === 'list') out.push(...b.items.map((i) => `  ${i}`));
      else {
        const all = [b.header, ...b.rows];
        const natural = b.header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
        const widths = fitWidths(natural, b.align.map((a) => a === 'left'), width - 2);
        const line = (r: readonly string[]) =>
          '  ' +
          r
            .map((c, i) => (b.align[i] === 'right' ? clip(c, widths[i]!).padStart(widths[i]!) : clip(c, widths[i]!).padEnd(widths[i]!)))
            .join('  ')
            .trimEnd();
        if (b.header.some((h) => h)) out.push(line(b.header));
        out.push(...b.rows.map(line));
      }
    }
  }
  return out.join('\n') + '\n';
}

/** Markdown: ### titles, pipe tables, code spans left as written. */
export function documentMarkdown(sections: readonly Section[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push('', `### ${s.title}`, '');
    for (const b of s.blocks) {
      if (b.kind === 'p') out.push(b.text, '');
      else if (b.kind === 'list') out.push(...b.items.map((i) => `- ${mdCell(i)}`), '');
      else out.push(...mdTable(b.header, b.align, b.rows), '');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
