/**
 * @module
 * Weight-only files (safetensors, GGUF, state_dicts) as modules. A tensor's module is its name without the last
 * segment (`model.layers.0.self_attn.q_proj.weight` → `model.layers.0.self_attn.q_proj`); each module becomes a
 * `tensors` node carrying the file's weights, so analyze gives parameters per module and marks MACs, FLOPs and shapes
 * unknown. Blocks repeated under an indexed name (`model.layers.0…31`) with the same tensors are folded
 * ("32 × model.layers.N"). When an architecture is known, `checkAgainst` compares the file's tensors with the
 * architecture's weights, module by module, and says where they differ.
 */
import { cmp, plus, prod, sum, toNumber, type Int } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import type { Graph, Node } from '../types.js';
import type { TensorInfo } from './format.js';

/** A tensor's module and its own name within it: ('model.norm', 'weight'); a name without a dot is its own module. */
export function splitName(name: string): { module: string; leaf: string } {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? { module: name, leaf: name } : { module: name.slice(0, dot), leaf: name.slice(dot + 1) };
}

/**
 * Tensors that are buffers, not parameters, in the frameworks that write them: BatchNorm's running statistics and
 * step counter, rotary frequency tables, GPT-2's causal masks, BERT's position ids.
 */
const BUFFER = /(^|\.)(running_mean|running_var|num_batches_tracked|rotary_emb\.inv_freq|masked_bias|attn\.bias|position_ids|rope_freqs\.weight)$/;
export const isBuffer = (name: string): boolean => BUFFER.test(name);
/** Buffers that nncalc's layers never declare (its BatchNorm declares its running statistics, not its step counter). */
const UNDECLARED = /(^|\.)(num_batches_tracked|rotary_emb\.inv_freq|masked_bias|attn\.bias|position_ids|rope_freqs\.weight)$/;

/** Compares names segment by segment, numbers as numbers: layers.2 before layers.10. */
export function naturalCompare(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    const [m, n] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (m && n) return Number(p) - Number(q) || p.length - q.length;
    return m !== n ? (m ? -1 : 1) : p < q ? -1 : 1;
  }
  return x.length - y.length;
}

export const numelOf = (t: TensorInfo): Int => prod(t.shape);

/**
 * The graph of a weights-only file: one `tensors` node per module, in file order (or natural name order when
 * `sort`, for formats whose header is alphabetical), each reading nothing and with an unknown output.
 */
export function weightsGraph(name: string, tensors: readonly TensorInfo[], sort = false): Graph {
  const modules = new Map<string, TensorInfo[]>();
  for (const t of tensors) {
    const { module } = splitName(t.name);
    (modules.get(module) ?? modules.set(module, []).get(module)!).push(t);
  }
  const order = [...modules.keys()];
  if (sort) order.sort(naturalCompare);
  const nodes: Node[] = order.map((module) => {
    const list = modules.get(module)!;
    const dtypes = [...new Set(list.map((t) => t.dtype))];
    // A tensor's own name within its module; the full name when two would share one ('a' and 'a.a'), and a
    // placeholder for an empty name.
    const used = new Set<string>();
    const leaf = (name: string) => {
      const l = splitName(name).leaf;
      const own = l === '' ? '(empty name)' : used.has(l) ? name || '(empty name)' : l;
      used.add(own);
      return own;
    };
    return {
      id: module === '' ? '(empty name)' : module,
      op: 'tensors',
      attrs: {
        type: dtypes.join('+'),
        weights: list.map((t) => ({
          name: leaf(t.name),
          shape: t.shape,
          dtype: t.dtype,
          ...(t.bytes !== undefined ? { bytes: toNumber(t.bytes) } : {}),
          ...((t.buffer ?? isBuffer(t.name)) ? { buffer: true } : {}),
        })),
      },
      inputs: [],
      scope: module.split('.').slice(0, -1),
    };
  });
  return { name, inputs: [{ id: 'weights', shape: [] }], nodes, outputs: nodes.length ? [nodes[nodes.length - 1]!.id] : ['weights'] };
}

/** A run of identical blocks under one indexed name. */
export interface Block {
  /** 'model.layers.N'. */
  readonly name: string;
  readonly count: number;
  /** The first index of the run. */
  readonly first: number;
  /** Parameters of one block. */
  readonly params: Int;
}

/**
 * Repeated blocks: names `prefix.<i>.rest` grouped by prefix and index; consecutive indices holding the same tensors
 * (names and shapes; storage types may differ, as in mixed quantisations) are one run.
 * @example foldBlocks(llamaTensors) // [{ name: 'model.layers.N', count: 32, first: 0, params: 202383360 }]
 */
