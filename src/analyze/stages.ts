/**
 * @module
 * The stages of a network, for subtotals: the parts its own structure names. A plain sequential stack (the VGG
 * paper's columns, LeNet, AlexNet) is cut into runs of equal conv layers at one spatial size and one stage per
 * other layer with parameters, as the usual hand calculation writes it ('conv3-64 ×2', 'fc1'). Any other network
 * is cut along its module tree: ResNet's stem, layer1 … layer4 and head; a transformer's embeddings, its N
 * identical decoder layers as one stage (32 × 202,383,360), the final norm and the head.
 */
import { plus, sum, type Int } from '../int.js';
import type { LayerReport, Report } from './report.js';

/** One stage with its parameter subtotal. */
export interface Stage {
  /** What the explanation calls it: 'conv3-64 ×2', 'fc1', 'layer1', 'embeddings'. Never another layer's name. */
  readonly label: string;
  /** The label, made unique among the stages ('conv3-512 ×3 #2' for VGG's second run of that label). */
  readonly key: string;
  /** 'run': equal layers of a sequential stack; 'layer': one layer and the norms after it; 'module': a module; 'layers': layers between modules. */
  readonly kind: 'run' | 'layer' | 'module' | 'layers';
  /** The module path, for a module stage ('layer1', 'model.layers'). */
  readonly path?: string;
  /** Every layer it sums (for a run or a layer: those with parameters, and the conv and FC layers). */
  readonly layers: readonly LayerReport[];
  readonly params: Int;
  /** n modules that are identical layer for layer (Llama's decoder layers): n and the parameters of each. */
  readonly repeat?: { readonly count: number; readonly each: Int };
}

const isConv = (op: string): boolean => op.startsWith('conv') || op === 'table_conv2d' || op === 'depthwise_conv2d' || op === 'separable_conv2d';
/** Layers that belong with the layer before them rather than making a stage of their own. */
const follows = (op: string): boolean => /norm|^prelu$/.test(op);
const positional = (name: string): boolean => /(^|\.)\d+$/.test(name);
/** A layer with weights of its own or shared (GPT-2's tied lm_head), or with a count nncalc does not know. */
const hasWeights = (l: LayerReport): boolean => l.weights.length > 0 || l.params === null;
const paramsOf = (layers: readonly LayerReport[]): Int => sum(layers.map((l) => l.params ?? 0));

interface Draft {
  label: string;
  kind: Stage['kind'];
  path?: string;
  layers: LayerReport[];
  runKey?: string;
  n: number;
  repeat?: Stage['repeat'];
}

/** True when every layer reads the one before it (the first, the input), and modules nest one level at most. */
function isPlainStack(report: Report): boolean {
  if (Object.keys(report.modules ?? {}).some((m) => m.includes('.'))) return false;
  return report.layers.every((l, i) => l.inputs.length === 1 && l.inputs[0] === (i === 0 ? 'input' : report.layers[i - 1]!.name) && !l.training);
}

/** Runs of equal conv layers at one spatial size; each FC layer and each other layer with parameters on its own. */
function labelRuns(report: Report): Draft[] {
  const out: Draft[] = [];
  const names = new Set(report.layers.map((l) => l.name));
  let fc = 0;
  for (const l of report.layers) {
    const last = out[out.length - 1];
    if (isConv(l.op)) {
      const runKey = `${l.label}@${l.outputShape.slice(2).join('x')}`;
      if (last?.runKey === runKey) {
        last.layers.push(l);
        last.n++;
      } else out.push({ label: l.label, kind: 'run', layers: [l], runKey, n: 1 });
    } else if (l.op === 'linear') {
      fc++;
      // The seed's fc1, fc2, fc3 for unnamed FC layers (classifier.0); a layer's own name when it has one (F6).
      const label = positional(l.name) && !names.has(`fc${fc}`) ? `fc${fc}` : l.name;
      out.push({ label, kind: 'layer', layers: [l], n: 1 });
    } else if ((l.params ?? 1) !== 0) {
      // A BatchNorm belongs with the conv run before it; any other layer with parameters is a stage of its own.
      if (last?.kind === 'run' && follows(l.op)) last.layers.push(l);
      else out.push({ label: positional(l.name) ? l.label : l.name, kind: 'layer', layers: [l], n: 1 });
    }
  }
  for (const d of out) if (d.n > 1) d.label = `${d.label} ×${d.n}`;
  return out;
}

