/**
 * @module
 * CSV (RFC 4180): one row per layer, raw integers without separators or units, so spreadsheets can sum them.
 * `training_only` is 'yes' for a layer only training outputs need (an auxiliary head): leave its MACs and FLOPs
 * out of an inference sum.
 */
import type { Report } from '../analyze/report.js';
import type { Int } from '../int.js';

/** One RFC 4180 cell: quoted only when it holds a comma, a quote or a line break. */
export const quote = (v: string | Int | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The report as CSV; unknown values are empty cells. */
export function renderCsv(report: Report): string {
  const header = ['name', 'type', 'op', 'label', 'output_shape', 'params', 'trainable', 'non_trainable', 'buffers', 'macs', 'flops', 'params_formula', 'training_only'];
  const rows = report.layers.map((l) => [
    l.name,
    l.type,
    l.op,
    l.label,
    l.outputShape.join('x'),
    l.params,
    l.trainable,
    l.nonTrainable,
    l.buffers,
    l.macs,
    l.flops,
    l.formulas.params?.formula ?? '',
    l.training ? 'yes' : '',
  ]);
  return csvRows([header, ...rows]);
}

/** Rows of cells as CSV text with CRLF line ends. */
export const csvRows = (rows: readonly (readonly (string | Int | null)[])[]): string => rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
