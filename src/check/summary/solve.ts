/**
 * @module
 * The hidden hyperparameters of one summary row, found from its parameter count and the shapes around it:
 * a conv's kernel size, input channels and bias (320 = 32·(3·3·1 + 1)), a Dense layer's bias, an
 * embedding's vocabulary, a recurrent layer's cell and depth. Each reading is a candidate with its
 * arithmetic; the shapes rank them (a kernel that turns 13 into 11 without padding is 3). A count that no
 * reading fits is said to be unexplained, never forced.
 */
import { fmt } from '../../count.js';
import type { Dims } from './parse.js';

/** One way a row's count comes about. */
export interface Reading {
  /** '32·(3·3·1 + 1)'. */
  readonly formula: string;
  /** '32 filters of 3×3 over 1 input channel, each with a bias'. */
  readonly words: string;
  /** Higher is likelier. */
  readonly score: number;
}

/** What the solver knows about a row. */
export interface RowFacts {
  readonly type: string;
  readonly params: number;
  readonly output?: Dims;
  readonly input?: Dims;
  readonly kernel?: readonly number[];
  /** Channels last (Keras) or first (PyTorch). */
  readonly channelsLast: boolean;
  /** The name of the layer the input comes from, for the sentence. */
  readonly from?: string;
}

const known = (d: Dims | undefined): d is readonly number[] => d !== undefined && d.slice(1).every((x) => x !== null);

/** The channel axis of a shape: last for Keras and for vectors, second for PyTorch feature maps. */
export function channelsOf(d: Dims | undefined, last: boolean): number | undefined {
  if (!d || d.length < 2) return undefined;
  const c = last || d.length < 3 ? d[d.length - 1] : d[1];
  return c ?? undefined;
}

function spatialOf(d: Dims | undefined, last: boolean): (number | null)[] {
  if (!d || d.length < 3) return [];
  return last ? d.slice(1, -1) : d.slice(2);
}

