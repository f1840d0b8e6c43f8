/**
 * @module
 * PyTorch files (`.pt`, `.pth`, `.bin`), read through a safe unpickler that runs nothing (io/pickle.ts):
 *
 * - `torch.save` since 1.6: a zip (io/zip.ts) with `<root>/data.pkl` — the pickled object, each storage a persistent
 *   id — and one member `<root>/data/<key>` per storage, whose size gives the storage's bytes. Only the central
 *   directory and data.pkl are read.
 * - The legacy format (`_use_new_zipfile_serialization=False`, torch < 1.6): pickles in a row — torch's magic number,
 *   the protocol version 1001, sys_info, the object, the list of storage keys — then each storage as an 8-byte
 *   element count and its bytes. The pickles are read; the storages are checked against the file's length unread.
 * - TorchScript archives (`torch.jit.save`): data.pkl holds the module objects (`__torch__.*` classes) and `code/`
 *   their class headers (which attributes are parameters and buffers, the constants of a scripted module).
 *
 * A state_dict (or a checkpoint holding one) becomes its tensors, grouped by module like any weights-only file; a
 * pickled nn.Module or a TorchScript archive becomes its module tree (formats/torch/layers.ts).
 */
import { ModelError } from '../errors.js';
import { memorySource, Reader, type ByteSource } from '../io/bytes.js';
import { PyDict, PyObject, PyTuple, unpickle, type PyGlobal } from '../io/pickle.js';
import { entrySource, isZip, readEntry, readZip, type Zip } from '../io/zip.js';
import type { Format, ModelFile, ReadOptions, TensorInfo } from './format.js';
import { moduleGraph, sequentialSpec } from './torch/layers.js';
import { isModule, moduleTree, stateDictTensors, treeTensors, type NamedTensor, type TorchModule } from './torch/modules.js';
import { codePath, parseScriptClass, type ScriptClass } from './torch/torchscript.js';
import { isStorage, storageLoader, TORCH_CALLABLES, TORCH_DTYPES, type TorchStorage } from './torch/tensors.js';
import { prod, times } from '../int.js';

/** torch.serialization's MAGIC_NUMBER and PROTOCOL_VERSION. */
const MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL = 1001;
/** The legacy format's head: PROTO n, LONG1 of 10 bytes, the magic number little-endian. */
const LEGACY_HEAD = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
/** Code files read per TorchScript archive, and their size. */
const MAX_CODE_FILES = 10_000;
const MAX_CODE_BYTES = 4 << 20;

const E = (message: string) => new ModelError('file', `pytorch: ${message}`);
const baseName = (name: string) => name.split(/[\\/]/).pop()!.replace(/\.(pt|pth|bin|pkl|ckpt)$/i, '') || name;

const isLegacy = (head: Uint8Array): boolean => head.length >= 14 && head[0] === 0x80 && LEGACY_HEAD.every((b, i) => head[i + 2] === b);

/**
 * A legacy torch.save file, or a torch.save or torch.jit.save zip: every member of those sits in one folder
 * (`archive/data.pkl`, `<stem>/data/0`), so the first name has a '/' (when it fits in the sniffed bytes; a long
 * folder name leaves the decision to the extension).
 */
function sniff(head: Uint8Array): boolean {
  if (isLegacy(head)) return true;
  if (!isZip(head) || head.length < 30) return false;
  const n = head[26]! | (head[27]! << 8);
  return head.subarray(30, Math.min(head.length, 30 + n)).includes(0x2f);
}

const tensorInfo = (t: NamedTensor): TensorInfo => ({ name: t.name, shape: [...t.tensor.shape], dtype: t.tensor.dtype, bytes: times(prod(t.tensor.shape), TORCH_DTYPES[t.tensor.dtype] ?? 0), buffer: t.buffer });

