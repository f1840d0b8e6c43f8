/**
 * Single-layer evaluation for op unit tests, and the PyTorch 1.13 cases of test/oracle/ops2.json
 * (written by scripts/oracle/ops2_oracle.py).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { lit, type Count } from '../src/analyze/count.js';
import { ModelError } from '../src/errors.js';
import { readAttrs, type Raw } from '../src/ops/attrs.js';
import { numel, type OpContext, type OpDef, type ShapeNote } from '../src/ops/op.js';
import type { Shape, Weight } from '../src/types.js';

/** One case as PyTorch ran it. */
export interface Ops2Case {
  readonly op: string;
  readonly attrs: Raw;
  readonly inputs: number[][];
  readonly outputs?: number[][];
  readonly params?: number;
  readonly buffers?: number;
  /** [name, shape] of every parameter and floating-point buffer, in PyTorch's order. */
  readonly weights?: [string, number[]][];
  readonly macs?: number;
  readonly error?: string;
  readonly stage?: 'init' | 'forward';
}

const file = JSON.parse(readFileSync(new URL('./oracle/ops2.json', import.meta.url), 'utf8')) as { cases: Ops2Case[] };

/** The oracle cases of the given op kinds. */
export const ops2Cases = (...kinds: string[]): Ops2Case[] => file.cases.filter((c) => kinds.includes(c.op));

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
  const sum = (ws: Weight[]) => ws.reduce((s, w) => s + numel(w.shape), 0);
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
  try {
    evaluate(def, raw, inputs, ctx);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error(`${def.kind} ${JSON.stringify(raw)} on ${inputs.map((s) => `[${s.join(', ')}]`).join(', ')} was accepted`);
}

/** The case's title for test.each. */
export const caseTitle = (c: Ops2Case): string =>
  `${c.op} ${JSON.stringify(c.attrs)} on ${c.inputs.map((s) => `[${s.join(', ')}]`).join(', ')}${c.error ? ' → rejected' : ''}`;

/**
 * Checks one oracle case: a rejection for a case PyTorch rejects; otherwise the output shapes, parameters, buffers
 * and MACs, and the weight names and shapes when `names` is set (PyTorch's own modules).
 */
export function checkCase(def: OpDef<any>, c: Ops2Case, opts: { names?: boolean } = {}): void {
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
}
