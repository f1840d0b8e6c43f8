/**
 * nncalc against test/oracle/transformers.json, written by scripts/oracle/transformers_oracle.py from PyTorch 1.13
 * modules named as in `transformers`: totals, parameters per layer and, for the small configs run forward, MACs per
 * layer and the output shape. A PyTorch parameter or module belongs to the nncalc layer whose name is its longest
 * prefix (nncalc's attention layer holds q/k/v/o; its MACs include the QKᵀ and AV matmuls PyTorch runs inside it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Report } from '../../analyze/report.js';
import { summarize } from '../../summarize.js';
import { HF_CONFIGS } from './configs.js';
import { fromHfConfig } from './index.js';

interface OracleModel {
  readonly kind: 'real' | 'tiny';
  readonly config: Record<string, unknown>;
  readonly params: number;
  readonly params_by_name: Readonly<Record<string, number>>;
  readonly active?: number;
  readonly input?: number[];
  /** The shapes of the other inputs, in the order of the Spec's extraInputs. */
  readonly extra_inputs?: number[][];
  readonly macs?: number;
  readonly macs_by_module?: Readonly<Record<string, number>>;
  readonly output?: number[];
}

const oracle = JSON.parse(readFileSync(new URL('../../../test/oracle/transformers.json', import.meta.url), 'utf8')) as {
  models: Record<string, OracleModel>;
};
const entries = Object.entries(oracle.models);

/**
 * PyTorch modules whose parameters or MACs nncalc keeps on a layer of another name, when that layer exists: the bias a
 * masked-LM head (cls.predictions, lm_head, ALBERT's predictions) keeps on itself is on its decoder; a Mamba mixer's
 * A_log, D and dt_bias, and the scan it runs, are on its selective_scan layer; Gemma 3's projector multiplies by
 * mm_input_projection_weight in its own forward; CLIP's and SigLIP's logit_scale and logit_bias, and the product of the
 * two towers' embeddings the top module computes, are on the logits layer.
 */
const alias = (path: string): string =>
  /(^|\.)(predictions|lm_head)$/.test(path)
    ? `${path}.decoder`
    : /(^|\.)mixer$/.test(path)
      ? `${path}.selective_scan`
      : /(^|\.)multi_modal_projector$/.test(path)
        ? `${path}.mm_input_projection_weight`
        : path === '' || path === 'logit_scale' || path === 'logit_bias'
          ? 'logits'
          : path;
/** Layers 1, 2, … of the repeated stacks, which the real models' lists leave out. */
const LATER = /(^|\.)(encoder\.layer|transformer\.layer|h|layers|block|blocks)\.[1-9][0-9]*\./;

/** A shared module's later runs (ALBERT's albert_layer_groups.0#2) are the module PyTorch names once. */
const run = (name: string): string => name.replace(/#\d+/g, '');

/** Sums PyTorch numbers onto nncalc layers: each module path goes to its longest prefix among the layer names. */
function group(report: Report, byModule: Iterable<[string, number]>): { sums: Map<string, number>; stray: string[] } {
  const names = new Set(report.layers.map((l) => run(l.name)));
  const owner = (module: string): string | undefined => {
    for (let path = module; ; path = path.slice(0, path.lastIndexOf('.'))) {
      for (const name of [alias(path), path]) if (names.has(name)) return name;
      if (!path.includes('.')) return undefined;
    }
  };
  const sums = new Map<string, number>();
  const stray: string[] = [];
  for (const [module, n] of byModule) {
    const layer = owner(module);
    if (layer === undefined) stray.push(module);
    else sums.set(layer, (sums.get(layer) ?? 0) + n);
  }
  return { sums, stray };
}

/** Every layer whose parameters (or MACs) differ from PyTorch's, as 'layer: nncalc ≠ PyTorch'. */
function mismatches(report: Report, byModule: Iterable<[string, number]>, field: 'params' | 'macs', only?: (name: string) => boolean): string[] {
  const { sums, stray } = group(report, byModule);
  const out = stray.map((m) => `${m}: no nncalc layer`);
  // nncalc's numbers by module, the runs of a shared module summed, as PyTorch counts them.
  const mine = new Map<string, number | null>();
  for (const l of report.layers) {
    const key = run(l.name);
    const v = l[field];
    mine.set(key, v === null || mine.get(key) === null ? null : (mine.get(key) ?? 0) + Number(v));
  }
  for (const [name, v] of mine) {
    if (only && !only(name)) continue;
    const want = sums.get(name) ?? 0;
    if (v !== want) out.push(`${name}: ${v} ≠ ${want}`);
  }
  return out;
}

/** Parameters by full name: a parameter that is a layer of its own (ViT's cls_token) is found before its module. */
const paramModules = (m: OracleModel): [string, number][] => Object.entries(m.params_by_name);

function analyse(name: string, m: OracleModel): Report {
  const spec = fromHfConfig(m.config, name);
  if (m.kind === 'real') return summarize(spec);
  const extra = m.extra_inputs;
  const withExtra = extra ? { ...spec, extraInputs: spec.extraInputs!.map((i, k) => ({ ...i, shape: extra[k]! })) } : spec;
  return summarize(withExtra, { input: m.input! });
}

describe('transformers written in PyTorch 1.13', () => {
  test('the oracle covers every zoo transformer', () => {
    for (const c of HF_CONFIGS) expect(oracle.models[c.name]?.kind).toBe('real');
  });

  test.each(entries)('%s: parameters, per layer and in total', (name, m) => {
    const r = analyse(name, m);
    expect(r.totals.params).toBe(m.params);
    if (m.active !== undefined) expect(r.totals.active).toBe(m.active);
    // Real models list layer 0 and everything outside the repeated layers.
    expect(mismatches(r, paramModules(m), 'params', m.kind === 'real' ? (n) => !LATER.test(n) : undefined)).toEqual([]);
  });

  test.each(entries.filter(([, m]) => m.kind === 'tiny'))('%s: MACs per layer, in total, and the output shape', (name, m) => {
    const r = analyse(name, m);
    expect(mismatches(r, Object.entries(m.macs_by_module!), 'macs')).toEqual([]);
    expect(r.totals.macs).toBe(m.macs);
    expect(r.model.output).toEqual(m.output);
  });

  test.each(HF_CONFIGS.map((c) => [c.name, c] as const))('%s: the zoo config agrees with the oracle transcription', (name, c) => {
    const theirs = oracle.models[name]!.config;
    const keys = Object.keys(theirs).filter((k) => k !== 'architectures');
    const mine = { ...c.config };
    expect(Object.fromEntries(keys.map((k) => [k, mine[k]]))).toEqual(Object.fromEntries(keys.map((k) => [k, theirs[k]])));
    const first = (config: Readonly<Record<string, unknown>>) => (config['architectures'] as string[] | undefined)?.[0];
    expect(c.architecture ?? first(c.config)).toBe(first(theirs));
    expect(summarize(name).totals.params).toBe(oracle.models[name]!.params);
  });
});
