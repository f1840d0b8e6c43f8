/**
 * @module
 * A module tree (a pickled nn.Module, a TorchScript archive) as a layer table. A pickle keeps each module's class,
 * constructor attributes and tensors, but not its `forward`: the order in which modules run is code the file does not
 * hold. So:
 *
 * - When every container is an `nn.Sequential` (whose forward is its children in order) and every leaf is a layer
 *   nncalc knows, the tree is a Spec of nncalc ops, analysed like any model: shapes and MACs follow from the input
 *   (`--input`, or the first Linear's in_features), and the file's tensors are checked against the layers' weights.
 * - Otherwise each module with tensors, and each leaf, is one row: its class and constructor attributes as its type
 *   (`Conv2d(3→64, 7×7, s2, p3)`), its parameters from its tensors, and its output shape and MACs unknown, with a
 *   note saying why — never a shape guessed from the order in which modules were registered.
 */
import type { LayerSpec, OpSpec, Spec } from '../../describe/spec.js';
import type { Raw } from '../../ops/attrs.js';
import type { Graph, Node, Shape } from '../../types.js';
import { toNumber } from '../../int.js';
import { TORCH_DTYPES } from './tensors.js';
import type { NamedTensor, TorchModule } from './modules.js';

const nums = (v: unknown): number[] | undefined => {
  const xs = Array.isArray(v) ? v : typeof v === 'number' ? [v] : undefined;
  return xs && xs.length > 0 && xs.every((x) => typeof x === 'number' && Number.isSafeInteger(x)) ? (xs as number[]) : undefined;
};
/** (3, 3) → '3×3'; (1, 1) → '1'. */
const dims = (v: unknown): string => {
  const xs = nums(v);
  return xs ? (xs.every((x) => x === xs[0]) ? String(xs[0]) : xs.join('×')) : String(v);
};
const attr = (m: TorchModule, k: string): unknown => m.attrs[k];
/** An attribute as nncalc's ops take it: a number for PyTorch's int form (kernel_size=2), a list for a tuple. */
const tup = (v: unknown): number | number[] | undefined => {
  const xs = nums(v);
  return xs && !Array.isArray(v) ? xs[0]! : xs;
};

/** A module's class and the attributes that size it, as PyTorch's constructor takes them: 'Conv2d(3→64, 7×7, s2, p3)'. */
export function describeModule(m: TorchModule): string {
  const a = (k: string) => attr(m, k);
  const parts: string[] = [];
  if (/^Conv(Transpose)?\dd$/.test(m.cls) && a('in_channels') !== undefined) {
    parts.push(`${String(a('in_channels'))}→${String(a('out_channels'))}`, dims(a('kernel_size')));
    if (a('stride') !== undefined && dims(a('stride')) !== '1') parts.push(`s${dims(a('stride'))}`);
    if (typeof a('padding') === 'string') parts.push(`p=${String(a('padding'))}`);
    else if (a('padding') !== undefined && dims(a('padding')) !== '0') parts.push(`p${dims(a('padding'))}`);
    if (typeof a('groups') === 'number' && a('groups') !== 1) parts.push(`g${String(a('groups'))}`);
  } else if (m.cls === 'Linear' && a('in_features') !== undefined) parts.push(`${String(a('in_features'))}→${String(a('out_features'))}`);
  else if (/^(BatchNorm\dd|InstanceNorm\dd)$/.test(m.cls) && a('num_features') !== undefined) parts.push(String(a('num_features')));
  else if (/Pool\dd$/.test(m.cls) && !m.cls.startsWith('Adaptive') && a('kernel_size') !== undefined) {
    parts.push(dims(a('kernel_size')));
    if (a('stride') !== undefined) parts.push(`s${dims(a('stride'))}`);
  } else if (m.cls.startsWith('Adaptive') && a('output_size') !== undefined) parts.push(`→${dims(a('output_size'))}`);
  else if (m.cls === 'Embedding' && a('num_embeddings') !== undefined) parts.push(`${String(a('num_embeddings'))}, ${String(a('embedding_dim'))}`);
  else if (m.cls === 'LayerNorm' && a('normalized_shape') !== undefined) parts.push(dims(a('normalized_shape')));
  return parts.length ? `${m.cls}(${parts.join(', ')})` : m.cls;
}

