/**
 * The checks every Keras Applications family shares, registered as tests in the caller's describe block: the total
 * of Keras's model.summary() (and its trainable part where known), keras.io's rounded table figure, the Keras
 * convention and channels-last display by default, and the same model counted in the PyTorch convention.
 */
import { expect, test } from 'vitest';
import { summarize } from '../src/summarize.js';
import { getModel } from '../src/zoo/index.js';
import { readOracle, type Oracle } from './oracle.js';

export interface KerasFigures {
  /** "Total params" of Keras's model.summary() for keras.applications.<name>(weights=None). */
  readonly total: number;
  /** "Trainable params", where the caller has it from the summary or derives it independently. */
  readonly trainable?: number;
  /** keras.io's Applications table, in millions (one decimal), where it lists the model. */
  readonly table?: number;
  /** The default input side (Keras's default_size). */
  readonly side: number;
}

/** total/10⁵, rounded and truncated, in millions: keras.io's table shows one of the two. */
const tableForms = (n: number): number[] => [Math.round(n / 1e5) / 10, Math.floor(n / 1e5) / 10];

export function kerasFamilyTests(figures: Readonly<Record<string, KerasFigures>>): void {
  test.each(Object.entries(figures))('keras:%s has the total of Keras’s model.summary()', (cls, f) => {
    expect(getModel(`keras:${cls}`).published).toBe(f.total);
    const r = summarize(`keras:${cls}`);
    expect(r.model.convention).toBe('keras');
    expect(r.model.layout).toBe('keras');
    expect(r.totals.params).toBe(f.total);
    if (f.trainable !== undefined) {
      expect(r.totals.trainable).toBe(f.trainable);
      expect(r.totals.nonTrainable).toBe(f.total - f.trainable);
    }
    expect(r.model.input).toEqual([1, 3, f.side, f.side]);
    expect(r.model.output).toEqual([1, 1000]);
    expect(r.totals.unknown).toBe(0);
  });

  const listed = Object.entries(figures).filter(([, f]) => f.table !== undefined);
  test.runIf(listed.length > 0).each(listed)('keras:%s: keras.io’s table gives it to 0.1M', (_, f) => {
    expect(tableForms(f.total)).toContain(f.table);
  });

  test.each(Object.keys(figures))('keras:%s in the PyTorch convention: the non-trainable statistics are buffers', (cls) => {
    const keras = summarize(`keras:${cls}`).totals;
    const torch = summarize(`keras:${cls}`, { convention: 'pytorch' }).totals;
    expect(torch.params).toBe(keras.trainable);
    expect(torch.buffers).toBe(keras.nonTrainable);
    expect(torch.macs).toBe(keras.macs);
  });
}

/** What a Keras model's totals are, derived from its torchvision twin's oracle; `macs` where the inputs agree. */
export interface FromTorchvision {
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs?: number;
}

/**
 * For each [Keras class, torchvision model] pair: the Keras model's trainable and non-trainable parameters (and MACs)
 * equal what `derive` computes from PyTorch's own counts of the torchvision model (test/oracle/torchvision/<name>.json).
 */
export function againstTorchvision(title: string, pairs: readonly (readonly [string, string])[], derive: (o: Oracle) => FromTorchvision): void {
  test.each(pairs)(`keras:%s against torchvision’s %s: ${title}`, (cls, tv) => {
    const t = summarize(`keras:${cls}`).totals;
    const want = derive(readOracle(tv));
    expect({ trainable: t.trainable, nonTrainable: t.nonTrainable, ...(want.macs === undefined ? {} : { macs: t.macs }) }).toEqual(want);
  });
}
