/**
 * @module
 * Keras files (docs/formats.md §5):
 *
 * - `.keras` (Keras 3, saving_lib.py): a zip of `config.json` — the model, through the Keras converter
 *   (keras-config.ts) — `metadata.json`, and `model.weights.h5`, whose dataset shapes (read through a view of the
 *   STORED member, never its data) give the file's tensors. H5IOStore names each layer's variables by its class,
 *   made unique in layer order (`layers/conv2d_1/vars/0`), which maps them back to the config's layers.
 * - Legacy `.h5` (Keras 1, 2 and tf.keras, legacy_h5_format.py): the `model_config` root attribute, and the
 *   `model_weights` group — `layer_names`, each layer's `weight_names`, each weight's dataset shape and dtype —
 *   read with nncalc's HDF5 metadata reader (io/hdf5.ts). A weights-only file (`save_weights`) gives tensors alone.
 */
import { ModelError } from '../errors.js';
import { prod, times } from '../int.js';
import type { ByteSource } from '../io/bytes.js';
import { Hdf5, isHdf5 } from '../io/hdf5.js';
import { entrySource, firstZipName, isZip, readEntry, readZip, type Zip } from '../io/zip.js';
import type { Format, ModelFile, TensorInfo } from './format.js';
import { parseJsonText } from './json-file.js';
import { isKerasBuffer, kerasSpecOr, kerasTensorName, modelConfig } from './keras-config.js';

const MAX_TENSORS = 1_000_000;
const E = (message: string) => new ModelError('file', `keras: ${message}`);

/** A dataset's tensor: name, shape, dtype and bytes (none for strings). */
async function tensorAt(h: Hdf5, address: number, name: string): Promise<TensorInfo | undefined> {
  const d = await h.dataset(address);
  if (!d) return undefined;
  const bytes = d.type.cls === 0 || d.type.cls === 1 || d.type.cls === 8 ? { bytes: times(prod(d.shape), d.type.size) } : {};
  return { name, shape: d.shape, dtype: d.type.name, ...bytes, ...(isKerasBuffer(name) ? { buffer: true } : {}) };
}

/** Every dataset under a group, named by its path ('layers.conv2d.vars.0'), walked once and bounded. */
async function walk(h: Hdf5, address: number, prefix: string[], out: TensorInfo[], seen = new Set<number>()): Promise<void> {
  if (seen.has(address) || prefix.length > 32) return;
  seen.add(address);
  for (const [name, child] of await h.links(address)) {
    if (out.length >= MAX_TENSORS) throw E(`${h.source.name} holds more than ${MAX_TENSORS} datasets`);
    const path = [...prefix, name];
    const t = await tensorAt(h, child, path.join('.'));
    if (t) out.push(t);
    else await walk(h, child, path, out, seen);
  }
}

/** An attribute's list of strings, joined from Keras's chunks (`layer_names0`, `layer_names1`, …) when it was split. */
function stringList(attrs: Map<string, unknown>, key: string): string[] | undefined {
  const whole = attrs.get(key);
  const parts: unknown[] = whole !== undefined ? [whole] : [];
  for (let i = 0; whole === undefined && attrs.has(`${key}${i}`); i++) parts.push(attrs.get(`${key}${i}`));
  if (!parts.length) return undefined;
  const flat = parts.flatMap((p) => (Array.isArray(p) ? p : [p]));
  if (!flat.every((s) => typeof s === 'string')) throw E(`attribute '${key}' must list strings; found ${JSON.stringify(flat.slice(0, 3))?.slice(0, 80)}`);
  return flat as string[];
}

