/**
 * @module
 * The settings' fields: read into Options and DiffSettings, written back from a link, and marked when an error is
 * about one of them.
 */
import { byId } from './dom.js';
import type { DiffSettings, ErrorView, Options } from './protocol.js';

const text = (id: string) => byId<HTMLInputElement>(id);
const check = (id: string) => byId<HTMLInputElement>(id);
/** The fields typed as text, whose errors are shown under them. */
export const FIELDS = ['input', 'batch', 'seq'] as const;

export function readOptions(): Options {
  return {
    input: text('opt-input').value,
    batch: text('opt-batch').value,
    seq: text('opt-seq').value,
    convention: byId<HTMLSelectElement>('opt-convention').value as Options['convention'],
    relu: check('opt-relu').checked,
    padding: check('opt-padding').checked,
    flatten: check('opt-flatten').checked,
    depth: Number(byId<HTMLSelectElement>('opt-depth').value) || 0,
    formula: check('opt-formula').checked,
    rf: check('opt-rf').checked,
  };
}

export function writeOptions(o: Options): void {
  for (const f of FIELDS) text(`opt-${f}`).value = o[f];
  byId<HTMLSelectElement>('opt-convention').value = o.convention;
  for (const f of ['relu', 'padding', 'flatten', 'formula', 'rf'] as const) check(`opt-${f}`).checked = o[f];
  const depth = byId<HTMLSelectElement>('opt-depth');
  if (!Array.from(depth.options).some((x) => x.value === String(o.depth))) depth.append(new Option(String(o.depth), String(o.depth)));
  depth.value = String(o.depth);
}

export function readDiff(): DiffSettings {
  return {
    model: text('vs-model').value,
    input: text('vs-input').value,
    batch: text('vs-batch').value,
    seq: text('vs-seq').value,
    convention: byId<HTMLSelectElement>('vs-convention').value as DiffSettings['convention'],
    all: check('vs-all').checked,
  };
}

export function writeDiff(d: DiffSettings): void {
  for (const f of ['model', 'input', 'batch', 'seq'] as const) text(`vs-${f}`).value = d[f];
  byId<HTMLSelectElement>('vs-convention').value = d.convention;
  check('vs-all').checked = d.all;
}

/** Marks the field an error is about (or clears every field's mark): 'opt' for the model's, 'vs' for the diff's. */
export function fieldErrors(e: ErrorView | undefined, prefix: 'opt' | 'vs'): void {
  for (const f of FIELDS) {
    const name = prefix === 'opt' ? f : (`vs-${f}` as const);
    const mine = e && e.field === name;
    const box = byId(`${prefix}-${f}-error`);
    box.hidden = !mine;
    box.textContent = mine ? e.message : '';
    text(`${prefix}-${f}`).setAttribute('aria-invalid', String(!!mine));
  }
}
