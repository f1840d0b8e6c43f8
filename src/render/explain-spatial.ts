/**
 * @module
 * The spatial sizes of a network, along the path that carries the image: from the input to the last layer that
 * still has the input's rank, through the fewest layers. Each axis (D, H, W for volumes and video, H and W for
 * images, L for sequences of conv1d) is followed on its own, through permutes that move it, and each step is
 * shown with the rule that gave it. Axes that go through the same sizes are stated together.
 */
import { fmt, type Count } from '../count.js';
import type { LayerReport, Report } from '../analyze/report.js';
import type { Section } from './document.js';

/** Spatial axis names for an input of this rank (batch and channels first). */
const axesOf = (rank: number): string[] => (rank === 3 ? ['L'] : rank === 4 ? ['H', 'W'] : rank === 5 ? ['D', 'H', 'W'] : []);

const AXIS_WORDS: Readonly<Record<string, string>> = { D: 'D (depth, or time in a video)', H: 'the height', W: 'the width', L: 'the length' };

/** The layers from the input to `last`, through the fewest layers (a residual's shortcut, a cheap branch). */
function shortestPath(report: Report, last: LayerReport): LayerReport[] {
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const dist = new Map<string, number>([['input', 0]]);
  const prev = new Map<string, string>();
  for (const l of report.layers) {
    let best: string | undefined;
    for (const ref of l.inputs) {
      const from = ref.split(':')[0]!;
      const d = dist.get(from);
      if (d !== undefined && (best === undefined || d < dist.get(best)!)) best = from;
    }
    if (best === undefined) continue;
    dist.set(l.name, dist.get(best)! + 1);
    prev.set(l.name, best);
  }
  const path: LayerReport[] = [];
  for (let at: string | undefined = last.name; at !== undefined && at !== 'input'; at = prev.get(at)) {
    const l = byName.get(at);
    if (!l) return [];
    path.push(l);
  }
  return path.reverse();
}

/** One change of size: the layer, the axes it changed with their rules, and the sizes after it. */
interface Step {
  readonly layer: LayerReport;
  readonly rules: Readonly<Record<string, Count | undefined>>;
  readonly after: Readonly<Record<string, number>>;
  readonly keeps: boolean;
}

/** Follows each spatial axis along the path; stops where the axes are merged or dropped (a flatten, a reshape). */
function follow(report: Report, path: readonly LayerReport[]): { axes: string[]; sizes: Map<string, number[]>; steps: Step[] } {
  const input = report.model.input;
  const axes = axesOf(input.length);
  const at = new Map(axes.map((a, i) => [a, i + 2]));
  const sizes = new Map(axes.map((a, i) => [a, [input[i + 2]!]]));
  const steps: Step[] = [];
  let rank = input.length;
  for (const l of path) {
    const out = l.outputShape;
    if (l.op === 'permute' || l.op === 'transpose') {
      const dims =
        l.op === 'permute'
          ? (l.attrs['dims'] as number[]).map((d) => (d < 0 ? d + rank : d))
          : (() => {
              const d = out.map((_, i) => i);
              const [i, j] = [l.attrs['dim0'] as number, l.attrs['dim1'] as number].map((x) => (x < 0 ? x + rank : x)) as [number, number];
              [d[i], d[j]] = [j, i];
              return d;
            })();
      for (const a of axes) at.set(a, dims.indexOf(at.get(a)!));
      if (axes.some((a) => at.get(a)! < 0)) break;
      continue;
    }
    if (out.length !== rank) break;
    const notes = new Map((l.formulas.shape ?? []).map((n) => [n.label, n.count]));
    const rules: Record<string, Count | undefined> = {};
    const after: Record<string, number> = {};
    let changed = false;
    let noted = false;
    for (const a of axes) {
      const size = out[at.get(a)!]!;
      const list = sizes.get(a)!;
      const rule = notes.get(`${a}_out`);
      if (rule) noted = true;
      if (size !== list[list.length - 1]) {
        list.push(size);
        changed = true;
      }
      rules[a] = rule;
      after[a] = size;
    }
    if (changed || noted) steps.push({ layer: l, rules, after, keeps: !changed });
    rank = out.length;
  }
  return { axes, sizes, steps };
}

/** 'H_out = W_out: ⌊(224 + 2·1 − 3)/1⌋ + 1 = 224', or one rule per axis where they differ. */
function ruleText(step: Step, axes: readonly string[]): string {
  if (axes.every((a) => step.rules[a] === undefined)) return `${axes.map((a) => step.after[a]).join('×')}: the output size the layer is set to give`;
  const texts = axes.map((a) => {
    const r = step.rules[a];
    return r ? `${r.terms} = ${fmt(r.value)}` : String(step.after[a]);
  });
  if (texts.every((t) => t === texts[0])) return texts[0]!;
  // Axes with the same rule and numbers share it: 'D: … = 16; H, W: … = 56'.
  const groups: { axes: string[]; text: string }[] = [];
  texts.forEach((t, i) => {
    const g = groups.find((x) => x.text === t);
    if (g) g.axes.push(axes[i]!);
    else groups.push({ axes: [axes[i]!], text: t });
  });
  return groups.map((g) => `${g.axes.join(', ')}: ${g.text}`).join('; ');
}

/** The section, or undefined when the input has no spatial axes or no layer works on them. */
export function spatialSection(report: Report): Section | undefined {
  const rank = report.model.input.length;
  if (rank < 3) return undefined;
  const candidates = report.layers.filter((l) => !l.training && l.outputShape.length === rank);
  const last = candidates[candidates.length - 1];
  if (!last) return undefined;
  const { axes, sizes, steps } = follow(report, shortestPath(report, last));
  if (!steps.some((s) => Object.values(s.rules).some((r) => r !== undefined))) return undefined;
  const rows: string[][] = [];
  let keptShown = false;
  for (const s of steps) {
    if (s.keeps && keptShown) continue;
    keptShown ||= s.keeps;
    rows.push([s.layer.name, s.layer.label, ruleText(s, axes), s.keeps ? 'the size is kept' : '']);
  }
  // Axes that go through the same sizes are stated together: 'the height and the width go 224 → 112'.
  const groups: { names: string[]; sizes: number[] }[] = [];
  for (const a of axes) {
    const list = sizes.get(a)!;
    const same = groups.find((g) => g.sizes.join() === list.join());
    if (same) same.names.push(a);
    else groups.push({ names: [a], sizes: list });
  }
  const sentences = groups.map((g) => {
    const who = g.names.map((n) => AXIS_WORDS[n] ?? n);
    const subject = who.length === 1 ? who[0]! : `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}`;
    const one = who.length === 1;
    return `${subject} ${g.sizes.length === 1 ? `stay${one ? 's' : ''} ${fmt(g.sizes[0]!)}` : `go${one ? 'es' : ''} ${g.sizes.map(fmt).join(' → ')}`}`;
  });
  return {
    title: 'Spatial sizes',
    blocks: [
      { kind: 'p', text: `Along the path that carries the input${steps.length ? ` (${path(steps)})` : ''}, each layer that sets the size, with its rule:` },
      { kind: 'table', header: ['layer', 'label', 'output size', ''], align: ['left', 'left', 'left', 'left'], rows },
      { kind: 'p', text: `So ${sentences.join('; ')}.` },
    ],
  };
}

const path = (steps: readonly Step[]): string =>
  steps.length === 1 ? steps[0]!.layer.name : `${steps[0]!.layer.name} … ${steps[steps.length - 1]!.layer.name}`;
