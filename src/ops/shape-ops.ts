/**
 * @module
 * Ops that rearrange values without arithmetic: reshape, permute, transpose, squeeze, unsqueeze, unflatten, split, slice,
 * pad.
 * Dimensions are PyTorch's: they include the batch dimension 0, and negative ones count from the end.
 * No parameters, no MACs, no FLOPs.
 */
import { dim, fmt, raw, type Count } from '../count.js';
import type { Shape } from '../types.js';
import { readDim } from './attrs.js';
import { defineOp, size as elementCount } from './op.js';
import { fmtShape, shapeError } from './spatial.js';

/** A dimension of a rank-`rank` tensor, negatives counted from the end (`extra` 1 for unsqueeze's one-past-the-end). */
export function dimIndex(what: string, d: number, x: Shape, extra = 0): number {
  const rank = x.length + extra;
  if (d < -rank || d >= rank) {
    throw shapeError(`${what} ${d} is out of range for the ${x.length}-D input ${fmtShape(x)}: expected ${-rank}…${rank - 1}.`);
  }
  return d < 0 ? d + rank : d;
}

/** A size inferred from the others: numel/(product of the rest). */
const quotient = (total: number, known: number): Count => raw(total / known, 'numel/(other sizes)', `${fmt(total)}/${fmt(known)}`);

export const reshape = defineOp<{ shape: readonly number[] }>({
  kind: 'reshape',
  title: 'Reshape',
  doc:
    'torch.reshape to `shape`, which includes the batch dimension (write it, or -1 to infer one size from the others): ' +
    '[N, 768, 14, 14] with [1, 768, -1] → [1, 768, 196]. No parameters, no FLOPs.',
  attrs(r) {
    const shape = r.list('shape', { min: -1 });
    if (shape.includes(0)) r.fail('shape', `'shape' sizes must be positive, or -1 once. Received: shape=${fmtShape(shape)}.`);
    if (shape.filter((d) => d === -1).length > 1) r.fail('shape', `only one size in 'shape' can be -1 (inferred). Received: shape=${fmtShape(shape)}.`);
    return { shape };
  },
  shape(a, [x], note) {
    const total = elementCount(x!);
    const known = elementCount(a.shape.filter((d) => d !== -1));
    const infer = a.shape.indexOf(-1);
    const input = `the ${fmt(total)} values of ${fmtShape(x!)}`;
    if (infer < 0) {
      if (known !== total) {
        throw shapeError(`reshape cannot put ${input} into ${fmtShape(a.shape)}, which holds ${fmt(known)}.`, [
          `${x!.map(fmt).join('·')} = ${fmt(total)} ≠ ${a.shape.map(fmt).join('·')} = ${fmt(known)}.`,
        ]);
      }
      return [[...a.shape]];
    }
    if (total % known !== 0) {
      throw shapeError(`reshape cannot infer the -1 in ${fmtShape(a.shape)}: the other sizes multiply to ${fmt(known)}, which does not divide ${input}.`, [
        `${fmt(total)}/${fmt(known)} = ${(total / known).toFixed(2)} is not a whole number.`,
      ]);
    }
    const size = quotient(total, known);
    note?.({ label: `dim ${infer}`, count: size });
    return [a.shape.map((d) => (d === -1 ? dim(size) : d))];
  },
  label: (a) => `reshape ${fmtShape(a.shape)}`,
});

export const permute = defineOp<{ dims: readonly number[] }>({
  kind: 'permute',
  title: 'Permute',
  doc: 'Reorders the dimensions: output dimension i is input dimension dims[i] ([N, C, H, W] with [0, 2, 3, 1] → [N, H, W, C]). No FLOPs.',
  attrs: (r) => ({ dims: r.list('dims') }),
  shape(a, [x]) {
    if (a.dims.length !== x!.length) {
      throw shapeError(`permute needs one entry in 'dims' per input dimension: dims ${fmtShape(a.dims)} has ${a.dims.length}, the input ${fmtShape(x!)} ${x!.length}.`);
    }
    const dims = a.dims.map((d) => dimIndex('permute dim', d, x!));
    const repeated = dims.find((d, i) => dims.indexOf(d) !== i);
    if (repeated !== undefined) throw shapeError(`permute dims ${fmtShape(a.dims)} name dimension ${repeated} twice; each dimension must appear once.`);
    return [dims.map((d) => x![d]!)];
  },
  label: (a) => `permute ${fmtShape(a.dims)}`,
});

