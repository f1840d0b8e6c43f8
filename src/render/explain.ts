/**
 * @module
 * The explanation a good teacher would give, derived from the network it explains: the counting rule of each
 * kind of layer it has (with one of its layers worked out), the spatial sizes along the path of the image, every
 * layer's weights and biases with the numbers filled in, where a fully connected layer's inputs come from,
 * subtotals per stage of the network's own structure, the MACs, and the rules the numbers assume.
 */
import { show } from '../count.js';
import { cmp, sum } from '../int.js';
import type { LayerReport, Report, WeightReport } from '../analyze/report.js';
import { stages, type Stage } from '../analyze/stages.js';
import type { Block, Section } from './document.js';
import { denseSection, inputSections } from './explain-inputs.js';
import { spatialSection } from './explain-spatial.js';
import { count, countCell } from './format.js';
import { memorySection } from './memory.js';
import { flopParts } from './summary.js';

/** Ops whose MACs include QKᵀ and AV over the whole sequence, which grow with the square of its length. */
const QUADRATIC = new Set(['attention', 'transformer_encoder_layer', 'transformer_decoder_layer', 'mla', 'disentangled_attention']);

export { stages, type Stage } from '../analyze/stages.js';

export const word: Readonly<Record<string, string>> = { weight: 'weights', bias: 'biases', running_mean: 'running mean', running_var: 'running var' };

/** 'weights k·k·c_in·c_out = 3·3·3·64 = 1,728' for one weight tensor. */
export const weightText = (w: WeightReport): string => `${word[w.name] ?? w.name} ${w.formula ? show(w.formula) : count(w.count)}`;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Ops whose weights contract the channel axis (1) of an N, C, … input; the others contract the last axis. */
const CHANNEL_FIRST = /^(conv|depthwise_conv|separable_conv|table_conv|conv_transpose|batchnorm|instancenorm|groupnorm|layernorm2d|subsample|prelu|lrn)/;
/** Ops that contract no input axis: a lookup, a tensor added to the input. */
const NO_CONTRACTION = new Set(['embedding', 'parameter', 'custom']);

/** The size of the input dimension the layer's weights contract: the channels of a conv, the features of a linear layer. */
export function contracted(l: LayerReport): number | undefined {
  const x = l.inputShapes[0];
  // A module row of a --depth report sums layers that contract different dimensions.
  if (!x || NO_CONTRACTION.has(l.op) || l.op === 'module' || x.length < 2) return undefined;
  return CHANNEL_FIRST.test(l.op) ? x[1] : x[x.length - 1];
}

/** The counting rule of each kind of layer the network has, with its first such layer worked out. */
function ruleSection(report: Report): Section {
  const keras = report.model.convention === 'keras';
  const groups = new Map<string, LayerReport[]>();
  const free: string[] = [];
  const tied: LayerReport[] = [];
  for (const l of report.layers) {
    if (l.op === 'module') continue; // a --depth row: its layers are counted by their own kinds
    if (l.weights.length === 0) {
      if (l.params === 0 && !free.includes(l.type)) free.push(l.type);
      continue;
    }
    if (l.params === 0 && l.tied > 0) {
      tied.push(l);
      continue;
    }
    const key = `${l.type}\u0000${l.formulas.params?.formula ?? '?'}`;
    const group = groups.get(key);
    if (group) group.push(l);
    else groups.set(key, [l]);
  }
  const items = [...groups].map(([key, ls]) => {
    const [type, formula] = key.split('\u0000') as [string, string];
    const first = ls[0]!;
    const f = first.formulas.params;
    const example = f ? `${first.name}: ${f.terms === count(f.value) ? f.terms : `${f.terms} = ${count(f.value)}`}` : `${first.name}: ${countCell(first.params)}`;
    const buffers = first.weights.filter((w) => w.buffer);
    const stats = buffers.length
      ? `; ${buffers.map((w) => word[w.name] ?? w.name).join(' and ')} (${count(sum(buffers.map((w) => w.count)))} in ${first.name}) ${keras ? 'are counted as non-trainable parameters (Keras convention)' : 'are buffers, not parameters, in PyTorch (--convention keras counts them)'}`
      : '';
    const fixed = first.weights.some((w) => !w.trainable && !w.buffer) ? '; fixed, not trained' : '';
    return `${type}, ${plural(ls.length, 'layer')}: ${formula === '?' ? 'unknown' : formula} (${example})${stats}${fixed}`;
  });
  const blocks: Block[] = [{ kind: 'p', text: 'Parameters of each kind of layer in this network, with the first such layer worked out:' }, { kind: 'list', items }];
  for (const l of tied) blocks.push({ kind: 'p', text: `${l.name} (${l.type}) has no parameters of its own: it uses ${l.weights.filter((w) => w.tiedTo).map((w) => w.tiedTo).join(' and ')}, counted there.` });
  if (free.length) blocks.push({ kind: 'p', text: `${free.join(', ')} ${free.length === 1 ? 'has' : 'have'} no parameters.` });
  return { title: 'How parameters are counted', blocks };
}