/** The ModelFile of an unpickled object: a module tree, or tensors. */
function fileOf(root: unknown, source: ByteSource, options: ReadOptions, base: { format: 'pytorch' | 'torchscript'; metadata: Record<string, string | number | boolean>; notes: string[] }, script?: (g: PyGlobal) => ScriptClass | undefined): ModelFile {
  const name = baseName(source.name);
  const metadata = { ...base.metadata };
  const notes = [...base.notes];
  if (isModule(root)) {
    const { tree, notes: treeNotes } = moduleTree(root, script);
    const tensors = treeTensors(tree);
    metadata['content'] = base.format === 'torchscript' ? 'TorchScript module' : 'pickled nn.Module';
    metadata['class'] = `${tree.module}.${tree.cls}`;
    metadata['modules'] = countModules(tree);
    notes.push(...treeNotes);
    const { spec, why } = sequentialSpec(tree, name, options.input);
    if (why) notes.push(why);
    if (!spec && options.input) throw new ModelError('input', `${source.name} holds the modules of ${tree.cls} but not how they connect, so --input does not apply: there is no forward pass to size.`);
    return { format: base.format, name: source.name, ...(spec ? { spec } : { graph: moduleGraph(tree, name) }), tensors: tensors.map(tensorInfo), metadata, notes };
  }
  const { tensors, notes: sdNotes } = stateDictTensors(root);
  metadata['content'] = sdNotes.length ? 'checkpoint' : 'state_dict';
  notes.push(...sdNotes);
  if (tensors.length === 0) throw E(`${source.name} holds no tensors (its pickle is ${root instanceof PyDict ? 'a dict' : root instanceof PyTuple ? 'a tuple' : root instanceof PyObject ? `an instance of ${root.cls.path}` : typeof root}).`);
  return { format: base.format, name: source.name, tensors: tensors.map(tensorInfo), metadata, notes };
}

function countModules(tree: TorchModule): number {
  let n = 0;
  const walk = (m: TorchModule) => {
    n++;
    m.children.forEach(walk);
  };
  walk(tree);
  return n;
}

/** A small text member (version, byteorder), or undefined. */
async function smallText(zip: Zip, name: string): Promise<string | undefined> {
  const e = zip.entries.get(name);
  return e && e.size <= 64 ? new TextDecoder().decode(await readEntry(zip, e)).trim() : undefined;
}

/** The distinct classes of the objects under `root` (TorchScript modules), bounded. */
function classes(root: unknown): PyGlobal[] {
  const out = new Map<string, PyGlobal>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length && seen.size < 1_000_000) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof PyObject) {
      out.set(v.cls.path, v.cls);
      stack.push(v.state);
    } else if (v instanceof PyDict) stack.push(...v.map.values());
  }
  return [...out.values()];
}

async function readTorchZip(source: ByteSource, options: ReadOptions): Promise<ModelFile> {
  const zip = await readZip(source, 'pytorch');
  const pkl = [...zip.entries.keys()].filter((n) => /^([^/]+\/)?data\.pkl$/.test(n)).sort((a, b) => a.length - b.length)[0];
  if (pkl === undefined) {
    const hint = zip.entries.has('config.json') ? ' It holds config.json: is it a Keras .keras archive?' : '';
    throw E(`${source.name} is a zip without a data.pkl member, so it is not a torch.save or torch.jit.save file.${hint}`);
  }
  const root = pkl.slice(0, pkl.length - 'data.pkl'.length);
  const torchscript = zip.entries.has(`${root}constants.pkl`) || [...zip.entries.keys()].some((n) => n.startsWith(`${root}code/`));
  const format = torchscript ? 'torchscript' : 'pytorch';
  const storages = (folder: string) => storageLoader((key) => zip.entries.get(`${root}${folder}/${key}`)?.size, format);
  const entry = zip.entries.get(pkl)!;
  const pickle = entry.method === 0 ? await entrySource(zip, entry) : memorySource(await readEntry(zip, entry), `${source.name}/${pkl}`);
  const loaded = new Set<TorchStorage>();
  const load = storages('data');
  const obj = await unpickle(new Reader(pickle, format), { callables: TORCH_CALLABLES, persistentLoad: (pid) => track(loaded, load(pid)) });
  const metadata: Record<string, string | number | boolean> = { layout: 'zip', storages: loaded.size };
  const version = await smallText(zip, `${root}version`);
  if (version) metadata['version'] = version;
  const order = await smallText(zip, `${root}byteorder`);
  if (order) metadata['byteorder'] = order;
  const notes: string[] = [];
  let script: ((g: PyGlobal) => ScriptClass | undefined) | undefined;
  if (torchscript) {
    const headers = new Map<string, ScriptClass | undefined>();
    for (const g of classes(obj).slice(0, MAX_CODE_FILES)) {
      const e = zip.entries.get(`${root}${codePath(g)}`);
      if (!e || e.size > MAX_CODE_BYTES) continue;
      headers.set(g.path, parseScriptClass(new TextDecoder().decode(await readEntry(zip, e, MAX_CODE_BYTES)), g.name));
    }
    script = (g) => headers.get(g.path);
    const constants = zip.entries.get(`${root}constants.pkl`);
    if (constants && constants.method === 0) {
      const c = await unpickle(new Reader(await entrySource(zip, constants), format), { callables: TORCH_CALLABLES, persistentLoad: storages('constants') });
      const n = c instanceof PyTuple ? c.items.length : 0;
      if (n) notes.push(`constants.pkl holds ${n} constant(s) of the code (not parameters; not counted).`);
    }
  }
  return fileOf(obj, source, options, { format, metadata, notes }, script);
}

