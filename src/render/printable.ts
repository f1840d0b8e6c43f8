/**
 * @module
 * Text that is safe to print on a terminal. Names and messages can carry text from a hostile file: an escape
 * sequence in a layer name (`\e]0;…\a\e[2J`) would retitle or clear the user's terminal. Every control
 * character is written as a visible `\uXXXX` escape (also valid inside a JSON string); line ends are kept.
 */
import type { Report } from '../analyze/report.js';

/** C0 controls but \n, DEL, C1 controls, the line and paragraph separators, and the bidi overrides and isolates. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** `\r\n` (CSV's line end), an SGR colour code (nncalc's own, when colour is on), or one unsafe character. */
const TOKENS = new RegExp(`\\r\\n|\\x1b\\[[0-9;]{0,16}m|${UNSAFE.source}`, 'g');

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every unsafe character escaped. */
export const printable = (text: string): string => (UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escape) : text);

/**
 * Output for a terminal or a pipe: unsafe characters escaped, CRLF line ends kept, and with `colours` the SGR
 * colour codes (`\x1b[1m`) kept: they change only colour and weight, never the screen or the title.
 */
export function outputText(text: string, colours: boolean): string {
  return text.replace(TOKENS, (m) => (m === '\r\n' || (colours && m.length > 1) ? m : escape(m)));
}

/** The report with every name, label and message made printable (a copy only when something needed it). */
export function printableReport(report: Report): Report {
  const bad = (s: string | undefined) => s !== undefined && UNSAFE.test(s);
  const dirty =
    bad(report.model.name) ||
    bad(report.model.source) ||
    report.model.notes.some(bad) ||
    report.diagnostics.some((d) => bad(d.message) || bad(d.layer)) ||
    report.layers.some((l) => bad(l.name) || bad(l.type) || bad(l.label) || bad(l.note) || bad(l.role) || l.inputs.some(bad) || l.weights.some((w) => bad(w.name) || bad(w.tiedTo)));
  if (!dirty) return report;
  const p = (s: string) => printable(s);
  return {
    ...report,
    model: { ...report.model, name: p(report.model.name), ...(report.model.source !== undefined ? { source: p(report.model.source) } : {}), notes: report.model.notes.map(p) },
    diagnostics: report.diagnostics.map((d) => ({ ...d, message: p(d.message), ...(d.layer !== undefined ? { layer: p(d.layer) } : {}) })),
    layers: report.layers.map((l) => ({
      ...l,
      name: p(l.name),
      type: p(l.type),
      label: p(l.label),
      inputs: l.inputs.map(p),
      ...(l.note !== undefined ? { note: p(l.note) } : {}),
      ...(l.role !== undefined ? { role: p(l.role) } : {}),
      weights: l.weights.map((w) => ({ ...w, formula: w.formula, name: p(w.name), ...(w.tiedTo !== undefined ? { tiedTo: p(w.tiedTo) } : {}) })),
    })),
    ...(report.modules ? { modules: Object.fromEntries(Object.entries(report.modules).map(([k, v]) => [p(k), p(v)])) } : {}),
  };
}