/** '; weight shared with wte.weight, counted there' for tied weights. */
const tiedText = (l: LayerReport): string =>
  l.weights
    .filter((w) => w.tiedTo !== undefined)
    .map((w) => `; ${word[w.name] ?? w.name} shared with ${w.tiedTo}, counted there`)
    .join('');

function layerSection(report: Report): Section {
  const rows = report.layers
    .filter((l) => l.weights.length > 0)
    .map((l) => {
      const counted = l.weights.filter((w) => (report.model.convention === 'keras' || !w.buffer) && w.tiedTo === undefined);
      const buffers = l.weights.filter((w) => w.buffer && report.model.convention === 'pytorch');
      const extra = buffers.length ? ` (+ ${count(sum(buffers.map((w) => w.count)))} buffers)` : '';
      const cin = contracted(l);
      // A module read from a weights-only file has no known input: its c_in is unknown.
      return [l.name, l.label, l.inputShapes.length === 0 ? '?' : cin === undefined ? '–' : count(cin), counted.map(weightText).join('; ') + extra + tiedText(l), countCell(l.params)];
    });
  return {
    title: 'Every layer with parameters',
    blocks: [
      { kind: 'p', text: 'c_in is the input dimension the weights contract: the channels of a convolution, the features (the last dimension) of a linear, attention or recurrent layer.' },
      { kind: 'table', header: ['layer', 'label', 'c_in', 'formula', 'params'], align: ['left', 'left', 'right', 'left', 'right'], rows },
    ],
  };
}

/** The layers a stage spans: 'features.0 … features.2'; for repeated modules the modules: 'model.layers.0 … model.layers.31'. */
function span(s: Stage): string {
  const { layers } = s;
  if (s.repeat && s.path !== undefined) {
    const child = (l: LayerReport) => `${s.path}.${l.name.slice(s.path!.length + 1).split('.')[0]}`;
    return `${child(layers[0]!)} … ${child(layers[layers.length - 1]!)}`;
  }
  return layers.length > 1 ? `${layers[0]!.name} … ${layers[layers.length - 1]!.name}` : layers[0]!.name;
}

function stageSection(report: Report): Section {
  const list = stages(report);
  const rows = list.map((s) => {
    const value = s.repeat ? `${s.repeat.count} × ${count(s.repeat.each)} = ${count(s.params)}` : count(s.params);
    const shared = s.layers.some((l) => l.tied > 0) ? ' (weights shared, counted once)' : '';
    const training = s.layers.every((l) => l.training) ? ' (training only)' : '';
    return [s.label, span(s) + shared + training, value];
  });
  const total = sum(list.map((s) => s.params));
  rows.push(['total', '', count(total)]);
  const blocks: Block[] = [{ kind: 'table', header: ['stage', 'layers', 'params'], align: ['left', 'left', 'right'], rows }];
  if (cmp(total, report.totals.params) !== 0) blocks.push({ kind: 'p', text: `The stages hold ${count(total)} of the ${count(report.totals.params)} parameters; the rest are in layers outside them.` });
  return { title: 'Subtotals by stage', blocks };
}

