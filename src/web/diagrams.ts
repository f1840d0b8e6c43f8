/**
 * @module
 * Two pictures of a CNN's shapes in plain SVG: the spatial chain (224 → 112 → … → 7) as a strip of squares, and a
 * plain sequential CNN as the familiar block diagram, each box's height following H, its depth W and its
 * thickness the channels, labelled with the layers that make it and its shape.
 */
import { h, s } from './dom.js';
import type { Block, ReportView } from './protocol.js';

const number = (n: number): string => n.toLocaleString('en-US');

/** A figure that scrolls sideways on a narrow screen, by keyboard too. */
function scroller(caption: string, svg: SVGSVGElement): HTMLElement {
  return h('figure', { class: 'diagram' }, h('figcaption', {}, caption), h('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': caption }, svg));
}

/** The spatial chain: one square per size, side proportional to it (at least a few pixels). */
export function chainStrip(chain: ReportView['chain']): HTMLElement {
  const max = chain.reduce((m, c) => Math.max(m, c.h), 1);
  const side = (n: number) => Math.max(6, (n / max) * 110);
  const gap = 46;
  let x = 8;
  const parts: SVGElement[] = [];
  const height = 110 + 56;
  chain.forEach((c, i) => {
    const a = side(c.h);
    const y = 8 + (110 - a) / 2;
    const w = Math.max(a, 60);
    const cx = x + w / 2;
    parts.push(
      s('g', {}, s('title', {}, `${c.layer}: ${c.h}×${c.w}, ${number(c.c)} channels`), s('rect', { x: cx - a / 2, y, width: a, height: a, class: 'map' }), s('text', { x: cx, y: 136, 'text-anchor': 'middle', class: 'label' }, c.h === c.w ? number(c.h) : `${c.h}×${c.w}`), s('text', { x: cx, y: 152, 'text-anchor': 'middle', class: 'detail' }, `${number(c.c)} ch`)),
    );
    if (i < chain.length - 1) parts.push(s('text', { x: x + w + gap / 2, y: 66, 'text-anchor': 'middle', class: 'arrow' }, '→'));
    x += w + gap;
  });
  const width = x - gap + 8;
  const text = chain.map((c) => (c.h === c.w ? c.h : `${c.h}×${c.w}`)).join(' → ');
  return scroller(`Spatial size: ${text}`, s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Spatial size along the network: ${text}` }, ...parts));
}

/** A box in pseudo-3D: front face (thickness × height) and the top and side faces receding by `depth`. */
function cuboid(x: number, bottom: number, thick: number, tall: number, depth: number, cls: string): SVGElement {
  const y = bottom - tall;
  const dx = depth * 0.7;
  const dy = depth * 0.5;
  return s(
    'g',
    { class: cls },
    s('polygon', { points: `${x},${y} ${x + dx},${y - dy} ${x + dx + thick},${y - dy} ${x + thick},${y}`, class: 'top' }),
    s('polygon', { points: `${x + thick},${y} ${x + thick + dx},${y - dy} ${x + thick + dx},${bottom - dy} ${x + thick},${bottom}`, class: 'side' }),
    s('rect', { x, y, width: thick, height: tall, class: 'front' }),
  );
}

/** The block diagram of a sequential CNN. */
export function blockDiagram(blocks: readonly Block[]): HTMLElement {
  const maps = blocks.filter((b): b is Extract<Block, { kind: 'maps' }> => b.kind === 'maps');
  const maxH = maps.reduce((m, b) => Math.max(m, b.h), 1);
  const maxW = maps.reduce((m, b) => Math.max(m, b.w), 1);
  const maxN = blocks.reduce((m, b) => (b.kind === 'vector' ? Math.max(m, b.n) : m), 1);
  const base = 190;
  const parts: SVGElement[] = [];
  let x = 10;
  for (const b of blocks) {
    let w: number;
    if (b.kind === 'maps') {
      // Square roots keep a 7×7 map visible beside a 224×224 one; the order of sizes is what the eye compares.
      const tall = Math.max(6, Math.sqrt(b.h / maxH) * 140);
      const depth = Math.max(4, Math.sqrt(b.w / maxW) * 60);
      const thick = Math.max(3, 3 + 5 * Math.log2(1 + b.c / 8));
      parts.push(cuboid(x, base, thick, tall, depth, b.label.includes('pool') ? 'block pool' : 'block conv'));
      w = thick + depth * 0.7;
    } else {
      const tall = Math.max(12, (Math.log10(b.n + 1) / Math.log10(maxN + 1)) * 150);
      parts.push(cuboid(x, base, 6, tall, 6, 'block fc'));
      w = 10;
    }
    const cx = x + w / 2;
    parts.push(
      s('title', {}, `${b.label}: ${b.shape}`),
      s('text', { x: cx, y: base + 18, 'text-anchor': 'end', class: 'label', transform: `rotate(-35 ${cx} ${base + 18})` }, b.label),
      s('text', { x: cx, y: base + 32, 'text-anchor': 'end', class: 'detail', transform: `rotate(-35 ${cx} ${base + 32})` }, b.kind === 'maps' ? `${b.h}×${b.w}×${number(b.c)}` : number(b.n)),
    );
    x += Math.max(w + 16, 38);
  }
  const width = x + 10;
  const height = base + 110;
  // Rotated labels hang left and down: the view box starts left of 0 so the first one fits.
  return scroller(
    'Block diagram: each box is a layer output; its height grows with H, its depth with W, its thickness with the channels',
    s('svg', { width: width + 90, height, viewBox: `-90 0 ${width + 90} ${height}`, role: 'img', 'aria-label': `Block diagram: ${blocks.map((b) => `${b.label} ${b.shape}`).join(', ')}` }, ...parts),
  );
}
