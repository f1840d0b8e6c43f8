/**
 * @module
 * PyTorch's tensors as a pickle describes them, rebuilt as plain records: the calls `torch.save` pickles
 * (`torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)`, `_rebuild_parameter`, `_rebuild_tensor_v3`,
 * … from torch/_utils.py) are the allow-list given to the unpickler, and each turns its arguments into a
 * `TorchTensor` (shape, stride, dtype, storage) without touching the storage's bytes. Storages come from the
 * persistent ids `('storage', <Storage class>, key, location, numel[, view])` and take their dtype from the class
 * (`torch FloatStorage` → float32; the table is PyTorch's, as in docs/formats.md §4.1).
 */
import { ModelError } from '../../errors.js';
import { PyGlobal, PyObject, PyTuple, type Callable } from '../../io/pickle.js';

/** dtype name → bytes per element. */
export const TORCH_DTYPES: Readonly<Record<string, number>> = {
  uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, float16: 2, float32: 4, float64: 8, complex32: 4, complex64: 8, complex128: 16,
  bool: 1, qint8: 1, quint8: 1, qint32: 4, bfloat16: 2, quint4x2: 1, quint2x4: 1, uint16: 2, uint32: 4, uint64: 8,
  float8_e5m2: 1, float8_e4m3fn: 1, float8_e5m2fnuz: 1, float8_e4m3fnuz: 1, float8_e8m0fnu: 1,
};

/** Storage classes (legacy typed storages) → dtype. */
const STORAGES: Readonly<Record<string, string>> = {
  ByteStorage: 'uint8', CharStorage: 'int8', ShortStorage: 'int16', IntStorage: 'int32', LongStorage: 'int64', HalfStorage: 'float16',
  FloatStorage: 'float32', DoubleStorage: 'float64', ComplexHalfStorage: 'complex32', ComplexFloatStorage: 'complex64', ComplexDoubleStorage: 'complex128',
  BoolStorage: 'bool', QInt8Storage: 'qint8', QUInt8Storage: 'quint8', QInt32Storage: 'qint32', BFloat16Storage: 'bfloat16', QUInt4x2Storage: 'quint4x2',
  QUInt2x4Storage: 'quint2x4', UInt16Storage: 'uint16', UInt32Storage: 'uint32', UInt64Storage: 'uint64', UntypedStorage: 'uint8',
};

/** dtype globals: `torch float32`, and the aliases torch also exports (`torch float` is float32, `torch half` float16…). */
const DTYPE_ALIASES: Readonly<Record<string, string>> = { float: 'float32', double: 'float64', half: 'float16', int: 'int32', long: 'int64', short: 'int16', cfloat: 'complex64', cdouble: 'complex128' };

/** A storage: one zip member (`data/<key>`) or, in the legacy format, one region after the pickles. */
export interface TorchStorage {
  readonly key: string;
  readonly dtype: string;
  /** Elements of its dtype. */
  readonly numel: number;
  /** Bytes, from the zip member when there is one, else numel × the dtype's size. */
  readonly bytes: number;
}

/** A tensor: its shape and layout in a storage. No data. */
export class TorchTensor {
  constructor(
    readonly shape: readonly number[],
    readonly dtype: string,
    readonly storage: TorchStorage | undefined,
    readonly offset: number,
    readonly stride: readonly number[],
    /** True for an nn.Parameter (`_rebuild_parameter`). */
    readonly parameter = false,
  ) {}
}

/** The dtype a storage class or dtype global names; undefined for any other global. */
export function dtypeOf(g: unknown): string | undefined {
  if (!(g instanceof PyGlobal) || (g.module !== 'torch' && g.module !== 'torch.storage' && g.module !== 'torch.cuda')) return undefined;
  const d = STORAGES[g.name] ?? DTYPE_ALIASES[g.name] ?? g.name;
  return Object.hasOwn(TORCH_DTYPES, d) ? d : undefined;
}

const natural = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const show = (v: unknown): string => (v instanceof PyTuple ? `(${v.items.map(show).join(', ')})` : v instanceof PyGlobal ? v.path : typeof v === 'string' ? `'${v.slice(0, 40)}'` : String(v).slice(0, 40));

