/**
 * @module
 * The model editor: a plain textarea over a backdrop that repeats its text with the error's span marked, so the
 * error is underlined where it is written; the message, its line and column, and the did-you-mean as a button
 * that applies the fix sit right under it.
 */
import { applyFix } from './fix.js';
import { byId, h, replace } from './dom.js';
import type { ErrorView } from './protocol.js';

/** Longer texts are not mirrored (the underline is skipped; the message still names the line and column). */
const MIRROR_LIMIT = 200_000;
/**
 * A paste longer than this is analysed as pasted text without entering the text box: a browser's text box takes
 * seconds to lay out megabytes, so a 10 MB paste would stall the page it is meant to leave responsive.
 */
export const LARGE_PASTE = 256 * 1024;

export interface Editor {
  readonly text: string;
  /** Sets the text (a picked model, a restored link) without an input event. */
  set(text: string): void;
  /** Shows an error in the editor's text, or clears it. */
  showError(error: ErrorView | undefined): void;
  focus(): void;
}

/** "Line 2, column 5: " or "". */
export const where = (e: ErrorView): string => (e.at ? `Line ${e.at.line}, column ${e.at.column}: ` : '');

/** Renders an error's message, its details and (when given) a fix button into `box`. */
export function errorBox(box: HTMLElement, e: ErrorView | undefined, prefix = '', onFix?: () => void): void {
  box.hidden = !e;
  if (!e) return replace(box);
  const fix = e.fix && onFix ? h('button', { type: 'button', class: 'fix', onclick: onFix }, `Replace with '${e.fix.replacement}'`) : undefined;
  replace(
    box,
    h('p', { class: 'message' }, h('strong', {}, `${prefix}${where(e)}`), e.message),
    fix,
    e.details.length ? h('ul', { class: 'details' }, ...e.details.map((d) => h('li', {}, d))) : undefined,
  );
}

export function setupEditor(onInput: (text: string, at: number) => void, onLargePaste: (text: string) => void): Editor {
  const area = byId<HTMLTextAreaElement>('editor');
  const backdrop = byId('backdrop');
  const box = byId('editor-error');
  let error: ErrorView | undefined;

  const mirror = () => {
    const text = area.value;
    if (!error?.inEditor || !error.at || text.length > MIRROR_LIMIT) return replace(backdrop);
    const { offset, length } = error.at;
    const end = Math.min(text.length, offset + Math.max(1, length));
    // An error at the very end (a missing word) marks a space after the text.
    const marked = offset >= text.length ? ' ' : text.slice(offset, end);
    replace(backdrop, text.slice(0, offset), h('mark', {}, marked), text.slice(end) + '\n');
    backdrop.scrollTop = area.scrollTop;
  };

  area.addEventListener('input', (e) => {
    error = undefined;
    mirror();
    onInput(area.value, e.timeStamp);
  });
  area.addEventListener('scroll', () => (backdrop.scrollTop = area.scrollTop));
  area.addEventListener('paste', (e) => {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (text.length <= LARGE_PASTE) return;
    e.preventDefault();
    onLargePaste(text);
  });

  const fix = () => {
    if (!error?.fix) return;
    const { offset, replacement } = error.fix;
    area.value = applyFix(area.value, error.fix);
    area.focus();
    area.setSelectionRange(offset + replacement.length, offset + replacement.length);
    area.dispatchEvent(new Event('input'));
  };

  return {
    get text() {
      return area.value;
    },
    set(text) {
      area.value = text;
      error = undefined;
      mirror();
    },
    showError(e) {
      error = e;
      area.setAttribute('aria-invalid', e ? 'true' : 'false');
      mirror();
      errorBox(box, e, '', fix);
    },
    focus: () => area.focus(),
  };
}
