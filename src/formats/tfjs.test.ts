import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource } from '../io/bytes.js';
import { summarizeModelFile } from '../summarize-file.js';
import { readModel } from './index.js';

/** model.json files written by TensorFlow.js 4.22 and what it reports of them (scripts/fixtures/tfjs_fixtures.mjs). */
interface Oracle {
  params: number;
  trainable: number;
  nonTrainable: number;
  layers: { name: string; class: string; params: number; outputShape: (number | null)[] }[];
}
const DIR = new URL('../../test/fixtures/keras/', import.meta.url);
const oracle = JSON.parse(readFileSync(new URL('tfjs-oracle.json', DIR), 'utf8')) as Record<string, Oracle>;
const text = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const read = (bytes: Uint8Array, name = 'model.json') => readModel(memorySource(bytes, name));
/** A Keras shape (None first, channels last) as nncalc shows it: batch 1, channels first. */
const nncalcShape = (s: (number | null)[]) => (s.length === 4 ? [1, s[3], s[1], s[2]] : [1, ...s.slice(1)]);

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
}

describe('TF.js model.json', () => {
  for (const [model, o] of Object.entries(oracle)) {
    it(`${model}: counts and shapes as TensorFlow.js reports them, weights from the manifest`, async () => {
      const file = await read(new Uint8Array(readFileSync(new URL(`tfjs/${model}/model.json`, DIR))), `tfjs/${model}/model.json`);
      expect(file.format).toBe('tfjs');
      expect(file.metadata).toMatchObject({ format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0' });
      const report = summarizeModelFile(file);
      expect({ params: report.totals.params, trainable: report.totals.trainable, nonTrainable: report.totals.nonTrainable }).toEqual({ params: o.params, trainable: o.trainable, nonTrainable: o.nonTrainable });
      if (model === 'conv1d') {
        // Conv1D has no translation: the weights stand alone.
        expect(file.spec).toBeUndefined();
        return;
      }
      expect(report.file!.check).toEqual({ matched: file.tensors.length, differences: [] });
      const rows = new Map(report.layers.map((l) => [l.name, l]));
      for (const l of o.layers.filter((x) => x.class !== 'InputLayer')) {
        const row = rows.get(l.name);
        // A recurrent layer without return_sequences is its row then the row that keeps the last step.
        const out = rows.get(`${l.name}_last`) ?? row;
        expect({ name: l.name, params: row?.params, shape: out?.outputShape }).toEqual({ name: l.name, params: l.params, shape: nncalcShape(l.outputShape) });
      }
    });
  }

  it('a graph model and a quantised manifest: the weights, with their stored dtype', async () => {
    const json = {
      format: 'graph-model',
      generatedBy: '2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { node: [{ name: 'x', op: 'Placeholder' }], versions: {} },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'dense/kernel', shape: [784, 10], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.01, min: -1 } }, { name: 'dense/bias', shape: [10], dtype: 'float32' }] }],
    };
    const file = await read(text(json));
    expect(file.tensors).toEqual([
      { name: 'dense.kernel', shape: [784, 10], dtype: 'uint8', bytes: 7840 },
      { name: 'dense.bias', shape: [10], dtype: 'float32', bytes: 40 },
    ]);
    expect(file.notes[0]).toContain('A graph model');
    expect(summarizeModelFile(file).totals.params).toBe(7850);
  });

  it('refuses a malformed manifest, naming the weight and what was wrong', async () => {
    const manifest = (w: unknown) => text({ modelTopology: null, weightsManifest: [{ paths: [], weights: [w] }] });
    await rejects(read(manifest({ name: 'a/kernel', shape: [3, -1], dtype: 'float32' })), /^tfjs: model\.json: weight 'a\/kernel' \(weightsManifest\[0\]\.weights\[0\]\) has shape \[3,-1\]; expected a list of integers ≥ 0\.$/);
    await rejects(read(manifest({ name: 'a/kernel', shape: [3], dtype: 'float128' })), /has dtype "float128"; expected one of float32, /);
    await rejects(read(text({ modelTopology: null, weightsManifest: {} })), /weightsManifest must be a list of groups/);
    await rejects(read(text({ modelTopology: null })), /has neither a modelTopology nor a weightsManifest/);
    await rejects(read(new TextEncoder().encode('{"modelTopology": {')), /^tfjs: model\.json is not valid JSON/);
    // A topology that is not a Keras config.
    await rejects(read(text({ modelTopology: { class_name: 'Sequential', config: { layers: 3 } } })), /^keras: the Sequential config has no list of layers$/);
  });
});
