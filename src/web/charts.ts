/**
 * @module
 * Bar charts in plain SVG, drawn at the width of their container: for each layer or stage, one bar for its
 * parameters and one for its MACs, each scaled to the largest of its kind, with the exact counts written beside.
 */
import { h, s } from './dom.js';
import type { Bar } from './protocol.js';

const ROW = 30;
const BAR = 9;
const TEXT_W = 84;

/** Cuts a label to about `chars` characters. */
const fit = (text: string, chars: number): string => (text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`);

/** A figure with a grouped horizontal bar chart; `what` names the rows ('layer', 'stage'). */
export function barChart(bars: readonly Bar[], what: string, width: number, note = ''): HTMLElement {
  const w = Math.max(280, Math.floor(width));
  const labelW = Math.round(Math.min(240, Math.max(100, w * 0.34)));
  const area = Math.max(40, w - labelW - 12 - TEXT_W);
  const maxP = bars.reduce((m, b) => (b.p > m ? b.p : m), 0) || 1;
  const maxM = bars.reduce((m, b) => (b.m > m ? b.m : m), 0) || 1;
  const height = bars.length * ROW + 8;
  const len = (v: number, max: number) => (Number.isFinite(v) && v > 0 ? Math.max(1.5, (v / max) * area) : 0);
  const chars = Math.floor(labelW / 6.6);
  const svg = s(
    'svg',
    { class: 'chart', width: w, height, viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': `Parameters and MACs by ${what}, ${bars.length} ${what}s: ${bars.map((b) => `${b.label} ${b.pText} parameters, ${b.mText} MACs`).join('; ')}` },
    ...bars.map((b, i) => {
      const y = 4 + i * ROW;
      const lp = len(b.p, maxP);
      const lm = len(b.m, maxM);
      const x = labelW + 8;
      return s(
        'g',
        {},
        s('title', {}, `${b.label} (${b.detail}): ${b.pText} parameters, ${b.mText} MACs`),
        s('text', { x: labelW, y: y + 11, class: 'label', 'text-anchor': 'end' }, fit(b.label, chars)),
        s('text', { x: labelW, y: y + 23, class: 'detail', 'text-anchor': 'end' }, fit(b.detail, chars)),
        s('rect', { x, y: y + 3, width: lp, height: BAR, class: 'bar-p' }),
        s('text', { x: x + lp + 4, y: y + 11, class: 'value' }, b.pText),
        s('rect', { x, y: y + 3 + BAR + 2, width: lm, height: BAR, class: 'bar-m' }),
        s('text', { x: x + lm + 4, y: y + 22, class: 'value' }, b.mText),
      );
    }),
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, `Parameters `, h('span', { class: 'key key-p', 'aria-hidden': 'true' }), ` and MACs `, h('span', { class: 'key key-m', 'aria-hidden': 'true' }), ` by ${what}${note}`),
    svg,
  );
}
