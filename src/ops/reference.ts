/**
 * @module
 * The op reference, docs/ops.md, written from the op table itself: every kind with the names it answers to, its
 * attributes (type and default as its reader asks for them, with PyTorch's and Keras's keywords), its positional
 * arguments, and a small example whose parameter, MAC and FLOP formulas are computed by the op. A test compares
 * the file with this text, so the two cannot drift apart; `npm run docs:ops` rewrites the file.
 */
import { fmt, lit, mul, type Count } from '../count.js';
import type { Shape } from '../types.js';
import { PROBE, readAttrs, type AttrRead, type Raw } from './attrs.js';
import { opAliases, ops } from './index.js';
import { spellings } from './keywords.js';
import { flopsOf, paramsFormula, type OpDef } from './op.js';

/** A minimal example of each op: its attributes and input shapes. */
export const examples: Readonly<Record<string, { readonly attrs: Raw; readonly inputs: readonly Shape[] }>> = {
  conv1d: { attrs: { out: 64, kernel: 3, padding: 1 }, inputs: [[1, 16, 100]] },
  conv2d: { attrs: { out: 64, kernel: 3, padding: 1 }, inputs: [[1, 3, 224, 224]] },
  conv3d: { attrs: { out: 64, kernel: [3, 7, 7], stride: [1, 2, 2], padding: [1, 3, 3], bias: false }, inputs: [[1, 3, 16, 112, 112]] },
  table_conv2d: { attrs: { out: 2, kernel: 5, fan_in: [2, 3], connections: [0, 1, 0, 1, 2] }, inputs: [[1, 3, 14, 14]] },
  subsample2d: { attrs: { kernel: 2 }, inputs: [[1, 6, 28, 28]] },
  rbf: { attrs: { units: 10 }, inputs: [[1, 84]] },
  linear: { attrs: { out: 10 }, inputs: [[1, 512]] },
  maxpool1d: { attrs: { kernel: 2 }, inputs: [[1, 16, 100]] },
  maxpool2d: { attrs: { kernel: 2 }, inputs: [[1, 64, 224, 224]] },
  maxpool3d: { attrs: { kernel: 2 }, inputs: [[1, 64, 16, 56, 56]] },
  avgpool1d: { attrs: { kernel: 4 }, inputs: [[1, 16, 100]] },
  avgpool2d: { attrs: { kernel: 2 }, inputs: [[1, 64, 56, 56]] },
  avgpool3d: { attrs: { kernel: 2 }, inputs: [[1, 64, 16, 56, 56]] },
  adaptive_avgpool1d: { attrs: { output: 1 }, inputs: [[1, 64, 100]] },
  adaptive_avgpool2d: { attrs: { output: 7 }, inputs: [[1, 512, 14, 14]] },
  adaptive_avgpool3d: { attrs: { output: 1 }, inputs: [[1, 512, 2, 7, 7]] },
  adaptive_maxpool1d: { attrs: { output: 1 }, inputs: [[1, 64, 100]] },
  adaptive_maxpool2d: { attrs: { output: 7 }, inputs: [[1, 512, 14, 14]] },
  adaptive_maxpool3d: { attrs: { output: 1 }, inputs: [[1, 512, 2, 7, 7]] },
  global_avgpool: { attrs: {}, inputs: [[1, 512, 7, 7]] },
  global_maxpool: { attrs: {}, inputs: [[1, 512, 7, 7]] },
  batchnorm1d: { attrs: {}, inputs: [[1, 64, 100]] },
  batchnorm2d: { attrs: {}, inputs: [[1, 64, 56, 56]] },
  batchnorm3d: { attrs: {}, inputs: [[1, 64, 8, 28, 28]] },
  lrn: { attrs: { size: 5 }, inputs: [[1, 96, 55, 55]] },
  relu: { attrs: {}, inputs: [[1, 64, 56, 56]] },
  relu6: { attrs: {}, inputs: [[1, 32, 112, 112]] },
  leaky_relu: { attrs: { negative_slope: 0.1 }, inputs: [[1, 64, 56, 56]] },
  elu: { attrs: {}, inputs: [[1, 64, 56, 56]] },
  gelu: { attrs: {}, inputs: [[1, 197, 3072]] },
  silu: { attrs: {}, inputs: [[1, 32, 112, 112]] },
  sigmoid: { attrs: {}, inputs: [[1, 64]] },
  tanh: { attrs: {}, inputs: [[1, 128]] },
  hardswish: { attrs: {}, inputs: [[1, 16, 112, 112]] },
  hardsigmoid: { attrs: {}, inputs: [[1, 72, 1, 1]] },
  softplus: { attrs: {}, inputs: [[1, 128]] },
  mish: { attrs: {}, inputs: [[1, 32, 112, 112]] },
  exp: { attrs: {}, inputs: [[1, 16]] },
  softmax: { attrs: {}, inputs: [[1, 1000]] },
  log_softmax: { attrs: {}, inputs: [[50, 1, 29]] },
  flatten: { attrs: {}, inputs: [[1, 512, 7, 7]] },
  dropout: { attrs: { p: 0.5 }, inputs: [[1, 4096]] },
  identity: { attrs: {}, inputs: [[1, 10]] },
  add: { attrs: {}, inputs: [[1, 64, 56, 56], [1, 64, 56, 56]] },
  mul: { attrs: {}, inputs: [[1, 96, 56, 56], [1, 96, 1, 1]] },
  concat: { attrs: {}, inputs: [[1, 64, 28, 28], [1, 32, 28, 28]] },
  channel_shuffle: { attrs: { groups: 2 }, inputs: [[1, 116, 28, 28]] },
  chunk: { attrs: { chunks: 2 }, inputs: [[1, 116, 28, 28]] },
  custom: { attrs: { type: 'grid_sample', output_shape: [1, 3, 64, 64], params: 0, macs: 0, flops: 0 }, inputs: [[1, 3, 64, 64]] },
  conv_transpose1d: { attrs: { out: 8, kernel: 4, stride: 2, padding: 1 }, inputs: [[1, 16, 50]] },
  conv_transpose2d: { attrs: { out: 32, kernel: 2, stride: 2 }, inputs: [[1, 64, 28, 28]] },
  conv_transpose3d: { attrs: { out: 4, kernel: 2, stride: 2 }, inputs: [[1, 8, 4, 6, 6]] },
  depthwise_conv2d: { attrs: { kernel: 3, padding: 1 }, inputs: [[1, 32, 112, 112]] },
  separable_conv2d: { attrs: { out: 64, kernel: 3, padding: 1 }, inputs: [[1, 32, 112, 112]] },
  layernorm: { attrs: {}, inputs: [[1, 197, 768]] },
  rmsnorm: { attrs: {}, inputs: [[1, 16, 512]] },
  groupnorm: { attrs: { groups: 32 }, inputs: [[1, 256, 56, 56]] },
  instancenorm1d: { attrs: {}, inputs: [[1, 64, 100]] },
  instancenorm2d: { attrs: { affine: true }, inputs: [[1, 64, 56, 56]] },
  instancenorm3d: { attrs: {}, inputs: [[1, 32, 8, 28, 28]] },
  prelu: { attrs: {}, inputs: [[1, 64, 56, 56]] },
  embedding: { attrs: { num_embeddings: 30522, embedding_dim: 768 }, inputs: [[1, 128]] },
  parameter: { attrs: { shape: [1, 197, 768] }, inputs: [[1, 197, 768]] },
  reshape: { attrs: { shape: [1, 768, -1] }, inputs: [[1, 768, 14, 14]] },
  permute: { attrs: { dims: [0, 2, 1] }, inputs: [[1, 768, 196]] },
  transpose: { attrs: { dim0: 1, dim1: 2 }, inputs: [[1, 768, 196]] },
  squeeze: { attrs: { dim: 2 }, inputs: [[1, 3, 1, 5]] },
  unsqueeze: { attrs: { dim: 1 }, inputs: [[4, 7]] },
  unflatten: { attrs: { dim: 1, sizes: [64, 7, 7] }, inputs: [[1, 3136]] },
  split: { attrs: { sizes: [2, 3] }, inputs: [[1, 5, 4]] },
  pad: { attrs: { pad: [1, 1, 1, 1] }, inputs: [[1, 3, 32, 32]] },
  upsample: { attrs: { scale_factor: 2, mode: 'bilinear' }, inputs: [[1, 64, 28, 28]] },
  pixel_shuffle: { attrs: { upscale_factor: 2 }, inputs: [[1, 64, 28, 28]] },
  pixel_unshuffle: { attrs: { downscale_factor: 2 }, inputs: [[1, 3, 64, 64]] },
  rnn: { attrs: { hidden_size: 64 }, inputs: [[35, 1, 32]] },
  lstm: { attrs: { hidden_size: 256, num_layers: 2 }, inputs: [[100, 1, 128]] },
  gru: { attrs: { hidden_size: 128 }, inputs: [[50, 1, 80]] },
  attention: { attrs: { num_heads: 12 }, inputs: [[1, 197, 768]] },
  moe: { attrs: { num_experts: 8, top_k: 2, ffn_dim: 14336 }, inputs: [[1, 1, 4096]] },
  transformer_encoder_layer: { attrs: { nhead: 8 }, inputs: [[1, 10, 512]] },
  transformer_decoder_layer: { attrs: { nhead: 8 }, inputs: [[1, 10, 512], [1, 16, 512]] },
  layernorm2d: { attrs: {}, inputs: [[1, 96, 56, 56]] },
  patch_merge: { attrs: {}, inputs: [[1, 56, 56, 96]] },
  select: { attrs: { dim: 1, index: 0 }, inputs: [[1, 197, 768]] },
  window_attention: { attrs: { num_heads: 3, window: 7 }, inputs: [[1, 56, 56, 96]] },
  zero_padding2d: { attrs: { padding: 3 }, inputs: [[1, 3, 224, 224]] },
  cropping2d: { attrs: { cropping: [1, 0] }, inputs: [[1, 64, 113, 113]] },
  rescaling: { attrs: { scale: 0.5, offset: -1 }, inputs: [[1, 3, 224, 224]] },
  normalization: { attrs: {}, inputs: [[1, 3, 224, 224]] },
  batch_normalization: { attrs: { scale: false }, inputs: [[1, 64, 56, 56]] },
  tensors: { attrs: { type: 'Linear', weights: [{ name: 'weight', shape: [10, 512] }, { name: 'bias', shape: [10] }] }, inputs: [[1, 512]] },
  slice: { attrs: { dims: [-1], starts: [0], ends: [768] }, inputs: [[1, 197, 2304]] },
  matmul: { attrs: {}, inputs: [[1, 12, 197, 64], [1, 12, 64, 197]] },
  elementwise: { attrs: { fn: 'sub' }, inputs: [[1, 197, 768], [1, 197, 1]] },
  tensor: { attrs: { shape: [1, 1, 768] }, inputs: [] },
  reduce: { attrs: { fn: 'mean', dims: [-1] }, inputs: [[1, 197, 768]] },
  mla: { attrs: { num_heads: 16, kv_lora_rank: 512, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128 }, inputs: [[1, 8, 2048]] },
  selective_scan: { attrs: { state_size: 16 }, inputs: [[1, 8, 64], [1, 8, 64], [1, 8, 16], [1, 8, 16]] },
  disentangled_attention: { attrs: { num_heads: 12 }, inputs: [[1, 128, 768]] },
  similarity: { attrs: {}, inputs: [[2, 512], [3, 512]] },
  frozen_batchnorm2d: { attrs: {}, inputs: [[1, 64, 56, 56]] },
  window_attention_v2: { attrs: { num_heads: 3, window: 8 }, inputs: [[1, 64, 64, 96]] },
  multiscale_attention: { attrs: { thw: [8, 7, 7], num_heads: 1 }, inputs: [[1, 393, 96]] },
  roi_align: { attrs: { output: 7 }, inputs: [[100, 4], [1, 256, 50, 68]] },
  anchors: { attrs: { per_location: [3] }, inputs: [[1, 3, 800, 1088], [1, 256, 200, 272]] },
  default_boxes: { attrs: { per_location: [4] }, inputs: [[1, 3, 300, 300], [1, 512, 38, 38]] },
  box_filter: { attrs: { keep: 100 }, inputs: [[1, 3, 800, 800], [1000, 4]] },
  detection_transform: { attrs: {}, inputs: [[1, 3, 480, 640]] },
  normalize: { attrs: {}, inputs: [[1, 512]] },
};

