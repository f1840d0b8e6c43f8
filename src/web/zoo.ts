/**
 * @module
 * The zoo picker: a search box with a list of matching built-in models (the ARIA combobox pattern: arrows move
 * through the list, Enter picks, Escape closes). Names, descriptions and families are all searched.
 */
import { byId, h, replace } from './dom.js';
import type { Ready, ZooItem } from './protocol.js';

/** Most matches listed at once. */
const SHOWN = 60;

/** The entries whose name, description or family contains every word of the query (any case), names first. */
export function search(items: readonly ZooItem[], families: Readonly<Record<string, string>>, query: string): ZooItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const hay = (i: ZooItem) => `${i.name} ${i.title} ${families[i.family] ?? i.family}`.toLowerCase();
  const hits = items.filter((i) => words.every((w) => hay(i).includes(w)));
  const byName = (i: ZooItem) => (words.every((w) => i.name.toLowerCase().includes(w)) ? 0 : 1);
  return hits.map((i, k) => [i, k] as const).sort((a, b) => byName(a[0]) - byName(b[0]) || a[1] - b[1]).map(([i]) => i);
}

export function setupZoo(ready: Ready, pick: (name: string) => void): void {
  const input = byId<HTMLInputElement>('zoo-search');
  const list = byId<HTMLUListElement>('zoo-list');
  const count = byId('zoo-count');
  let shown: ZooItem[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const mark = (i: number) => {
    active = i;
    list.querySelectorAll('[role=option]').forEach((el, k) => el.setAttribute('aria-selected', k === i ? 'true' : 'false'));
    const el = i >= 0 ? document.getElementById(`zoo-${i}`) : null;
    if (el) {
      input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  const choose = (item: ZooItem | undefined) => {
    if (!item) return;
    input.value = item.name;
    close();
    pick(item.name);
  };

  const open = () => {
    const all = search(ready.zoo, ready.families, input.value);
    shown = all.slice(0, SHOWN);
    count.textContent = all.length ? `${all.length} model${all.length === 1 ? '' : 's'} match${all.length === 1 ? 'es' : ''}${all.length > SHOWN ? `; the first ${SHOWN} are listed` : ''}.` : 'No built-in model matches.';
    replace(
      list,
      ...shown.map((item, k) =>
        h(
          'li',
          { id: `zoo-${k}`, role: 'option', 'aria-selected': 'false', onmousedown: (e: Event) => e.preventDefault(), onclick: () => choose(item) },
          h('span', { class: 'zoo-name' }, item.name),
          h('span', { class: 'zoo-title' }, item.title),
        ),
      ),
    );
    list.hidden = shown.length === 0;
    input.setAttribute('aria-expanded', String(shown.length > 0));
    active = -1;
  };

  input.addEventListener('input', open);
  input.addEventListener('focus', () => input.value && open());
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden) open();
      if (shown.length) mark(e.key === 'ArrowDown' ? (active + 1) % shown.length : (active - 1 + shown.length) % shown.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const exact = shown.find((i) => i.name.toLowerCase() === input.value.trim().toLowerCase());
      choose(active >= 0 ? shown[active] : (exact ?? (shown.length === 1 ? shown[0] : undefined)));
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
}
