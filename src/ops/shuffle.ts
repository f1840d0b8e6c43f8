/**
 * @module
 * Channel rearrangements of ShuffleNet (Zhang et al. 2018; Ma et al. 2018): channel_shuffle and chunk.
 * Both only move data: no parameters, no MACs, no FLOPs.
 */
import { defineOp } from './op.js';
import { readDim } from './attrs.js';
import { shapeError } from './spatial.js';

/** A dimension index that may count from the end (−1 is the last), checked against the rank. */
function axis(dim: number, shape: readonly number[], what: string): number {
  const rank = shape.length;
  const d = dim < 0 ? rank + dim : dim;
  if (d < 0 || d >= rank) {
    throw shapeError(`${what} dim ${dim} is out of range for the ${rank}-D input [${shape.join(', ')}]: expected ${-rank}…${rank - 1}.`);
  }
  return d;
}

/**
 * ShuffleNet's channel shuffle (PyTorch's nn.ChannelShuffle): view the C channels as a g × C/g grid and
 * transpose it, so each output group holds channels from every input group. The shape is unchanged.
 */
export const channelShuffle = defineOp<{ groups: number }>({
  kind: 'channel_shuffle',
  title: 'ChannelShuffle',
  doc: 'Interleaves the channels of g groups (view as g × C/g, transpose); C must be divisible by g. No parameters, no FLOPs.',
  attrs: (r) => ({ groups: r.int('groups', { min: 1 }) }),
  shape(a, [x]) {
    if (x!.length < 2) throw shapeError(`channel_shuffle expects an input with a channel dimension (N, C, …), but received [${x!.join(', ')}].`);
    const c = x![1]!;
    if (c % a.groups !== 0) {
      throw shapeError(`channel_shuffle needs channels divisible by groups. Received: C=${c}, groups=${a.groups}.`, [
        `C/groups = ${c}/${a.groups} is not a whole number.`,
      ]);
    }
    return [x!];
  },
  label: (a) => `shuffle g${a.groups}`,
});

/** Normalised chunk attributes. */
export interface Chunk {
  readonly chunks: number;
  readonly dim: number;
}

/**
 * torch.chunk: cuts one dimension into pieces of ⌈size/chunks⌉, the last one smaller when it does not divide.
 * Like PyTorch it may return fewer pieces than asked (6 channels in 4 chunks → 3 pieces of 2).
 * Each piece is one output: a later layer reads the second as `name:1`.
 */
export const chunk = defineOp<Chunk>({
  kind: 'chunk',
  title: 'Chunk',
  doc: 'Cuts one dimension (default 1, the channels) into `chunks` pieces of ⌈size/chunks⌉, as torch.chunk; each piece is an output (`name:0`, `name:1`, …). No parameters, no FLOPs.',
  attrs(r) {
    const chunks = r.int('chunks', { min: 1 });
    return { chunks, dim: readDim(r, 'dim', 1) };
  },
  shape(a, [x]) {
    const d = axis(a.dim, x!, 'chunk');
    const size = x![d]!;
    const piece = Math.ceil(size / a.chunks);
    const count = piece === 0 ? a.chunks : Math.ceil(size / piece);
    return Array.from({ length: count }, (_, i) => x!.map((v, j) => (j === d ? Math.min(piece, size - i * piece) : v)));
  },
  label: (a) => `chunk ${a.chunks}`,
});
