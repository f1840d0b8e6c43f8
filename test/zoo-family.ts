/**
 * The checks every torchvision family of the zoo shares, registered as tests in the caller's describe block:
 * each model's published parameter count, and its totals under the Keras convention against the oracle
 * (test/oracle/torchvision/<name>.json, PyTorch's own counts).
 */
import { expect, test } from 'vitest';
import { summarize } from '../src/summarize.js';
import { getModel } from '../src/zoo/index.js';
import { zooReport } from './helpers.js';
import { readOracle } from './oracle.js';

export interface FamilyChecks {
  /** Models without a published count, checked under the Keras convention only (GoogLeNet with its auxiliary heads). */
  readonly alsoKeras?: readonly string[];
  /** The input a model must take, where the caller knows it independently (EfficientNet's crop sizes); else the oracle's. */
  readonly input?: (name: string) => readonly number[];
  /** The output a model gives: 1,000 classes unless said (segmentation maps, Kinetics' 400 classes, a detector's boxes). */
  readonly output?: (name: string) => readonly number[];
}

/**
 * For each `published` model (torchvision's documented num_params by name): the oracle file, the zoo entry and
 * nncalc's total all give that count, on the oracle's input, with 1,000 classes out (or `checks.output`). For each model, published or
 * in `alsoKeras`: under the Keras convention the running statistics PyTorch keeps as buffers are the non-trainable
 * parameters, on top of the trainable ones (no BatchNorm: none).
 */
export function familyTests(published: Readonly<Record<string, number>>, checks: FamilyChecks = {}): void {
  test.each(Object.entries(published))('%s has the published %i parameters', (name, params) => {
    const oracle = readOracle(name);
    expect(oracle.published).toBe(params);
    expect(getModel(name).published).toBe(params);
    const r = zooReport(name);
    expect(r.totals.params).toBe(params);
    expect(r.model.input).toEqual(checks.input?.(name) ?? oracle.input);
    expect(r.model.output).toEqual(checks.output?.(name) ?? [1, 1000]);
  });

  test.each([...Object.keys(published), ...(checks.alsoKeras ?? [])])('%s under the Keras convention counts the running statistics as non-trainable', (name) => {
    const oracle = readOracle(name);
    const keras = summarize(name, { convention: 'keras' }).totals;
    expect(keras.nonTrainable).toBe(oracle.buffers);
    expect(keras.params).toBe(oracle.params + oracle.buffers);
  });
}
