/**
 * @module
 * The check and diff panels' data, built in the worker: each claim judged with its diagnoses, and the layer-by-
 * layer comparison of two models or two settings with its totals and reasons.
 */
import type { CheckResult } from '../check/index.js';
import { fmt } from '../count.js';
import type { Diff } from '../diff/index.js';
import { HEADER, rowCells, sideText, totalRows } from '../diff/render.js';
import type { CheckView, DiffView } from './protocol.js';

const VERDICT = { exact: 'right', rounded: 'right, as rounded', wrong: 'wrong', unknown: 'cannot be judged' } as const;

/** A check's result, claim by claim. */
export function checkView(r: CheckResult): CheckView {
  const n = r.claims.length;
  return {
    model: `${r.model.name}: ${fmt(r.model.params)} parameters (${r.model.convention === 'keras' ? 'Keras' : 'PyTorch'} convention)`,
    claims: r.claims.map((c) => ({
      text: c.claim.text,
      where: `line ${c.claim.line}, column ${c.claim.column}`,
      verdict: c.verdict,
      notes: [...(c.headline ? [c.headline] : []), ...c.notes],
      targets: c.targets.map((t) => ({
        head: `${t.name}${t.channels ? ` (${t.channels})` : ''}`,
        verdict: VERDICT[t.verdict],
        diagnoses: t.diagnoses.map((d) => d.message),
        truth: t.truth,
      })),
    })),
    context: r.context,
    summary: `${n} claim${n === 1 ? '' : 's'}: ${r.right} right, ${r.wrong} wrong${r.unknown ? `, ${r.unknown} not judged` : ''}${r.unread.length ? `; ${r.unread.length} line${r.unread.length === 1 ? '' : 's'} not read (${r.unread.map((u) => u.line).join(', ')})` : ''}.`,
  };
}

/** A diff of two reports, with only the rows that differ unless `all`. */
export function diffView(d: Diff, all: boolean): DiffView {
  const rows = d.rows.filter((r) => all || r.status !== 'same');
  return {
    a: sideText(d.a),
    b: sideText(d.b),
    alignment: d.alignment === 'name' ? 'Layers paired by name.' : 'Layers paired by position among layers of the same kind (the names differ).',
    totals: totalRows(d),
    why: d.why,
    header: HEADER,
    rows: rows.map((r) => ({ status: r.status, cells: rowCells(r) })),
    hidden: d.rows.length - rows.length,
  };
}