/** The nncalc op of a leaf module, from its class and attributes; undefined when nncalc has none for it. */
function leafOp(m: TorchModule): { op: string; attrs: Raw } | undefined {
  const a = m.attrs;
  const has = (name: string) => m.tensors.some((t) => t.name.endsWith(`.${name}`) || t.name === name);
  const pad = (p: unknown): Raw[string] => (typeof p === 'string' ? p : (tup(p) ?? 0));
  const conv = /^Conv([123])d$/.exec(m.cls);
  if (conv && nums(a['kernel_size'])) {
    return { op: `conv${conv[1]}d`, attrs: { out: a['out_channels'] as number, kernel: tup(a['kernel_size'])!, stride: tup(a['stride']) ?? 1, padding: pad(a['padding']), dilation: tup(a['dilation']) ?? 1, groups: (a['groups'] as number) ?? 1, bias: has('bias') } };
  }
  const simple: Record<string, string> = { ReLU: 'relu', ReLU6: 'relu6', GELU: 'gelu', SiLU: 'silu', Sigmoid: 'sigmoid', Tanh: 'tanh', Hardswish: 'hardswish', Hardsigmoid: 'hardsigmoid', Mish: 'mish', Identity: 'identity' };
  if (simple[m.cls]) return { op: simple[m.cls]!, attrs: {} };
  switch (m.cls) {
    case 'Linear':
      return typeof a['out_features'] === 'number' ? { op: 'linear', attrs: { out: a['out_features'], ...(typeof a['in_features'] === 'number' ? { in: a['in_features'] } : {}), bias: has('bias') } } : undefined;
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d':
      return { op: m.cls.toLowerCase(), attrs: { affine: has('weight'), track_running_stats: has('running_mean') } };
    case 'MaxPool2d':
    case 'AvgPool2d':
      return nums(a['kernel_size'])
        ? { op: m.cls === 'MaxPool2d' ? 'maxpool2d' : 'avgpool2d', attrs: { kernel: tup(a['kernel_size'])!, stride: tup(a['stride']) ?? tup(a['kernel_size'])!, padding: tup(a['padding']) ?? 0, ceil_mode: a['ceil_mode'] === true, ...(m.cls === 'MaxPool2d' ? { dilation: tup(a['dilation']) ?? 1 } : {}) } }
        : undefined;
    case 'AdaptiveAvgPool2d': {
      const out = nums(a['output_size']);
      return out ? { op: 'adaptive_avgpool2d', attrs: { output: out.length === 1 ? [out[0]!, out[0]!] : out } } : undefined;
    }
    case 'Flatten':
      return { op: 'flatten', attrs: { start_dim: (a['start_dim'] as number) ?? 1, end_dim: (a['end_dim'] as number) ?? -1 } };
    case 'Dropout':
    case 'Dropout2d':
      return { op: 'dropout', attrs: { p: typeof a['p'] === 'number' ? a['p'] : 0.5 } };
    case 'LeakyReLU':
      return { op: 'leaky_relu', attrs: typeof a['negative_slope'] === 'number' ? { negative_slope: a['negative_slope'] } : {} };
    case 'Softmax':
      return { op: 'softmax', attrs: typeof a['dim'] === 'number' ? { dim: a['dim'] } : {} };
    case 'Embedding':
      return typeof a['num_embeddings'] === 'number' ? { op: 'embedding', attrs: { num_embeddings: a['num_embeddings'], embedding_dim: a['embedding_dim'] as number } } : undefined;
    default:
      return undefined;
  }
}

/** The layers of an all-Sequential tree, or undefined when a container is not a Sequential or a leaf has no nncalc op. */
function sequentialLayers(m: TorchModule, name: string | undefined): LayerSpec | undefined {
  if (m.children.length === 0) {
    const op = leafOp(m);
    return op ? ({ op: op.op, attrs: op.attrs, ...(name !== undefined ? { name } : {}) } satisfies OpSpec) : undefined;
  }
  if (m.cls !== 'Sequential' || m.tensors.length) return undefined;
  const layers: LayerSpec[] = [];
  for (const c of m.children) {
    const l = sequentialLayers(c, c.path.split('.').pop()!);
    if (!l) return undefined;
    layers.push(l);
  }
  return name === undefined ? { layers } : { block: name, layers };
}

/** The first leaf of a tree, in order. */
const firstLeaf = (m: TorchModule): TorchModule => (m.children.length ? firstLeaf(m.children[0]!) : m);

/**
 * The Spec of an all-Sequential module tree with an input to run it on, or undefined (with the reason) when the file
 * does not say how its modules connect, or what they take.
 */
export function sequentialSpec(tree: TorchModule, name: string, input: Shape | undefined): { spec?: Spec; why: string } {
  const layers = sequentialLayers(tree, undefined);
  if (!layers || !('layers' in layers)) {
    const how = tree.cls === 'Sequential' ? 'a module nncalc has no layer for' : `${tree.cls}.forward, code the file does not hold`;
    return { why: `The file holds the modules of ${tree.cls} with their classes and attributes, but how they connect is ${how}: rows are listed in the order the modules were registered, with parameters from the tensors; shapes and MACs are unknown.` };
  }
  const first = firstLeaf(tree);
  const features = first.cls === 'Linear' ? first.attrs['in_features'] : undefined;
  const shape = input ?? (typeof features === 'number' ? [1, features] : undefined);
  if (!shape) return { why: `The file holds an nn.Sequential whose first layer (${describeModule(first)}) does not fix the input size; give --input (e.g. --input 1x3x224x224) for shapes and MACs.` };
  return { spec: { name, input: shape, layers: [layers], source: 'a pickled nn.Sequential' }, why: '' };
}

/** The rows of a module tree whose forward is unknown: one `tensors` node per module with tensors, and per leaf. */
export function moduleGraph(tree: TorchModule, name: string): Graph {
  const nodes: Node[] = [];
  const visit = (m: TorchModule) => {
    if (m.tensors.length || m.children.length === 0) {
      const own = (t: NamedTensor) => t.name.slice(m.path ? m.path.length + 1 : 0);
      nodes.push({
        id: m.path || m.cls,
        op: 'tensors',
        attrs: {
          type: describeModule(m),
          weights: m.tensors.map((t) => ({
            name: own(t),
            shape: [...t.tensor.shape],
            dtype: t.tensor.dtype,
            bytes: toNumber(t.tensor.shape.reduce((p, d) => p * d, 1) * (TORCH_DTYPES[t.tensor.dtype] ?? 0)),
            ...(t.buffer ? { buffer: true } : {}),
          })),
        },
        inputs: [],
        scope: m.path ? m.path.split('.').slice(0, -1) : [],
      });
    }
    for (const c of m.children) visit(c);
  };
  visit(tree);
  return { name, inputs: [{ id: 'input', shape: [] }], nodes, outputs: nodes.length ? [nodes[nodes.length - 1]!.id] : ['input'] };
}
