/**
 * @module
 * A layer's formulas, written when first read: the Counts of its weights, MACs, FLOPs and shape notes are
 * recomputed from the op's pure rules on demand and then kept, so a large model keeps no Count trees it does not
 * show. Layers that share a derivation (./layer.ts) share these too.
 */
import type { OpDef, ShapeNote } from '../ops/op.js';
import { flopsOf, numel, paramsFormula } from '../ops/op.js';
import type { Shape, Weight } from '../types.js';
import { lit, mul, term, type Count } from '../count.js';
import { cmp, type Int } from '../int.js';
import type { Convention, LayerFormulas, WeightReport } from './report.js';

/**
 * The Counts of one layer, recomputed from its op's pure rules when a formula is first read, and then kept: shape
 * notes, weight formulas, MACs, FLOPs, active parameters.
 */
export class Derivation {
  private weightCounts: Map<string, Count> | undefined;
  private notes: ShapeNote[] | undefined;
  private macsCount: Count | undefined;
  private flopsCount: Count | undefined;
  constructor(
    private readonly def: OpDef<unknown>,
    private readonly attrs: unknown,
    private readonly inputs: readonly Shape[],
    private readonly outputs: readonly Shape[],
    private readonly convention: Convention,
  ) {}
  weight(name: string): Count | undefined {
    this.weightCounts ??= new Map((this.def.weights?.(this.attrs, this.inputs, { convention: this.convention }) ?? []).map((w) => [w.name, weightCount(w)]));
    return this.weightCounts.get(name);
  }
  shape(): ShapeNote[] {
    if (!this.notes) {
      const notes: ShapeNote[] = [];
      this.def.shape(this.attrs, this.inputs, (n) => notes.push(n));
      this.notes = notes;
    }
    return this.notes;
  }
  macs(): Count {
    return (this.macsCount ??= this.def.macs?.(this.attrs, this.inputs, this.outputs) ?? lit(0));
  }
  flops(): Count {
    return (this.flopsCount ??= flopsOf(this.macs(), this.def.flops?.(this.attrs, this.inputs, this.outputs) ?? lit(0)));
  }
  active(): Count | undefined {
    return this.def.active?.(this.attrs, this.inputs);
  }
}

/** A weight of a layer; its formula is derived when read. */
export class WeightRow implements WeightReport {
  declare tiedTo?: string;
  declare dtype?: string;
  declare bytes?: number;
  constructor(
    readonly name: string,
    readonly shape: Shape,
    readonly count: Int,
    readonly trainable: boolean,
    readonly buffer: boolean,
    private readonly derivation: Derivation,
  ) {}
  get formula(): Count | undefined {
    return this.derivation.weight(this.name);
  }
  toJSON(): Record<string, unknown> {
    const { derivation: _d, ...own } = this;
    return { ...own, formula: this.formula };
  }
  /** The weight as plain data (its formula included), for a copy that keeps it. */
  plain(): WeightReport {
    return this.toJSON() as unknown as WeightReport;
  }
}

/** Which of a layer's formulas exist; each is derived on first read. */
export class Formulas implements LayerFormulas {
  private paramsCount: Count | undefined;
  constructor(
    private readonly d: Derivation,
    private readonly has: { readonly params: readonly string[] | undefined; readonly macs: boolean; readonly flops: boolean; readonly active: boolean },
  ) {}
  get params(): Count | undefined {
    if (!this.has.params?.length) return undefined;
    return (this.paramsCount ??= paramsFormula(this.has.params.map((n) => this.d.weight(n)!)));
  }
  get macs(): Count | undefined {
    return this.has.macs ? this.d.macs() : undefined;
  }
  get flops(): Count | undefined {
    return this.has.flops ? this.d.flops() : undefined;
  }
  get shape(): readonly ShapeNote[] | undefined {
    const notes = this.d.shape();
    return notes.length ? notes : undefined;
  }
  get active(): Count | undefined {
    return this.has.active ? this.d.active() : undefined;
  }
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of ['params', 'macs', 'flops', 'shape', 'active'] as const) {
      const v = this[k];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
}

export function weightCount(w: Weight): Count {
  const n = numel(w.shape);
  if (w.count && cmp(w.count.value, n) !== 0) throw new Error(`bug: ${w.name} formula ${w.count.value} ≠ numel ${n}`);
  return w.count ?? mul(...w.shape.map((d, i) => term(w.dims?.[i] ?? `d${i}`, d)));
}
