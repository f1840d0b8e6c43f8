/**
 * @module
 * One layer explained from first principles, as a student would write it out: what the op does, where its
 * input comes from, the output-size rule with the numbers, every weight tensor with its formula, the
 * parameter total, MACs, FLOPs, the output's memory and its receptive field.
 */
import { show, type Count } from '../count.js';
import { toNumber, type Int } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import { INPUT_RF, type ReceptiveField } from '../analyze/receptive-field.js';
import { ModelError } from '../errors.js';
import { findOp } from '../ops/index.js';
import { elements, numel } from '../ops/op.js';
import { didYouMean } from '../suggest.js';
import type { Block, Section } from './document.js';
import { explainReport, weightText } from './explain.js';
import { bytes, count, shapeText } from './format.js';

/** Layer name → the names of what it reads ('input' for the network input, 'split:1' for a second output). */

/**
 * The layers a query names: the layer of that exact name, else every layer with that paper label
 * ('conv3-256', case-insensitive). Empty when nothing matches.
 */
export function findLayers(report: Report, query: string): LayerReport[] {
  const exact = report.layers.find((l) => l.name === query);
  if (exact) return [exact];
  const q = query.trim().toLowerCase();
  return report.layers.filter((l) => l.label.toLowerCase() === q);
}

/** The error for a query that names no layer, with the closest name or label. */
export function noSuchLayer(report: Report, query: string): ModelError {
  const candidates = [...report.layers.map((l) => l.name), ...new Set(report.layers.map((l) => l.label))];
  const first = report.layers.slice(0, 3).map((l) => l.name);
  return new ModelError('input', `'${report.model.name}' has no layer named or labelled '${query}'.${didYouMean(query, candidates)}`, {
    details: [`Layer names look like ${first.map((n) => `'${n}'`).join(', ')}; labels like 'conv3-64' select every layer with that label. 'nncalc ${report.model.name}' lists them all.`],
  });
}

const dims = (s: readonly number[]): string => s.join('×');

/** 'kernel 3×3, stride 1×1, groups 1, bias yes': the layer's settings, leaving out values too long to read. */
function settingsText(attrs: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    const text =
      Array.isArray(v) && v.every((x) => typeof x === 'number') ? dims(v) : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    parts.push(`${k} ${text.length > 40 ? '…' : text}`);
  }
  return parts.join(', ');
}

/** 'features.9 (MaxPool2d)', 'the network input', 'output 1 of split'. */
function producerText(ref: string, byName: ReadonlyMap<string, LayerReport>): string {
  const [name, port] = ref.split(':') as [string, string | undefined];
  const l = byName.get(name);
  if (!l) return name === 'input' ? 'the network input' : `the input '${name}'`;
  const what = `${name} (${l.type})`;
  return port === undefined ? what : `output ${port} of ${what}`;
}

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** Where the input comes from, and what the shapes are. */
function shapeBlocks(l: LayerReport, byName: ReadonlyMap<string, LayerReport>): Block[] {
  const from = l.inputs;
  const ins = l.inputShapes.map(shapeText);
  const source = from.length === l.inputShapes.length ? from.map((r) => producerText(r, byName)) : undefined;
  const input =
    ins.length === 1
      ? `Input ${ins[0]}${source ? `, from ${source[0]}` : ''}`
      : `Inputs ${source ? list(ins.map((s, i) => `${s} from ${source[i]}`)) : list(ins)}`;
  if (ins.length === 0 && l.outputShape.length === 0) return [{ kind: 'p', text: 'Its input and output shapes are unknown: the file gives its weights, not how it is called.' }];
  const blocks: Block[] = [{ kind: 'p', text: `${input}; output ${shapeText(l.outputShape)}.` }];
  for (const ref of from) {
    const f = byName.get(ref.split(':')[0]!);
    const shape = f?.inputShapes[0];
    if (f?.op === 'flatten' && shape && shape.length >= 3) {
      const [, ...rest] = shape;
      blocks.push({ kind: 'p', text: `The flatten ${f.name} turns ${shapeText(shape)} into one vector of ${rest.join('·')} = ${count(numel(rest))} values per sample.` });
    }
  }
  const notes = l.formulas.shape ?? [];
  if (notes.length) blocks.push({ kind: 'p', text: 'Output size:' }, { kind: 'list', items: notes.map((n) => `${n.label} = ${show(n.count)}`) });
  return blocks;
}

