/**
 * @module
 * A Python pickle read without running anything (the opcodes of protocols 0–5, as `pickletools` documents them),
 * for PyTorch's files. Where Python would import a module and call a function, this reader looks the name up in an
 * allow-list given by the caller: torch's tensor rebuild functions, `collections.OrderedDict`, sets, … each turned
 * into plain data. A call (REDUCE, INST, OBJ) of any other name is a ModelError naming it — `os.system` in a hostile
 * file fails before anything could happen. A class the pickle instantiates without a call (NEWOBJ, BUILD: a pickled
 * nn.Module) becomes an inert `PyObject` holding its class name and state; nothing is ever constructed.
 *
 * The pickle is read from a `Reader`, so it streams through a bounded window and stops at STOP (the legacy PyTorch
 * format is several pickles in a row). The stack, the marks, the memo, the items built and the text kept are
 * bounded, so a memo bomb or a deep nesting fails with the byte offset where a limit was passed. Values may share
 * structure or be cyclic (the memo allows both): whoever walks them must bound the walk.
 */
import { ModelError } from '../errors.js';
import type { Reader } from './bytes.js';

/** A global name (`GLOBAL 'torch FloatStorage'`), inert. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of a class the pickle names: its class, the arguments it was created with, its state. Never constructed. */
export class PyObject {
  state: unknown = undefined;
  /** Items set on it (SETITEM on a dict subclass) and appended (APPEND on a list subclass). */
  readonly items = new Map<unknown, unknown>();
  readonly list: unknown[] = [];
  constructor(
    readonly cls: PyGlobal,
    readonly args: readonly unknown[],
  ) {}
}