/** A node of the module tree: a module path with its children (modules and layers) in order. */
interface Mod {
  readonly path: string;
  readonly items: Item[];
  readonly layers: LayerReport[];
}
type Item = Mod | LayerReport;
const isMod = (i: Item): i is Mod => 'items' in i;

function moduleTree(report: Report): Mod {
  const root: Mod = { path: '', items: [], layers: [] };
  const mods = new Map<string, Mod>([['', root]]);
  for (const l of report.layers) {
    let parent = root;
    root.layers.push(l);
    for (let d = 1; d <= l.scope.length; d++) {
      const path = l.scope.slice(0, d).join('.');
      let m = mods.get(path);
      if (!m) {
        m = { path, items: [], layers: [] };
        mods.set(path, m);
        parent.items.push(m);
      }
      m.layers.push(l);
      parent = m;
    }
    parent.items.push(l);
  }
  return root;
}

/** The layers of a module, relative to it: op, name and parameters, for comparing repeated modules. */
const signature = (m: Mod): string => m.layers.map((l) => `${l.name.slice(m.path.length)}|${l.op}|${l.params}`).join(';');

/** n ≥ 2 child modules that are identical layer for layer, and nothing else. */
function identical(m: Mod): { count: number; each: Int } | undefined {
  if (m.items.length < 2 || !m.items.every(isMod)) return undefined;
  const children = m.items as Mod[];
  const first = signature(children[0]!);
  return children.every((c) => signature(c) === first) ? { count: children.length, each: paramsOf(children[0]!.layers) } : undefined;
}

const hasModules = (m: Mod): boolean => m.items.some(isMod);

/** The top-level items, with the one module that holds most of the network opened up (a transformer's 'model'). */
function topItems(root: Mod): Item[] {
  let items = root.items;
  for (;;) {
    const deep = items.filter((i): i is Mod => isMod(i) && hasModules(i) && !identical(i));
    const only = deep.length === 1 ? deep[0]! : undefined;
    if (!only || 2 * only.layers.length <= root.layers.length) return items;
    items = items.flatMap((i) => (i === only ? only.items : [i]));
  }
}

const ROLE_LABEL: Readonly<Record<string, string>> = { embeddings: 'embeddings', head: 'head' };

/** Stages along the module tree: modules as they are, the layers between them in runs. */
function moduleStages(report: Report): Draft[] {
  const items = topItems(moduleTree(report));
  const last = (f: (i: Item) => boolean) => items.length - 1 - [...items].reverse().findIndex(f);
  const firstMod = items.findIndex(isMod);
  const lastMod = last(isMod);
  // The trunk ends with the last module that holds modules (Llama's decoder layers, ResNet's layer4).
  const lastDeep = last((i) => isMod(i) && hasModules(i));
  const out: Draft[] = [];
  let run: { layers: LayerReport[]; role: string | undefined; at: number } | undefined;
  const close = () => {
    if (!run) return;
    const { layers, role, at } = run;
    const weighted = layers.filter(hasWeights);
    const label =
      role === 'norms'
        ? at > lastDeep
          ? 'final norm'
          : 'norm'
        : role !== undefined
          ? (ROLE_LABEL[role] ?? role)
          : at < firstMod && layers.length > 1
            ? 'stem'
            : at > lastMod && layers.length > 1
              ? 'head'
              : weighted.length === 1
                ? weighted[0]!.name
                : `${layers[0]!.name} … ${layers[layers.length - 1]!.name}`;
    out.push({ label, kind: 'layers', layers, n: 1 });
    run = undefined;
  };
  items.forEach((item, at) => {
    if (isMod(item)) {
      close();
      const repeat = identical(item);
      out.push({ label: item.path, kind: 'module', path: item.path, layers: item.layers, n: 1, ...(repeat ? { repeat } : {}) });
      return;
    }
    const weighted = hasWeights(item);
    // A run takes the role of its layers with weights; a layer of another role starts a new run.
    if (run && weighted && run.role !== item.role && run.layers.some(hasWeights)) close();
    if (!run) run = { layers: [], role: item.role, at };
    if (weighted) run.role = item.role;
    run.layers.push(item);
  });
  close();
  return out;
}

