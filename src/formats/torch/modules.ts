/**
 * @module
 * What a torch pickle holds, once unpickled into inert values: tensors under their state_dict names, and, for a
 * pickled `nn.Module` (torch.save(model)) or a TorchScript archive's data.pkl, the module tree — each module's
 * class, its constructor attributes (`in_channels`, `kernel_size`, `stride`…), its own parameters and buffers, and
 * its children in registration order. Every walk is bounded: values may be shared or cyclic (the pickle's memo
 * allows both), so each container is visited once and nesting is capped.
 */
import { ModelError } from '../../errors.js';
import { MAX_LAYERS } from '../../limits.js';
import { PyDict, PyGlobal, PyObject, PySet, PyTuple } from '../../io/pickle.js';
import { isBuffer } from '../weights.js';
import { TorchTensor } from './tensors.js';

/** One tensor with its state_dict name. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: TorchTensor;
  /** A buffer (BatchNorm's running statistics), not a parameter. */
  readonly buffer: boolean;
}

/** One module of a module tree. */
export interface TorchModule {
  /** Its path: '' for the root, 'features.0'. */
  readonly path: string;
  /** Its class: 'Conv2d'. */
  readonly cls: string;
  /** The class's Python module: 'torch.nn.modules.conv', 'torchvision.models.resnet'. */
  readonly module: string;
  /** Constructor attributes and other plain values: numbers, strings, booleans, lists of them. */
  readonly attrs: Record<string, unknown>;
  readonly tensors: NamedTensor[];
  readonly children: TorchModule[];
}

/** Deepest nesting walked: module trees and nested state_dicts are far shallower. */
const MAX_DEPTH = 128;

const fail = (message: string) => new ModelError('file', `pytorch: ${message}`);

/** A PyTorch-side class name without TorchScript's `__torch__.` prefix and `___torch_mangle_N` suffixes. */
export function className(g: PyGlobal): { module: string; cls: string } {
  const module = g.module.replace(/^__torch__\.?/, '').replace(/\.___torch_mangle_\d+/g, '');
  return { module, cls: g.name };
}

/** A plain value (number, string, bool, tuple or list of them), or undefined for anything else. */
export function plain(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v;
  if (depth > 4) return undefined;
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  if (items && items.length <= 64) {
    const out = items.map((x) => plain(x, depth + 1));
    return out.every((x) => x !== undefined) ? out : undefined;
  }
  return undefined;
}

const entries = (d: unknown): [unknown, unknown][] => (d instanceof PyDict ? [...d.map] : []);

/** True for a pickled nn.Module (its state has `_modules`) or a TorchScript module object. */
export function isModule(v: unknown): v is PyObject {
  if (!(v instanceof PyObject)) return false;
  if (v.cls.module.startsWith('__torch__')) return true;
  return v.state instanceof PyDict && v.state.map.has('_modules') && v.state.map.has('_parameters');
}

/** For TorchScript: which attributes of a class are parameters and buffers, from its code (see torchscript.ts). */
export type ScriptClasses = (g: PyGlobal) => { parameters?: readonly string[]; buffers?: readonly string[]; constants?: Record<string, unknown> } | undefined;

