/**
 * @module
 * The check and diff panels' results as HTML.
 */
import { h, replace } from './dom.js';
import type { CheckView, DiffView } from './protocol.js';

const MARK = { exact: '✓', rounded: '≈', wrong: '✗', unknown: '?' } as const;
const WORD = { exact: 'right', rounded: 'right, as rounded', wrong: 'wrong', unknown: 'cannot be judged' } as const;

export function renderCheck(box: HTMLElement, v: CheckView): void {
  replace(
    box,
    h('p', { class: 'muted' }, v.model),
    ...v.claims.map((c) =>
      h(
        'article',
        { class: `claim ${c.verdict}` },
        h('h4', {}, h('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[c.verdict]), ' ', h('code', {}, c.text), ` — ${WORD[c.verdict]}`, h('span', { class: 'muted' }, ` (${c.where})`)),
        ...c.notes.map((n) => h('p', {}, n)),
        ...c.targets.map((t) =>
          h(
            'div',
            { class: 'target' },
            h('p', {}, h('strong', {}, t.head), `: ${t.verdict}`),
            ...t.diagnoses.map((d) => h('p', { class: 'diagnosis' }, d)),
            h('p', { class: 'truth' }, 'True: ', h('code', {}, t.truth)),
          ),
        ),
      ),
    ),
    v.context.length ? h('p', {}, h('strong', {}, 'Where the parameters are. '), v.context.join(' ')) : undefined,
    h('p', { class: 'summary' }, v.summary),
  );
}

const table = (label: string, header: readonly string[], rows: readonly (readonly string[])[], numeric: (i: number) => boolean, cls: (r: number) => string | undefined = () => undefined): HTMLElement =>
  h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...header.map((x, i) => (x ? h('th', { scope: 'col', class: numeric(i) ? 'num' : undefined }, x) : h('td', {}))))),
      h('tbody', {}, ...rows.map((r, k) => h('tr', { class: cls(k) }, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: numeric(i) ? 'num' : undefined }, c)))))),
    ),
  );

export function renderDiff(box: HTMLElement, v: DiffView): void {
  replace(
    box,
    h('ul', { class: 'sides' }, h('li', {}, h('strong', {}, 'a: '), v.a), h('li', {}, h('strong', {}, 'b: '), v.b)),
    table('Totals compared', ['', 'a', 'b', 'Δ', 'Δ %'], v.totals, (i) => i > 0),
    v.why.length ? h('p', {}, h('strong', {}, 'Why: '), `${v.why.join('; ')}.`) : undefined,
    h('p', { class: 'muted' }, `${v.alignment} ${v.rows.length} row${v.rows.length === 1 ? '' : 's'} shown${v.hidden ? `; ${v.hidden} that do not differ are hidden` : ''}.`),
    v.rows.length ? table('Layers compared', v.header, v.rows.map((r) => r.cells), (i) => i > 1, (k) => `status-${v.rows[k]!.status}`) : h('p', {}, 'No layer differs.'),
  );
}