const s = (n: number, word: string): string => `${fmt(n)} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

/** 'no padding, stride 1: 13 − 3 + 1 = 11' when the kernel explains the spatial sizes. */
function spatialRule(k: number, hin: number | null | undefined, hout: number | null | undefined): { text: string; ok: boolean } | undefined {
  if (hin == null || hout == null) return undefined;
  if (hin - k + 1 === hout) return { text: `no padding, stride 1: ${hin} − ${k} + 1 = ${hout}`, ok: true };
  if (hin === hout) return { text: `padding keeps the size ${hin}`, ok: true };
  for (const st of [2, 3, 4]) {
    if (Math.floor((hin - k) / st) + 1 === hout) return { text: `no padding, stride ${st}: ⌊(${hin} − ${k})/${st}⌋ + 1 = ${hout}`, ok: true };
    if (Math.ceil(hin / st) === hout) return { text: `'same' padding, stride ${st}: ⌈${hin}/${st}⌉ = ${hout}`, ok: true };
  }
  return { text: `${hin} → ${hout} fits no stride from 1 to 4`, ok: false };
}

/** Kernel sizes k (1…15) for a kernel of `area` elements over `rank` spatial axes, squares (cubes) only. */
function kernelSide(area: number, rank: number): number | undefined {
  for (let k = 1; k <= 15; k++) if (k ** Math.max(1, rank) === area) return k;
  return undefined;
}

/** Conv, transposed conv: params = c_out·(k^r·c_in/g + bias). */
function convReadings(f: RowFacts, grouped = false): Reading[] {
  const cout = channelsOf(f.output, f.channelsLast);
  if (!cout) return [];
  const cin = channelsOf(f.input, f.channelsLast);
  const outSp = spatialOf(f.output, f.channelsLast);
  const inSp = spatialOf(f.input, f.channelsLast);
  const rank = Math.max(1, outSp.length);
  const out: Reading[] = [];
  for (const bias of [1, 0]) {
    const rest = f.params - bias * cout;
    if (rest <= 0 || rest % cout) continue;
    const perFilter = rest / cout;
    const cins = cin !== undefined ? [cin] : [1, 3, ...Array.from({ length: 64 }, (_, i) => i + 1).filter((c) => c !== 1 && c !== 3)];
    for (const c of cins) {
      for (const g of cin !== undefined && grouped ? [2, 4, 8, 16, 32, 64].filter((x) => x < c && c % x === 0).concat(c > 1 ? [c] : []) : [1]) {
        const fan = c / g;
        if (perFilter % fan) continue;
        const area = perFilter / fan;
        const side = f.kernel ? (f.kernel.reduce((p, x) => p * x, 1) === area ? f.kernel[0] : undefined) : kernelSide(area, rank);
        if (side === undefined) continue;
        const kText = f.kernel ? f.kernel.join('×') : Array(rank).fill(side).join('×');
        const kTerms = f.kernel ? f.kernel.join('·') : Array(rank).fill(side).join('·');
        const rule = spatialRule(side, inSp[0], outSp[0]);
        const inner = `${kTerms}·${g > 1 ? `(${fmt(c)}/${g})` : fmt(c)}`;
        const formula = bias ? `${fmt(cout)}·(${inner} + 1)` : `${fmt(cout)}·${inner}`;
        const over = cin !== undefined ? `the ${s(c, 'channel')} of ${f.from ?? 'its input'}` : s(c, 'input channel');
        const words = `${s(cout, 'filter')} of ${kText} over ${over}${g > 1 ? ` in ${g} groups (${fmt(fan)} per filter)` : ''}, ${bias ? 'each with a bias' : 'without biases'}${rule ? `; ${rule.text}` : ''}`;
        let score = (bias ? 2 : 0) + (side % 2 === 1 && side > 1 ? 2 : side === 1 ? 1 : 0) + (g === 1 ? 2 : 0);
        if (rule) score += rule.ok ? 4 : -4;
        if (cin === undefined) score += c === 1 || c === 3 ? 3 : 0;
        out.push({ formula, words, score });
      }
    }
  }
  // A grouped conv is read only when no dense one fits; a kernel that contradicts the sizes only when none agrees.
  if (out.length === 0 && !grouped && cin !== undefined) return convReadings(f, true);
  const agreeing = out.filter((r) => !r.words.includes('fits no stride'));
  return agreeing.length ? agreeing : out;
}

/** Dense / Linear: params = c_in·c_out + c_out. */
function denseReadings(f: RowFacts): Reading[] {
  const cout = channelsOf(f.output, true);
  if (!cout) return [];
  const cin = channelsOf(f.input, true);
  const out: Reading[] = [];
  for (const bias of [1, 0]) {
    const rest = f.params - bias * cout;
    if (rest <= 0 || rest % cout) continue;
    const n = rest / cout;
    if (cin !== undefined && n !== cin) continue;
    const formula = `${fmt(n)}·${fmt(cout)}${bias ? ` + ${fmt(cout)}` : ''}`;
    const from = cin !== undefined ? `the ${s(n, 'value')} of ${f.from ?? 'its input'}` : s(n, 'input');
    out.push({ formula, words: `${s(cout, 'output')} from ${from}, ${bias ? `with ${s(cout, 'bias')}` : 'without biases'}`, score: bias ? 2 : 1 });
  }
  return out;
}

/** Depthwise and separable convolutions (Keras), with depth multiplier 1. */
function separableReadings(f: RowFacts, depthwiseOnly: boolean): Reading[] {
  const cout = channelsOf(f.output, f.channelsLast);
  const cin = channelsOf(f.input, f.channelsLast);
  if (!cout || !cin) return [];
  const rank = Math.max(1, spatialOf(f.output, f.channelsLast).length);
  const out: Reading[] = [];
  for (const bias of [1, 0]) {
    const rest = f.params - bias * cout - (depthwiseOnly ? 0 : cin * cout);
    if (rest <= 0 || rest % cin) continue;
    const side = kernelSide(rest / cin, rank);
    if (side === undefined) continue;
    const k = Array(rank).fill(side);
    const formula = depthwiseOnly ? `${k.join('·')}·${fmt(cin)}${bias ? ` + ${fmt(cout)}` : ''}` : `${k.join('·')}·${fmt(cin)} + ${fmt(cin)}·${fmt(cout)}${bias ? ` + ${fmt(cout)}` : ''}`;
    const words = depthwiseOnly
      ? `one ${k.join('×')} filter per channel over ${s(cin, 'channel')}, ${bias ? 'with biases' : 'without biases'}`
      : `a ${k.join('×')} depthwise filter per input channel (${fmt(cin)}), then a 1×1 pointwise conv to ${s(cout, 'channel')}, ${bias ? 'with biases' : 'without biases'}`;
    out.push({ formula, words, score: bias ? 2 : 1 });
  }
  return out;
}

/** BatchNorm: Keras counts γ, β and the moving mean and variance (4·C, 2·C non-trainable); PyTorch γ, β. */
function normReadings(f: RowFacts, batch: boolean): Reading[] {
  const c = channelsOf(f.output, f.channelsLast || !batch);
  if (!c) return [];
  const k = f.params / c;
  if (batch && k === 4) return [{ formula: `4·${fmt(c)}`, words: `γ, β, moving mean and moving variance for each of ${s(c, 'channel')} (the last two non-trainable)`, score: 2 }];
  if (k === 2) return [{ formula: `2·${fmt(c)}`, words: `a scale γ and a shift β for each of ${s(c, batch ? 'channel' : 'feature')}${batch ? '; the running mean and variance are buffers, not parameters' : ''}`, score: 2 }];
  if (batch && k === 3) return [{ formula: `3·${fmt(c)}`, words: `β (or γ), moving mean and moving variance for each of ${s(c, 'channel')}: built without scale or centre`, score: 1 }];
  if (k === 1) return [{ formula: fmt(c), words: `one vector of ${s(c, batch ? 'channel' : 'feature')}`, score: 1 }];
  return [];
}

function embeddingReadings(f: RowFacts): Reading[] {
  const d = channelsOf(f.output, true);
  if (!d || f.params % d) return [];
  const v = f.params / d;
  return [{ formula: `${fmt(v)}·${fmt(d)}`, words: `a table of ${s(v, 'token')} (input_dim) × ${fmt(d)} dimensions`, score: 2 }];
}

/** LSTM, GRU and simple RNN cells, Keras (one bias vector; GRU reset_after two) or PyTorch (two), one or two directions, several layers. */
function recurrentReadings(f: RowFacts, type: string): Reading[] {
  const outDim = channelsOf(f.output, true);
  const inDim = channelsOf(f.input, true);
  if (!outDim || !inDim) return [];
  const cells = type.includes('lstm') ? [['LSTM', 4]] : type.includes('gru') ? [['GRU', 3]] : type.includes('rnn') && !type.includes('bidirectional') ? [['RNN', 1]] : [['LSTM', 4], ['GRU', 3], ['RNN', 1]];
  const out: Reading[] = [];
  for (const dirs of type.includes('bidirectional') ? [2] : [1, 2]) {
    if (outDim % dirs) continue;
    const h = outDim / dirs;
    for (const [cell, gates] of cells as [string, number][]) {
      const keras = f.channelsLast;
      const biasSets = keras ? (cell === 'GRU' ? [[2, 'two bias vectors (reset_after, the default)'], [1, 'one bias vector']] : [[1, 'one bias vector']]) : [[2, 'two bias vectors (b_ih and b_hh)']];
      for (const [biases, who] of biasSets as [number, string][]) {
        for (let layers = 1; layers <= (keras ? 1 : 8); layers++) {
          const layer = (i: number) => gates * h * ((i === 0 ? inDim : h * dirs) + h) + biases * gates * h;
          let total = 0;
          const terms: string[] = [];
          for (let i = 0; i < layers; i++) {
            total += dirs * layer(i);
            terms.push(`${dirs > 1 ? '2·' : ''}(${gates}·${fmt(h)}·(${fmt(i === 0 ? inDim : h * dirs)} + ${fmt(h)})${biases ? ` + ${biases * gates}·${fmt(h)}` : ''})`);
          }
          if (total === f.params) {
            out.push({ formula: terms.join(' + '), words: `${layers > 1 ? `${layers} stacked ` : ''}${dirs > 1 ? 'bidirectional ' : ''}${cell}${layers > 1 ? 's' : ''} of ${s(h, 'unit')} over ${s(inDim, 'input feature')}: ${gates} gate${gates > 1 ? 's' : ''}, each with input and recurrent weights and ${who}`, score: 2 - layers * 0.1 });
          }
          if (total > f.params) break;
        }
      }
    }
  }
  return out;
}

const FREE = /pool|flatten|dropout|activation|relu|gelu|sigmoid|tanh|softmax|input|add|concat|multiply|reshape|permute|padding|upsampling|rescaling|identity|lambda|repeatvector|average|maximum|minimum|subtract|crop|resiz/;

/** Every reading of a row's count, likeliest first. */
export function readings(f: RowFacts): Reading[] {
  const t = f.type.toLowerCase().replace(/[_\s]/g, '');
  let found: Reading[] = [];
  if (/^conv([123]d)?(transpose)?$|^convtranspose[123]d$|^conv[123]dtranspose$/.test(t)) found = convReadings(f);
  else if (t === 'dense' || t === 'linear' || t === 'lazylinear') found = denseReadings(f);
  else if (t.startsWith('separableconv')) found = separableReadings(f, false);
  else if (t.startsWith('depthwiseconv')) found = separableReadings(f, true);
  else if (t.startsWith('batchnorm')) found = normReadings(f, true);
  else if (t.startsWith('layernorm') || t.startsWith('groupnorm') || t === 'rmsnorm') found = normReadings(f, false);
  else if (t === 'embedding') found = embeddingReadings(f);
  else if (/lstm|gru|rnn|bidirectional/.test(t)) found = recurrentReadings(f, t);
  return found.sort((a, b) => b.score - a.score);
}

/** True for a layer type that holds no parameters. */
export const paramFree = (type: string): boolean => FREE.test(type.toLowerCase());

export { known };
