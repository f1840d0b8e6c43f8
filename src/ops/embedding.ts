/**
 * @module
 * Learned tables and tensors that are looked up or applied without a matrix multiply:
 * an embedding table, and a free-standing parameter tensor (ViT's class token and position embedding,
 * ConvNeXt's layer scale), or used as a tensor of its own (DeBERTa's relative position table, SigLIP's probe). No MACs.
 */
import { lit, mul, term } from '../count.js';
import { broadcast } from './merge.js';
import { defineOp, elements, numel } from './op.js';
import { axisNames, fmtShape, shapeError } from './spatial.js';

/** Normalised embedding attributes. */
export interface Embedding {
  readonly num_embeddings: number;
  readonly embedding_dim: number;
  readonly padding_idx: number | undefined;
}

export const embedding = defineOp<Embedding>({
  kind: 'embedding',
  title: 'Embedding',
  doc:
    'A lookup table of num_embeddings vectors of size embedding_dim (weight V·d); integer ids of any shape, ' +
    'usually [N, L], become [N, L, d]. padding_idx changes no count. No MACs, no FLOPs: a lookup.',
  attrs(r) {
    const num_embeddings = r.int('num_embeddings', { min: 1 });
    const embedding_dim = r.int('embedding_dim', { min: 1 });
    let padding_idx: number | undefined;
    if (r.has('padding_idx')) {
      padding_idx = r.num('padding_idx');
      if (!Number.isInteger(padding_idx) || padding_idx < -num_embeddings || padding_idx >= num_embeddings) {
        r.fail('padding_idx', `'padding_idx' must be an integer from ${-num_embeddings} to ${num_embeddings - 1} (an id in the table). Received: padding_idx=${padding_idx}.`);
      }
    }
    return { num_embeddings, embedding_dim, padding_idx };
  },
  shape: (a, [x]) => [[...x!, a.embedding_dim]],
  weights: (a) => [
    { name: 'weight', shape: [a.num_embeddings, a.embedding_dim], dims: ['V', 'd'], count: mul(term('V', a.num_embeddings), term('d', a.embedding_dim)) },
  ],
  label: (a) => `embed-${a.embedding_dim}`,
});

/** How a parameter tensor meets its input. */
export type ParameterMode = 'add' | 'mul' | 'concat_token' | 'value' | 'expand';

/** Normalised parameter attributes. */
export interface Parameter {
  readonly shape: readonly number[];
  readonly mode: ParameterMode;
}

export const parameter = defineOp<Parameter>({
  kind: 'parameter',
  title: 'Parameter',
  doc:
    "One learned tensor of the given shape applied to the input: mode 'add' broadcasts it onto the input (a position " +
    "embedding; 1 FLOP per element), 'mul' scales the input by it (a layer scale; 1 FLOP per element), 'concat_token' " +
    "prepends it along the sequence (a class token [1, 1, d]: [N, L, d] → [N, L + 1, d]; no FLOPs), 'value' is the tensor itself " +
    "(DeBERTa's rel_embeddings.weight; the input only orders it), 'expand' repeats it over the input's batch ([1, T, d] → [N, T, d], " +
    "SigLIP's probe). Parameters: its elements.",
  attrs(r) {
    const shape = r.list('shape', { min: 1 });
    if (shape.length === 0) r.fail('shape', `'shape' must list at least one dimension. Received: shape=[].`);
    const mode = r.oneOf('mode', ['add', 'mul', 'concat_token', 'value', 'expand'] as const, 'add');
    if (mode === 'expand' && shape[0] !== 1) r.fail('shape', `mode 'expand' repeats the tensor over the batch, so its first dimension must be 1. Received: shape=${fmtShape(shape)}.`);
    return { shape, mode };
  },
  shape(a, [x]) {
    const what = `parameter ${fmtShape(a.shape)} (mode '${a.mode}')`;
    if (a.mode === 'value') return [[...a.shape]];
    if (a.mode === 'expand') return [[x![0]!, ...a.shape.slice(1)]];
    if (a.mode !== 'concat_token') {
      const out = broadcast([x!, a.shape], what);
      if (out.length !== x!.length || out.some((d, i) => d !== x![i])) {
        throw shapeError(`${what} must broadcast onto its input ${fmtShape(x!)} without enlarging it, but the result would be ${fmtShape(out)}.`);
      }
      return [x!];
    }
    // A token [1, T, d] (or [T, d]) is repeated over the batch and joined before the sequence: [N, L, d] → [N, T + L, d].
    const token = a.shape.length === x!.length - 1 ? [1, ...a.shape] : a.shape;
    if (x!.length !== 3 || token.length !== 3 || token[0] !== 1 || token[2] !== x![2]) {
      throw shapeError(`${what} prepends tokens [1, T, d] to a sequence [N, L, d]; its input is ${fmtShape(x!)}.`, [
        x!.length === 3 ? `The token needs d = ${x![2]} and a batch dimension of 1.` : 'Hint: flatten and transpose an image [N, C, H, W] to [N, H·W, C] first.',
      ]);
    }
    return [[x![0]!, x![1]! + token[1]!, x![2]!]];
  },
  weights(a, [x]) {
    // Dimensions named as the input's they line up with (from the right); broadcast 1s left out: [1, 197, 768] → L·d.
    const own = a.mode === 'value' || a.mode === 'expand';
    const names = own
      ? ['T', 'd']
      : x!.length === 2
        ? ['N', 'd']
        : x!.length === 3
          ? ['N', a.mode === 'concat_token' ? 'T' : 'L', 'd']
          : x!.length <= 5
            ? ['N', 'C', ...axisNames(x!.length - 2)]
            : [];
    const at = (i: number) => names[names.length - a.shape.length + i] ?? `d${i}`;
    const factors = a.shape.flatMap((d, i) => (d === 1 ? [] : [term(at(i), d)]));
    // The layer's name says what it is (class_token, pos_embedding, layer_scale).
    return [{ name: 'weight', shape: a.shape, dims: a.shape.map((_, i) => at(i)), count: factors.length ? mul(...factors) : lit(1) }];
  },
  flops: (a, [x]) => (a.mode === 'add' || a.mode === 'mul' ? elements(x!) : lit(0)),
  label: (a) => (a.mode === 'add' ? `+param ${numel(a.shape)}` : a.mode === 'mul' ? `×param ${numel(a.shape)}` : a.mode === 'concat_token' ? 'token' : `param ${numel(a.shape)}`),
});