/** Defaults that depend on other attributes, which the reader can only show as the example's value. */
export const derivedDefaults: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ...Object.fromEntries(['maxpool1d', 'maxpool2d', 'maxpool3d', 'avgpool1d', 'avgpool2d', 'avgpool3d', 'subsample2d'].map((k) => [k, { stride: 'the kernel' }])),
  ...Object.fromEntries(['rnn', 'lstm', 'gru'].map((k) => [k, { batch_first: 'false; true when written with units', return_sequences: 'true; false when written with units' }])),
  attention: { num_kv_heads: 'num_heads', qkv_bias: 'bias', out_bias: 'bias' },
  window_attention: { qkv_bias: 'bias', proj_bias: 'bias' },
  moe: { shared_ffn_dim: 'ffn_dim' },
  layernorm: { bias: 'true (false without elementwise_affine)' },
};

/** An attribute as the reference shows it. */
export interface AttrDoc {
  readonly key: string;
  /** How its reader asked for it; undefined when it is only ever asked whether it is given. */
  readonly read: AttrRead | undefined;
  /** Only asked about with has(): optional, with no default. */
  readonly optional: boolean;
}

/** The attributes an op reads, in the order it reads them, each with the first typed read of it. */
export function attributesOf(def: OpDef<unknown>, example: Raw): AttrDoc[] {
  const reads = new Map<string, AttrRead[]>();
  const run = (raw: Raw): void => {
    try {
      readAttrs({ op: def.kind, raw, trace: (r) => reads.set(r.key, [...(reads.get(r.key) ?? []), r]) }, (r) => def.attrs(r));
    } catch {
      // A probe may break a rule between attributes; the reads before it are what is wanted.
    }
  };
  run(example);
  // An optional attribute is asked for by type only once given: give each a value that stands for any.
  for (const [key, rs] of [...reads]) if (rs.every((r) => r.reader === 'has')) run({ ...example, [key]: PROBE });
  return [...reads].map(([key, rs]) => ({ key, read: rs.find((r) => r.reader !== 'has'), optional: rs[0]!.reader === 'has' }));
}

