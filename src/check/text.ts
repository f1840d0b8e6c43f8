/**
 * @module
 * User text quoted back safely: control characters (a NUL, an escape sequence, a bidi override) are shown
 * as \u{…} escapes instead of reaching the terminal, and long text is cut with an ellipsis.
 */

// C0 and C1 controls, DEL, line and paragraph separators, bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with control characters escaped; tabs and newlines are kept. */
export const escapeControls = (s: string): string => s.replace(CONTROL, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);

/** A piece of user text for a message: controls escaped, tabs and newlines shown, cut at `max` characters. */
export function quoted(s: string, max = 40): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return escapeControls(cut).replace(/\t/g, '\\t').replace(/\r?\n/g, '\\n');
}