export function foldBlocks(tensors: readonly TensorInfo[]): Block[] {
  const groups = new Map<string, Map<number, { sig: string[]; params: Int }>>();
  for (const t of tensors) {
    const m = /^(.*?)\.(\d{1,9})\.(.+)$/.exec(t.name);
    if (!m) continue;
    const [prefix, index, rest] = [m[1]!, Number(m[2]), m[3]!];
    const blocks = groups.get(prefix) ?? groups.set(prefix, new Map()).get(prefix)!;
    const b = blocks.get(index) ?? blocks.set(index, { sig: [], params: 0 }).get(index)!;
    b.sig.push(`${rest}:${t.shape.join('x')}`);
    b.params = plus(b.params, numelOf(t));
  }
  const out: Block[] = [];
  for (const [prefix, blocks] of groups) {
    const indices = [...blocks.keys()].sort((a, b) => a - b);
    let run: { first: number; last: number; sig: string; params: Int } | undefined;
    const flush = () => {
      if (run && run.last > run.first) out.push({ name: `${prefix}.N`, count: run.last - run.first + 1, first: run.first, params: run.params });
    };
    for (const i of indices) {
      const b = blocks.get(i)!;
      const sig = [...b.sig].sort().join('|');
      if (run && i === run.last + 1 && sig === run.sig) run.last = i;
      else {
        flush();
        run = { first: i, last: i, sig, params: b.params };
      }
    }
    flush();
  }
  return out;
}

/** Per-dtype tensors, elements and bytes, largest first. */
export function dtypeSummary(tensors: readonly TensorInfo[]): { dtype: string; tensors: number; params: Int; bytes: Int }[] {
  const by = new Map<string, { dtype: string; tensors: number; params: Int; bytes: Int }>();
  for (const t of tensors) {
    const d = by.get(t.dtype) ?? by.set(t.dtype, { dtype: t.dtype, tensors: 0, params: 0, bytes: 0 }).get(t.dtype)!;
    d.tensors++;
    d.params = plus(d.params, numelOf(t));
    d.bytes = plus(d.bytes, t.bytes ?? 0);
  }
  return [...by.values()].sort((a, b) => cmp(b.bytes, a.bytes));
}


/** Elements a layer owns (tied weights are counted where they live). */
const own = (l: LayerReport): Int => sum(l.weights.filter((w) => w.tiedTo === undefined).map((w) => w.count));

/**
 * The file's tensors against the architecture's layers: each tensor belongs to the layer whose name is its longest
 * prefix (after `rename`, e.g. GGUF → Hugging Face names; report names may carry one more leading segment than the
 * file's, as a base model saved without its head does). Differences name the modules.
 */
export function checkAgainst(report: Report, tensors: readonly TensorInfo[], architecture: string, rename: (name: string) => string = (n) => n): { matched: number; differences: string[] } {
  const layers = report.layers.filter((l) => l.weights.length > 0);
  const files = tensors.map((t) => ({ t, name: rename(t.name) }));
  // Every module path of the file and all its ancestors ('a.b.c' gives 'a', 'a.b', 'a.b.c').
  const prefixes = new Set<string>();
  for (const f of files) {
    const parts = splitName(f.name).module.split('.');
    for (let i = 1; i <= parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  // Drop a leading segment of the report's names ('model.') when the file's names lack it.
  const strip = (n: string) => n.slice(n.indexOf('.') + 1);
  const hits = (f: (n: string) => string) => layers.filter((l) => prefixes.has(f(l.name))).length;
  const key = hits(strip) > hits((n) => n) ? strip : (n: string) => n;
  const byName = new Map(layers.map((l) => [key(l.name), l]));
  const found = new Map<string, Int>();
  const stray: string[] = [];
  let matched = 0;
  for (const { t, name } of files) {
    if (UNDECLARED.test(name)) continue;
    let owner: string | undefined;
    for (let m = splitName(name).module; ; ) {
      if (byName.has(m)) {
        owner = m;
        break;
      }
      // Up one module; a name with nothing above it ('x', '.x') ends the search.
      const up = splitName(m).module;
      if (up === m) break;
      m = up;
    }
    if (owner === undefined) {
      stray.push(t.name);
      continue;
    }
    matched++;
    found.set(owner, plus(found.get(owner) ?? 0, numelOf(t)));
  }
  const differences: string[] = [];
  const missing: string[] = [];
  for (const [name, l] of byName) {
    const want = own(l);
    const got = found.get(name);
    if (got === undefined) {
      if (cmp(want, 0) > 0) missing.push(l.name);
      continue;
    }
    if (cmp(got, want) === 0) continue;
    const tied = l.weights.filter((w) => w.tiedTo !== undefined).map((w) => w.tiedTo);
    differences.push(
      cmp(want, 0) === 0 && tied.length
        ? `${l.name}: the file stores ${got} parameters that ${architecture} shares with ${tied.join(', ')} (tied; counted once in the table)`
        : `${l.name}: ${got} parameters in the file, ${want} in ${architecture}`,
    );
  }
  const list = (names: readonly string[]) => `${names.slice(0, 4).join(', ')}${names.length > 4 ? `, … (${names.length})` : ''}`;
  if (missing.length) differences.push(`${missing.length} ${missing.length === 1 ? 'layer' : 'layers'} of ${architecture} with parameters ${missing.length === 1 ? 'has' : 'have'} no tensor in the file: ${list(missing)}`);
  if (stray.length) differences.push(`${stray.length} ${stray.length === 1 ? 'tensor' : 'tensors'} of the file ${stray.length === 1 ? 'belongs' : 'belong'} to no layer of ${architecture}: ${list(stray)}`);
  return { matched, differences };
}

/** Σ elements and Σ bytes of a file's tensors. */
export const totalsOf = (tensors: readonly TensorInfo[]): { params: Int; bytes: Int } => ({ params: sum(tensors.map(numelOf)), bytes: sum(tensors.map((t) => t.bytes ?? 0)) });
