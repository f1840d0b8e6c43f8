/**
 * @module
 * The figures `nncalc list` shows for a zoo entry: its parameters in both conventions, its MACs and the input
 * they are given at. The build writes them for the whole zoo into one small file (dist/zoo-totals.json, by
 * scripts/build.mjs), so listing the zoo reads that file instead of analysing every model; a test holds the
 * file equal to a fresh analysis of every entry.
 */
import { analyze } from '../analyze/index.js';
import { build } from '../describe/build.js';
import { int, plus, type Int } from '../int.js';
import type { Shape } from '../types.js';
import type { ZooEntry } from './entry.js';

/** One entry's figures, at its default input (batch 1). */
export interface ZooTotals {
  /** Parameters with BatchNorm statistics as buffers (pytorch) and as non-trainable parameters (keras). */
  readonly params: { readonly pytorch: Int; readonly keras: Int };
  readonly macs: Int;
  /** The input shape, batch first. */
  readonly input: Shape;
  /** The sequence length the MACs are given at, for a model whose input is a sequence (transformers). */
  readonly seq?: number;
  /** Set when some layer's MACs are unknown (a detector's box decoding and NMS): `macs` is then a lower bound. */
  readonly macsLowerBound?: true;
}

/** The version of the totals file; a file of another version is ignored (the figures are then computed). */
export const TOTALS_SCHEMA = 1;

/** Analyses one entry. Keras's count is PyTorch's plus the buffers (the zoo test holds this for every model). */
export function zooTotals(entry: ZooEntry): ZooTotals {
  const spec = entry.spec();
  const graph = build(spec);
  const report = analyze(graph);
  const t = report.totals;
  const input = graph.inputs[0]!.shape;
  const seq = spec.seqAxis === undefined ? undefined : input[spec.seqAxis];
  const lower = report.layers.some((l) => !l.training && l.macs === null);
  return { params: { pytorch: int(t.params), keras: plus(t.params, t.buffers) }, macs: int(t.macs), input, ...(seq === undefined ? {} : { seq }), ...(lower ? { macsLowerBound: true as const } : {}) };
}

/** The totals file's text: every entry's figures by name; counts past 2^53 are written as strings of digits. */
export function totalsFile(entries: readonly ZooEntry[]): string {
  const models = Object.fromEntries(entries.map((e) => [e.name, zooTotals(e)]));
  return `${JSON.stringify({ schema: TOTALS_SCHEMA, models }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`;
}

const readInt = (v: unknown): Int | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : typeof v === 'string' && /^\d{1,40}$/.test(v) ? int(BigInt(v)) : undefined;

/** One entry of a totals file, or undefined when it is not what totalsFile writes. */
function readEntry(v: unknown): ZooTotals | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const p = (o['params'] ?? {}) as Record<string, unknown>;
  const [pytorch, keras, macs] = [readInt(p['pytorch']), readInt(p['keras']), readInt(o['macs'])];
  const input = o['input'];
  const seq = o['seq'];
  const lower = o['macsLowerBound'];
  if (lower !== undefined && lower !== true) return undefined;
  if (pytorch === undefined || keras === undefined || macs === undefined) return undefined;
  if (!Array.isArray(input) || !input.every((d) => Number.isSafeInteger(d) && d > 0)) return undefined;
  if (seq !== undefined && !(Number.isSafeInteger(seq) && (seq as number) > 0)) return undefined;
  return { params: { pytorch, keras }, macs, input: input as number[], ...(seq === undefined ? {} : { seq: seq as number }), ...(lower ? { macsLowerBound: true as const } : {}) };
}

/**
 * The figures of a totals file by name. Anything unreadable (another version, a damaged file, an entry that is not
 * what totalsFile writes) is left out, so the caller computes those figures instead of trusting them.
 */
export function readTotalsFile(text: string): Map<string, ZooTotals> {
  const out = new Map<string, ZooTotals>();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return out;
  }
  if (!data || typeof data !== 'object' || (data as Record<string, unknown>)['schema'] !== TOTALS_SCHEMA) return out;
  const models = (data as Record<string, unknown>)['models'];
  if (!models || typeof models !== 'object') return out;
  for (const [name, v] of Object.entries(models)) {
    const t = readEntry(v);
    if (t) out.set(name, t);
  }
  return out;
}