/** A tuple of naturals (a size or a stride), or a ModelError naming what it should be. */
function dims(v: unknown, what: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  if (!items || items.length > 64 || !items.every(natural)) throw new ModelError('file', `pytorch: a tensor's ${what} must be a tuple of at most 64 integers ≥ 0; found ${show(v)}`);
  return items as number[];
}

/**
 * A tensor of `shape` and `stride` at `offset` in `storage`, checked to lie inside it: its last element
 * (offset + Σ (size − 1)·stride) must be one of the storage's elements.
 */
export function makeTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown, dtype?: string): TorchTensor {
  if (!isStorage(storage)) throw new ModelError('file', `pytorch: a tensor is rebuilt from ${show(storage)}, not from a storage record`);
  const shape = dims(size, 'size');
  const strides = dims(stride, 'stride');
  if (strides.length !== shape.length) throw new ModelError('file', `pytorch: a tensor of size ${show(size)} has ${strides.length} strides`);
  if (!natural(offset)) throw new ModelError('file', `pytorch: a tensor's storage offset must be an integer ≥ 0; found ${show(offset)}`);
  const empty = shape.some((d) => d === 0);
  let last = BigInt(offset);
  for (let i = 0; i < shape.length; i++) last += BigInt(Math.max(0, shape[i]! - 1)) * BigInt(strides[i]!);
  if (!empty && last >= BigInt(storage.numel)) {
    throw new ModelError('file', `pytorch: a tensor of size (${shape.join(', ')}) at offset ${offset} with stride (${strides.join(', ')}) reaches element ${last} of storage '${storage.key}', which holds ${storage.numel}`);
  }
  const d = dtype ?? storage.dtype;
  return new TorchTensor(shape, d, storage, offset, strides);
}

export const isStorage = (v: unknown): v is TorchStorage => typeof v === 'object' && v !== null && 'key' in v && 'numel' in v && 'dtype' in v && !(v instanceof PyObject);

const asParameter = (t: unknown): unknown => (t instanceof TorchTensor ? new TorchTensor(t.shape, t.dtype, t.storage, t.offset, t.stride, true) : t);

const list = (args: readonly unknown[]): unknown => (Array.isArray(args[0]) ? args[0] : args[0] instanceof PyTuple ? [...args[0].items] : []);

/** The calls a torch pickle may make, by global name; anything else is refused by the unpickler. */
export const TORCH_CALLABLES: Readonly<Record<string, Callable>> = {
  'torch._utils._rebuild_tensor': (a) => makeTensor(a[0], a[1], a[2], a[3]),
  'torch._utils._rebuild_tensor_v2': (a) => makeTensor(a[0], a[1], a[2], a[3]),
  'torch._utils._rebuild_tensor_v3': (a) => {
    const dtype = dtypeOf(a[6]);
    if (!dtype) throw new ModelError('file', `pytorch: _rebuild_tensor_v3 names the dtype ${show(a[6])}, which nncalc does not know`);
    return makeTensor(a[0], a[1], a[2], a[3], dtype);
  },
  'torch._utils._rebuild_qtensor': (a) => makeTensor(a[0], a[1], a[2], a[3]),
  'torch._utils._rebuild_parameter': (a) => asParameter(a[0]),
  'torch._utils._rebuild_parameter_with_state': (a) => asParameter(a[0]),
  'torch._utils._rebuild_meta_tensor_no_storage': (a) => {
    const dtype = dtypeOf(a[0]);
    if (!dtype) throw new ModelError('file', `pytorch: a meta tensor names the dtype ${show(a[0])}, which nncalc does not know`);
    const shape = dims(a[1], 'size');
    return new TorchTensor(shape, dtype, undefined, 0, dims(a[2], 'stride'));
  },
  'torch._tensor._rebuild_from_type_v2': (a) => {
    // (func, type, args, state): a tensor subclass; the tensor is what func rebuilds from args.
    const fn = a[0];
    const args = a[2] instanceof PyTuple ? a[2].items : [];
    const inner = fn instanceof PyGlobal && fn.path !== 'torch._tensor._rebuild_from_type_v2' ? TORCH_CALLABLES[fn.path] : undefined;
    if (!inner) throw new ModelError('file', `pytorch: _rebuild_from_type_v2 calls ${show(fn)}, which nncalc does not allow`);
    return inner(args, fn as PyGlobal);
  },
  // Inert values module attributes hold.
  'torch.device': (a) => (typeof a[0] === 'string' ? a[0] : 'device'),
  'torch.Size': (a) => (a[0] instanceof PyTuple ? a[0] : new PyTuple([])),
  'torch.serialization._get_layout': (a) => String(a[0]),
  'functools.partial': (a, fn) => new PyObject(fn, a),
  'numpy.core.multiarray._reconstruct': (a, fn) => new PyObject(fn, a),
  'numpy.core.multiarray.scalar': (a, fn) => new PyObject(fn, a),
  'numpy.dtype': (a, fn) => new PyObject(fn, a),
  // TorchScript's typed containers (torch/jit/_pickle.py).
  'torch.jit._pickle.build_intlist': list,
  'torch.jit._pickle.build_tensorlist': list,
  'torch.jit._pickle.build_doublelist': list,
  'torch.jit._pickle.build_boollist': list,
  'torch.jit._pickle.build_genlist': list,
  'torch.jit._pickle.restore_type_tag': (a) => a[0],
};

