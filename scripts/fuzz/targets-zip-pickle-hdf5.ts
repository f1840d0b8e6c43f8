/**
 * Fuzz targets of the PyTorch, Keras and TF.js readers and of the containers under them (zip, pickle, HDF5): byte
 * mutations of the fixtures the real tools wrote (torch.save, torch.jit.save, h5py, TensorFlow.js, zipfile, pickle),
 * and fast-check inputs built from the formats' own pieces — pickle opcode sequences with lying lengths and
 * forbidden globals, Keras configs of random layers and wiring. Appended to `targets` in targets.ts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Reader, type ByteSource } from '../../src/io/bytes.js';
import { Hdf5 } from '../../src/io/hdf5.js';
import { unpickle } from '../../src/io/pickle.js';
import { readEntry, readZip } from '../../src/io/zip.js';
import { stateDictTensors } from '../../src/formats/torch/modules.js';
import { storageLoader, TORCH_CALLABLES } from '../../src/formats/torch/tensors.js';
import { summarizeFile } from '../../src/summarize-file.js';
import type { FuzzTarget } from './harness.js';

const file = (path: string) => new Uint8Array(readFileSync(`test/fixtures/${path}`));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0) & 0xff);
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

/** Pickles of random opcodes: containers, memo, calls of allowed and forbidden globals, strings whose lengths lie. */
const pickleArb: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...'()]}tN\x88\x89aesuRb\x81\x85\x86\x8720ld\x8f\x90\x91\x94QK'.split('').map((c) => [c.charCodeAt(0)])),
      fc.nat(255).map((n) => [0x4b, n]),
      fc.nat(8).map((n) => [0x71, n]),
      fc.nat(8).map((n) => [0x68, n]),
      fc.string({ maxLength: 12 }).map((s) => [0x8c, Math.min(255, s.length), ...ascii(s)]),
      fc.tuple(fc.constantFrom(0, 3, 2 ** 31 - 1, 2 ** 32 - 1), fc.nat(4)).map(([n, k]) => [0x58, ...u32(n), ...Array(k).fill(0x61)]),
      fc.constantFrom(
        'ctorch._utils\n_rebuild_tensor_v2\n',
        'ctorch._utils\n_rebuild_parameter\n',
        'ccollections\nOrderedDict\n',
        'ctorch\nFloatStorage\n',
        'ctorch.nn.modules.conv\nConv2d\n',
        'cos\nsystem\n',
        'cbuiltins\neval\n',
        'X\x07\x00\x00\x00storage',
        'X\x01\x00\x00\x000',
        'X\x03\x00\x00\x00cpu',
      ).map(ascii),
    ),
    { maxLength: 60 },
  )
  .map((ops) => Uint8Array.from([0x80, 2, ...ops.flat(), 0x2e]));

/** Keras layers with random, sometimes absurd, configs. */
const kerasLayer = fc.oneof(
  fc.record({ class_name: fc.constant('Conv2D'), config: fc.record({ filters: fc.integer({ min: -2, max: 64 }), kernel_size: fc.oneof(fc.nat(9), fc.array(fc.nat(9), { maxLength: 3 })), strides: fc.nat(3), padding: fc.constantFrom('same', 'valid', 'causal'), activation: fc.constantFrom('relu', 'linear', 'swish', 'nope') }) }),
  fc.record({ class_name: fc.constant('Dense'), config: fc.record({ units: fc.integer({ min: -1, max: 4096 }), activation: fc.constantFrom('relu', 'softmax', 'linear') }) }),
  fc.record({ class_name: fc.constantFrom('BatchNormalization', 'LayerNormalization'), config: fc.record({ axis: fc.integer({ min: -4, max: 4 }) }) }),
  fc.record({ class_name: fc.constantFrom('MaxPooling2D', 'AveragePooling2D'), config: fc.record({ pool_size: fc.nat(5), strides: fc.option(fc.nat(3)) }) }),
  fc.record({ class_name: fc.constantFrom('Flatten', 'GlobalAveragePooling2D', 'Dropout', 'Activation', 'ReLU', 'Add', 'Concatenate', 'Lambda'), config: fc.record({ activation: fc.constantFrom('relu', 'sigmoid'), axis: fc.integer({ min: -3, max: 3 }) }) }),
  fc.record({ class_name: fc.constant('Reshape'), config: fc.record({ target_shape: fc.array(fc.integer({ min: -1, max: 64 }), { maxLength: 4 }) }) }),
);

