/**
 * @module
 * Recurrent layers: Elman RNN, LSTM and GRU, with PyTorch's options (num_layers, bidirectional, batch_first,
 * bias; LSTM's proj_size). G is the number of gate blocks: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).
 *
 * Input: [L, N, in] (PyTorch's default, batch_first false), [N, L, in] with batch_first, or unbatched [L, in].
 * Written the Keras way (`units` for hidden_size), the layer is batch first and returns only the last step
 * (return_sequences false), as Keras's are; either can be set.
 * Outputs: 0 the output sequence [L, N, D·H_out] (or [N, L, D·H_out]); 1 h_n [D·num_layers, N, H_out];
 * 2 (LSTM) c_n [D·num_layers, N, H]. D = 2 when bidirectional, H_out = proj_size or H.
 *
 * MACs of each layer and direction: L·N·G·H·(in_k + H_out), plus L·N·H·P for the LSTM projection,
 * where in_0 = in and in_k = D·H_out after the first layer.
 */
import { add, dim, lit, mul, term, type Count } from '../count.js';
import { ModelError } from '../errors.js';
import type { Shape, Weight } from '../types.js';
import type { Attrs } from './attrs.js';
import { defineOp, type OpContext, type OpDef } from './op.js';
import { shapeError } from './spatial.js';

export type RecurrentKind = 'rnn' | 'lstm' | 'gru';

/** Normalised recurrent attributes; kind-specific ones keep their defaults on the other kinds. */
export interface Recurrent {
  readonly hidden_size: number;
  readonly input_size: number | undefined;
  readonly num_layers: number;
  readonly bias: boolean;
  readonly batch_first: boolean;
  readonly bidirectional: boolean;
  readonly dropout: number;
  /** RNN only. */
  readonly nonlinearity: 'tanh' | 'relu';
  /** LSTM only; 0 for none. */
  readonly proj_size: number;
  /** GRU under the Keras convention: two bias vectors (Keras's default) or one. */
  readonly reset_after: boolean;
  /** Output 0 is the whole sequence (PyTorch, Keras's return_sequences) or only the last step [N, D·H_out]. */
  readonly return_sequences: boolean;
}

const gates: Record<RecurrentKind, number> = { rnn: 1, lstm: 4, gru: 3 };
/** Element-wise work per hidden unit and step besides the sums: RNN its activation; LSTM 4 activations, c = f·c + i·g (3), h = o·tanh(c) (2); GRU 3 activations, r·(W_hn·h) (1), h = n + z·(h − n) (3). */
const gateOps: Record<RecurrentKind, number> = { rnn: 1, lstm: 9, gru: 7 };
const titles: Record<RecurrentKind, string> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

function readRecurrent(kind: RecurrentKind, r: Attrs): Recurrent {
  const hidden_size = r.int('hidden_size', { min: 1 });
  const keras = r.written('hidden_size') === 'units';
  const proj_size = kind === 'lstm' ? r.int('proj_size', { min: 0, default: 0 }) : 0;
  if (proj_size >= hidden_size) {
    r.fail('proj_size', `'proj_size' must be smaller than 'hidden_size'. Received: proj_size=${proj_size}, hidden_size=${hidden_size}.`);
  }
  return {
    hidden_size,
    input_size: r.has('input_size') ? r.int('input_size', { min: 1 }) : undefined,
    num_layers: r.int('num_layers', { min: 1, default: 1 }),
    bias: r.bool('bias', true),
    batch_first: r.bool('batch_first', keras),
    bidirectional: r.bool('bidirectional', false),
    dropout: r.num('dropout', { min: 0, max: 1, default: 0 }),
    nonlinearity: kind === 'rnn' ? r.oneOf('nonlinearity', ['tanh', 'relu'] as const, 'tanh') : 'tanh',
    proj_size,
    reset_after: kind === 'gru' ? r.bool('reset_after', true) : true,
    return_sequences: r.bool('return_sequences', !keras),
  };
}

