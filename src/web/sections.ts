/**
 * @module
 * The explanation (the same sections `nncalc --explain` prints) as HTML: headings, paragraphs, lists and tables.
 */
import type { Section } from '../render/document.js';
import { h } from './dom.js';

/** The sections as elements, headed at `level` (h3 under the panel's h2). */
export function renderSections(sections: readonly Section[]): HTMLElement[] {
  return sections.map((sec) =>
    h(
      'section',
      { class: 'explain' },
      h('h4', {}, sec.title),
      ...sec.blocks.map((b) => {
        if (b.kind === 'p') return h('p', {}, b.text);
        if (b.kind === 'list') return h('ul', {}, ...b.items.map((i) => h('li', {}, i)));
        const head = b.header.some((x) => x);
        return h(
          'div',
          { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': sec.title },
          h(
            'table',
            {},
            head ? h('thead', {}, h('tr', {}, ...b.header.map((x, i) => (x ? h('th', { scope: 'col', class: b.align[i] === 'right' ? 'num' : undefined }, x) : h('td', {}))))) : undefined,
            h('tbody', {}, ...b.rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { class: b.align[i] === 'right' ? 'num' : undefined }, c))))),
          ),
        );
      }),
    ),
  );
}