/** The module tree rooted at a pickled nn.Module or a TorchScript object. */
export function moduleTree(root: PyObject, script?: ScriptClasses): { tree: TorchModule; notes: string[] } {
  const seen = new Set<PyObject>();
  const notes: string[] = [];
  let count = 0;
  let nonPersistent = 0;
  const visit = (obj: PyObject, path: string, depth: number): TorchModule => {
    if (depth > MAX_DEPTH) throw fail(`modules nest more than ${MAX_DEPTH} deep at '${path.slice(0, 200)}'`);
    if (++count > MAX_LAYERS) throw fail(`the file holds more than ${MAX_LAYERS} modules`);
    seen.add(obj);
    const { module, cls } = className(obj.cls);
    const node: TorchModule = { path, cls, module, attrs: {}, tensors: [], children: [] };
    const name = (leaf: string) => (path ? `${path}.${leaf}` : leaf);
    const child = (k: string, v: unknown) => {
      if (!isModule(v)) return;
      if (seen.has(v)) notes.push(`'${name(k)}' is a module already listed under another name (a shared module); it is listed once.`);
      else node.children.push(visit(v, name(k), depth + 1));
    };
    const state = obj.state;
    if (state instanceof PyDict && state.map.has('_modules')) {
      const hidden = state.map.get('_non_persistent_buffers_set');
      const skip = new Set(hidden instanceof PySet ? hidden.items.filter((x): x is string => typeof x === 'string') : []);
      for (const [k, v] of entries(state.map.get('_parameters'))) if (typeof k === 'string' && v instanceof TorchTensor) node.tensors.push({ name: name(k), tensor: v, buffer: false });
      for (const [k, v] of entries(state.map.get('_buffers'))) {
        if (typeof k !== 'string' || !(v instanceof TorchTensor)) continue;
        if (skip.has(k)) nonPersistent++;
        else node.tensors.push({ name: name(k), tensor: v, buffer: true });
      }
      for (const [k, v] of entries(state.map.get('_modules'))) if (typeof k === 'string') child(k, v);
      for (const [k, v] of state.map) {
        if (typeof k !== 'string' || k.startsWith('_') || k === 'training') continue;
        const p = plain(v);
        if (p !== undefined) node.attrs[k] = p;
      }
    } else if (state instanceof PyDict) {
      // A TorchScript object: parameters, buffers, submodules and constants are all attributes.
      const info = script?.(obj.cls);
      const buffers = new Set(info?.buffers ?? []);
      const parameters = new Set(info?.parameters ?? []);
      for (const [k, v] of state.map) {
        if (typeof k !== 'string') continue;
        if (v instanceof TorchTensor) {
          if (info && !parameters.has(k) && !buffers.has(k)) continue;
          node.tensors.push({ name: name(k), tensor: v, buffer: info ? buffers.has(k) : isBuffer(name(k)) });
        } else if (isModule(v)) child(k, v);
        else if (k !== 'training' && !k.startsWith('_')) {
          const p = plain(v);
          if (p !== undefined) node.attrs[k] = p;
        }
      }
      for (const [k, v] of Object.entries(info?.constants ?? {})) node.attrs[k] ??= v;
    }
    return node;
  };
  const tree = visit(root, '', 0);
  if (nonPersistent) notes.push(`${nonPersistent} non-persistent buffer(s) are not part of the state_dict and are not counted.`);
  return { tree, notes };
}

/** Every tensor of a module tree, in state_dict order (a module's own tensors, then its children's). */
export function treeTensors(tree: TorchModule): NamedTensor[] {
  const out: NamedTensor[] = [];
  const walk = (m: TorchModule) => {
    out.push(...m.tensors);
    for (const c of m.children) walk(c);
  };
  walk(tree);
  return out;
}

/** Keys of a checkpoint whose value is the model's state_dict, in the order they are tried. */
const MODEL_KEYS = ['state_dict', 'model_state_dict', 'model', 'module', 'net', 'network', 'model_ema', 'ema'];

/** Every tensor reachable from a value, named by its path of keys and indices ('layer1.0.conv1.weight'). */
export function collectTensors(root: unknown): NamedTensor[] {
  const out: NamedTensor[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, depth: number) => {
    if (v instanceof TorchTensor) {
      // A parameter is floating point (it can require a gradient); an integer tensor is a buffer (an index table).
      out.push({ name: path, tensor: v, buffer: isBuffer(path) || !/^(float|bfloat|complex)/.test(v.dtype) });
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    if (depth > MAX_DEPTH) throw fail(`values nest more than ${MAX_DEPTH} deep at '${path.slice(0, 200)}'`);
    seen.add(v);
    const at = (k: unknown) => (path === '' ? String(k) : `${path}.${String(k)}`);
    if (v instanceof PyDict) for (const [k, x] of v.map) walk(x, at(k), depth + 1);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, at(i), depth + 1));
    else if (v instanceof PyTuple) v.items.forEach((x, i) => walk(x, at(i), depth + 1));
    else if (isModule(v)) out.push(...treeTensors(moduleTree(v).tree).map((t) => ({ ...t, name: at(t.name) })));
  };
  walk(root, '', 0);
  return out;
}

/**
 * The tensors a file's object stands for: a state_dict's, or a checkpoint's model ({epoch, model, optimizer}: the
 * model's, with the rest noted).
 */
export function stateDictTensors(root: unknown): { tensors: NamedTensor[]; notes: string[] } {
  if (root instanceof PyDict) {
    for (const key of MODEL_KEYS) {
      const inner = root.map.get(key);
      if (inner === undefined) continue;
      const tensors = collectTensors(inner);
      if (tensors.length === 0) continue;
      const others = [...root.map.keys()].filter((k) => k !== key).map(String);
      const rest = collectTensors(dictWithout(root, key));
      const notes = [`The file is a checkpoint (${others.slice(0, 8).join(', ')}${others.length > 8 ? ', …' : ''} beside '${key}'); the tensors of '${key}' are counted.`];
      if (rest.length) notes.push(`${rest.length} other tensor(s) (optimizer state and the like) are not counted.`);
      return { tensors, notes };
    }
  }
  return { tensors: collectTensors(root), notes: [] };
}

function dictWithout(d: PyDict, key: string): PyDict {
  const out = new PyDict();
  for (const [k, v] of d.map) if (k !== key) out.map.set(k, v);
  return out;
}
