/**
 * @module
 * The column model shared by the text renderers: a report becomes a header and rows of cells.
 */
import type { LayerReport, Report } from '../analyze/report.js';
import type { Int } from '../int.js';
import { countCell, layoutShape } from './format.js';

/** One column: its title, alignment and how a layer fills it. */
export interface Column {
  readonly id: string;
  readonly title: string;
  readonly align: 'left' | 'right';
  /** May be truncated to fit the terminal. */
  readonly flexible: boolean;
  /** The cell of a layer; `report` for what the whole report decides (how shapes are shown). */
  cell(layer: LayerReport, report?: Report): string;
}

const paramsTerms = (l: LayerReport): string => {
  const f = l.formulas.params;
  return f ? (f.terms.includes('+') || f.terms.includes('·') ? f.terms : '') : '';
};

/** A count cell; in parentheses for a training-only layer, whose work is not part of inference. */
const training = (l: LayerReport, n: Int | null): string => (l.training && n ? `(${countCell(n)})` : countCell(n));

/** Every column nncalc can show, by id. */
export const columns: Readonly<Record<string, Column>> = {
  layer: { id: 'layer', title: 'Layer (type)', align: 'left', flexible: true, cell: (l) => `${l.name} (${l.type})` },
  output: { id: 'output', title: 'Output shape', align: 'left', flexible: true, cell: (l, r) => layoutShape(l.outputShape, r?.model.layout) },
  params: { id: 'params', title: 'Params', align: 'right', flexible: false, cell: (l) => (l.params === 0 && l.tied > 0 ? 'tied' : countCell(l.params)) },
  formula: { id: 'formula', title: 'Params formula', align: 'left', flexible: true, cell: paramsTerms },
  macs: { id: 'macs', title: 'MACs', align: 'right', flexible: false, cell: (l) => training(l, l.macs) },
  flops: { id: 'flops', title: 'FLOPs', align: 'right', flexible: false, cell: (l) => training(l, l.flops) },
  rf: { id: 'rf', title: 'Receptive field', align: 'right', flexible: false, cell: (l) => (l.rf ? `${l.rf.size} (jump ${l.rf.jump})${l.rf.global ? ' + all' : ''}` : '–') },
};

/** The default columns, plus the formula with its numbers when explaining and the receptive field when asked. */
export function defaultColumns(explain: boolean, rf = false): Column[] {
  const ids = ['layer', 'output', ...(explain ? ['formula'] : []), 'params', 'macs', ...(rf ? ['rf'] : [])];
  return ids.map((id) => columns[id]!);
}

/** The header and the cells of every layer. */
export function cells(report: Report, cols: readonly Column[]): { header: string[]; rows: string[][] } {
  return { header: cols.map((c) => c.title), rows: report.layers.map((l) => cols.map((c) => c.cell(l, report))) };
}