/** Sequence length, batch and features of the input. */
function layout(kind: RecurrentKind, a: Recurrent, x: Shape): { L: number; N: number | undefined; features: number } {
  if (x.length !== 2 && x.length !== 3) {
    throw shapeError(`${kind} expects a sequence ${a.batch_first ? '[N, L, in]' : '[L, N, in]'} or an unbatched [L, in], but received [${x.join(', ')}].`, [
      x.length === 4 ? 'Hint: an image must become a sequence first (flatten or permute it).' : 'Hint: batch_first says which of the first two dimensions is the batch.',
    ]);
  }
  const features = x[x.length - 1]!;
  if (a.input_size !== undefined && a.input_size !== features) {
    throw shapeError(`${kind} expects input_size ${a.input_size} features, but its input [${x.join(', ')}] has ${features} in the last dimension.`);
  }
  if (x.length === 2) return { L: x[0]!, N: undefined, features };
  return a.batch_first ? { L: x[1]!, N: x[0]!, features } : { L: x[0]!, N: x[1]!, features };
}

const directions = (a: Recurrent): number => (a.bidirectional ? 2 : 1);

/** G·H, or H for the RNN. */
const gh = (g: number, h: number): Count[] => (g === 1 ? [term('H', h)] : [lit(g), term('H', h)]);

/** The input width of layer k: in, or D·H_out. */
function layerInput(a: Recurrent, k: number, features: number): Count {
  const hOut = a.proj_size ? term('P', a.proj_size) : term('H', a.hidden_size);
  if (k === 0) return term('in', features);
  return a.bidirectional ? mul(lit(2), hOut) : hOut;
}

function recurrentWeights(kind: RecurrentKind, a: Recurrent, features: number, ctx?: OpContext): Weight[] {
  const g = gates[kind];
  const h = a.hidden_size;
  const hOut = a.proj_size || h;
  const hOutTerm = a.proj_size ? term('P', a.proj_size) : term('H', h);
  const keras = ctx?.convention === 'keras';
  if (keras && a.proj_size) {
    throw new ModelError('unsupported', `lstm: Keras's LSTM has no projection, so proj_size=${a.proj_size} has no Keras weights. Use the PyTorch convention.`);
  }
  const weights: Weight[] = [];
  for (let k = 0; k < a.num_layers; k++) {
    const inK = layerInput(a, k, features);
    for (let dir = 0; dir < directions(a); dir++) {
      if (keras) {
        // Keras's names and [in, G·H] layout; one layer and direction per Keras layer, so suffixes only when there are several.
        const sfx = a.num_layers === 1 && !a.bidirectional ? '' : `_l${k}${dir ? '_reverse' : ''}`;
        weights.push({ name: `kernel${sfx}`, shape: [dim(inK), g * h], dims: ['in', 'G·H'], count: mul(inK, ...gh(g, h)) });
        weights.push({ name: `recurrent_kernel${sfx}`, shape: [h, g * h], dims: ['H', 'G·H'], count: mul(term('H', h), ...gh(g, h)) });
        if (a.bias && kind === 'gru' && a.reset_after) {
          weights.push({ name: `bias${sfx}`, shape: [2, g * h], dims: ['2', 'G·H'], count: mul(lit(2), ...gh(g, h)) });
        } else if (a.bias) {
          weights.push({ name: `bias${sfx}`, shape: [g * h], dims: ['G·H'], count: mul(...gh(g, h)) });
        }
        continue;
      }
      const sfx = `_l${k}${dir ? '_reverse' : ''}`;
      weights.push({ name: `weight_ih${sfx}`, shape: [g * h, dim(inK)], dims: ['G·H', 'in'], count: mul(...gh(g, h), inK) });
      weights.push({ name: `weight_hh${sfx}`, shape: [g * h, hOut], dims: ['G·H', 'H_out'], count: mul(...gh(g, h), hOutTerm) });
      if (a.bias) {
        for (const name of ['bias_ih', 'bias_hh']) weights.push({ name: `${name}${sfx}`, shape: [g * h], dims: ['G·H'], count: mul(...gh(g, h)) });
      }
      if (a.proj_size) {
        weights.push({ name: `weight_hr${sfx}`, shape: [a.proj_size, h], dims: ['P', 'H'], count: mul(term('P', a.proj_size), term('H', h)) });
      }
    }
  }
  return weights;
}

