/**
 * Single-layer evaluation for the op unit tests, and the PyTorch 1.13 cases they are checked against:
 * test/oracle/ops.json (scripts/oracle/ops_oracle.py: one input and one output, with PyTorch's resolved settings) and
 * test/oracle/ops2.json (scripts/oracle/ops2_oracle.py: several inputs and outputs, with PyTorch's weight names and shapes).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { lit, type Count } from '../src/count.js';
import type { ModelError } from '../src/errors.js';
import { readAttrs, type Raw } from '../src/ops/attrs.js';
import { numel, type OpContext, type OpDef, type ShapeNote } from '../src/ops/op.js';
import type { Shape, Weight } from '../src/types.js';
import { errorOf } from './helpers.js';

/** One case as PyTorch ran it, in the form of ops2.json. */
export interface OpCase {
  readonly op: string;
  readonly attrs: Raw;
  readonly inputs: number[][];
  readonly outputs?: number[][];
  readonly params?: number;
  readonly buffers?: number;
  /** [name, shape] of every parameter and floating-point buffer, in PyTorch's order (ops2.json only). */
  readonly weights?: [string, number[]][];
  readonly macs?: number;
  /** The module's settings with PyTorch's defaults filled in, in nncalc's names (ops.json only). */
  readonly resolved?: Record<string, unknown>;
  readonly error?: string;
  readonly stage?: 'init' | 'forward';
}

/** An ops.json case as written: a single input and output. */
interface SingleCase extends Omit<OpCase, 'inputs' | 'outputs' | 'weights'> {
  readonly input: number[];
  readonly output?: number[];
}

const read = <C>(file: string): C[] => (JSON.parse(readFileSync(new URL(`./oracle/${file}`, import.meta.url), 'utf8')) as { cases: C[] }).cases;

const single: OpCase[] = read<SingleCase>('ops.json').map(({ input, output, ...c }) => ({ ...c, inputs: [input], ...(output ? { outputs: [output] } : {}) }));
const multi: OpCase[] = read<OpCase>('ops2.json');

/** The ops.json cases of the given op kinds, with their input and output as one-element lists. */
export const opsCases = (...kinds: string[]): OpCase[] => single.filter((c) => kinds.includes(c.op));

/** The ops2.json cases of the given op kinds. */
export const ops2Cases = (...kinds: string[]): OpCase[] => multi.filter((c) => kinds.includes(c.op));

/** A table of op definitions keyed by their kinds, which are the oracle's op names. */
export const byKind = (...defs: OpDef<any>[]): Record<string, OpDef<any>> => Object.fromEntries(defs.map((d) => [d.kind, d]));

/** What analyze() computes for one layer, without the graph around it. */
export interface Evaluated<A> {
  readonly attrs: A;
  readonly outputs: Shape[];
  readonly notes: ShapeNote[];
  readonly weights: Weight[];
  readonly params: number;
  readonly buffers: number;
  readonly macs: Count;
  readonly flops: Count;
}

/** Reads the attributes, infers the shapes and counts weights, MACs and FLOPs. */
export function evaluate<A>(def: OpDef<A>, raw: Raw, inputs: readonly Shape[], ctx?: OpContext): Evaluated<A> {
  const attrs = readAttrs({ op: def.kind, raw }, (r) => def.attrs(r));
  const notes: ShapeNote[] = [];
  const outputs = def.shape(attrs, inputs, (n) => notes.push(n));
  const weights = def.weights?.(attrs, inputs, ctx) ?? [];
  for (const w of weights) if (w.count) expect(w.count.value, `${w.name} count vs shape`).toBe(numel(w.shape));
  const sum = (ws: Weight[]) => ws.reduce((s, w) => s + Number(numel(w.shape)), 0);
  return {
    attrs,
    outputs,
    notes,
    weights,
    params: sum(weights.filter((w) => !w.buffer)),
    buffers: sum(weights.filter((w) => w.buffer)),
    macs: def.macs?.(attrs, inputs, outputs) ?? lit(0),
    flops: def.flops?.(attrs, inputs, outputs) ?? lit(0),
  };
}

/** The ModelError that evaluating throws; fails the test when it is accepted. */
export function rejection<A>(def: OpDef<A>, raw: Raw, inputs: readonly Shape[], ctx?: OpContext): ModelError {
  return errorOf(() => evaluate(def, raw, inputs, ctx), `${caseName({ op: def.kind, attrs: raw, inputs })} was accepted`);
}

/** The case as one line: op, attributes and input shapes. */
export const caseName = (c: { readonly op: string; readonly attrs: Raw; readonly inputs: readonly Shape[] }): string =>
  `${c.op} ${JSON.stringify(c.attrs)} on ${c.inputs.map((s) => `[${s.join(', ')}]`).join(', ')}`;

/** The case's title for test.each. */
export const caseTitle = (c: OpCase): string => `${caseName(c)}${c.error ? ' → rejected' : ''}`;

/** What checkCase compares besides shapes, parameters, buffers and MACs. */
export interface CheckOptions {
  /** Weight names and shapes, in PyTorch's order (for PyTorch's own modules, in ops2.json). */
  readonly names?: boolean;
  /** Every weight explains its count with a formula. */
  readonly counts?: boolean;
  /** The case must carry PyTorch's resolved settings, for ops whose module has settings (ops.json). */
  readonly resolved?: boolean;
  /** Resolved settings left out where nncalc's default knowingly differs and changes no count. */
  readonly ignore?: readonly string[];
}

/**
 * Checks one oracle case: a rejection for a case PyTorch rejects; otherwise the output shapes, parameters, buffers
 * and MACs, the normalised attributes against PyTorch's resolved settings where the case has them, and what `opts` asks.
 */
export function checkCase(def: OpDef<any>, c: OpCase, opts: CheckOptions = {}): void {
  if (c.error !== undefined) {
    expect(['spec', 'shape'], `PyTorch: ${c.error}`).toContain(rejection(def, c.attrs, c.inputs).code);
    return;
  }
  const r = evaluate(def, c.attrs, c.inputs);
  expect(r.outputs).toEqual(c.outputs);
  expect(r.params).toBe(c.params);
  expect(r.buffers).toBe(c.buffers);
  expect(r.macs.value).toBe(c.macs);
  if (opts.names) expect(r.weights.map((w) => [w.name, [...w.shape]])).toEqual(c.weights);
  if (opts.counts) for (const w of r.weights) expect(w.count?.value, `${w.name} count`).toBe(numel(w.shape));
  if (opts.resolved) expect(c.resolved, 'PyTorch resolved settings').toBeDefined();
  if (c.resolved) {
    const resolved = { ...c.resolved };
    for (const k of opts.ignore ?? []) delete resolved[k];
    expect(r.attrs).toMatchObject(resolved);
  }
}
