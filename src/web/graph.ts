/**
 * @module
 * A branched model as a graph: layers (or modules, at a chosen depth) as boxes, the tensors between them as
 * arrows. The layout runs in its own worker (layout.ts, dagre), created on first use; this side groups the
 * layers, sizes the boxes and draws the SVG.
 */
import { h, replace, s } from './dom.js';
import type { GraphLayer, ReportView } from './protocol.js';

/** A graph with more nodes than this is drawn at a module depth instead of layer by layer. */
export const MAX_NODES = 400;

export interface GraphNode {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly input: boolean;
}

export interface LayoutRequest {
  readonly id: number;
  readonly nodes: readonly { readonly id: string; readonly width: number; readonly height: number }[];
  readonly edges: readonly (readonly [string, string])[];
}

export interface LaidOut {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly { readonly id: string; readonly x: number; readonly y: number }[];
  readonly edges: readonly (readonly (readonly [number, number])[])[];
}

/** 'layer1.0.conv1:1' → 'layer1.0.conv1'. */
const producer = (input: string): string => {
  const colon = input.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(input.slice(colon + 1)) ? input.slice(0, colon) : input;
};

/** Nodes and edges with every layer inside a module at `depth` merged into that module (0: every layer). */
export function graphAt(g: NonNullable<ReportView['graph']>, depth: number): { nodes: GraphNode[]; edges: [string, string][] } {
  const names = new Set(g.layers.map((l) => l.name));
  const group = (l: GraphLayer): string => (depth > 0 && l.scope.length >= depth ? l.scope.slice(0, depth).join('.') : l.name);
  const groupOf = new Map(g.layers.map((l) => [l.name, group(l)] as const));
  const nodes = new Map<string, GraphNode>();
  const counts = new Map<string, number>();
  const edges = new Map<string, [string, string]>();
  for (const l of g.layers) {
    for (const raw of l.inputs) {
      const from = producer(raw);
      if (!names.has(from) && !nodes.has(from)) nodes.set(from, { id: from, title: from, detail: 'input', input: true });
    }
    const id = groupOf.get(l.name)!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    const n = counts.get(id)!;
    const module = id !== l.name;
    nodes.set(id, { id, title: id, detail: module ? `${g.modules[id] ?? 'Module'} · ${n} layers · ${l.shape}` : `${l.type} · ${l.shape}`, input: false });
    for (const raw of l.inputs) {
      const from = groupOf.get(producer(raw)) ?? producer(raw);
      if (from !== id) edges.set(`${from}\u0000${id}`, [from, id]);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Module depths at which the graph can be drawn, the finest one with at most MAX_NODES boxes, and whether that one
 * fits (a model with no modules, such as Keras's NASNetLarge with its thousand layers, may not).
 */
export function depths(g: NonNullable<ReportView['graph']>): { max: number; initial: number; fits: boolean } {
  const max = g.layers.reduce((m, l) => Math.max(m, l.scope.length), 0);
  const size = (d: number) => new Set(g.layers.map((l) => (d > 0 && l.scope.length >= d ? l.scope.slice(0, d).join('.') : l.name))).size;
  if (size(0) <= MAX_NODES) return { max, initial: 0, fits: true };
  for (let d = max; d >= 1; d--) if (size(d) <= MAX_NODES) return { max, initial: d, fits: true };
  return { max, initial: Math.min(1, max), fits: false };
}

const CHAR = 6.6;
const nodeWidth = (n: GraphNode): number => Math.min(260, Math.max(70, Math.max(n.title.length, n.detail.length * 0.9) * CHAR + 16));
const fit = (text: string, width: number): string => {
  const chars = Math.floor((width - 12) / CHAR);
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
};

let worker: Worker | undefined;
let loaded: Promise<void> | undefined;
let nextId = 1;

/** The layout worker, created on first use (or when the page is idle, so drawing later needs no download). */
export function layoutWorker(): Worker {
  if (!worker) {
    const w = new Worker(new URL('./layout.js', import.meta.url), { type: 'module' });
    loaded = new Promise((resolve) => w.addEventListener('message', () => resolve(), { once: true }));
    worker = w;
  }
  return worker;
}

/** Resolves once the layout worker has loaded. */
export const layoutReady = (): Promise<void> => (layoutWorker(), loaded!);

/** Lays out and draws the graph into `box`; a newer call supersedes an unfinished one. */
export function drawGraph(box: HTMLElement, graph: { nodes: GraphNode[]; edges: [string, string][] }, label: string): Promise<void> {
  const id = nextId++;
  const sized = graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: 38 }));
  const w = layoutWorker();
  box.setAttribute('aria-busy', 'true');
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent<LaidOut>) => {
      if (e.data?.id !== id) return;
      w.removeEventListener('message', onMessage);
      if (id === nextId - 1) render(box, graph, sized, e.data, label);
      box.removeAttribute('aria-busy');
      resolve();
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ id, nodes: sized, edges: graph.edges } satisfies LayoutRequest);
  });
}

function render(box: HTMLElement, graph: { nodes: GraphNode[] }, sized: LayoutRequest['nodes'], at: LaidOut, label: string): void {
  const pos = new Map(at.nodes.map((n) => [n.id, n] as const));
  const width = Math.ceil(at.width) + 4;
  const height = Math.ceil(at.height) + 4;
  const marker = s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' }, s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }));
  const svg = s(
    'svg',
    { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    s('defs', {}, marker),
    ...at.edges.map((pts) => s('polyline', { points: pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), class: 'edge', 'marker-end': 'url(#arrow)' })),
    ...graph.nodes.map((n, i) => {
      const p = pos.get(n.id)!;
      const nw = sized[i]!.width;
      const x = p.x - nw / 2;
      const y = p.y - 19;
      return s(
        'g',
        { class: n.input ? 'node input' : 'node' },
        s('title', {}, `${n.title}: ${n.detail}`),
        s('rect', { x, y, width: nw, height: 38, rx: 5 }),
        s('text', { x: p.x, y: y + 15, 'text-anchor': 'middle', class: 'label' }, fit(n.title, nw)),
        s('text', { x: p.x, y: y + 30, 'text-anchor': 'middle', class: 'detail' }, fit(n.detail, nw)),
      );
    }),
  );
  replace(box, h('div', { class: 'scroll graph', tabindex: 0, role: 'region', 'aria-label': label }, svg));
}
