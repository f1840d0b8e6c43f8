/**
 * @module
 * TensorFlow.js `model.json` (tfjs-core io's ModelJSON, docs/formats.md §6): `modelTopology`, a Keras config for a
 * layers model, becomes a Spec through the Keras converter (keras-config.ts); `weightsManifest` gives every weight's
 * name, shape and dtype (its quantised dtype when quantised), and so the file's tensors. The `.bin` shards are never
 * opened. A graph model (a TensorFlow GraphDef) is shown as its weights.
 */
import { ModelError } from '../errors.js';
import { prod, times } from '../int.js';
import type { ByteSource } from '../io/bytes.js';
import type { Format, ModelFile, TensorInfo } from './format.js';
import { readJsonObject } from './json-file.js';
import { isKerasBuffer, kerasSpecOr, kerasTensorName } from './keras-config.js';

/** Bytes per element (tfjs-core DTYPE_VALUE_SIZE_MAP, and the types Netron also accepts). */
const SIZES: Readonly<Record<string, number>> = { float32: 4, float16: 2, int32: 4, uint16: 2, uint8: 1, bool: 1, complex64: 8, int8: 1, int16: 2, int64: 8, uint32: 4, uint64: 8, float64: 8 };
const MAX_WEIGHTS = 1_000_000;

const E = (message: string) => new ModelError('file', `tfjs: ${message}`);
const show = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 80);

/** The weights a manifest lists, checked: names, shapes of naturals, known dtypes. */
function manifestTensors(manifest: unknown, file: string): TensorInfo[] {
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) throw E(`${file}: weightsManifest must be a list of groups; found ${show(manifest)}.`);
  const out: TensorInfo[] = [];
  manifest.forEach((group: unknown, g) => {
    const weights = (group as Record<string, unknown> | null)?.['weights'];
    if (!Array.isArray(weights)) throw E(`${file}: weightsManifest[${g}].weights must be a list; found ${show(weights)}.`);
    if (out.length + weights.length > MAX_WEIGHTS) throw E(`${file}: the manifest lists more than ${MAX_WEIGHTS} weights.`);
    weights.forEach((w: unknown, i) => {
      const at = `weightsManifest[${g}].weights[${i}]`;
      const o = (typeof w === 'object' && w !== null ? w : {}) as Record<string, unknown>;
      const name = o['name'];
      const shape = o['shape'];
      if (typeof name !== 'string') throw E(`${file}: ${at} has no name.`);
      if (!Array.isArray(shape) || shape.length > 64 || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) throw E(`${file}: weight '${name.slice(0, 200)}' (${at}) has shape ${show(shape)}; expected a list of integers ≥ 0.`);
      const q = o['quantization'] as Record<string, unknown> | undefined;
      const dtype = (typeof q?.['dtype'] === 'string' ? q['dtype'] : o['dtype']) as unknown;
      if (dtype === 'string') {
        out.push({ name: kerasTensorName(name), shape: shape as number[], dtype: 'string' });
        return;
      }
      if (typeof dtype !== 'string' || !Object.hasOwn(SIZES, dtype)) throw E(`${file}: weight '${name.slice(0, 200)}' (${at}) has dtype ${show(dtype)}; expected one of ${Object.keys(SIZES).join(', ')}.`);
      out.push({ name: kerasTensorName(name), shape: shape as number[], dtype, bytes: times(prod(shape as number[]), SIZES[dtype]!), ...(isKerasBuffer(name) ? { buffer: true } : {}) });
    });
  });
  return out;
}

async function read(source: ByteSource): Promise<ModelFile> {
  const json = await readJsonObject(source, 'tfjs');
  const format = json['format'];
  const topology = json['modelTopology'];
  const tensors = manifestTensors(json['weightsManifest'], source.name);
  const metadata: Record<string, string | number | boolean> = {};
  for (const k of ['format', 'generatedBy', 'convertedBy'] as const) if (typeof json[k] === 'string') metadata[k] = json[k] as string;
  const keras = (topology as Record<string, unknown> | undefined)?.['keras_version'];
  if (typeof keras === 'string') metadata['keras_version'] = keras;
  if (topology === undefined || topology === null) {
    if (!tensors.length) throw E(`${source.name} has neither a modelTopology nor a weightsManifest.`);
    return { format: 'tfjs', name: source.name, tensors, metadata, notes: ['The file has no modelTopology: its weights are grouped by name.'] };
  }
  if (format === 'graph-model' || (typeof topology === 'object' && Array.isArray((topology as Record<string, unknown>)['node']))) {
    return { format: 'tfjs', name: source.name, tensors, metadata, notes: ['A graph model (a TensorFlow GraphDef): nncalc shows its weights, grouped by name; its ops are not read.'] };
  }
  const base = source.name.split(/[\\/]/).slice(-2).join('/').replace(/\/?model\.json$/i, '') || 'model';
  const { spec, notes } = kerasSpecOr(topology, base, tensors.length > 0);
  return { format: 'tfjs', name: source.name, ...(spec ? { spec } : {}), tensors, metadata, notes };
}

/** JSON whose first key is one a model.json starts with. */
function sniff(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head).trimStart();
  return text.startsWith('{') && /^\{\s*"(modelTopology|weightsManifest|format|generatedBy|convertedBy)"/.test(text);
}

export const tfjs: Format = { id: 'tfjs', title: 'TensorFlow.js', extensions: [], sniff, read };
