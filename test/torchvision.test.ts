/**
 * Every zoo model that torchvision also has equals PyTorch: total and per-layer parameters, buffers,
 * output shapes and conv + linear (+ matmul) MACs, under torchvision's module names.
 * The oracle files come from torchvision 0.14 (scripts/oracle/torchvision_oracle.py).
 */
import { describe, expect, test } from 'vitest';
import { summarize } from '../src/summarize.js';
import { findModel } from '../src/zoo/index.js';
import { compare, oracleNames, readOracle } from './oracle.js';

const covered = oracleNames().filter((name) => findModel(name));

describe('zoo models equal torchvision 0.14', () => {
  test('the zoo covers the torchvision models of the core set', () => {
    for (const name of ['alexnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn']) {
      expect(covered).toContain(name);
    }
  });

  test.each(covered)('%s', (name) => {
    const oracle = readOracle(name);
    const report = summarize(name, { input: oracle.input });
    expect(compare(report, oracle)).toEqual([]);
    if (oracle.published !== undefined) expect(report.totals.params).toBe(oracle.published);
  });

  test('the Keras convention adds the BatchNorm running statistics as non-trainable parameters', () => {
    const oracle = readOracle('vgg16_bn');
    const keras = summarize('vgg16_bn', { convention: 'keras' }).totals;
    expect(keras.params).toBe(oracle.params + oracle.buffers);
    expect(keras.nonTrainable).toBe(oracle.buffers);
    expect(keras.trainable).toBe(oracle.trainable);
  });
});