/**
 * The block a flat name belongs to: its words up to the first with a digit ('conv2_block1_1_conv' → 'conv2',
 * 'block1a_dwconv' → 'block1a', 'conv1/bn' → 'conv1'), else its first word ('stem_conv' → 'stem').
 */
function blockOf(name: string): string {
  const words = name.split(/[_/.]/);
  const k = words.findIndex((w) => /\d/.test(w));
  return words.slice(0, k < 0 ? 1 : k + 1).join('_');
}

/**
 * Stages from the names of a network that has no modules but names its layers by block (Keras's 'conv2_block1_…',
 * 'block1a_…'): consecutive layers of one block are one stage. Undefined when the names do not group the layers
 * (Keras's Inception v3 numbers every layer on its own: conv2d_5, batch_normalization_5).
 */
function nameStages(report: Report): Draft[] | undefined {
  const out: Draft[] = [];
  for (const l of report.layers) {
    const block = blockOf(l.name);
    const last = out[out.length - 1];
    // A layer without weights (Keras's add_3, activation_7) stays with the block before it.
    if (last && (last.label === block || !hasWeights(l))) last.layers.push(l);
    else out.push({ label: block, kind: 'layers', layers: [l], n: 1 });
  }
  const weighted = report.layers.filter(hasWeights).length;
  const groups = out.filter((d) => d.layers.some(hasWeights)).length;
  return groups <= Math.max(4, weighted / 4) ? out : undefined;
}

/** One stage per layer with parameters, with the norm that reads it (a network whose modules and names say nothing). */
function layerStages(report: Report): Draft[] {
  const out: Draft[] = [];
  for (const l of report.layers) {
    if ((l.params ?? 1) === 0 && (l.macs ?? 0) === 0) continue;
    const last = out[out.length - 1];
    if (last?.layers.length === 1 && follows(l.op) && l.inputs.includes(last.layers[0]!.name)) {
      last.layers.push(l);
      last.label = `${last.label} + ${l.name}`;
    } else out.push({ label: l.name, kind: 'layer', layers: [l], n: 1 });
  }
  return out;
}

/**
 * The stages of a report with their parameter subtotals, in order; together they hold every parameter.
 * A label never names another layer, and `key` is unique.
 * @example stages(summarize('resnet50')).map((s) => s.label) // stem, layer1, layer2, layer3, layer4, head
 */
export function stages(report: Report): Stage[] {
  const plain = isPlainStack(report);
  const hasMods = Object.keys(report.modules ?? {}).length > 0;
  const drafts = plain ? labelRuns(report) : hasMods ? moduleStages(report) : (nameStages(report) ?? layerStages(report));
  const names = new Set(report.layers.map((l) => l.name));
  const seen = new Map<string, number>();
  const out: Stage[] = [];
  for (const d of drafts) {
    const params = paramsOf(d.layers);
    if (params === 0 && d.layers.every((l) => (l.macs ?? 0) === 0) && d.kind !== 'run') continue;
    const weighted = d.layers.filter((l) => (l.params ?? 1) !== 0);
    // A label may be a layer's name only when the stage is that layer's parameters alone.
    const label = names.has(d.label) && !(weighted.length === 1 && weighted[0]!.name === d.label) ? `${d.label} (stage)` : d.label;
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    out.push({
      label,
      key: n === 1 ? label : `${label} #${n}`,
      kind: d.kind,
      ...(d.path !== undefined ? { path: d.path } : {}),
      layers: d.layers,
      params,
      ...(d.repeat ? { repeat: d.repeat } : {}),
    });
  }
  return out;
}

/** Σ of the stages' parameters, which equals the total. */
export const stageTotal = (list: readonly Stage[]): Int => list.reduce<Int>((s, x) => plus(s, x.params), 0);