function macsSection(report: Report): Section {
  const t = report.totals;
  const kinds = new Map<string, LayerReport>();
  for (const l of report.layers) if (l.macs && l.formulas.macs && !kinds.has(l.type)) kinds.set(l.type, l);
  const rules = [...kinds].map(([type, l]) => `${type}: ${l.formulas.macs!.formula}`);
  if (t.unknownTotals?.includes('macs')) {
    return { title: 'MACs and FLOPs', blocks: [{ kind: 'p', text: 'The MACs and FLOPs are unknown: the file gives the weights of each module, not what it computes.' }] };
  }
  const biggest = report.layers.reduce<LayerReport | undefined>((b, l) => (!l.training && cmp(l.macs ?? 0, b?.macs ?? 0) > 0 ? l : b), undefined);
  const blocks: Block[] = [
    {
      kind: 'p',
      text: rules.length
        ? `A MAC is one multiply-accumulate. ${rules.join('. ')}. The other layers do none.`
        : 'A MAC is one multiply-accumulate. No layer of this network does any: nncalc counts those of convolutions, fully connected layers and matrix products.',
    },
  ];
  if (biggest?.formulas.macs) blocks.push({ kind: 'p', text: `The largest, ${biggest.name}: ${show(biggest.formulas.macs)}.` });
  const seq = report.model.sequence;
  if (seq) {
    // Only attention over the whole sequence grows with its square; a recurrent or convolutional network has none,
    // and a bare matmul may or may not multiply two sequence-long operands, so nothing is said of it.
    const growth = report.layers.some((l) => QUADRATIC.has(l.op))
      ? ": attention's QKᵀ and AV grow with the square of the length, the other MACs in proportion to it"
      : report.layers.some((l) => l.op === 'matmul')
        ? ''
        : ': the MACs grow with it';
    blocks.push({ kind: 'p', text: `They are counted at ${count(seq.length)} tokens per sample${seq.given ? '' : " (the model's default here; --seq sets it)"}${growth}.` });
  }
  const parts = flopParts(report);
  blocks.push({
    kind: 'p',
    text: `Total ${count(t.macs)} MACs. FLOPs count a MAC as 2 (a multiply and an add)${parts.length ? ` and add the layers' other operations (${parts.join(', ')})` : ''}: ${count(t.flops)}.`,
  });
  if (t.training) {
    blocks.push({
      kind: 'p',
      text: `The ${plural(t.training.layers, 'training-only layer')} (${trainingNames(report)}) add ${count(t.training.macs)} MACs when they run, in training; inference does not run them, so they are not in the total.`,
    });
  }
  return { title: 'MACs and FLOPs', blocks };
}

/** The modules (or layers) that only training needs: 'AuxLogits'. */
export function trainingNames(report: Report): string {
  const names: string[] = [];
  for (const l of report.layers) {
    if (!l.training) continue;
    const top = l.scope.length ? l.scope.slice(0, 1).join('.') : l.name;
    if (!names.includes(top)) names.push(top);
  }
  return names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', ');
}

function trainingSection(report: Report): Section | undefined {
  const t = report.totals.training;
  if (!t) return undefined;
  return {
    title: 'Training-only layers',
    blocks: [
      {
        kind: 'p',
        text:
          `${trainingNames(report)} feed${trainingNames(report).includes(',') ? '' : 's'} only outputs used in training (an auxiliary loss). ` +
          `${plural(t.layers, 'layer')} with ${count(t.params)} parameters: the parameters are in the total, as the model holds them; ` +
          `their ${count(t.macs)} MACs, ${count(t.flops)} FLOPs and outputs are not in the inference totals.`,
      },
    ],
  };
}

/** The whole explanation of a report, as sections. */
export function explainReport(report: Report): Section[] {
  const notes = report.model.notes;
  const optional = (s: Section | undefined): Section[] => (s ? [s] : []);
  return [
    ruleSection(report),
    ...optional(spatialSection(report)),
    layerSection(report),
    ...inputSections(report),
    ...optional(denseSection(report)),
    // A weights-only file (no layer with known MACs) has no structure of layers to cut into stages.
    ...(report.totals.unknownTotals?.includes('macs') ? [] : [stageSection(report)]),
    macsSection(report),
    ...optional(trainingSection(report)),
    ...[memorySection(report)].filter((s): s is Section => !!s),
    ...(notes.length ? [{ title: 'Rules assumed', blocks: [{ kind: 'list', items: notes } as const] }] : []),
  ];
}
