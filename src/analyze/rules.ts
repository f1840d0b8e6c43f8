/**
 * @module
 * The notation's implicit rules as this network applied them: each rule that shaped a layer, stated with the
 * layers it shaped and their numbers ("a flatten comes before the first FC layer: [1, 64, 112, 112] becomes
 * 64·112·112 = 802,816 inputs of fc1"). A rule that shaped no layer is not mentioned.
 */
import { fmt } from '../count.js';
import { prod } from '../int.js';
import type { LayerReport } from './report.js';

/** 'a, b and c'; past `max` items, the first ones, '…' and the last. */
export function listOf(items: readonly string[], max = 4): string {
  const shown = items.length > max ? [...items.slice(0, max - 1), '…', items[items.length - 1]!] : items;
  if (shown.length <= 1) return shown[0] ?? '';
  return items.length > max ? shown.join(', ') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The spatial sizes of a shape as a size: '224' when square, '224×180' otherwise. */
const size = (shape: readonly number[]): string => {
  const sp = shape.slice(2);
  return sp.every((d) => d === sp[0]) ? String(sp[0]) : sp.join('×');
};

const kernelText = (l: LayerReport): string => {
  const k = (l.attrs['kernel'] as readonly number[] | undefined) ?? [];
  return k.every((x) => x === k[0]) ? `conv${k[0]}` : `conv${k.join('x')}`;
};

/** conv padding that keeps the size at stride 1: '1 pixel for the 13 conv3 layers, 2 pixels for conv5 (C1)'. */
function samePadding(convs: readonly LayerReport[]): string {
  const groups = new Map<string, LayerReport[]>();
  for (const l of convs) {
    const p = l.attrs['padding'];
    const pad = Array.isArray(p) ? (p.every((x) => x === p[0]) ? plural(p[0] as number, 'pixel') : `${p.join('×')} pixels`) : "TensorFlow's 'same' padding";
    const key = `${pad}|${kernelText(l)}`;
    const group = groups.get(key);
    if (group) group.push(l);
    else groups.set(key, [l]);
  }
  const parts = [...groups].map(([key, ls]) => {
    const [pad, k] = key.split('|') as [string, string];
    return `${pad} for ${ls.length === 1 ? `${k} (${ls[0]!.name})` : `the ${ls.length} ${k} layers`}`;
  });
  return `conv layers are padded by ⌊k/2⌋ pixels on each side, which keeps the spatial size at stride 1 (VGG paper, §2.1): ${listOf(parts)}`;
}

/** Each rule the notation applied, with the layers it shaped. */
export function ruleNotes(layers: readonly LayerReport[]): string[] {
  const by = (rule: string) => layers.filter((l) => l.rule === rule);
  const notes: string[] = [];
  const relus = by('relu');
  if (relus.length) {
    notes.push(
      `a ReLU follows each conv layer and each FC layer but the last, unless an activation is written after it (VGG paper, §2.1): ` +
        `${plural(relus.length, 'ReLU')} added here (${listOf(relus.map((l) => l.name))})`,
    );
  }
  const bns = by('batchnorm');
  if (bns.length) notes.push(`a BatchNorm follows each conv layer, before its ReLU: ${plural(bns.length, 'BatchNorm')} added here (${listOf(bns.map((l) => l.name))})`);
  const same = by('padding-same');
  if (same.length) notes.push(samePadding(same));
  const valid = by('padding-valid');
  if (valid.length) {
    const steps = valid.map((l) => `${l.name} ${size(l.inputShapes[0]!)} → ${size(l.outputShape)}`);
    notes.push(`conv layers are not padded, so a k×k conv at stride 1 takes k − 1 off the height and the width: ${listOf(steps)}`);
  }
  for (const kind of ['max', 'avg']) {
    const pools = by('pool').filter((l) => l.op.startsWith(kind));
    if (!pools.length) continue;
    const steps = pools.map((l) => `${l.name} ${size(l.inputShapes[0]!)} → ${size(l.outputShape)}`);
    notes.push(`${kind}pool is 2×2 with stride 2 (VGG paper, §2.1): ${listOf(steps)}`);
  }
  const flattens = by('flatten');
  const readers = new Map<string, LayerReport>();
  if (flattens.length) for (const l of layers) for (const i of l.inputs) if (!readers.has(i)) readers.set(i, l);
  for (const f of flattens) {
    const input = f.inputShapes[0]!;
    const reader = readers.get(f.name);
    const what = reader ? ` of ${reader.name}` : '';
    const [, ...rest] = input;
    notes.push(
      input.length > 2
        ? `a flatten comes before the first FC layer: [${input.join(', ')}] becomes ${rest.map(fmt).join('·')} = ${fmt(prod(rest))} inputs${what}`
        : `a flatten comes before the first FC layer; here its input [${input.join(', ')}] is flat already, so it changes nothing`,
    );
  }
  return notes;
}