/** The tensors of a legacy weights group: layer_names, then each layer's weight_names. */
async function legacyWeights(h: Hdf5, group: number, attrs: Map<string, unknown>): Promise<TensorInfo[]> {
  const layers = stringList(attrs, 'layer_names');
  const out: TensorInfo[] = [];
  if (!layers) {
    await walk(h, group, [], out);
    return out;
  }
  for (const layer of layers) {
    const at = await h.find([layer], group);
    if (at === undefined) throw E(`layer_names lists '${layer.slice(0, 200)}', but ${h.source.name} has no group of that name`);
    for (const w of stringList(await h.attributes(at), 'weight_names') ?? []) {
      const d = await h.find(w.split('/'), at);
      if (d === undefined) throw E(`layer '${layer.slice(0, 200)}' lists weight '${w.slice(0, 200)}', which ${h.source.name} does not hold`);
      const t = await tensorAt(h, d, kerasTensorName(`${layer}/${w.split('/').pop()!}`));
      if (!t) throw E(`weight '${w.slice(0, 200)}' of layer '${layer.slice(0, 200)}' is not a dataset`);
      out.push(t);
      if (out.length > MAX_TENSORS) throw E(`${h.source.name} holds more than ${MAX_TENSORS} weights`);
    }
  }
  return out;
}

/** The JSON of a string attribute (model_config) or of a member, as a ModelError when it is not JSON. */
const json = (text: unknown, what: string): unknown => {
  if (typeof text !== 'string') throw E(`${what} must be a JSON string; found ${typeof text}`);
  return parseJsonText(text, `keras: ${what}`);
};

async function readH5(source: ByteSource): Promise<ModelFile> {
  const h = await Hdf5.open(source, 'keras');
  const attrs = await h.attributes(h.root);
  const weightsAt = (await h.find(['model_weights'])) ?? h.root;
  const tensors = await legacyWeights(h, weightsAt, weightsAt === h.root ? attrs : await h.attributes(weightsAt));
  const metadata: Record<string, string | number | boolean> = {};
  for (const k of ['keras_version', 'backend']) if (typeof attrs.get(k) === 'string') metadata[k] = attrs.get(k) as string;
  const raw = attrs.get('model_config');
  if (raw === undefined) {
    if (!tensors.length) throw E(`${source.name} has neither a model_config attribute nor weights: is it a Keras file?`);
    return { format: 'h5', name: source.name, tensors, metadata, notes: ['The file holds weights only (no model_config): they are grouped by layer.'] };
  }
  const config = json(raw, `the model_config attribute of ${source.name}`);
  const { spec, notes } = kerasSpecOr(config, baseName(source.name), tensors.length > 0);
  return { format: 'h5', name: source.name, ...(spec ? { spec } : {}), tensors, metadata, notes };
}

const baseName = (name: string) => name.split(/[\\/]/).pop()!.replace(/\.(keras|h5|hdf5)$/i, '') || name;

/** keras.src.utils.naming.to_snake_case. */
const snake = (cls: string) =>
  cls
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();