/** Every weight tensor with its formula, then the parameter total. */
function paramBlocks(l: LayerReport, keras: boolean): Block[] {
  if (l.params === null) return [{ kind: 'p', text: `Parameters: unknown${l.note ? ` (${l.note})` : ''}.` }];
  if (l.weights.length === 0) return [{ kind: 'p', text: 'Parameters: none.' }];
  const items = l.weights.map((w) => {
    const why =
      w.tiedTo !== undefined
        ? '; shared with ' + w.tiedTo + ', counted there'
        : w.buffer
          ? keras
            ? '; a running statistic, counted as a non-trainable parameter (Keras convention)'
            : '; a running statistic: a buffer in PyTorch, not a parameter'
          : w.trainable
            ? ''
            : '; fixed, not trainable';
    return `${weightText(w)} (tensor ${shapeText(w.shape)})${why}`;
  });
  const counted = l.weights.filter((w) => (keras || !w.buffer) && w.tiedTo === undefined);
  const total = l.formulas.params && counted.length > 1 ? show(l.formulas.params) : count(l.params);
  const split = l.nonTrainable ? ` (${count(l.trainable ?? 0)} trainable, ${count(l.nonTrainable)} non-trainable)` : '';
  const blocks: Block[] = [
    { kind: 'p', text: 'Weights:' },
    { kind: 'list', items },
    { kind: 'p', text: `Parameters: ${total}${split}.${l.buffers ? ` Buffers, not counted: ${count(l.buffers)} (--convention keras counts them).` : ''}` },
  ];
  if (l.active !== undefined && l.formulas.active) blocks.push({ kind: 'p', text: `Active parameters per token: ${show(l.formulas.active)}.` });
  return blocks;
}

function computeBlocks(l: LayerReport): Block[] {
  const line = (what: string, n: Int | null, f: Count | undefined, none: string): string =>
    n === null ? `${what}: unknown.` : n === 0 ? `${what}: none. ${none}` : `${what}: ${f ? show(f) : count(n)}.`;
  const n = toNumber(numel(l.outputShape));
  const perValue = n ? toNumber(l.outputBytes) / n : 4;
  return [
    { kind: 'p', text: line('MACs', l.macs, l.formulas.macs, 'nncalc counts the multiply-accumulates of convolutions, fully connected layers and matrix products.') },
    { kind: 'p', text: line('FLOPs', l.flops, l.formulas.flops, 'The layer does no arithmetic on values (it only moves or selects them).') + (l.macs ? ' A MAC counts as 2 FLOPs, a multiply and an add.' : '') },
    l.outputShape.length === 0
      ? { kind: 'p', text: 'Output memory: unknown, as the output shape is.' }
      : {
      kind: 'p',
      text: `Output memory at fp32: ${show(elements(l.outputShape))} values × ${perValue} bytes = ${count(l.outputBytes)} bytes${l.outputBytes >= 1024 ? ` (${bytes(l.outputBytes)})` : ''}, per forward pass.`,
    },
  ];
}

