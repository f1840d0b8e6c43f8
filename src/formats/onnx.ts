/**
 * @module
 * ONNX (`.onnx`): the graph, its initializers and the tensors in Constant nodes, read without the weight bytes
 * (see docs/onnx.md). The protobuf is walked with a small window: raw_data and the typed data fields are passed
 * by their length, and external data is recorded as its location and length; the side file is never opened.
 * The graph becomes nncalc's Graph (formats/onnx/lower.ts), so every count comes from nncalc's op rules.
 */
import { ModelError } from '../errors.js';
import { Reader, type ByteSource } from '../io/bytes.js';
import { run } from '../io/protobuf.js';
import type { Format, ModelFile, ReadOptions, TensorInfo } from './format.js';
import { lowerModel, type Lowered } from './onnx/lower.js';
import { modelProto } from './onnx/proto.js';
import type { ParseContext } from './onnx/tensor.js';
import { dtypeName, type OnnxGraph, type OnnxModel, type OnnxTensor } from './onnx/types.js';

/** The window for ONNX: small, since every initializer's data is skipped and the next key read after it. */
const ONNX_WINDOW = 16 << 10;
/** Values of small tensors read per file, at most (shape constants; a hostile file cannot make it more). */
const VALUE_BUDGET = 1 << 20;

/** Parses the protobuf into plain records (no lowering); `fast: false` reads every message with the general parsers. */
export async function parseOnnx(source: ByteSource, options: { readonly fast?: boolean } = {}): Promise<OnnxModel> {
  const r = new Reader(source, 'onnx', ONNX_WINDOW);
  const c: ParseContext = { r, budget: VALUE_BUDGET, ...options };
  return run(r, modelProto(c, source.size));
}

/** Every stored tensor of a graph: initializers, sparse initializers, and tensors held in node attributes (Constant). */
function storedTensors(g: OnnxGraph): OnnxTensor[] {
  const out = [...g.initializers, ...g.sparseInitializers];
  for (const n of g.nodes) {
    for (const a of n.attributes) {
      if (a.t) out.push(a.t.name ? a.t : { ...a.t, name: n.outputs[0] ?? n.name });
      if (a.tensors) out.push(...a.tensors);
    }
  }
  return out;
}

/** A relative location inside the model's folder, or undefined for one that points elsewhere (never opened). */
const safeLocation = (loc: string): string | undefined => (loc.startsWith('/') || loc.includes('\\') || /(^|\/)\.\.(\/|$)/.test(loc) || /^[a-z]+:/i.test(loc) ? undefined : loc);

/** Notes on external data: where it is and, when the side file can be looked at, whether it is long enough. */
async function externalNotes(tensors: readonly OnnxTensor[], options: ReadOptions): Promise<string[]> {
  const byFile = new Map<string, { count: number; bytes: number; end: number }>();
  for (const t of tensors) {
    if (!t.external) continue;
    const f = byFile.get(t.external.location) ?? { count: 0, bytes: 0, end: 0 };
    f.count++;
    f.bytes += t.bytes ?? 0;
    f.end = Math.max(f.end, t.external.offset + (t.bytes ?? 0));
    byFile.set(t.external.location, f);
  }
  const notes: string[] = [];
  for (const [loc, f] of byFile) {
    notes.push(`${f.count} tensor(s) keep their data in the external file '${loc}' (${f.bytes} bytes declared); nncalc read only their lengths.`);
    const safe = safeLocation(loc);
    if (!safe) {
      notes.push(`The external data location '${loc}' points outside the model's folder; nncalc did not look at it.`);
      continue;
    }
    const side = options.sibling ? await options.sibling(safe) : undefined;
    if (options.sibling && !side) notes.push(`The external file '${loc}' is not next to the model (not needed for a summary).`);
    else if (side && side.size < f.end) notes.push(`The external file '${loc}' has ${side.size} bytes, but the tensors declare data up to byte ${f.end}: it is truncated or not this model's.`);
  }
  return notes;
}

/** A parsed and lowered ONNX file, with the intermediate results tests compare against onnx itself. */
export interface OnnxRead {
  readonly file: ModelFile;
  readonly model: OnnxModel;
  readonly lowered: Lowered;
}

/** Reads an ONNX file: parse, lower, collect tensors, metadata and notes. */
export async function readOnnx(source: ByteSource, options: ReadOptions = {}): Promise<OnnxRead> {
  const model = await parseOnnx(source);
  if (!model.graph) throw new ModelError('file', `onnx: ${source.name} has no graph (ModelProto field 7); is it an ONNX model?`);
  const lowered = lowerModel(model, options);
  const stored = storedTensors(model.graph);
  const tensors: TensorInfo[] = stored.map((t) => ({ name: t.name, shape: t.dims, dtype: dtypeName(t.dataType), ...(t.bytes !== undefined ? { bytes: t.bytes } : {}) }));
  const g = model.graph;
  const metadata: Record<string, string | number | boolean> = {
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || 'unknown',
    opset: model.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') || 'none',
    nodes: g.nodes.length,
    initializers: g.initializers.length + g.sparseInitializers.length,
  };
  if (model.irVersion !== undefined) metadata['ir_version'] = model.irVersion;
  if (g.name) metadata['graph'] = g.name;
  if (model.domain) metadata['domain'] = model.domain;
  for (const [k, v] of Object.entries(model.metadata)) metadata[`metadata.${k}`] = v;
  const notes = [...lowered.notes, ...(await externalNotes(stored, options))];
  if (lowered.folded) notes.push(`${lowered.folded} node(s) compute constants or shapes (Constant, Shape, Gather on shapes, Identity, …) and make no layer.`);
  if (lowered.shared) notes.push(`${lowered.shared} stored tensor(s) are read by more than one layer; each is counted once, where it is first read, and marked shared after.`);
  if (model.functions) notes.push(`The file defines ${model.functions} local function(s); nodes that call them are counted as unknown.`);
  if (model.trainingInfo) notes.push('The file carries training graphs (training_info); nncalc analyses the inference graph only.');
  // The report is named after the file ('resnet18'); exporters' graph names ('torch_jit', 'main_graph') say little and stay in the metadata.
  const base = source.name.split(/[\\/]/).pop()!.replace(/\.onnx$/i, '') || lowered.graph.name;
  const file: ModelFile = { format: 'onnx', name: source.name, graph: { ...lowered.graph, name: base }, tensors, metadata, notes };
  return { file, model, lowered };
}

/** ModelProto starts with ir_version (field 1, varint: 08) and then usually producer_name (field 2: 12). */
function sniff(head: Uint8Array): boolean {
  if (head.length < 2 || head[0] !== 0x08 || head[1]! < 1 || head[1]! > 0x20) return false;
  // After the ir_version varint: producer_name (0x12), producer_version (0x1a), domain (0x22), model_version (0x28), doc (0x32), graph (0x3a), opset (0x42).
  return head.length < 3 || [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42].includes(head[2]!);
}

export const onnx: Format = {
  id: 'onnx',
  title: 'ONNX',
  extensions: ['onnx'],
  sniff,
  read: async (source, options) => (await readOnnx(source, options)).file,
};
