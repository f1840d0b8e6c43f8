/**
 * @module
 * The per-layer table as a tree: a module's row sums the layers inside it and opens or closes them (the command
 * line's --depth, one click at a time), with the formula and receptive-field columns on request and buttons that
 * copy the table (collapsed to the chosen depth) as Markdown or CSV.
 */
import { h, replace } from './dom.js';
import type { Options, ReportView, RowView } from './protocol.js';

interface Column {
  readonly title: string;
  readonly cls: string;
  readonly cell: (r: RowView) => string;
}

const COLUMNS: Readonly<Record<'shape' | 'formula' | 'params' | 'macs' | 'rf', Column>> = {
  shape: { title: 'Output shape', cls: 'shape', cell: (r) => r.shape },
  formula: { title: 'Params formula', cls: 'formula', cell: (r) => r.formula },
  params: { title: 'Params', cls: 'num', cell: (r) => r.params },
  macs: { title: 'MACs', cls: 'num', cell: (r) => r.macs },
  rf: { title: 'Receptive field', cls: 'num', cell: (r) => r.rf },
};

/** Which modules start closed: those at the chosen depth and below (0: none). */
export const closedAt = (rows: readonly RowView[], depth: number): Set<string> => new Set(depth > 0 ? rows.filter((r) => r.module && r.level + 1 >= depth).map((r) => r.key) : []);

/** Shows or hides each row from which of its modules are closed (rows come parent first). */
function applyVisibility(rows: readonly RowView[], trs: readonly HTMLTableRowElement[], closed: ReadonlySet<string>): void {
  const open = new Map<string, boolean>();
  rows.forEach((r, i) => {
    const shown = r.parent === undefined ? true : open.get(r.parent) === true;
    trs[i]!.hidden = !shown;
    if (r.module) {
      const isOpen = !closed.has(r.key);
      open.set(r.key, shown && isOpen);
      const b = trs[i]!.querySelector('button');
      b?.setAttribute('aria-expanded', String(isOpen));
    }
  });
}

/** Draws the table into `wrap`; returns a switch that opens or closes every module. */
export function renderTable(wrap: HTMLElement, view: ReportView, options: Options): (open: boolean) => void {
  const cols = [COLUMNS.shape, ...(options.formula ? [COLUMNS.formula] : []), COLUMNS.params, COLUMNS.macs, ...(options.rf ? [COLUMNS.rf] : [])];
  const closed = closedAt(view.rows, options.depth);
  const trs: HTMLTableRowElement[] = [];
  const body = h('tbody');
  for (const r of view.rows) {
    const name = r.module
      ? h(
          'button',
          {
            type: 'button',
            class: 'toggle',
            'aria-expanded': 'true',
            onclick: () => {
              if (closed.has(r.key)) closed.delete(r.key);
              else closed.add(r.key);
              applyVisibility(view.rows, trs, closed);
            },
          },
          h('span', { class: 'name' }, r.name),
          ` (${r.type}) · ${r.layers} layer${r.layers === 1 ? '' : 's'}`,
        )
      : h('span', {}, h('span', { class: 'name' }, r.name), ` (${r.type})`, r.implicit ? h('span', { class: 'implicit' }, ' implicit') : undefined);
    const tr = h(
      'tr',
      { class: r.module ? 'module' : undefined, 'data-level': r.level },
      h('th', { scope: 'row', class: `layer level-${Math.min(r.level, 8)}` }, name, r.note ? h('span', { class: 'note' }, r.note) : undefined),
      ...cols.map((c) => h('td', { class: c.cls }, c.cell(r))),
    );
    trs.push(tr);
    body.append(tr);
  }
  applyVisibility(view.rows, trs, closed);
  const table = h('table', { class: 'layers' }, h('caption', { class: 'visually-hidden' }, `Layers of ${view.name}`), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer (type)'), ...cols.map((c) => h('th', { scope: 'col', class: c.cls }, c.title)))), body);
  replace(wrap, table);
  return (open) => {
    closed.clear();
    if (!open) for (const r of view.rows) if (r.module) closed.add(r.key);
    applyVisibility(view.rows, trs, closed);
  };
}

/** Copies text to the clipboard; true when it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an old browser, an insecure origin): the selection route still works.
    const area = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true', tabindex: -1 });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
