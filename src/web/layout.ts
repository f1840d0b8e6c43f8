/**
 * @module
 * The graph-layout worker: lays out a branched model's graph with dagre (a layered, Sugiyama-style layout),
 * off the page's thread. It is its own script, loaded only when a graph is drawn (or once the page is idle),
 * so the page's first result does not wait for it.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { LaidOut, LayoutRequest } from './graph.js';

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, nodes, edges } = event.data;
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 28, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const [a, b] of edges) g.setEdge(a, b);
  layout(g);
  const out: LaidOut = {
    id,
    width: g.graph().width ?? 0,
    height: g.graph().height ?? 0,
    nodes: nodes.map((n) => {
      const p = g.node(n.id);
      return { id: n.id, x: p.x, y: p.y };
    }),
    edges: edges.map(([a, b]) => (g.edge(a, b).points ?? []).map((p: { x: number; y: number }) => [p.x, p.y] as const)),
  };
  self.postMessage(out);
};
self.postMessage({ ready: true });