/** A tuple (lists are JavaScript arrays). */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** A dict, in insertion order, with the attributes a BUILD gives it (OrderedDict's `_metadata`). */
export class PyDict {
  readonly map = new Map<unknown, unknown>();
  attrs: unknown = undefined;
}

/** A set or frozenset. */
export class PySet {
  constructor(readonly items: unknown[]) {}
}

/** Bytes: their length, and their contents when short (long ones are skipped unread). */
export class PyBytes {
  constructor(
    readonly length: number,
    readonly data: Uint8Array | undefined,
  ) {}
}

/** A call the pickle may make: the global called and its arguments → the value it stands for. */
export type Callable = (args: readonly unknown[], fn: PyGlobal) => unknown;

export interface PickleLimits {
  /** Values on the stack, all frames together. */
  readonly stack: number;
  /** MARKs open at once (nesting). */
  readonly marks: number;
  /** Memo entries. */
  readonly memo: number;
  /** Items put into containers in all (a memo bomb re-appends one value many times). */
  readonly items: number;
  /** Bytes of text kept (strings); a string past 1 MiB is refused. */
  readonly text: number;
}

export const PICKLE_LIMITS: PickleLimits = { stack: 1_000_000, marks: 10_000, memo: 4_000_000, items: 4_000_000, text: 64 << 20 };

export interface PickleOptions {
  /** Names REDUCE, INST and OBJ may call ('torch._utils._rebuild_tensor_v2'), beyond `BUILTIN_CALLABLES`. */
  readonly callables?: Readonly<Record<string, Callable>>;
  /** What NEWOBJ makes of a class, when not an inert PyObject ('collections.OrderedDict' → a dict). */
  readonly classes?: Readonly<Record<string, Callable>>;
  /** Resolves a persistent id (PERSID, BINPERSID): PyTorch's storages. Without it, a persistent id is an error. */
  readonly persistentLoad?: (pid: unknown) => unknown;
  readonly limits?: Partial<PickleLimits>;
}

const dict = (): PyDict => new PyDict();

/** OrderedDict(pairs): protocols 0 and 1 pass the items as a list of [key, value] pairs. */
function orderedDict(args: readonly unknown[]): PyDict {
  const d = dict();
  const pairs = Array.isArray(args[0]) ? args[0] : [];
  for (const p of pairs) {
    const kv = p instanceof PyTuple ? p.items : Array.isArray(p) ? p : undefined;
    if (kv?.length === 2) d.map.set(kv[0], kv[1]);
  }
  return d;
}

/** Harmless callables every pickle may use: containers, and object reconstruction (inert). */
export const BUILTIN_CALLABLES: Readonly<Record<string, Callable>> = {
  'collections.OrderedDict': orderedDict,
  'builtins.set': (args) => new PySet(Array.isArray(args[0]) ? [...args[0]] : []),
  'builtins.frozenset': (args) => new PySet(Array.isArray(args[0]) ? [...args[0]] : []),
  // Protocols 0–2 name builtins as Python 2 did.
  '__builtin__.set': (args) => new PySet(Array.isArray(args[0]) ? [...args[0]] : []),
  '__builtin__.frozenset': (args) => new PySet(Array.isArray(args[0]) ? [...args[0]] : []),
  'builtins.bytearray': (args) => new PyBytes(args[0] instanceof PyBytes ? args[0].length : 0, undefined),
  '__builtin__.bytearray': (args) => new PyBytes(args[0] instanceof PyBytes ? args[0].length : 0, undefined),
  // copyreg._reconstructor(cls, base, state): protocols 0 and 1 create objects through it; the object stays inert.
  'copyreg._reconstructor': (args, fn) => new PyObject(args[0] instanceof PyGlobal ? args[0] : fn, []),
  'copy_reg._reconstructor': (args, fn) => new PyObject(args[0] instanceof PyGlobal ? args[0] : fn, []),
  // Protocol 2 pickles bytes as _codecs.encode(text, 'latin1').
  '_codecs.encode': (args) => new PyBytes(typeof args[0] === 'string' ? args[0].length : 0, undefined),
};

const text = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');
/** Bytes of a string or bytes value kept; longer bytes are skipped unread. */
const KEEP_BYTES = 4096;
const MAX_STRING = 1 << 20;
const MAX_LINE = 1 << 16;

const describe = (v: unknown): string =>
  v instanceof PyGlobal ? v.path : v instanceof PyObject ? `an instance of ${v.cls.path}` : v === null ? 'None' : Array.isArray(v) ? 'a list' : v instanceof PyTuple ? 'a tuple' : v instanceof PyDict ? 'a dict' : typeof v;

/**
 * Reads one pickle from the reader's position up to its STOP, and leaves the reader just after it.
 * @example const obj = await unpickle(new Reader(src, 'pytorch'), { callables: TORCH_CALLABLES, persistentLoad });
 */
export async function unpickle(r: Reader, options: PickleOptions = {}): Promise<unknown> {
  const limits = { ...PICKLE_LIMITS, ...options.limits };
  const callables = { ...BUILTIN_CALLABLES, ...options.callables };
  const classes = options.classes ?? {};
  let opAt = r.position;
  const fail = (message: string, at = opAt): ModelError => r.error(`pickle: ${message}`, at);
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  let depth = 0;
  let items = 0;
  let kept = 0;

  const need = async (n: number) => {
    if (r.available < n) await r.ensure(n);
  };
  const count = (n: number) => {
    items += n;
    if (items > limits.items) throw fail(`more than ${limits.items} items put into containers (a memo bomb?)`);
  };
  const push = (v: unknown) => {
    if (++depth > limits.stack) throw fail(`the stack holds more than ${limits.stack} values`);
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw fail('an opcode needs a value, but the stack is empty (or only a MARK is on it)');
    depth--;
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw fail('an opcode needs a value, but the stack is empty');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const frame = stack;
    const previous = marks.pop();
    if (!previous) throw fail('an opcode needs a MARK, but none is open');
    stack = previous;
    depth -= frame.length;
    return frame;
  };
  const line = async (): Promise<string> => {
    const bytes: number[] = [];
    for (;;) {
      await need(1);
      const b = r.u8();
      if (b === 0x0a) return latin1.decode(Uint8Array.from(bytes));
      bytes.push(b);
      if (bytes.length > MAX_LINE) throw fail(`a text argument runs past ${MAX_LINE} bytes without a newline`);
    }
  };
  const size = async (width: 1 | 2 | 4 | 8, what: string): Promise<number> => {
    await need(width);
    const n = width === 1 ? r.u8() : width === 2 ? r.u16() : width === 4 ? r.u32() : r.u64(what);
    if (n > r.remaining) throw fail(`${what} of ${n} bytes runs past the end of the file (${r.remaining} bytes left; truncated?)`);
    return n;
  };
  const string = async (n: number, decoder = text): Promise<string> => {
    if (n > MAX_STRING) throw fail(`a string of ${n} bytes is longer than the ${MAX_STRING} bytes nncalc reads`);
    kept += n;
    if (kept > limits.text) throw fail(`more than ${limits.text} bytes of text`);
    await need(n);
    const s = r.bytes(n);
    return decoder.decode(s);
  };
  const bytes = async (n: number): Promise<PyBytes> => {
    if (n <= KEEP_BYTES) {
      await need(n);
      return new PyBytes(n, r.bytes(n));
    }
    r.skip(n);
    return new PyBytes(n, undefined);
  };
  const long = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const decimal = (s: string, what: string): number | bigint => {
    const t = s.trim().replace(/L$/, '');
    if (!/^[-+]?\d{1,400}$/.test(t)) throw fail(`${what} '${s.slice(0, 40)}' is not an integer`);
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const call = (fn: unknown, args: unknown, op: string): unknown => {
    if (!(fn instanceof PyGlobal)) throw fail(`${op} calls ${describe(fn)}, which is not a global nncalc knows`);
    const handler = callables[fn.path];
    if (!handler) {
      throw fail(`${op} calls ${fn.path}, which nncalc does not allow: loading this pickle in Python would run it. nncalc rebuilds tensors and containers only and runs nothing`);
    }
    const list = args instanceof PyTuple ? args.items : Array.isArray(args) ? args : undefined;
    if (!list) throw fail(`${op} of ${fn.path} needs a tuple of arguments; found ${describe(args)}`);
    return handler(list, fn);
  };
  const instance = (cls: unknown, args: readonly unknown[], op: string): unknown => {
    if (!(cls instanceof PyGlobal)) throw fail(`${op} needs a class; found ${describe(cls)}`);
    const make = classes[cls.path] ?? (cls.path === 'collections.OrderedDict' ? dict : undefined);
    return make ? make(args, cls) : new PyObject(cls, args);
  };
  const setItem = (target: unknown, k: unknown, v: unknown) => {
    if (target instanceof PyDict) target.map.set(k, v);
    else if (target instanceof PyObject) target.items.set(k, v);
    else throw fail(`SETITEM on ${describe(target)}, which is not a dict`);
  };
  const append = (target: unknown, vs: readonly unknown[]) => {
    count(vs.length);
    if (Array.isArray(target)) for (const v of vs) target.push(v);
    else if (target instanceof PyObject) for (const v of vs) target.list.push(v);
    else if (target instanceof PySet) for (const v of vs) target.items.push(v);
    else throw fail(`APPEND on ${describe(target)}, which is not a list`);
  };
  const memoize = (key: number) => {
    if (!memo.has(key) && memo.size >= limits.memo) throw fail(`more than ${limits.memo} memo entries (a memo bomb?)`);
    memo.set(key, top());
  };
  const fetch = (key: number): unknown => {
    if (!memo.has(key)) throw fail(`memo entry ${key} is read before it is written`);
    return memo.get(key);
  };

  for (;;) {
    opAt = r.position;
    await need(1);
    const op = r.u8();
    switch (op) {
      case 0x80: {
        await need(1);
        const v = r.u8();
        if (v > 5) throw fail(`protocol ${v} is newer than the protocols 0–5 nncalc reads`);
        break;
      }
      case 0x95: // FRAME: a length hint only
        await size(8, 'a frame');
        break;
      case 0x2e: // STOP
        if (marks.length) throw fail('STOP with a MARK still open');
        return pop();
      case 0x28: // MARK
        if (marks.length >= limits.marks) throw fail(`more than ${limits.marks} MARKs open at once (nested too deeply)`);
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length === 0 && marks.length) popMark();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88:
        push(true);
        break;
      case 0x89:
        push(false);
        break;
      case 0x49: {
        // INT (protocol 0): also 00 / 01 for False / True
        const s = await line();
        push(s === '00' ? false : s === '01' ? true : decimal(s, 'INT'));
        break;
      }
      case 0x4c: // LONG
        push(decimal(await line(), 'LONG'));
        break;
      case 0x4a:
        await need(4);
        push(r.i32());
        break;
      case 0x4b:
        await need(1);
        push(r.u8());
        break;
      case 0x4d:
        await need(2);
        push(r.u16());
        break;
      case 0x8a:
      case 0x8b: {
        const n = await size(op === 0x8a ? 1 : 4, 'a long integer');
        if (n > 1024) throw fail(`a long integer of ${n} bytes (more than 1024)`);
        await need(n);
        push(long(r.bytes(n)));
        break;
      }
      case 0x46: {
        const s = (await line()).trim();
        const v = Number(s);
        if (Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) throw fail(`FLOAT '${s.slice(0, 40)}' is not a number`);
        push(v);
        break;
      }
      case 0x47: {
        await need(8);
        const le = r.littleEndian;
        r.littleEndian = false;
        push(r.f64());
        r.littleEndian = le;
        break;
      }
      case 0x53: {
        // STRING: a quoted Python 2 literal
        const s = (await line()).trim();
        const q = s[0];
        if ((q !== "'" && q !== '"') || s[s.length - 1] !== q || s.length < 2) throw fail('STRING is not a quoted literal');
        push(s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => (e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e)));
        break;
      }
      case 0x54:
        push(await string(await size(4, 'a string'), latin1));
        break;
      case 0x55:
        push(await string(await size(1, 'a string'), latin1));
        break;
      case 0x56: // UNICODE: raw-unicode-escape
        push((await line()).replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string | undefined, b: string | undefined) => String.fromCodePoint(parseInt(a ?? b!, 16))));
        break;
      case 0x58:
        push(await string(await size(4, 'a string')));
        break;
      case 0x8c:
        push(await string(await size(1, 'a string')));
        break;
      case 0x8d:
        push(await string(await size(8, 'a string')));
        break;
      case 0x42:
        push(await bytes(await size(4, 'bytes')));
        break;
      case 0x43:
        push(await bytes(await size(1, 'bytes')));
        break;
      case 0x8e:
      case 0x96:
        push(await bytes(await size(8, 'bytes')));
        break;
      case 0x29:
        push(new PyTuple([]));
        break;
      case 0x5d:
        push([]);
        break;
      case 0x7d:
        push(dict());
        break;
      case 0x8f:
        push(new PySet([]));
        break;
      case 0x74: {
        const xs = popMark();
        count(xs.length);
        push(new PyTuple(xs));
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84;
        const xs: unknown[] = [];
        for (let i = 0; i < n; i++) xs.unshift(pop());
        count(n);
        push(new PyTuple(xs));
        break;
      }
      case 0x6c: {
        const xs = popMark();
        count(xs.length);
        push(xs);
        break;
      }
      case 0x91: {
        const xs = popMark();
        count(xs.length);
        push(new PySet(xs));
        break;
      }
      case 0x64: {
        const xs = popMark();
        if (xs.length % 2) throw fail(`DICT needs key-value pairs; found ${xs.length} values`);
        count(xs.length);
        const d = dict();
        for (let i = 0; i < xs.length; i += 2) d.map.set(xs[i], xs[i + 1]);
        push(d);
        break;
      }
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65:
      case 0x90: {
        const xs = popMark();
        append(top(), xs);
        break;
      }
      case 0x73: {
        const v = pop();
        const k = pop();
        count(1);
        setItem(top(), k, v);
        break;
      }
      case 0x75: {
        const xs = popMark();
        if (xs.length % 2) throw fail(`SETITEMS needs key-value pairs; found ${xs.length} values`);
        count(xs.length);
        const target = top();
        for (let i = 0; i < xs.length; i += 2) setItem(target, xs[i], xs[i + 1]);
        break;
      }
      case 0x63: {
        const module = await line();
        const name = await line();
        push(new PyGlobal(module, name));
        break;
      }
      case 0x93: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL needs a module and a name as strings');
        push(new PyGlobal(module, name));
        break;
      }
      case 0x52: {
        const args = pop();
        const fn = pop();
        push(call(fn, args, 'REDUCE'));
        break;
      }
      case 0x69: {
        // INST module name: calls the class with the values above the MARK
        const module = await line();
        const name = await line();
        push(call(new PyGlobal(module, name), popMark(), 'INST'));
        break;
      }
      case 0x6f: {
        const xs = popMark();
        if (xs.length === 0) throw fail('OBJ needs a class');
        push(call(xs[0], xs.slice(1), 'OBJ'));
        break;
      }
      case 0x81: {
        const args = pop();
        const cls = pop();
        if (!(args instanceof PyTuple)) throw fail(`NEWOBJ needs a tuple of arguments; found ${describe(args)}`);
        push(instance(cls, args.items, 'NEWOBJ'));
        break;
      }
      case 0x92: {
        pop(); // keyword arguments
        const args = pop();
        const cls = pop();
        if (!(args instanceof PyTuple)) throw fail(`NEWOBJ_EX needs a tuple of arguments; found ${describe(args)}`);
        push(instance(cls, args.items, 'NEWOBJ_EX'));
        break;
      }
      case 0x62: {
        // BUILD: the state is recorded, never applied by running code
        const state = pop();
        const target = top();
        if (target instanceof PyObject) target.state = state;
        else if (target instanceof PyDict) target.attrs = state;
        break;
      }
      case 0x50: {
        const pid = await line();
        if (!options.persistentLoad) throw fail('a persistent id, but nothing here resolves them');
        push(options.persistentLoad(pid));
        break;
      }
      case 0x51: {
        const pid = pop();
        if (!options.persistentLoad) throw fail('a persistent id, but nothing here resolves them');
        push(options.persistentLoad(pid));
        break;
      }
      case 0x70:
        memoize(Number(decimal(await line(), 'PUT')));
        break;
      case 0x71:
        await need(1);
        memoize(r.u8());
        break;
      case 0x72:
        await need(4);
        memoize(r.u32());
        break;
      case 0x94:
        memoize(memo.size);
        break;
      case 0x67:
        push(fetch(Number(decimal(await line(), 'GET'))));
        break;
      case 0x68:
        await need(1);
        push(fetch(r.u8()));
        break;
      case 0x6a:
        await need(4);
        push(fetch(r.u32()));
        break;
      case 0x98: // READONLY_BUFFER: no change to the value
        top();
        break;
      case 0x82:
      case 0x83:
      case 0x84:
        throw fail('an extension code (EXT1/2/4) names a registered global, which nncalc does not resolve');
      case 0x97:
        throw fail('NEXT_BUFFER needs an out-of-band buffer, which a file cannot carry');
      default:
        throw fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}
