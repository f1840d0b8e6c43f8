/**
 * Every explanation is true of the network it explains: over every zoo model and every file in examples/, the
 * arithmetic that `--explain` and `nncalc explain` print is recomputed (test/arithmetic.ts), every formula's numbers
 * give its value, and no stage is named after another layer. The zoo is read at run time, so models added to it
 * are covered as they come.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Report } from '../src/analyze/report.js';
import { stages } from '../src/analyze/stages.js';
import { parseSpecText } from '../src/describe/from-object.js';
import { documentText } from '../src/render/document.js';
import { explainAll } from '../src/render/explain-layer.js';
import { render } from '../src/render/index.js';
import { summarize } from '../src/summarize.js';
import { zoo } from '../src/zoo/index.js';
import { arithmeticErrors, countEquations, evaluate, falseEquations } from './arithmetic.js';

const examples = new URL('../examples/', import.meta.url);

/** An example as the CLI loads it: a spec file through parseSpecText, a .txt file as notation. */
const loadExample = async (file: string): Promise<Report> => {
  const text = readFileSync(new URL(file, examples), 'utf8');
  return summarize(file.endsWith('.txt') ? text : await parseSpecText(text, file));
};

/** The text of `nncalc <model> --explain` and of `nncalc explain <model>`, unwrapped. */
const explained = (r: Report): string => render(r, 'table', { explain: true }) + documentText(explainAll(r));

/** Every formula of the report evaluates to the value it explains. */
function formulaErrors(r: Report): string[] {
  const out: string[] = [];
  const check = (where: string, c: { value: unknown; terms: string } | undefined) => {
    if (!c) return;
    const v = evaluate(c.terms);
    if (v && !(v.d === 1n && v.n === BigInt(c.value as number | bigint))) out.push(`${where}: ${c.terms} ≠ ${String(c.value)}`);
  };
  for (const l of r.layers) {
    check(`${l.name} params`, l.formulas.params);
    check(`${l.name} macs`, l.formulas.macs);
    check(`${l.name} flops`, l.formulas.flops);
    for (const n of l.formulas.shape ?? []) check(`${l.name} ${n.label}`, n.count);
    for (const w of l.weights) check(`${l.name}.${w.name}`, w.formula);
  }
  return out;
}

/** A stage may carry a layer's name only when it is that layer's parameters alone. */
function collisions(r: Report): string[] {
  const names = new Set(r.layers.map((l) => l.name));
  return stages(r)
    .filter((s) => names.has(s.label) && !(s.layers.filter((l) => l.weights.length > 0).length === 1 && s.layers.find((l) => l.weights.length > 0)!.name === s.label))
    .map((s) => `stage '${s.label}' is named after another layer`);
}

describe('the arithmetic checker', () => {
  test('finds false equations and leaves true ones and sizes alone', () => {
    expect(falseEquations('16·2·2 = 16 values')).toHaveLength(1);
    expect(falseEquations('192·4·4 = 192')).toHaveLength(1);
    expect(falseEquations('one vector of 512·7·7 = 25,088 values')).toEqual([]);
    expect(falseEquations('⌊(224 + 2·1 − 3)/1⌋ + 1 = 224, and ⌈(109 − 3)/2⌉ + 1 = 54')).toEqual([]);
    expect(falseEquations('32 × 202,383,360 = 6,476,267,520')).toEqual([]);
    expect(countEquations('r = r_in + (k − 1)·j_in = 16 + (3 − 1)·4 = 24, j = j_in·s = 4·1 = 4.')).toBe(2);
    // A layer name is not a number: 'features.0: 3·3' reads 3·3 only.
    expect(falseEquations('features.0: 3·3·3·64 + 64 = 1,792')).toEqual([]);
  });

  test('adds up the stage table', () => {
    const table = ['Subtotals by stage', '──', '  stage  layers  params', '  a      x          10', '  b      y       1,000', '  total           1,011', ''].join('\n');
    expect(arithmeticErrors(table)).toEqual(['the stages add up to 1010, but the total row says 1011']);
  });
});

describe.each(zoo.map((e) => e.name))('%s: every explanation is true', (name) => {
  test('arithmetic, formulas and stage names', () => {
    const r = summarize(name);
    const text = explained(r);
    expect(arithmeticErrors(text)).toEqual([]);
    expect(formulaErrors(r)).toEqual([]);
    expect(collisions(r)).toEqual([]);
  });
});

describe.each(readdirSync(examples).filter((f) => /\.(ya?ml|json|txt)$/.test(f)))('examples/%s: every explanation is true', (file) => {
  test('arithmetic, formulas and stage names', async () => {
    const r = await loadExample(file);
    expect(arithmeticErrors(explained(r))).toEqual([]);
    expect(formulaErrors(r)).toEqual([]);
    expect(collisions(r)).toEqual([]);
  });
});
