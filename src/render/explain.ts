/**
 * @module
 * The explanation a good teacher would give: the counting rule of each kind of layer, the spatial sizes
 * with their arithmetic, every layer's weights and biases with the numbers filled in, why the first
 * fully connected layer has the inputs it has, and subtotals per stage.
 */
import { show } from '../count.js';
import { plus, sum, times, type Int } from '../int.js';
import type { LayerReport, Report, WeightReport } from '../analyze/report.js';
import type { Block, Section } from './document.js';
import { count, countCell, shapeText } from './format.js';

export const word: Readonly<Record<string, string>> = { weight: 'weights', bias: 'biases', running_mean: 'running mean', running_var: 'running var' };

/** 'weights k·k·c_in·c_out = 3·3·3·64 = 1,728' for one weight tensor. */
export const weightText = (w: WeightReport): string => `${word[w.name] ?? w.name} ${w.formula ? show(w.formula) : count(w.count)}`;

const rules: Readonly<Record<string, string>> = {
  conv: 'A convolution with k×k kernels, c_in input channels and c_out filters has k·k·c_in·c_out weights and c_out biases; with g groups each filter sees c_in/g channels.',
  linear: 'A fully connected layer with c_in inputs and c_out outputs has c_in·c_out weights and c_out biases.',
  batchnorm: 'BatchNorm learns a scale γ and a shift β per channel (2·C). Its running mean and variance (2·C more) are buffers in PyTorch and non-trainable parameters in Keras.',
};

const family = (op: string): string => (op.startsWith('conv') ? 'conv' : op.startsWith('batchnorm') ? 'batchnorm' : op);

function ruleSection(report: Report): Section {
  const kinds = new Set(report.layers.map((l) => family(l.op)));
  const free = [...new Set(report.layers.filter((l) => l.weights.length === 0).map((l) => l.type))];
  return {
    title: 'How parameters are counted',
    blocks: [
      ...Object.entries(rules).filter(([k]) => kinds.has(k)).map(([, text]): Block => ({ kind: 'p', text })),
      ...(free.length ? [{ kind: 'p', text: `${free.join(', ')} ${free.length === 1 ? 'has' : 'have'} no parameters.` } as const] : []),
    ],
  };
}

/** Spatial sizes along H, with the rule of each layer that changes them (and of the first that keeps them). */
function spatialSection(report: Report): Section | undefined {
  if (report.model.input.length < 4) return undefined;
  const rows: string[][] = [];
  const sizes = [report.model.input[2]!];
  let keptShown = false;
  for (const l of report.layers) {
    const note = l.formulas.shape?.find((n) => n.label === 'H_out');
    const h = l.outputShape.length >= 4 ? l.outputShape[2]! : undefined;
    const hin = l.inputShapes[0]?.[2];
    if (h !== undefined && h !== sizes[sizes.length - 1]) sizes.push(h);
    if (!note) continue;
    const changes = note.count.value !== hin;
    if (changes || !keptShown) {
      rows.push([l.name, l.label, `${note.count.terms} = ${note.count.value}`, changes ? '' : 'padding keeps the size']);
      keptShown ||= !changes;
    }
  }
  if (rows.length === 0) return undefined;
  return {
    title: 'Spatial sizes',
    blocks: [
      { kind: 'p', text: 'Output size of a convolution or pooling: ⌊(in + 2·padding − kernel)/stride⌋ + 1.' },
      { kind: 'table', header: ['layer', 'label', 'H_out', ''], align: ['left', 'left', 'left', 'left'], rows },
      { kind: 'p', text: `So the height and width go ${sizes.join(' → ')}.` },
    ],
  };
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
      // A module read from a weights-only file has no known input: its c_in is unknown.
      return [l.name, l.label, l.inputShapes.length === 0 ? '?' : count(l.inputShapes[0]?.[1] ?? 0), counted.map(weightText).join('; ') + extra + tiedText(l), countCell(l.params)];
    });
  return { title: 'Every layer with parameters', blocks: [{ kind: 'table', header: ['layer', 'label', 'c_in', 'formula', 'params'], align: ['left', 'left', 'right', 'left', 'right'], rows }] };
}