export const transpose = defineOp<{ dim0: number; dim1: number }>({
  kind: 'transpose',
  title: 'Transpose',
  doc: 'Swaps two dimensions, dim0 and dim1 ([N, 768, 196] with 1, 2 → [N, 196, 768]). No FLOPs.',
  attrs: (r) => ({ dim0: readDim(r, 'dim0'), dim1: readDim(r, 'dim1') }),
  shape(a, [x]) {
    const [i, j] = [dimIndex('transpose dim0', a.dim0, x!), dimIndex('transpose dim1', a.dim1, x!)];
    const out = [...x!];
    [out[i], out[j]] = [x![j]!, x![i]!];
    return [out];
  },
  label: (a) => `transpose ${a.dim0},${a.dim1}`,
});

export const squeeze = defineOp<{ dim: number | undefined }>({
  kind: 'squeeze',
  title: 'Squeeze',
  doc: 'Removes dimension `dim` if its size is 1 (PyTorch leaves other sizes alone), or every size-1 dimension, the batch too, when dim is omitted.',
  attrs: (r) => ({ dim: r.has('dim') ? readDim(r, 'dim') : undefined }),
  shape(a, [x]) {
    if (a.dim === undefined) return [x!.filter((d) => d !== 1)];
    const d = dimIndex('squeeze dim', a.dim, x!);
    return [x![d] === 1 ? x!.filter((_, i) => i !== d) : x!];
  },
  label: () => 'squeeze',
});

export const unsqueeze = defineOp<{ dim: number }>({
  kind: 'unsqueeze',
  title: 'Unsqueeze',
  doc: 'Inserts a dimension of size 1 at position `dim` ([N, d] with -1 → [N, d, 1]).',
  attrs: (r) => ({ dim: readDim(r, 'dim') }),
  shape(a, [x]) {
    const d = dimIndex('unsqueeze dim', a.dim, x!, 1);
    return [[...x!.slice(0, d), 1, ...x!.slice(d)]];
  },
  label: () => 'unsqueeze',
});

/** Normalised unflatten attributes: the dimension to expand and the sizes it becomes (one may be -1). */
export interface Unflatten {
  readonly dim: number;
  readonly sizes: readonly number[];
}

export const unflatten = defineOp<Unflatten>({
  kind: 'unflatten',
  title: 'Unflatten',
  doc: 'Expands dimension `dim` into `sizes` (nn.Unflatten; one size may be -1): [N, 3136] with dim 1, sizes [64, 7, 7] → [N, 64, 7, 7]. No FLOPs.',
  attrs(r) {
    const sizes = r.list('sizes', { min: -1 });
    if (sizes.length === 0 || sizes.includes(0) || sizes.filter((d) => d === -1).length > 1) {
      r.fail('sizes', `'sizes' must list positive sizes, at most one of them -1 (inferred). Received: sizes=${fmtShape(sizes)}.`);
    }
    return { dim: readDim(r, 'dim'), sizes };
  },
  shape(a, [x]) {
    const d = dimIndex('unflatten dim', a.dim, x!);
    const size = x![d]!;
    const known = elementCount(a.sizes.filter((v) => v !== -1));
    const infer = a.sizes.includes(-1);
    if (infer ? size % known !== 0 : known !== size) {
      throw shapeError(`unflatten cannot turn dimension ${d} of ${fmtShape(x!)}, of size ${fmt(size)}, into ${fmtShape(a.sizes)}.`, [
        infer ? `${fmt(size)}/${fmt(known)} is not a whole number.` : `${a.sizes.map(fmt).join('·')} = ${fmt(known)} ≠ ${fmt(size)}.`,
      ]);
    }
    const sizes = a.sizes.map((v) => (v === -1 ? size / known : v));
    return [[...x!.slice(0, d), ...sizes, ...x!.slice(d + 1)]];
  },
  label: (a) => `unflatten ${fmtShape(a.sizes)}`,
});

