/** Receptive fields: the VGG-16 hand derivation, branches (max over paths), dilation, and the JSON field. */
import { describe, expect, test } from 'vitest';
import { analyze } from '../src/analyze/index.js';
import { step } from '../src/analyze/receptive-field.js';
import { render } from '../src/render/index.js';
import { build } from '../src/describe/build.js';
import { op, parallel, residual, seq } from '../src/describe/spec.js';
import { summarize } from '../src/summarize.js';

describe('VGG-16', () => {
  /*
   * r_out = r_in + (k − 1)·j_in, j_out = j_in·s. A 3×3/1 conv adds 2·j; a 2×2/2 pool adds 1·j and doubles j.
   * Stage 1: conv 1 + 2 = 3, conv 5, pool 6 (j 2). Stage 2: conv 6 + 4 = 10, conv 14, pool 16 (j 4).
   * Stage 3: 24, 32, 40, pool 44 (j 8). Stage 4: 60, 76, 92, pool 100 (j 16). Stage 5: 132, 164, 196, pool 212 (j 32).
   */
  const r = summarize('vgg16');
  const at = (kind: string) => r.layers.filter((l) => l.op === kind).map((l) => l.rf!.size);

  test('convs and pools along the network', () => {
    expect(at('conv2d')).toEqual([3, 5, 10, 14, 24, 32, 40, 60, 76, 92, 132, 164, 196]);
    expect(at('maxpool2d')).toEqual([6, 16, 44, 100, 212]);
    expect(r.layers.find((l) => l.name === 'features.30')!.rf).toEqual({ size: 212, jump: 32, start: 16 });
  });

  test('the first two stages as the issue states them: 3 → 5 → 6 → 10 → 14 → 16', () => {
    const firstTwo = r.layers.slice(0, 10).filter((l) => l.op !== 'relu').map((l) => l.rf!.size);
    expect(firstTwo).toEqual([3, 5, 6, 10, 14, 16]);
  });

  test('start: a padded 3×3 conv keeps the centre; a 2×2/2 pool moves it by half a pixel', () => {
    // Pixel i covers [i, i + 1), centre i + 0.5. conv p=1: start 0.5 + (1 − 1)·1 = 0.5; pool p=0: 0.5 + (0.5 − 0)·1 = 1.
    expect(r.layers[0]!.rf).toEqual({ size: 3, jump: 1, start: 0.5 });
    expect(r.layers[4]!.rf).toEqual({ size: 6, jump: 2, start: 1 });
  });

  test('layers after the flatten have no spatial receptive field', () => {
    expect(r.layers.find((l) => l.name === 'classifier.0')!.rf).toBeNull();
  });
});

describe('through branches and dilation', () => {
  const conv = (k: number, extra = {}) => op('conv2d', { out: 4, kernel: k, padding: Math.floor(k / 2), ...extra });

  test('parallel branches take the largest field', () => {
    const r = analyze(build({ name: 'b', input: [1, 4, 32, 32], layers: [parallel([seq('a', [conv(3)]), seq('b', [conv(5)]), seq('c', [])], op('concat', {}, { name: 'cat' }))] }));
    expect(r.layers.at(-1)!.rf).toEqual({ size: 5, jump: 1, start: 0.5 });
  });

  test('a residual block: the body, not the identity, sets the field', () => {
    const r = analyze(build({ name: 'r', input: [1, 4, 32, 32], layers: [residual([conv(3), op('relu'), conv(3)])] }));
    expect(r.layers.at(-1)!.rf!.size).toBe(5);
  });

  test('ResNet-18 through its residual stages', () => {
    // Stem: conv 7/2 → 7 (j 2); maxpool 3/2 → 7 + 2·2 = 11 (j 4). layer1: four 3×3 convs add 4·2·4 = 32 → 43.
    const r = summarize('resnet18');
    expect(r.layers.find((l) => l.name === 'maxpool')!.rf).toMatchObject({ size: 11, jump: 4 });
    expect(r.layers.find((l) => l.name === 'layer1.1.add')!.rf).toMatchObject({ size: 43, jump: 4 });
  });

  test('dilation widens the kernel to d·(k − 1) + 1', () => {
    expect(step([{ size: 1, jump: 1, start: 0.5 }], { kernel: 3, stride: 1, dilation: 2, padding: 2 }, [[1, 1, 9, 9]], [1, 1, 9, 9])).toEqual({ size: 5, jump: 1, start: 0.5 });
  });
});

test('--rf: a column in the table and layers[].rf in the JSON', () => {
  const r = summarize('vgg-d');
  expect(render(r, 'table', { rf: true })).toMatch(/pool5 \(MaxPool2d\)\s+\[1, 512, 7, 7\]\s+–\s+–\s+212 \(jump 32\)/);
  expect(JSON.parse(render(r, 'json')).layers.find((l: { name: string }) => l.name === 'pool5').rf).toEqual({ size: 212, jump: 32, start: 16 });
});

describe('a squeeze-and-excitation gate', () => {
  test('does not set the field: the map sets its size and jump, the gate adds the whole input', async () => {
    const { summarize } = await import('../src/summarize.js');
    const l = new Map(summarize('efficientnet_b0').layers.map((x) => [x.name, x]));
    // Stem conv 3×3/2: r = 3, j = 2. The depthwise 3×3 of block 1: r = 3 + (3 − 1)·2 = 7, j = 2. The gate pools to
    // 1×1 and is multiplied back onto the 112×112 map: the field stays 7 (jump 2), and the whole input is seen too.
    expect(l.get('features.1.0.block.0.0')!.rf).toMatchObject({ size: 7, jump: 2 });
    expect(l.get('features.1.0.block.1.mul')!.rf).toEqual({ ...l.get('features.1.0.block.0.0')!.rf, global: true });
    // The 1×1 projection after the gate keeps the field: 7, jump 2, and stays global.
    expect(l.get('features.1.0.block.2.0')!.rf).toMatchObject({ size: 7, jump: 2, global: true });
  });
});