const code = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** The type column: what the reader accepts. */
function typeOf(r: AttrRead | undefined): string {
  if (!r) return 'any';
  const min = r.min === undefined ? '' : ` ≥ ${r.min}`;
  switch (r.reader) {
    case 'int':
      return `integer${min}`;
    case 'num':
      return r.min !== undefined && r.max !== undefined ? `number in [${r.min}, ${r.max}]` : `number${min}`;
    case 'bool':
      return 'true or false';
    case 'oneOf':
      return (r.values ?? []).map(code).join(', ');
    case 'tuple':
      return r.rank === 1 ? `integer${min}` : `integer${min}, or a list of ${r.rank}`;
    case 'str':
      return 'text';
    case 'ints':
      return `list of integers${min}`;
    case 'padding':
      return `\`same\`, \`valid\`, integer ≥ 0, or a list of ${r.rank}`;
    case 'list':
      return `${r.integer === false ? 'number' : 'integer'}${min} or a list of them`;
    case 'value':
      return 'data, as described above';
    default:
      return 'any';
  }
}

function defaultOf(kind: string, a: AttrDoc): string {
  const derived = derivedDefaults[kind]?.[a.key];
  if (derived !== undefined) return derived;
  if (a.read?.default !== undefined) return code(a.read.default);
  return a.optional ? '—' : '**required**';
}