/** Normalised split attributes: exactly one of sizes, chunks and split_size. */
export interface Split {
  readonly dim: number;
  readonly sizes: readonly number[] | undefined;
  readonly chunks: number | undefined;
  readonly split_size: number | undefined;
}

export const split = defineOp<Split>({
  kind: 'split',
  title: 'Split',
  doc:
    "Cuts the input along `dim` (default 1, as concat) into pieces, one output each (read the second as 'name:1'): " +
    '`sizes` lists them (torch.split with a list); `chunks` asks for that many, each ⌈size/chunks⌉ and the last smaller, ' +
    'so fewer may come out (torch.chunk); `split_size` cuts pieces of that size, the last smaller (torch.split with a number).',
  attrs(r) {
    const given = ['sizes', 'chunks', 'split_size'].filter((k) => r.has(k));
    if (given.length !== 1) {
      r.fail(given[1] ?? 'sizes', `give exactly one of 'sizes', 'chunks' and 'split_size'. Received: ${given.length ? given.join(', ') : 'none'}.`);
    }
    return {
      dim: readDim(r, 'dim', 1),
      sizes: r.has('sizes') ? r.list('sizes', { min: 1 }) : undefined,
      chunks: r.has('chunks') ? r.int('chunks', { min: 1 }) : undefined,
      split_size: r.has('split_size') ? r.int('split_size', { min: 1 }) : undefined,
    };
  },
  shape(a, [x]) {
    const d = dimIndex('split dim', a.dim, x!);
    const size = x![d]!;
    let sizes: number[];
    if (a.sizes) {
      const sum = a.sizes.reduce((s, v) => s + v, 0);
      if (sum !== size) {
        throw shapeError(`split sizes ${fmtShape(a.sizes)} must add up to the size of dim ${a.dim} of ${fmtShape(x!)}, ${size}, but add up to ${sum}.`, [
          `${a.sizes.join(' + ')} = ${sum} ≠ ${size}.`,
        ]);
      }
      sizes = [...a.sizes];
    } else {
      const piece = a.split_size ?? Math.ceil(size / a.chunks!);
      sizes = Array.from({ length: Math.ceil(size / piece) }, (_, i) => Math.min(piece, size - i * piece));
    }
    return sizes.map((s) => x!.map((v, i) => (i === d ? s : v)));
  },
  label: (a) => (a.sizes ? `split ${fmtShape(a.sizes)}` : a.chunks ? `chunk ${a.chunks}` : `split ${a.split_size}`),
});

/** How pad fills the new positions. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Normalised pad attributes: amounts in F.pad's order, last dimension first. */
export interface Pad {
  readonly pad: readonly number[];
  readonly mode: PadMode;
  readonly value: number;
}