/** Why the first FC layer after a flatten has the inputs it has. */
function fcSection(report: Report): Section | undefined {
  const ls = report.layers;
  const fi = ls.findIndex((l) => l.op === 'flatten' && (l.inputShapes[0]?.length ?? 0) >= 3);
  const fc = ls.slice(fi + 1).find((l) => l.op === 'linear');
  if (fi < 0 || !fc) return undefined;
  const flat = ls[fi]!;
  const [, c, ...sp] = flat.inputShapes[0]!;
  const before = ls.slice(0, fi).reverse().find((l) => l.op.includes('pool'));
  const cin = fc.inputShapes[0]![fc.inputShapes[0]!.length - 1]!;
  const out = fc.outputShape[fc.outputShape.length - 1]!;
  return {
    title: `Why ${fc.name} has ${count(cin)} inputs`,
    blocks: [
      {
        kind: 'p',
        text:
          `${before ? `The last pooling, ${before.name}, leaves ${c} feature maps of ${sp.join('×')}. ` : ''}` +
          `The flatten turns ${shapeText(flat.inputShapes[0]!)} into one vector of ${c}·${sp.join('·')} = ${count(cin)} values, ` +
          `so ${fc.name} has ${count(cin)}·${count(out)} = ${count(times(cin, out))} weights and ${count(out)} biases.`,
      },
    ],
  };
}

/** Runs of equal conv layers at one spatial size, and each FC layer on its own, with parameter subtotals. */
export function stages(report: Report): { label: string; layers: LayerReport[]; params: Int }[] {
  const out: { label: string; key: string; layers: LayerReport[]; params: Int; n: number }[] = [];
  let fc = 0;
  for (const l of report.layers) {
    const last = out[out.length - 1];
    const p = l.params ?? 0;
    if (l.op === 'linear') {
      fc++;
      out.push({ label: `fc${fc}`, key: `fc${fc}`, layers: [l], params: p, n: 1 });
    } else if (l.op.startsWith('conv')) {
      const key = `${l.label}@${l.outputShape.slice(2).join('x')}`;
      if (last && last.key === key) {
        last.layers.push(l);
        last.params = plus(last.params, p);
        last.n++;
      } else out.push({ label: l.label, key, layers: [l], params: p, n: 1 });
    } else if (p > 0 && last) {
      last.layers.push(l);
      last.params = plus(last.params, p);
    } else if (p > 0) out.push({ label: l.label, key: l.name, layers: [l], params: p, n: 1 });
  }
  return out.map((s) => ({ label: s.n > 1 ? `${s.label} ×${s.n}` : s.label, layers: s.layers, params: s.params }));
}

function stageSection(report: Report): Section {
  const rows = stages(report).map((s) => [s.label, `${s.layers[0]!.name}${s.layers.length > 1 ? ` … ${s.layers[s.layers.length - 1]!.name}` : ''}`, count(s.params)]);
  rows.push(['total', '', count(report.totals.params)]);
  return { title: 'Subtotals by stage', blocks: [{ kind: 'table', header: ['stage', 'layers', 'params'], align: ['left', 'left', 'right'], rows }] };
}

function macsSection(report: Report): Section {
  const biggest = report.layers.reduce<LayerReport | undefined>((b, l) => ((l.macs ?? 0) > (b?.macs ?? 0) ? l : b), undefined);
  return {
    title: 'MACs and FLOPs',
    blocks: [
      { kind: 'p', text: 'A MAC is one multiply-accumulate. Conv: N·H_out·W_out·c_out·k·k·c_in/g. Fully connected: N·c_in·c_out. Other layers do no MACs.' },
      ...(biggest?.formulas.macs ? [{ kind: 'p', text: `The largest, ${biggest.name}: ${show(biggest.formulas.macs)}.` } as const] : []),
      report.totals.unknownTotals?.includes('macs')
        ? { kind: 'p', text: 'The MACs and FLOPs are unknown: the file gives the weights of each module, not what it computes.' }
        : { kind: 'p', text: `Total ${count(report.totals.macs)} MACs. FLOPs count a MAC as 2 and add bias adds, activations and pooling: ${count(report.totals.flops)}.` },
    ],
  };
}

/** The whole explanation of a report, as sections. */
export function explainReport(report: Report): Section[] {
  const notes = report.model.notes;
  return [
    ruleSection(report),
    ...[spatialSection(report)].filter((s): s is Section => !!s),
    layerSection(report),
    ...[fcSection(report)].filter((s): s is Section => !!s),
    // Stages follow conv and FC layers; a weights-only file (no layer with known MACs) has none to follow.
    ...(report.totals.unknownTotals?.includes('macs') ? [] : [stageSection(report)]),
    macsSection(report),
    ...(notes.length ? [{ title: 'Rules assumed', blocks: [{ kind: 'list', items: notes } as const] }] : []),
  ];
}
