/**
 * @module
 * Where a fully connected layer's inputs come from, when that is not obvious: a flatten or reshape that turns a
 * feature map into a vector ([1, 512, 7, 7] → 512·7·7 = 25,088), a token picked from a sequence (ViT's class
 * token) or a pooled vector. And the dense evaluation of VGG §3.2: why FC layers applied as convolutions keep
 * their parameter count.
 */
import { fmt } from '../count.js';
import { prod, times } from '../int.js';
import type { LayerReport, Report } from '../analyze/report.js';
import type { Section } from './document.js';
import { shapeText } from './format.js';

/** Layers that pass one tensor on unchanged in shape and hold nothing: a ReLU, a dropout. */
const passes = (l: LayerReport): boolean =>
  l.inputs.length === 1 &&
  l.weights.length === 0 &&
  l.inputShapes[0]?.join() === l.outputShape.join() &&
  !/pool|^(flatten|reshape|permute|transpose)$/.test(l.op);

/** The layer that really produced what `l` reads, skipping ReLUs, dropouts and the like. */
export function producer(l: LayerReport, byName: ReadonlyMap<string, LayerReport>): LayerReport | undefined {
  let p = byName.get((l.inputs[0] ?? '').split(':')[0]!);
  while (p && passes(p)) p = byName.get(p.inputs[0]!.split(':')[0]!);
  return p;
}

const maps = (n: number): string => `${fmt(n)} ${n === 1 ? 'map' : 'maps'}`;

/** '512 maps of 7×7', or for a sequence of conv1d features '64 channels of length 248'. */
const mapsOf = (c: number, sp: readonly number[]): string => (sp.length === 1 ? `${fmt(c)} ${c === 1 ? 'channel' : 'channels'} of length ${fmt(sp[0]!)}` : `${maps(c)} of ${sp.join('×')}`);

/** The text for one FC layer, or undefined when its input is simply the previous layer's vector. */
function why(fc: LayerReport, byName: ReadonlyMap<string, LayerReport>, classToken: boolean): string | undefined {
  const p = producer(fc, byName);
  const x = p?.inputShapes[0];
  if (!p || !x) return undefined;
  const cin = fc.inputShapes[0]![fc.inputShapes[0]!.length - 1]!;
  const out = fc.outputShape[fc.outputShape.length - 1]!;
  const weights = `so ${fc.name} has ${fmt(cin)}·${fmt(out)} = ${fmt(times(cin, out))} weights${fc.weights.some((w) => w.name === 'bias') ? ` and ${fmt(out)} biases` : ''}.`;
  if ((p.op === 'flatten' || p.op === 'reshape') && p.outputShape.length === 2 && x.length >= 3) {
    const [, c, ...sp] = x as [number, number, ...number[]];
    const before = producer(p, byName);
    const pooled = before && /pool/.test(before.op) ? `${before.name} (${before.type}) leaves ${mapsOf(c, sp)}. ` : '';
    const what = p.name === p.op ? `The ${p.op}` : /(^|\.)\d+$/.test(p.name) ? `The ${p.op} (layer ${p.name})` : `The ${p.op} ${p.name}`;
    return `${pooled}${what} turns ${shapeText(x)} into one vector of ${[c, ...sp].map(fmt).join('·')} = ${fmt(prod([c, ...sp]))} values, ${weights}`;
  }
  if (p.op === 'select' && x.length === 3) {
    const dim = p.attrs['dim'] as number;
    const index = p.attrs['index'] as number;
    const which = classToken && index === 0 ? 'the class token' : `the token at position ${index}`;
    return `${fc.name} reads one token, not the whole sequence: ${p.name} takes ${which} (index ${index} of dimension ${dim}) from ${shapeText(x)}, a vector of ${fmt(cin)} values, ${weights}`;
  }
  if (/global|adaptive/.test(p.op) && /pool/.test(p.op) && x.length >= 3) {
    const [, c, ...sp] = x as [number, number, ...number[]];
    if (p.outputShape.length !== 2) return undefined;
    return `${fc.name} reads a pooled vector: ${p.name} (${p.type}) reduces each of the ${mapsOf(c, sp)} to one value, ${fmt(c)} values in all, ${weights}`;
  }
  return undefined;
}

/** One section per FC layer whose inputs a flatten, a reshape, a selected token or a pooling decides. */
export function inputSections(report: Report): Section[] {
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  // A token prepended to the sequence (ViT's class token) is what a select of position 0 reads.
  const classToken = report.layers.some((l) => l.op === 'parameter' && l.attrs['mode'] === 'concat_token');
  return report.layers
    .filter((l) => l.op === 'linear' && l.inputShapes[0]?.length === 2)
    .flatMap((fc) => {
      const text = why(fc, byName, classToken);
      const cin = fc.inputShapes[0]![1]!;
      return text ? [{ title: `Why ${fc.name} has ${fmt(cin)} inputs`, blocks: [{ kind: 'p', text } as const] }] : [];
    });
}

/** Dense evaluation (VGG §3.2): each FC layer applied as a convolution, and why its parameters do not change. */
export function denseSection(report: Report): Section | undefined {
  const dense = report.layers.filter((l) => l.rule === 'dense');
  const first = dense[0];
  if (!first) return undefined;
  const [, c, ...sp] = first.inputShapes[0]! as [number, number, ...number[]];
  const k = first.attrs['kernel'] as number[];
  const out = first.outputShape[1]!;
  const flat = prod([c, ...k]);
  const items = [
    `${first.name} becomes a ${k.join('×')} conv over ${maps(c)}: ${k.join('·')}·${fmt(c)}·${fmt(out)} = ${fmt(prod([...k, c, out]))} weights, ` +
      `as many as an FC layer with ${k.join('·')}·${fmt(c)} = ${fmt(flat)} inputs has (${fmt(flat)}·${fmt(out)} = ${fmt(times(flat, out))}), ` +
      `because the kernel covers the ${k.join('×')} map the FC layer was trained on. The biases stay ${fmt(out)}.`,
    ...dense.slice(1).map((l) => {
      const ci = l.inputShapes[0]![1]!;
      const co = l.outputShape[1]!;
      return `${l.name} becomes a 1×1 conv: ${fmt(ci)}·${fmt(co)} = ${fmt(times(ci, co))} weights and ${fmt(co)} biases, as before.`;
    }),
  ];
  const last = dense[dense.length - 1]!;
  const grid = last.outputShape.slice(2);
  const slides = sp.some((s, i) => s !== k[i]);
  return {
    title: 'Dense evaluation: the FC layers as convolutions',
    blocks: [
      { kind: 'p', text: 'As in §3.2 of the VGG paper, the FC layers are applied as convolutions, so the network takes any input large enough and the parameter count does not change:' },
      { kind: 'list', items },
      {
        kind: 'p',
        text: slides
          ? `On this input the map before ${first.name} is ${sp.join('×')}, so the ${k.join('×')} kernel fits at ${sp.map((s, i) => `${s} − ${k[i]} + 1 = ${s - k[i]! + 1}`).join(' and ')} positions, and the output is a ${grid.join('×')} map of class scores, ${shapeText(last.outputShape)}.`
          : `On this input the map before ${first.name} is ${sp.join('×')}, exactly the kernel, so the output is one vector of class scores, ${shapeText(last.outputShape)}.`,
      },
    ],
  };
}