export const pad = defineOp<Pad>({
  kind: 'pad',
  title: 'Pad',
  doc:
    "F.pad: `pad` lists (before, after) amounts from the last dimension backwards, [left, right, top, bottom, …]; mode " +
    "'constant' (with `value`, default 0; negative amounts crop), 'reflect', 'replicate' or 'circular' (these pad only " +
    'the spatial dimensions of an (N, C, …) input). No FLOPs.',
  attrs(r) {
    const mode = r.oneOf('mode', ['constant', 'reflect', 'replicate', 'circular'] as const, 'constant');
    const amounts = r.list('pad', mode === 'constant' ? {} : { min: 0 });
    if (amounts.length === 0 || amounts.length % 2 !== 0) {
      r.fail('pad', `'pad' must list (before, after) pairs, an even number of amounts. Received: pad=${fmtShape(amounts)}.`);
    }
    const value = r.num('value', { default: 0 });
    if (mode !== 'constant' && value !== 0) r.fail('value', `'value' applies to mode 'constant' only. Received: value=${value}, mode='${mode}'.`);
    return { pad: amounts, mode, value };
  },
  shape(a, [x]) {
    const axes = a.pad.length / 2;
    const limit = a.mode === 'constant' ? x!.length : x!.length - 2;
    if (axes > limit) {
      throw shapeError(
        `pad ${fmtShape(a.pad)} pads the last ${axes} dimensions, but mode '${a.mode}' can pad at most ${limit} of the ${x!.length}-D input ${fmtShape(x!)}.`,
        a.mode === 'constant' ? [] : ["Only the spatial dimensions after (N, C) can be padded in this mode; mode 'constant' pads any."],
      );
    }
    const out = [...x!];
    for (let k = 0; k < axes; k++) {
      const i = x!.length - 1 - k;
      const [before, after] = [a.pad[2 * k]!, a.pad[2 * k + 1]!];
      const size = x![i]!;
      if (a.mode === 'reflect' && Math.max(before, after) >= size) {
        throw shapeError(`reflect padding must be smaller than the dimension it pads: dim ${i} of ${fmtShape(x!)} is ${size}, padded by (${before}, ${after}).`);
      }
      if (a.mode === 'circular' && Math.max(before, after) > size) {
        throw shapeError(`circular padding can wrap at most the whole dimension: dim ${i} of ${fmtShape(x!)} is ${size}, padded by (${before}, ${after}).`);
      }
      out[i] = size + before + after;
      if (out[i]! < 1) throw shapeError(`pad leaves nothing of dim ${i} of ${fmtShape(x!)}: ${size} + ${before} + ${after} = ${out[i]}.`);
    }
    return [out];
  },
  label: (a) => `pad ${fmtShape(a.pad)}`,
});

/**
 * The part of an axis of size `dim` that a slice keeps, with ONNX's (and NumPy's) rules: negative start and end
 * count from the end, both are clamped to the axis, and a negative step walks backwards.
 */
export function sliceBounds(dim: number, start: number, end: number, step: number): { start: number; count: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const s = start < 0 ? start + dim : start;
  const e = end < 0 ? end + dim : end;
  if (step > 0) {
    const [a, b] = [clamp(s, 0, dim), clamp(e, 0, dim)];
    return { start: a, count: Math.max(0, Math.ceil((b - a) / step)) };
  }
  const [a, b] = [clamp(s, 0, dim - 1), clamp(e, -1, dim - 1)];
  return { start: a, count: Math.max(0, Math.ceil((b - a) / step)) };
}

/** Normalised slice attributes: per listed dimension, start, end and step. */
export interface Slice {
  readonly dims: readonly number[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly steps: readonly number[];
}

export const slice = defineOp<Slice>({
  kind: 'slice',
  title: 'Slice',
  doc:
    "x[start:end:step] along each of `dims` (ONNX Slice, NumPy's basic slicing): negative positions count from the end, both " +
    'ends are clamped to the dimension, a negative step walks backwards. No parameters, no FLOPs.',
  attrs(r) {
    const dims = r.list('dims');
    const starts = r.list('starts');
    const ends = r.list('ends');
    const steps = r.list('steps', { default: dims.map(() => 1) });
    if (starts.length !== dims.length || ends.length !== dims.length || steps.length !== dims.length) {
      r.fail('starts', `'dims', 'starts', 'ends' and 'steps' must have one entry per sliced dimension. Received: ${dims.length}, ${starts.length}, ${ends.length} and ${steps.length}.`);
    }
    if (steps.includes(0)) r.fail('steps', `'steps' cannot be 0. Received: steps=${fmtShape(steps)}.`);
    return { dims, starts, ends, steps };
  },
  shape(a, [x]) {
    const out = [...x!];
    a.dims.forEach((d, i) => {
      const axis = dimIndex('slice dim', d, x!);
      const kept = sliceBounds(x![axis]!, a.starts[i]!, a.ends[i]!, a.steps[i]!).count;
      if (kept < 1) throw shapeError(`slice ${a.starts[i]}:${a.ends[i]}:${a.steps[i]} keeps nothing of dim ${axis} of ${fmtShape(x!)}.`);
      out[axis] = kept;
    });
    return [out];
  },
  label: (a) => `slice ${a.dims.map((d, i) => `${d}:${a.starts[i]}:${a.ends[i]}`).join(' ')}`,
});