/** Every name an op answers to, besides its kind: its PyTorch title, Keras's class name, and the aliases. */
export function namesOf(def: OpDef<unknown>): string[] {
  const s = spellings[def.kind];
  const names = [def.title, ...(s?.keras ? [s.keras] : []), ...Object.keys(opAliases).filter((a) => opAliases[a] === def.kind)];
  const seen = new Set([def.kind]);
  return names.filter((n) => !seen.has(n.toLowerCase()) && !seen.has(n) && seen.add(n.toLowerCase()) && seen.add(n));
}

/** `Conv2d(in_channels, out_channels, …)`: a positional signature in one framework's keywords. */
function signature(name: string, args: readonly string[], words: Readonly<Record<string, readonly [string | null, string | null]>>, framework: 0 | 1): string {
  const show = (a: string): string => {
    const star = a.startsWith('*') ? '*' : '';
    const attr = a.replace(/^\*/, '');
    return star + (words[attr]?.[framework] ?? attr);
  };
  return `\`${name}(${args.map(show).join(', ')})\``;
}

/** The example's counts: parameters (weights that are not buffers), buffers, MACs and FLOPs, each with its formula. */
function counted(def: OpDef<unknown>, attrs: Raw, inputs: readonly Shape[]) {
  const a = readAttrs({ op: def.kind, raw: attrs }, (r) => def.attrs(r));
  const outputs = def.shape(a, inputs);
  const weights = def.weights?.(a, inputs) ?? [];
  const count = (w: (typeof weights)[number]): Count => w.count ?? mul(...w.shape.map((d) => lit(d)));
  const params = weights.filter((w) => !w.buffer);
  const buffers = weights.filter((w) => w.buffer);
  const macs = def.macs?.(a, inputs, outputs) ?? lit(0);
  const flops = flopsOf(macs, def.flops?.(a, inputs, outputs) ?? lit(0));
  return { outputs, params: paramsFormula(params.map(count)), buffers: paramsFormula(buffers.map(count)), macs, flops, uncounted: def.opaque ? 'unknown' : def.unknown?.(a) };
}

