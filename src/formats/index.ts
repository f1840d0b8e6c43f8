/**
 * @module
 * The model-file readers: the registry of formats, sniffing (magic bytes first, then the extension) and
 * `readModel`, which takes one file (a ByteSource) or a model folder (a Folder: a directory, a URL, a Hub repo).
 * Adding a format is one file exporting a `Format` and one line in `formats`.
 */
import { ModelError } from '../errors.js';
import type { ByteSource } from '../io/bytes.js';
import { isFolder, type Folder } from '../io/folder.js';
import type { Format, ModelFile, ReadOptions } from './format.js';
import { readFolder, withSiblingConfig } from './folder.js';
import { gguf } from './gguf.js';
import { onnx } from './onnx.js';
import { keras, kerasH5 } from './keras.js';
import { pytorch } from './pytorch.js';
import { tfjs } from './tfjs.js';
import { readSafetensorsIndex, safetensors } from './safetensors.js';
import { readShardIndex } from './sharded.js';

/** A sharded safetensors model's index: recognised by its name, read with its shards. */
const safetensorsIndex: Format = {
  id: 'safetensors',
  title: 'safetensors index',
  extensions: ['safetensors.index.json'],
  sniff: () => false,
  read: readSafetensorsIndex,
};

/** A sharded PyTorch model's index (pytorch_model.bin.index.json): each shard a state_dict, read as a PyTorch file. */
const pytorchIndex: Format = {
  id: 'pytorch',
  title: 'PyTorch shards index',
  extensions: ['bin.index.json', 'pt.index.json', 'pth.index.json'],
  sniff: () => false,
  read: (source, options) => readShardIndex(source, options, { format: 'pytorch', holder: 'whose state_dict', tensors: async (shard) => (await pytorch.read(shard, {})).tensors }),
};

/** Every format nncalc reads, in sniffing order. */
export const formats: readonly Format[] = [gguf, safetensors, safetensorsIndex, onnx, pytorch, pytorchIndex, keras, kerasH5, tfjs];

/** Bytes read to sniff a format. */
export const SNIFF_BYTES = 64;

/** The format whose extension ends the name (the longest match: 'safetensors.index.json' before 'json'). */
export function formatByName(name: string): Format | undefined {
  const lower = name.toLowerCase();
  let best: { f: Format; n: number } | undefined;
  for (const f of formats) for (const e of f.extensions) if (lower.endsWith(`.${e}`) && (!best || e.length > best.n)) best = { f, n: e.length };
  return best?.f;
}

/** The format of a source: by its first bytes, else by its name; undefined when neither tells. */
export async function sniffFormat(source: ByteSource): Promise<Format | undefined> {
  const n = Math.min(SNIFF_BYTES, source.size);
  const head = n > 0 ? await source.read(0, n) : new Uint8Array(0);
  return formats.find((f) => f.sniff(head)) ?? formatByName(source.name);
}

/** Reads one file by its format, sniffed. */
async function readFile(input: ByteSource, options: ReadOptions): Promise<ModelFile> {
  const format = await sniffFormat(input);
  if (!format) {
    const known = [...new Set(formats.flatMap((f) => f.extensions.map((e) => `.${e}`)))].join(', ');
    throw new ModelError('input', `cannot tell the format of '${input.name}': its first bytes match no format nncalc reads, and its name ends in none of ${known}.`);
  }
  return format.read(input, options);
}

/**
 * Reads a model file or folder: metadata only, weights skipped by their length. A file of weights alone (safetensors,
 * a PyTorch state_dict, either sharded) takes its architecture from the config.json beside it, as in a Hugging Face
 * folder.
 * @example const model = await readModel(memorySource(bytes, 'model.safetensors')); model.tensors.length
 */
export async function readModel(input: ByteSource | Folder, options: ReadOptions = {}): Promise<ModelFile> {
  if (isFolder(input)) return readFolder(input, options, readFile);
  const file = await readFile(input, options);
  const weightsOnly = file.format === 'safetensors' || (file.format === 'pytorch' && !file.graph && !file.spec);
  return weightsOnly && !file.config && options.sibling ? withSiblingConfig(file, options.sibling) : file;
}

export { readFolder } from './folder.js';
export type { Format, FormatId, ModelFile, ReadOptions, TensorInfo } from './format.js';
