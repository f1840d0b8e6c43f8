import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors.js';
import { memorySource } from '../io/bytes.js';
import { summarize } from '../summarize.js';
import { summarizeModelFile } from '../summarize-file.js';
import { readModel } from './index.js';

/**
 * Fixtures: scripts/fixtures/keras_fixtures.py (h5py; .keras zips by zipfile), with Keras configs written by
 * TensorFlow.js (scripts/fixtures/tfjs_fixtures.mjs) or laid out from Keras's documented formats. Expected counts:
 * TensorFlow.js's countParams() (tfjs-oracle.json) and Keras's published totals of VGG16 and ResNet50.
 */
const DIR = new URL('../../test/fixtures/keras/', import.meta.url);
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const read = (name: string, bytes = load(name)) => readModel(memorySource(bytes, name));
const tfjsOracle = JSON.parse(readFileSync(new URL('tfjs-oracle.json', DIR), 'utf8')) as Record<string, { params: number; trainable: number; nonTrainable: number }>;

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ModelError);
  expect((e as Error).message).toMatch(pattern);
}

describe('Keras legacy .h5 and .keras files', () => {
  for (const model of ['cnn', 'residual', 'mlp', 'rnn']) {
    it(`tfjs_${model}.h5: the model_config TensorFlow.js wrote, counted as TensorFlow.js counts it, and its weights match`, async () => {
      const file = await read(`tfjs_${model}.h5`);
      expect(file.format).toBe('h5');
      expect(file.metadata).toEqual({ keras_version: 'tfjs-layers 4.22.0', backend: 'tensorflow' });
      const report = summarizeModelFile(file);
      const o = tfjsOracle[model]!;
      expect({ params: report.totals.params, trainable: report.totals.trainable, nonTrainable: report.totals.nonTrainable }).toEqual({ params: o.params, trainable: o.trainable, nonTrainable: o.nonTrainable });
      expect(report.file!.check!.differences).toEqual([]);
      expect(report.file!.check!.matched).toBe(file.tensors.length);
    });
  }

  it('reads the same file with variable-length strings in a version-3 superblock, and behind a 512-byte user block', async () => {
    const base = await read('tfjs_cnn.h5');
    for (const variant of ['tfjs_cnn_vlen_latest.h5', 'tfjs_cnn_userblock.h5']) {
      const file = await read(variant);
      expect(file.tensors).toEqual(base.tensors);
      expect(file.spec).toEqual(base.spec);
    }
    expect(base.tensors.slice(0, 2)).toEqual([
      { name: 'conv2d_Conv2D1.kernel', shape: [3, 3, 1, 8], dtype: 'float32', bytes: 288 },
      { name: 'conv2d_Conv2D1.bias', shape: [8], dtype: 'float32', bytes: 32 },
    ]);
  });

  for (const [name, cls, published] of [['vgg16', 'VGG16', 138_357_544], ['resnet50', 'ResNet50', 25_636_712]] as const) {
    for (const ext of ['h5', 'keras']) {
      it(`${name}.${ext}: Keras's published ${published.toLocaleString('en')} parameters, and the zoo's keras:${cls} row by row`, async () => {
        const file = await read(`${name}.${ext}`);
        const report = summarizeModelFile(file);
        expect(report.totals.params).toBe(published);
        expect(report.file!.check).toEqual({ matched: file.tensors.length, differences: [] });
        const zoo = summarize(`keras:${cls}`);
        expect(report.totals.macs).toBe(zoo.totals.macs);
        const rows = new Map(report.layers.map((l) => [l.name, l]));
        for (const z of zoo.layers) {
          const l = rows.get(z.name);
          expect({ name: z.name, params: l?.params, shape: l?.outputShape, macs: l?.macs }).toEqual({ name: z.name, params: z.params, shape: z.outputShape, macs: z.macs });
        }
        expect(report.layers).toHaveLength(zoo.layers.length);
      });
    }
  }

  it('.keras: reads config.json and metadata.json, and model.weights.h5 through a view of the archive', async () => {
    const file = await read('small_cnn.keras');
    expect(file.format).toBe('keras');
    expect(file.metadata).toEqual({ keras_version: '3.5.0', date_saved: '2024-09-01@12:00:00' });
    // H5IOStore's layers/<class>/vars/<i>, renamed to the config's layer names.
    expect(file.tensors.map((t) => t.name)).toEqual(['conv2d.0', 'conv2d.1', 'batch_normalization.0', 'batch_normalization.1', 'batch_normalization.2', 'batch_normalization.3', 'conv2d_1.0', 'conv2d_1.1', 'dense.0', 'dense.1']);
    expect(file.tensors.filter((t) => t.buffer).map((t) => t.name)).toEqual(['batch_normalization.2', 'batch_normalization.3']);
    const legacy = summarizeModelFile(await read('small_cnn_sequential.h5'));
    const report = summarizeModelFile(file);
    expect(report.layers.map((l) => [l.name, l.params, l.outputShape])).toEqual(legacy.layers.map((l) => [l.name, l.params, l.outputShape]));
  });

  it('a layer nncalc does not translate: the model is shown as its weights, with a note naming the layer', async () => {
    const file = await read('tfjs_conv1d.h5');
    expect(file.spec).toBeUndefined();
    expect(file.notes[0]).toMatch(/^Keras layer 'conv1d_Conv1D1' \(Conv1D\): a layer class nncalc has no translation for, so the model is shown as its weights/);
    const report = summarizeModelFile(file);
    expect(report.totals.params).toBe(tfjsOracle['conv1d']!.params);
    expect(report.totals.unknownTotals).toContain('macs');
  });

  it('refuses malformed files with the format, the offset and what was wrong', async () => {
    const bytes = load('tfjs_cnn.h5');
    await rejects(read('cut.h5', bytes.subarray(0, 3000)), /^keras: HDF5: .*(lies outside the file of 3000 bytes|runs past the end of the file).* \(at byte offset \d+ of cut\.h5\)$/);
    const bad = bytes.slice();
    bad[8] = 9; // superblock version
    await rejects(read('v9.h5', bad), /^keras: HDF5: superblock version 9; nncalc reads versions 0 to 3 \(at byte offset 8 of v9\.h5\)$/);
    const zip = load('small_cnn.keras');
    await rejects(read('cut.keras', zip.subarray(0, zip.length - 30)), /^keras: .*end-of-central-directory/);
  });
});
