/**
 * @module
 * Draws a result: the summary, the pictures (charts, the spatial strip, the block diagram or the graph), the
 * layer table and the explanation. Closed panels are drawn when opened, so typing pays only for what is shown.
 */
import { barChart } from './charts.js';
import { blockDiagram, chainStrip } from './diagrams.js';
import { byId, h, replace } from './dom.js';
import { depths, drawGraph, graphAt, MAX_NODES } from './graph.js';
import type { Options, ReportView } from './protocol.js';
import { renderSections } from './sections.js';
import { renderTable } from './table.js';

/** The result on screen, and which parts are drawn for it. */
let shown: { view: ReportView; options: Options; drawn: Set<string> } | undefined;
/** Opens or closes every module of the table on screen. */
let openAll: (open: boolean) => void = () => {};
/** The graph's module depth the user chose, kept while the model keeps its graph. */
let graphDepth: number | undefined;

export const currentView = (): ReportView | undefined => shown?.view;
export const setAllModules = (open: boolean): void => openAll(open);

function summary(view: ReportView): HTMLElement[] {
  return [
    h('h3', { class: 'model-name' }, view.name),
    h('p', { class: 'muted' }, view.line, view.file && !view.source?.includes(view.file) ? ` · from the file ${view.file}` : '', view.source ? ` · ${view.source}` : ''),
    h('dl', { class: 'totals' }, ...view.summary.flatMap(([label, value, note]) => [h('dt', {}, label.trim()), h('dd', {}, h('span', { class: 'value' }, value), note ? h('span', { class: 'muted' }, ` ${note}`) : undefined)])),
    ...(view.diagnostics.length ? [h('ul', { class: 'diagnostics' }, ...view.diagnostics.map((d) => h('li', {}, d)))] : []),
  ];
}

function graphPart(view: ReportView): HTMLElement | undefined {
  const g = view.graph;
  if (!g) return undefined;
  const { max, initial } = depths(g);
  const depth = graphDepth !== undefined && graphDepth <= max ? graphDepth : initial;
  const box = h('div', { class: 'graph-box' });
  const draw = (d: number, anyway = false) => {
    const data = graphAt(g, d);
    if (data.nodes.length > MAX_NODES && !anyway) {
      const button = h('button', { type: 'button', onclick: () => draw(d, true) }, `Draw all ${data.nodes.length.toLocaleString('en-US')} boxes`);
      return replace(box, h('p', { class: 'muted' }, `This graph has ${data.nodes.length.toLocaleString('en-US')} boxes; laying it out takes a while. `, button));
    }
    replace(box, h('p', { class: 'muted' }, 'Laying out the graph…'));
    const what = d === 0 ? 'every layer' : `modules to depth ${d}`;
    void drawGraph(box, data, `Graph of ${view.name}, ${what}: ${data.nodes.length} boxes, ${data.edges.length} arrows`);
  };
  const select = h('select', { id: 'graph-depth' }, h('option', { value: '0' }, 'every layer'), ...Array.from({ length: max }, (_, i) => h('option', { value: String(i + 1) }, `modules at depth ${i + 1}`)));
  select.value = String(depth);
  select.addEventListener('change', () => {
    graphDepth = Number(select.value);
    draw(graphDepth);
  });
  draw(depth);
  return h('figure', { class: 'diagram' }, h('figcaption', {}, 'Graph: ', h('label', { for: 'graph-depth' }, 'show '), select), box);
}

function figures(view: ReportView, width: number): HTMLElement[] {
  const note = view.byLayer.length < view.byLayerOf ? ` (the ${view.byLayer.length} largest of ${view.byLayerOf} layers)` : '';
  return [
    ...(view.chain.length ? [chainStrip(view.chain)] : []),
    ...(view.blocks ? [blockDiagram(view.blocks)] : []),
    ...[graphPart(view)].filter((x): x is HTMLElement => !!x),
    ...(view.groups.bars.length && view.groups.bars.length !== view.byLayer.length ? [barChart(view.groups.bars, view.groups.title, width)] : []),
    ...(view.byLayer.length ? [barChart(view.byLayer, 'layer', width, note)] : []),
  ];
}

let frame = 0;

/**
 * Draws the parts of the result whose panel is open and not yet drawn: the table at once, the pictures in the next
 * frame (so a keystroke's answer reaches the table within one frame, and the pictures follow it).
 */
export function drawOpen(): void {
  if (!shown) return;
  const { view, options, drawn } = shown;
  const open = (id: string) => byId<HTMLDetailsElement>(id).open && !drawn.has(id);
  if (open('pictures')) {
    cancelAnimationFrame(frame);
    const current = shown;
    frame = requestAnimationFrame(() => {
      if (shown !== current || drawn.has('pictures')) return;
      const box = byId('figures');
      replace(box, ...figures(view, box.clientWidth || 600));
      drawn.add('pictures');
      performance.mark('nncalc:pictures');
    });
  }
  if (open('layers')) {
    openAll = renderTable(byId('table'), view, options);
    drawn.add('layers');
  }
  if (open('explain')) {
    replace(byId('sections'), ...renderSections(view.sections));
    drawn.add('explain');
  }
}

/** Shows a new result. */
export function showView(view: ReportView, options: Options): void {
  if (shown?.view.graph === undefined || view.name !== shown.view.name) graphDepth = undefined;
  shown = { view, options, drawn: new Set() };
  replace(byId('summary'), ...summary(view));
  const depth = byId<HTMLSelectElement>('opt-depth');
  replace(depth, h('option', { value: '0' }, 'all'), ...Array.from({ length: view.maxDepth }, (_, i) => h('option', { value: String(i + 1) }, String(i + 1))));
  depth.value = String(Math.min(options.depth, view.maxDepth));
  depth.disabled = view.maxDepth === 0;
  drawOpen();
}

/** Redraws the pictures (their width follows the page's). */
export function redrawPictures(): void {
  shown?.drawn.delete('pictures');
  drawOpen();
}
