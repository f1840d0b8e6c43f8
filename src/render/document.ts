/**
 * @module
 * A tiny document model (sections of paragraphs, lists and tables) so an explanation is written once
 * and rendered as terminal text or Markdown.
 */
import { ascii as toAscii } from './ascii.js';
import { mdCell, mdTable } from './markdown.js';
import { append } from '../arrays.js';
import { layoutTable, wrapWords } from './layout.js';

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

/** Plain text: titles underlined, tables aligned and fitted to the width. */
export function documentText(sections: readonly Section[], width = Infinity, ascii = false): string {
  const out: string[] = [];
  for (const s of ascii ? sections.map(asciiSection) : sections) {
    out.push('', s.title, (ascii ? '-' : '─').repeat(s.title.length));
    for (const b of s.blocks) {
      // Prose wraps between words only, so numbers and formulas stay whole.
      if (b.kind === 'p') append(out, wrapWords(b.text, width));
      else if (b.kind === 'list') append(out, b.items.flatMap((i) => wrapWords(i, width - 4).map((l, k) => `${k ? '    ' : '  - '}${l}`)));
      else {
        const withHeader = b.header.some((h) => h);
        const { lines } = layoutTable(withHeader ? [b.header, ...b.rows] : b.rows, b.align, b.align.map((a) => a === 'left'), width, '  ');
        for (const l of lines) append(out, l);
      }
    }
  }
  return out.join('\n') + '\n';
}

/** The section with every text in ASCII (--ascii), converted before layout so columns align. */
function asciiSection(s: Section): Section {
  return {
    title: toAscii(s.title),
    blocks: s.blocks.map((b): Block =>
      b.kind === 'p'
        ? { kind: 'p', text: toAscii(b.text) }
        : b.kind === 'list'
          ? { kind: 'list', items: b.items.map(toAscii) }
          : { ...b, header: b.header.map(toAscii), rows: b.rows.map((r) => r.map(toAscii)) },
    ),
  };
}

/** Markdown: ### titles, pipe tables, code spans left as written. */
export function documentMarkdown(sections: readonly Section[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push('', `### ${s.title}`, '');
    for (const b of s.blocks) {
      if (b.kind === 'p') out.push(b.text, '');
      else if (b.kind === 'list') append(out, b.items.map((i) => `- ${mdCell(i)}`)).push('');
      else append(out, mdTable(b.header, b.align, b.rows)).push('');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}