/** model.weights.h5's `layers/<class>_<k>/vars/<i>` renamed to the config's layer names: '<layer>.<i>'. */
function renameVars(tensors: TensorInfo[], config: unknown): TensorInfo[] {
  let layers: unknown[] = [];
  try {
    const layersValue = modelConfig(config).config['layers'];
    layers = Array.isArray(layersValue) ? layersValue : [];
  } catch {
    return tensors;
  }
  const byPath = new Map<string, { name: string; cls: string; order: number }>();
  const used = new Map<string, number>();
  for (const [i, l] of layers.entries()) {
    const o = (typeof l === 'object' && l !== null ? l : {}) as Record<string, unknown>;
    const cls = typeof o['class_name'] === 'string' ? o['class_name'] : '';
    // As keras-config.ts names a layer.
    const name = String(o['name'] ?? (o['config'] as Record<string, unknown> | undefined)?.['name'] ?? `${cls.toLowerCase()}_${i}`);
    const base = snake(cls);
    const k = used.get(base) ?? 0;
    used.set(base, k + 1);
    byPath.set(`layers.${k === 0 ? base : `${base}_${k}`}.vars`, { name, cls, order: byPath.size });
  }
  const vars = (t: TensorInfo) => /^(layers\.[^.]+\.vars)\.(\d+)$/.exec(t.name);
  const counts = new Map<string, number>();
  for (const t of tensors) {
    const m = vars(t);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  // HDF5 lists a group's links by name; the config gives the layers' order.
  const key = (t: TensorInfo): [number, number] => {
    const m = vars(t);
    const layer = m ? byPath.get(m[1]!) : undefined;
    return layer ? [layer.order, Number(m![2])] : [Infinity, 0];
  };
  const sorted = [...tensors].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
  return sorted.map((t) => {
    const m = vars(t);
    const layer = m ? byPath.get(m[1]!) : undefined;
    if (!m || !layer) return t;
    // BatchNormalization's last two variables are its moving statistics.
    const buffer = layer.cls === 'BatchNormalization' && counts.get(m[1]!)! - Number(m[2]) <= 2;
    return { ...t, name: `${layer.name}.${m[2]}`, buffer };
  });
}

async function readKerasZip(source: ByteSource): Promise<ModelFile> {
  const zip = await readZip(source, 'keras');
  const member = async (name: string): Promise<unknown> => {
    const e = zip.entries.get(name);
    return e ? json(new TextDecoder('utf-8', { fatal: false }).decode(await readEntry(zip, e)), `${name} in ${source.name}`) : undefined;
  };
  const config = await member('config.json');
  if (config === undefined) throw E(`${source.name} is a zip without config.json, so it is not a .keras archive${[...zip.entries.keys()].some((n) => n.endsWith('data.pkl')) ? ' (it holds a data.pkl: a PyTorch file?)' : ''}.`);
  const meta = await member('metadata.json');
  const metadata: Record<string, string | number | boolean> = {};
  if (typeof meta === 'object' && meta !== null) for (const [k, v] of Object.entries(meta)) if (typeof v === 'string') metadata[k] = v;
  const notes: string[] = [];
  const tensors = renameVars(await zipWeights(zip, notes), config);
  const { spec, notes: more } = kerasSpecOr(config, baseName(source.name), tensors.length > 0);
  return { format: 'keras', name: source.name, ...(spec ? { spec } : {}), tensors, metadata, notes: [...notes, ...more] };
}

/** The dataset shapes of model.weights.h5 (the model's variables only), when the archive holds it STORED. */
async function zipWeights(zip: Zip, notes: string[]): Promise<TensorInfo[]> {
  const e = zip.entries.get('model.weights.h5');
  if (!e) {
    if (zip.entries.has('model.weights.npz')) notes.push('The weights are in model.weights.npz, which nncalc does not read: parameters come from the config.');
    return [];
  }
  if (e.method !== 0) {
    notes.push('model.weights.h5 is compressed in the archive, so nncalc does not read it: parameters come from the config.');
    return [];
  }
  const h = await Hdf5.open(await entrySource(zip, e), 'keras');
  const layers = await h.find(['layers']);
  const out: TensorInfo[] = [];
  if (layers !== undefined) await walk(h, layers, ['layers'], out);
  return out;
}

async function read(source: ByteSource): Promise<ModelFile> {
  const head = await source.read(0, Math.min(8, source.size));
  return isZip(head) ? readKerasZip(source) : readH5(source);
}

/** A zip whose first member is one Keras writes at the top of a .keras archive. */
function sniffKeras(head: Uint8Array): boolean {
  const name = firstZipName(head);
  return name !== undefined && ['metadata.json', 'config.json', 'model.weights.h5', 'model.weights.npz'].includes(name);
}

export const keras: Format = { id: 'keras', title: 'Keras', extensions: ['keras'], sniff: sniffKeras, read };
export const kerasH5: Format = { id: 'h5', title: 'Keras HDF5', extensions: ['h5', 'hdf5'], sniff: isHdf5, read };