/** model.json files of random Sequential or Functional configs, with a manifest that may or may not match them. */
const tfjsArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    functional: fc.boolean(),
    input: fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(null)), { minLength: 1, maxLength: 3 }),
    layers: fc.array(fc.tuple(kerasLayer, fc.array(fc.nat(8), { minLength: 1, maxLength: 2 })), { maxLength: 8 }),
    weights: fc.array(fc.record({ name: fc.constantFrom('layer_0/kernel', 'layer_1/bias', 'x'), shape: fc.array(fc.integer({ min: -1, max: 300 }), { maxLength: 4 }), dtype: fc.constantFrom('float32', 'int32', 'float16', 'weird') }), { maxLength: 4 }),
  })
  .map(({ functional, input, layers, weights }) => {
    const names = ['input', ...layers.map((_, i) => `layer_${i}`)];
    const list = [
      { class_name: 'InputLayer', name: 'input', config: { name: 'input', batch_input_shape: [null, ...input] }, inbound_nodes: [] },
      ...layers.map(([l, from], i) => ({ ...l, name: names[i + 1], config: { ...l.config, name: names[i + 1] }, inbound_nodes: [from.map((k) => [names[k % (i + 1)], 0, 0, {}])] })),
    ];
    const config = functional ? { class_name: 'Functional', config: { name: 'm', layers: list, input_layers: [['input', 0, 0]], output_layers: [[names.at(-1), 0, 0]] } } : { class_name: 'Sequential', config: { name: 'm', layers: list } };
    return new TextEncoder().encode(JSON.stringify({ format: 'layers-model', modelTopology: config, weightsManifest: [{ paths: [], weights }] }));
  });

/** Reads a pickle with torch's allow-list and trusted storage sizes, then walks it as the reader does. */
async function pickleRun(source: ByteSource): Promise<unknown> {
  const obj = await unpickle(new Reader(source, 'pytorch'), { callables: TORCH_CALLABLES, persistentLoad: storageLoader((_, declared) => declared) });
  return stateDictTensors(obj).tensors.length;
}

/** Opens every member of a zip, inflating small ones. */
async function zipRun(source: ByteSource): Promise<unknown> {
  const zip = await readZip(source, 'zip');
  let n = 0;
  for (const e of zip.entries.values()) n += (await readEntry(zip, e, 1 << 20)).length;
  return n;
}

/** Walks every group of an HDF5 file, reading attributes and dataset shapes. */
async function hdf5Run(source: ByteSource): Promise<unknown> {
  const h = await Hdf5.open(source, 'hdf5');
  const seen = new Set<number>();
  const visit = async (at: number, depth: number): Promise<void> => {
    if (seen.has(at) || depth > 8 || seen.size > 2000) return;
    seen.add(at);
    await h.attributes(at);
    if (await h.dataset(at)) return;
    for (const child of (await h.links(at)).values()) await visit(child, depth + 1);
  };
  await visit(h.root, 0);
  return seen.size;
}

export const fileTargets: readonly FuzzTarget[] = [
  {
    name: 'pytorch-zip',
    seeds: () => ['tiny_cnn_state_dict.pth', 'tiny_cnn_state_dict_p4.pth', 'tv_resnet18.pth', 'resnet18_module.pth', 'tiny_cnn_scripted.pt', 'tv_resnet18_checkpoint.pth'].map((f) => file(`torch/${f}`)),
    run: (source) => summarizeFile({ ...source, name: 'fuzz.pth' }),
  },
  {
    name: 'pytorch-legacy',
    seeds: () => ['tiny_cnn_state_dict_legacy.pth', 'tv_resnet18_legacy.pth', 'resnet18_module_legacy.pth'].map((f) => file(`torch/${f}`)),
    run: (source) => summarizeFile({ ...source, name: 'fuzz.pth' }),
  },
  {
    name: 'pickle',
    seeds: () => [0, 1, 2, 3, 4, 5].map((p) => file(`pickle/values_p${p}.pkl`)),
    run: pickleRun,
    arbitrary: pickleArb,
  },
  {
    name: 'zip',
    seeds: () => ['stored.zip', 'deflated.zip', 'zip64-extra.zip'].map((f) => file(`zip/${f}`)),
    run: zipRun,
  },
  {
    name: 'hdf5',
    seeds: () => [file('hdf5/types.h5'), file('hdf5/types_latest.h5')],
    run: hdf5Run,
  },
  {
    name: 'keras-h5',
    seeds: () => ['tfjs_cnn.h5', 'tfjs_cnn_vlen_latest.h5', 'tfjs_residual.h5', 'small_cnn_sequential.h5'].map((f) => file(`keras/${f}`)),
    run: (source) => summarizeFile({ ...source, name: 'fuzz.h5' }),
  },
  {
    name: 'keras-zip',
    seeds: () => ['small_cnn.keras', 'vgg16.keras'].map((f) => file(`keras/${f}`)),
    run: (source) => summarizeFile({ ...source, name: 'fuzz.keras' }),
  },
  {
    name: 'tfjs',
    seeds: () => ['cnn', 'residual', 'mlp', 'rnn', 'conv1d'].map((m) => file(`keras/tfjs/${m}/model.json`)),
    run: (source) => summarizeFile({ ...source, name: 'model.json' }),
    arbitrary: tfjsArb,
  },
];