/** The receptive field, derived from the input's. */
function rfBlock(l: LayerReport, byName: ReadonlyMap<string, LayerReport>): Block {
  if (!l.rf && l.outputShape.length === 0) return { kind: 'p', text: 'Receptive field: unknown, as the output shape is.' };
  if (!l.rf) return { kind: 'p', text: 'Receptive field: none, as the output is not a spatial map (each value may depend on the whole input).' };
  const rf = l.rf;
  // Fields follow the first spatial axis: L of a sequence, H of an image, D of a volume or a video.
  const axis = l.outputShape.length === 3 ? 'L' : l.outputShape.length === 5 ? 'D' : 'H';
  const unit = (n: number) => `${n} ${axis === 'L' ? 'position' : 'pixel'}${n === 1 ? '' : 's'}`;
  const size = `Receptive field: each output value sees ${unit(rf.size)} of the input along ${axis}, and neighbouring outputs are ${unit(rf.jump)} apart`;
  const all = rf.global ? ' Through a global pooling broadcast back onto the map (a squeeze-and-excitation gate), each output also depends on the whole input.' : '';
  return { kind: 'p', text: `${rfText(l, size, byName)}${all}` };
}

/** The field's derivation from the widest input field (of the inputs as large as the output) and the layer's window. */
function rfText(l: LayerReport, size: string, byName: ReadonlyMap<string, LayerReport>): string {
  const ins = l.inputs.map((r) => {
    const name = r.split(':')[0]!;
    return name === 'input' ? INPUT_RF : byName.get(name)?.rf;
  });
  const known = ins.filter((r): r is ReceptiveField => !!r);
  const window = findOp(l.op)?.window?.(l.attrs as never, l.inputShapes);
  if (known.length === 0 || known.length !== ins.length) return `${size}.`;
  const full = known.filter((_, i) => l.inputShapes[i]?.slice(2).join() === l.outputShape.slice(2).join());
  const r = (full.length ? full : known).reduce((a, b) => (b.size > a.size ? b : a));
  if (!window) return `${size}: the same as its ${known.length > 1 ? 'widest input' : 'input'}'s, as the layer works value by value.`;
  const k = window.dilation > 1 ? `${window.dilation}·(${window.kernel} − 1)` : `(${window.kernel} − 1)`;
  const kSym = window.dilation > 1 ? 'd·(k − 1)' : '(k − 1)';
  const sizeText = `r = r_in + ${kSym}·j_in = ${r.size} + ${k}·${r.jump} = ${r.size + window.dilation * (window.kernel - 1) * r.jump}`;
  const jumpText = `j = j_in·s = ${r.jump}·${window.stride} = ${r.jump * window.stride}`;
  return `${size}: ${sizeText}, ${jumpText}.`;
}

/** The full derivation of one layer. */
export function explainLayer(report: Report, layer: LayerReport): Section {
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const def = findOp(layer.op);
  const title = layer.label === layer.op ? `${layer.name} (${layer.type})` : `${layer.name}: ${layer.label} (${layer.type})`;
  const settings = settingsText(layer.attrs);
  const blocks: Block[] = [
    ...(def && layer.op !== 'custom' ? [{ kind: 'p', text: `${layer.type}: ${def.doc}` } as const] : []),
    ...(settings ? [{ kind: 'p', text: `Settings: ${settings}.` } as const] : []),
    ...shapeBlocks(layer, byName),
    ...paramBlocks(layer, report.model.convention === 'keras'),
    ...computeBlocks(layer),
    rfBlock(layer, byName),
    ...(layer.training
      ? [{ kind: 'p', text: 'Only in training: the layer feeds only outputs used in training (an auxiliary loss), so inference does not run it; its parameters count, its MACs and FLOPs are not in the inference totals.' } as const]
      : []),
    ...(layer.note && layer.params !== null ? [{ kind: 'p', text: `Note: ${layer.note}.` } as const] : []),
  ];
  return { title, blocks };
}

/** The whole-model explanation, then every layer that has parameters or MACs. */
export function explainAll(report: Report): Section[] {
  const busy = report.layers.filter((l) => l.weights.length > 0 || l.params === null || (l.macs ?? 1) !== 0);
  return [...explainReport(report), ...busy.map((l) => explainLayer(report, l))];
}
