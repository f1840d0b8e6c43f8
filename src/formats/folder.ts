/**
 * @module
 * A model folder, as the Hugging Face Hub lays one out: `config.json` (the architecture) beside
 * `model.safetensors.index.json` and its shards, or `model.safetensors`; else (older repositories)
 * `pytorch_model.bin.index.json` and its shards, or `pytorch_model.bin`; failing those, the one model file the folder
 * holds. Only those files are opened, and only their headers are read.
 */
import { ModelError } from '../errors.js';
import type { ByteSource } from '../io/bytes.js';
import type { Folder } from '../io/folder.js';
import type { ModelFile, ReadOptions } from './format.js';
import { readJsonObject } from './json-file.js';

/** Files a folder's model may be, by the names the Hub uses, in order of preference. */
const WEIGHTS = ['model.safetensors.index.json', 'model.safetensors', 'pytorch_model.bin.index.json', 'pytorch_model.bin'];
const MODEL_FILE = /\.(safetensors|gguf|onnx|pt|pth|bin|ckpt|keras|h5|hdf5)$|^model\.json$/i;
/** TF.js weight shards, which belong to the folder's model.json and are never read. */
const TFJS_SHARD = /^group\d+-shard\d+of\d+\.bin$/i;

/**
 * Reads a model folder. `read` reads one file with the folder as its siblings (passed in to keep the registry
 * the only place that knows every format).
 */
export async function readFolder(folder: Folder, options: ReadOptions, read: (source: ByteSource, options: ReadOptions) => Promise<ModelFile>): Promise<ModelFile> {
  const sibling = (name: string) => folder.open(name);
  const configSource = await folder.open('config.json');
  const config = configSource ? await readJsonObject(configSource, 'config.json') : undefined;
  let weights: ByteSource | undefined;
  for (const name of WEIGHTS) if (!weights) weights = await folder.open(name);
  if (!weights && folder.list) {
    const files = (await folder.list()).filter((f) => MODEL_FILE.test(f) && !TFJS_SHARD.test(f) && !/-0000[2-9]-of-|-000[1-9]\d-of-/.test(f)).sort();
    if (files.length > 1) {
      throw new ModelError('input', `${folder.name} holds ${files.length} model files (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}) and no model.safetensors; name the one to read, e.g. ${folder.name}/${files[0]}.`);
    }
    if (files.length === 1) weights = await folder.open(files[0]!);
  }
  if (!weights && !config) {
    const hint = folder.list ? '' : ` To read one file, name it: ${folder.name}/model.gguf.`;
    throw new ModelError('input', `${folder.name} holds no config.json, model.safetensors(.index.json) or pytorch_model.bin(.index.json), so nncalc finds no model in it.${hint}`);
  }
  if (!weights) {
    return { format: 'hf-config', name: folder.name, config: config!, tensors: [], metadata: {}, notes: ['The folder holds config.json and no weights: the model is built from the config alone.'] };
  }
  const file = await read(weights, { ...options, sibling });
  const notes = [...file.notes];
  if (config && !('model_type' in config)) notes.push("config.json has no 'model_type', so nncalc does not build the architecture from it.");
  const useConfig = config && 'model_type' in config ? config : file.config;
  return { ...file, name: folder.name, notes, ...(useConfig ? { config: useConfig } : {}) };
}

/**
 * A weights file with the config.json beside it, when there is one that names a model_type. A config.json that
 * cannot be used is noted and left out: the user named the weights, not the config.
 */
export async function withSiblingConfig(file: ModelFile, sibling: (name: string) => Promise<ByteSource | undefined>): Promise<ModelFile> {
  const source = await sibling('config.json');
  if (!source) return file;
  try {
    const config = await readJsonObject(source, 'config.json');
    if (!('model_type' in config)) return { ...file, notes: [...file.notes, "config.json beside the file has no 'model_type'; the tensors are grouped by name."] };
    return { ...file, config, notes: [...file.notes, 'The architecture comes from config.json beside the file.'] };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return { ...file, notes: [...file.notes, `config.json beside the file was not used: ${e.message}`] };
  }
}