const shape = (s: Shape): string => `[${s.join(', ')}]`;

/** A value as YAML's flow style writes it: {out: 64, kernel: [3, 7, 7]}. */
function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
  return String(v);
}
/** `- label: formula = numbers = value`, leaving out what would repeat. */
function line(label: string, c: Count): string {
  const parts = [c.formula, c.terms, fmt(c.value)].filter((p, i, all) => all.indexOf(p) === i);
  return `- ${label}: ${parts.join(' = ')}`;
}

/** One op's section. */
function section(def: OpDef<unknown>): string[] {
  const kind = def.kind;
  const ex = examples[kind];
  if (!ex) throw new Error(`the op reference has no example of '${kind}'`);
  const s = spellings[kind];
  const out = [`## ${kind}`, ''];
  const names = namesOf(def);
  if (names.length) out.push(`Also written ${names.map(code).join(', ')}.`, '');
  out.push(def.doc, '');
  // PyTorch's positional order first, then the rest as the op reads them.
  const order = (s?.torchArgs ?? s?.kerasArgs ?? []).map((x) => x.replace(/^\*/, ''));
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  const attrs = attributesOf(def, ex.attrs)
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a.key) - rank(y.a.key) || x.i - y.i)
    .map((x) => x.a);
  if (attrs.length) {
    out.push('| attribute | type | default | PyTorch | Keras |', '|---|---|---|---|---|');
    for (const a of attrs) {
      const [t, k] = s?.words[a.key] ?? [null, null];
      out.push(`| \`${a.key}\` | ${typeOf(a.read)} | ${defaultOf(kind, a)} | ${t ? code(t) : ''} | ${k ? code(k) : ''} |`);
    }
    out.push('');
  } else {
    out.push('No attributes.', '');
  }
  const sigs = [
    ...(s?.torchArgs ? [`PyTorch ${signature(def.title, s.torchArgs, s.words, 0)}`] : []),
    ...(s?.kerasArgs && s.keras ? [`Keras ${signature(s.keras, s.kerasArgs, s.words, 1)}`] : []),
  ];
  if (sigs.length) out.push(`Positional arguments: ${sigs.join('; ')}.`, '');
  const c = counted(def, ex.attrs, ex.inputs);
  const written = Object.keys(ex.attrs).length ? `${kind}: ${flow(ex.attrs)}` : kind;
  const io = `${ex.inputs.length ? `on ${ex.inputs.map(shape).join(' and ')} ` : ''}→ ${def.opaque ? 'an output nncalc cannot know' : c.outputs.map(shape).join(', ')}`;
  out.push(`Example: \`${written}\` ${io}`);
  if (c.params) out.push(line('parameters', c.params));
  else out.push('- parameters: 0');
  if (c.buffers) out.push(line('buffers (not parameters in PyTorch)', c.buffers));
  if (c.uncounted !== undefined) out.push(def.opaque ? '- MACs and FLOPs: unknown' : `- ${c.uncounted}`);
  else {
    if (c.macs.value !== 0) out.push(line('MACs', c.macs));
    out.push(c.flops.value === 0 ? '- FLOPs: 0' : line('FLOPs', c.flops));
  }
  out.push('');
  return out;
}

/** The whole of docs/ops.md. */
export function opsReference(): string {
  const kinds = Object.keys(ops);
  const head = [
    '# Ops',
    '',
    '<!-- Generated from the op table (src/ops/index.ts, keywords.ts, reference.ts) by `npm run docs:ops`; a test fails when they differ. -->',
    '',
    `Every layer kind nncalc counts, ${kinds.length} in all. A spec names a kind in any case, or by one of the names listed`,
    "under it: PyTorch's class name, Keras's, and a few short forms. Attributes take nncalc's names or the PyTorch and",
    "Keras keywords in the table (`kernel_size`, `filters`, `use_bias`); a call such as `Conv2d(3, 64, 3, padding=1)` takes",
    'positional arguments in the order shown (see [the spec format](spec-format.md#calls)). Where a default reads',
    '"—", the attribute is optional and has no default: it is taken from the input when absent, or checked against it',
    'when given. Every example is computed by the op itself; FLOPs count each MAC as two.',
    '',
    kinds.map((k) => `[${k}](#${k})`).join(' · '),
    '',
  ];
  return [...head, ...kinds.flatMap((k) => section(ops[k]!))].join('\n');
}
