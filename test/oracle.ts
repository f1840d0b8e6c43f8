/**
 * Reads the torchvision oracle files (test/oracle/torchvision/*.json, written by
 * scripts/oracle/torchvision_oracle.py from torchvision 0.14) and compares a report with one, layer by layer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { LayerReport, Report } from '../src/analyze/report.js';
import type { Int } from '../src/int.js';

/** One leaf module as PyTorch ran it. */
export interface OracleLayer {
  readonly name: string;
  readonly type: string;
  readonly params: number;
  readonly buffers: number;
  readonly output: number[] | null;
  readonly macs: number | null;
  readonly calls: number;
}

/** One torchvision model as PyTorch built and ran it. */
export interface Oracle {
  readonly model: string;
  readonly builder: string;
  readonly input: number[];
  readonly params: number;
  readonly trainable: number;
  readonly buffers: number;
  readonly macs: number;
  readonly output: number[];
  readonly published?: number;
  readonly other_params: readonly { name: string; shape: number[]; numel: number }[];
  /** MACs of auxiliary heads, which run only in training: in the layers' macs but not in `macs`. */
  readonly aux_macs?: number;
  readonly layers: readonly OracleLayer[];
}

const dir = new URL('./oracle/torchvision/', import.meta.url);

/** The oracle of one model. */
export const readOracle = (name: string): Oracle => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Oracle;

/** Every model that has an oracle file. */
export const oracleNames = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

/** One disagreement between nncalc and PyTorch. */
export type Mismatch = string;

/**
 * Every disagreement between a report and its oracle: per-layer params, buffers, output shape (for layers that ran)
 * and MACs; totals of params, buffers and MACs (auxiliary heads, which PyTorch runs only in training, apart). Layers nncalc has and PyTorch does not (a functional flatten)
 * must have no parameters, unless they hold the oracle's `other_params`.
 */
export function compare(report: Report, oracle: Oracle): Mismatch[] {
  const out: Mismatch[] = [];
  const ours = new Map(report.layers.map((l) => [l.name, l]));
  // A module PyTorch calls k times (an FPN head shared by the levels) is k layers here, name, name#2 … name#k, the later
  // ones sharing the first one's weights: their counts add up to the module's. The output shape is the first call's.
  const calls = new Map<string, LayerReport[]>();
  for (const l of report.layers) {
    const base = l.name.replace(/#\d+$/, '');
    calls.set(base, [...(calls.get(base) ?? []), l]);
  }
  const total = (ls: readonly LayerReport[], f: (l: LayerReport) => Int | null): number => ls.reduce((s, l) => s + Number(f(l) ?? Number.NaN), 0);
  for (const o of oracle.layers) {
    // A module that never runs and holds nothing (ShuffleNet's empty branch1, an unused stochastic depth) has no layer.
    if (o.calls === 0 && o.output === null && o.params === 0) continue;
    const l = ours.get(o.name);
    if (!l) {
      out.push(`${o.name} (${o.type}): missing`);
      continue;
    }
    const all = calls.get(o.name) ?? [l];
    if (total(all, (x) => x.params) !== o.params) out.push(`${o.name}: params ${total(all, (x) => x.params)} ≠ ${o.params}`);
    if (total(all, (x) => x.buffers) !== o.buffers) out.push(`${o.name}: buffers ${total(all, (x) => x.buffers)} ≠ ${o.buffers}`);
    if (o.output && JSON.stringify(l.outputShape) !== JSON.stringify(o.output)) out.push(`${o.name}: output [${l.outputShape}] ≠ [${o.output}]`);
    if (o.macs !== null && total(all, (x) => x.macs) !== o.macs) out.push(`${o.name}: macs ${total(all, (x) => x.macs)} ≠ ${o.macs} (${all.length} calls here, ${o.calls} in PyTorch)`);
  }
  const known = new Set(oracle.layers.map((o) => o.name));
  const extra = report.layers.filter((l) => !known.has(l.name) && l.params !== 0);
  const extraParams = extra.reduce((s, l) => s + Number(l.params ?? NaN), 0);
  const otherParams = oracle.other_params.reduce((s, p) => s + p.numel, 0);
  if (extraParams !== otherParams) out.push(`layers PyTorch does not have hold ${extraParams} params (${extra.map((l) => l.name).join(', ')}); expected ${otherParams}`);
  if (report.totals.params !== oracle.params) out.push(`total params ${report.totals.params} ≠ ${oracle.params}`);
  if (report.totals.buffers !== oracle.buffers) out.push(`total buffers ${report.totals.buffers} ≠ ${oracle.buffers}`);
  // Auxiliary heads run only in training: PyTorch's eval pass leaves their MACs out, and so does nncalc's total.
  if (report.totals.macs !== oracle.macs) out.push(`total macs ${report.totals.macs} ≠ ${oracle.macs}`);
  if ((report.totals.training?.macs ?? 0) !== (oracle.aux_macs ?? 0)) out.push(`training-only macs ${report.totals.training?.macs ?? 0} ≠ ${oracle.aux_macs ?? 0}`);
  if (JSON.stringify(report.model.output) !== JSON.stringify(oracle.output)) out.push(`output [${report.model.output}] ≠ [${oracle.output}]`);
  return out;
}