/**
 * The persistent-id resolver for torch storages. `bytesOf(key, declared)` gives the bytes the file holds for that
 * storage (its zip member's size; in the legacy format, where storages follow the pickles, the declared bytes,
 * checked later) or undefined when it has none. Storages are shared by key. A legacy id's sixth item, a view
 * `(view_key, offset, size)` of the storage, becomes a storage of its own, checked to lie inside the first.
 */
export function storageLoader(bytesOf: (key: string, declared: number) => number | undefined, format = 'pytorch'): (pid: unknown) => TorchStorage | PyGlobal {
  const seen = new Map<string, TorchStorage>();
  return (pid) => {
    const t = pid instanceof PyTuple ? pid.items : undefined;
    // The legacy format saves a pickled module's class as ('module', class, source file, source code): the class.
    if (t?.[0] === 'module' && t[1] instanceof PyGlobal) return t[1];
    if (!t || t[0] !== 'storage' || t.length < 5) throw new ModelError('file', `${format}: a persistent id must be ('storage', type, key, location, numel); found ${show(pid)}`);
    const [, type, key, , numel] = t;
    const dtype = dtypeOf(type);
    if (!dtype) throw new ModelError('file', `${format}: storage type ${show(type)} is not one of torch's storage classes`);
    if (typeof key !== 'string' || key.length > 256) throw new ModelError('file', `${format}: a storage key must be a short string; found ${show(key)}`);
    if (!natural(numel)) throw new ModelError('file', `${format}: storage '${key}' declares ${show(numel)} elements`);
    const known = seen.get(key);
    const root = known ?? fresh(key, dtype, numel);
    const view = t[5];
    if (view === undefined || view === null) return root;
    const v = view instanceof PyTuple ? view.items : [];
    const [viewKey, offset, size] = v;
    if (typeof viewKey !== 'string' || !natural(offset) || !natural(size)) throw new ModelError('file', `${format}: storage '${key}' has a view ${show(view)}; expected (key, offset, size)`);
    if (offset + size > root.numel) throw new ModelError('file', `${format}: the view '${viewKey}' of storage '${key}' (${size} elements at ${offset}) runs past its ${root.numel} elements`);
    return { key: viewKey, dtype, numel: size, bytes: size * TORCH_DTYPES[dtype]! };
  };
  function fresh(key: string, dtype: string, numel: number): TorchStorage {
    const declared = numel * TORCH_DTYPES[dtype]!;
    const held = bytesOf(key, declared);
    if (held === undefined) throw new ModelError('file', `${format}: storage '${key}' is not in the file`);
    if (held !== declared) throw new ModelError('file', `${format}: storage '${key}' declares ${numel} ${dtype} elements (${declared} bytes), but the file holds ${held} bytes for it`);
    const s: TorchStorage = { key, dtype, numel, bytes: held };
    seen.set(key, s);
    return s;
  }
}