function track<T>(set: Set<TorchStorage>, s: T): T {
  if (isStorage(s)) set.add(s);
  return s;
}

async function readLegacy(source: ByteSource, options: ReadOptions): Promise<ModelFile> {
  const r = new Reader(source, 'pytorch');
  const magic = await unpickle(r);
  if (magic !== MAGIC && !(typeof magic === 'bigint' && magic === MAGIC)) throw E(`${source.name} does not start with torch's magic number (a legacy torch.save file does); it is a pickle of something else.`);
  const protocol = await unpickle(r);
  if (protocol !== PROTOCOL) throw E(`${source.name} declares serialization protocol ${String(protocol)}; nncalc reads ${PROTOCOL}.`);
  const sysInfo = await unpickle(r);
  const little = sysInfo instanceof PyDict ? sysInfo.map.get('little_endian') : undefined;
  const roots = new Map<string, number>();
  const load = storageLoader((key, declared) => (roots.set(key, declared), declared));
  const obj = await unpickle(r, { callables: TORCH_CALLABLES, persistentLoad: load });
  const keys = await unpickle(r);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw E(`the storage keys after the object in ${source.name} (byte offset ${r.position}) are not a list of strings.`);
  let need = 0;
  for (const k of keys as string[]) {
    const bytes = roots.get(k);
    if (bytes === undefined) throw E(`${source.name} lists storage '${k}' after its object, but no tensor uses it.`);
    need += 8 + bytes;
  }
  for (const k of roots.keys()) if (!(keys as string[]).includes(k)) throw E(`storage '${k}' of ${source.name} is used by a tensor but missing from the list of storages.`);
  const left = source.size - r.position;
  if (left < need) throw E(`the ${keys.length} storages of ${source.name} need ${need} bytes after byte offset ${r.position}, but the file has ${left} (truncated?).`);
  const notes = left > need ? [`${left - need} bytes follow the storages; they are not read.`] : [];
  if (little === false) notes.push('The file was written on a big-endian machine; shapes and counts do not depend on it.');
  return fileOf(obj, source, options, { format: 'pytorch', metadata: { layout: 'legacy', storages: keys.length }, notes });
}

async function read(source: ByteSource, options: ReadOptions): Promise<ModelFile> {
  const head = await source.read(0, Math.min(64, source.size));
  if (isZip(head)) return readTorchZip(source, options);
  if (head[0] === 0x80) return readLegacy(source, options);
  throw E(`${source.name} is neither a zip (torch.save since 1.6) nor a pickle (the legacy format): it starts with ${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}.`);
}

export const pytorch: Format = { id: 'pytorch', title: 'PyTorch', extensions: ['pt', 'pth', 'bin', 'ckpt'], sniff, read };