function recurrentOp(kind: RecurrentKind): OpDef<Recurrent> {
  const g = gates[kind];
  const title = titles[kind];
  return defineOp<Recurrent>({
    kind,
    title,
    doc:
      `${title} (G = ${g}) on [L, N, in] ([N, L, in] with batch_first); outputs the sequence, h_n${kind === 'lstm' ? ' and c_n' : ''}. ` +
      `Per layer and direction: weight_ih [G·H, in], weight_hh [G·H, H], bias_ih and bias_hh [G·H] (PyTorch keeps two bias vectors)` +
      `${kind === 'lstm' ? ', weight_hr [P, H] with proj_size P' : ''}. Under the Keras convention: kernel [in, G·H], recurrent_kernel [H, G·H] and ` +
      `${kind === 'gru' ? 'bias [2, G·H] (reset_after true, Keras\'s default) or [G·H] (reset_after false)' : 'one bias [G·H]'}. ` +
      `MACs: L·N·G·H·(in + H) per layer and direction. FLOPs per step and hidden unit: G to add the two products, G for the bias, ${gateOps[kind]} for the gates.`,
    attrs: (r) => readRecurrent(kind, r),
    shape(a, [x]) {
      const { L, N } = layout(kind, a, x!);
      const d = directions(a);
      const hOut = a.proj_size || a.hidden_size;
      const batch = N === undefined ? [] : [N];
      const last = N === undefined ? [d * hOut] : [N, d * hOut];
      const seq = !a.return_sequences ? last : N === undefined ? [L, d * hOut] : a.batch_first ? [N, L, d * hOut] : [L, N, d * hOut];
      const state = (width: number) => [d * a.num_layers, ...batch, width];
      return kind === 'lstm' ? [seq, state(hOut), state(a.hidden_size)] : [seq, state(hOut)];
    },
    weights: (a, [x], ctx) => recurrentWeights(kind, a, x![x!.length - 1]!, ctx),
    macs(a, [x]) {
      const { L, N, features } = layout(kind, a, x!);
      const h = a.hidden_size;
      const hOut = a.proj_size ? term('P', a.proj_size) : term('H', h);
      const steps = [term('L', L), ...(N === undefined ? [] : [term('N', N)]), ...(a.bidirectional ? [term('D', 2)] : [])];
      const perStep = (inK: Count) => {
        const cell = mul(...gh(g, h), add(inK, hOut));
        return a.proj_size ? add(cell, mul(term('H', h), term('P', a.proj_size))) : cell;
      };
      const first = mul(...steps, perStep(layerInput(a, 0, features)));
      if (a.num_layers === 1) return first;
      return add(first, mul(term('(num_layers − 1)', a.num_layers - 1), ...steps, perStep(layerInput(a, 1, features))));
    },
    flops(a, [x]) {
      const { L, N } = layout(kind, a, x!);
      const c = g * (a.bias ? 2 : 1) + gateOps[kind];
      const layers = a.num_layers > 1 ? [term('num_layers', a.num_layers)] : [];
      return mul(...layers, ...(a.bidirectional ? [term('D', 2)] : []), term('L', L), ...(N === undefined ? [] : [term('N', N)]), lit(c), term('H', a.hidden_size));
    },
    label: (a) => `${a.bidirectional ? 'bi' : ''}${title}-${a.hidden_size}${a.num_layers > 1 ? `×${a.num_layers}` : ''}`,
  });
}

export const rnn = recurrentOp('rnn');
export const lstm = recurrentOp('lstm');
export const gru = recurrentOp('gru');
