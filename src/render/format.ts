/**
 * @module
 * Number and unit formatting shared by every renderer. Counts use SI prefixes (K, M, G: powers of 1000);
 * bytes use binary units (KiB, MiB, GiB: powers of 1024), labelled as such.
 */
import { fmt } from '../count.js';
import type { ShapeLayout } from '../analyze/report.js';
import { toNumber, type Int } from '../int.js';
import type { Shape } from '../types.js';

/** 1234567 → '1,234,567'. */
export const count = fmt;

/** 15470264320 → '15.47 G'; below 1000 the number itself. Rounded by design: the exact count is printed beside it. */
export function compact(n: Int): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let i = 0;
  let v = toNumber(n);
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? String(n) : `${v.toFixed(2)} ${units[i]}`;
}

/** 553430176 → '527.79 MiB'. Rounded by design (two decimals of the unit); exact bytes are in the JSON. */
export function bytes(n: Int): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let i = 0;
  let v = toNumber(n);
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(2)} ${units[i]}`;
}

/** Shapes written before: layers with one signature share their shape lists, so a table of 50,000 writes a few. */
const shapeTexts = new WeakMap<Shape, string>();

/** [1, 64, 224, 224] → '[1, 64, 224, 224]'; an empty shape is an unknown one: '?'. */
export function shapeText(s: Shape): string {
  let t = shapeTexts.get(s);
  if (t === undefined) shapeTexts.set(s, (t = s.length ? `[${s.join(', ')}]` : '?'));
  return t;
}

/**
 * A shape as a report's layout shows it: as shapeText without one; in Keras's, channels last and the batch None,
 * as model.summary() prints it: '(None, 224, 224, 64)'. Shapes of rank 2 ([N, features]) keep their order.
 */
export function layoutShape(s: Shape, layout: ShapeLayout | undefined): string {
  if (!layout) return shapeText(s);
  const [n, c, ...rest] = s;
  const dims = s.length > 2 ? [n, ...rest, c] : [...s];
  return `(${[layout === 'keras' ? 'None' : n, ...dims.slice(1)].join(', ')})`;
}

/** Counts written before (a table repeats its layers' counts); emptied when it grows past a few thousand. */
const counts = new Map<Int, string>();

/** A count cell: '–' for a true zero, '?' for unknown, else the exact count. */
export function countCell(n: Int | null): string {
  if (n === null) return '?';
  if (n === 0) return '–';
  let t = counts.get(n);
  if (t === undefined) {
    if (counts.size >= 4096) counts.clear();
    counts.set(n, (t = count(n)));
  }
  return t;
}
