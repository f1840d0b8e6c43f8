import { describe, expect, test } from 'vitest';
import { evaluate, rejection } from '../../test/ops-oracle.js';
import { findOp } from './index.js';
import { channelShuffle, chunk } from './shuffle.js';

describe('channel_shuffle', () => {
  test('keeps the shape and counts nothing', () => {
    // ShuffleNet v2 x1.0, stage 2: 116 channels in 2 groups of 58.
    const r = evaluate(channelShuffle, { groups: 2 }, [[1, 116, 28, 28]]);
    expect(r.outputs).toEqual([[1, 116, 28, 28]]);
    expect(r.weights).toEqual([]);
    expect(channelShuffle.macs).toBeUndefined();
    expect(channelShuffle.flops).toBeUndefined();
    expect(findOp('channel_shuffle')).toBe(channelShuffle);
  });

  test('channels must divide into the groups, as in PyTorch', () => {
    // PyTorch 1.13: nn.ChannelShuffle(4) on 6 channels raises
    // "Number of channels must be divisible by groups. Got 6 channels and 4 groups."
    expect(rejection(channelShuffle, { groups: 4 }, [[1, 6, 1, 1]])).toMatchObject({
      code: 'shape',
      message: 'channel_shuffle needs channels divisible by groups. Received: C=6, groups=4.',
    });
    expect(rejection(channelShuffle, { groups: 2 }, [[6]])).toMatchObject({ code: 'shape' });
    expect(rejection(channelShuffle, {}, [[1, 6, 1, 1]])).toMatchObject({ code: 'spec', message: "channel_shuffle: 'groups' is required (an integer ≥ 1)." });
    expect(rejection(channelShuffle, { groups: 0 }, [[1, 6, 1, 1]]).code).toBe('spec');
  });
});

describe('chunk', () => {
  // Piece sizes are torch.chunk's, as PyTorch 1.13 returns them for torch.zeros(1, C, 2, 2).chunk(n, dim=1):
  //   C=116, n=2 → 58, 58; C=10, n=3 → ⌈10/3⌉ = 4: 4, 4, 2; C=6, n=4 → ⌈6/4⌉ = 2: 2, 2, 2 (three pieces, not four);
  //   C=3, n=5 → ⌈3/5⌉ = 1: 1, 1, 1.
  test.each([
    { c: 116, n: 2, sizes: [58, 58] },
    { c: 10, n: 3, sizes: [4, 4, 2] },
    { c: 6, n: 4, sizes: [2, 2, 2] },
    { c: 3, n: 5, sizes: [1, 1, 1] },
    { c: 7, n: 1, sizes: [7] },
  ])('$c channels in $n chunks → $sizes', ({ c, n, sizes }) => {
    const r = evaluate(chunk, { chunks: n }, [[1, c, 2, 2]]);
    expect(r.outputs).toEqual(sizes.map((s) => [1, s, 2, 2]));
    expect(r.weights).toEqual([]);
    expect(chunk.flops).toBeUndefined();
  });

  test('any dimension, counted from the end when negative', () => {
    // W = 5 in 2 chunks: ⌈5/2⌉ = 3, then 2.
    expect(evaluate(chunk, { chunks: 2, dim: -1 }, [[1, 4, 6, 5]]).outputs).toEqual([[1, 4, 6, 3], [1, 4, 6, 2]]);
    expect(evaluate(chunk, { chunks: 3, dim: 2 }, [[1, 4, 6, 5]]).outputs).toEqual([[1, 4, 2, 5], [1, 4, 2, 5], [1, 4, 2, 5]]);
    expect(evaluate(chunk, { chunks: 2 }, [[1, 8]]).attrs).toEqual({ chunks: 2, dim: 1 });
  });

  test('bad attributes and dimensions', () => {
    // PyTorch: "chunk expects `chunks` to be greater than 0, got: 0".
    expect(rejection(chunk, { chunks: 0 }, [[1, 4]]).code).toBe('spec');
    expect(rejection(chunk, { chunks: 2, dim: 1.5 }, [[1, 4]])).toMatchObject({ code: 'spec', message: "chunk: 'dim' must be an integer. Received: dim=1.5." });
    expect(rejection(chunk, { chunks: 2, dim: 4 }, [[1, 4, 2, 2]])).toMatchObject({
      code: 'shape',
      message: 'chunk dim 4 is out of range for the 4-D input [1, 4, 2, 2]: expected -4…3.',
    });
    expect(rejection(chunk, { chunk: 2 }, [[1, 4]]).message).toContain("did you mean 'chunks'?");
  });
});
