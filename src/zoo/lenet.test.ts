import { describe, expect, test } from 'vitest';
import { errorOf } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { ModelError } from '../errors.js';
import { build } from '../describe/build.js';
import { isOp, type LayerSpec } from '../describe/spec.js';
import { getModel } from './index.js';
import { lenetTableI } from './lenet.js';

const report = (name: string) => analyze(build(getModel(name).spec()));
const byName = (name: string) => new Map(report(name).layers.map((l) => [l.name, l]));

describe('lenet5 (the common modern variant)', () => {
  const r = report('lenet5');

  test('61,706 parameters, all trainable', () => {
    /*
     * conv5-6   (1 → 6 maps)     (5·5·1 + 1)·6     =    156
     * conv5-16  (6 → 16, full)   (5·5·6 + 1)·16    =  2,416
     * FC-120    (16·5·5 = 400)   (400 + 1)·120     = 48,120
     * FC-84                      (120 + 1)·84      = 10,164
     * FC-10                      (84 + 1)·10       =    850
     * total 156 + 2,416 + 48,120 + 10,164 + 850   = 61,706
     */
    expect(r.layers.filter((l) => l.params! > 0).map((l) => [l.label, l.params])).toEqual([
      ['conv5-6', 156],
      ['conv5-16', 2416],
      ['FC-120', 48120],
      ['FC-84', 10164],
      ['FC-10', 850],
    ]);
    expect(r.totals.params).toBe(61_706);
    expect(r.totals.trainable).toBe(61_706);
    expect(r.totals.nonTrainable).toBe(0);
  });

  test('spatial chain 32 → 28 → 14 → 10 → 5, then 400 → 120 → 84 → 10', () => {
    // Valid 5×5 convs take 4 off each side length; 2×2/2 pools halve it.
    const spatial = r.layers.filter((l) => l.outputShape.length === 4).map((l) => l.outputShape[2]);
    expect([...new Set(spatial)]).toEqual([28, 14, 10, 5]);
    expect(r.layers.filter((l) => l.outputShape.length === 2).map((l) => l.outputShape[1])).toEqual([400, 120, 120, 84, 84, 10, 10]);
    expect(r.model.input).toEqual([1, 1, 32, 32]);
    expect(r.model.output).toEqual([1, 10]);
    expect(r.layers.at(-1)!.op).toBe('softmax');
  });

  test('MACs: 416,520', () => {
    // 28·28·6·5·5·1 = 117,600; 10·10·16·5·5·6 = 240,000; 400·120 = 48,000; 120·84 = 10,080; 84·10 = 840.
    // 117,600 + 240,000 + 48,000 + 10,080 + 840 = 416,520.
    expect(r.layers.filter((l) => l.macs).map((l) => l.macs)).toEqual([117_600, 240_000, 48_000, 10_080, 840]);
    expect(r.totals.macs).toBe(416_520);
  });
});

describe('lenet5-1998 (LeCun et al. 1998, §II.B)', () => {
  const r = report('lenet5-1998');
  const layers = byName('lenet5-1998');

  test('per-layer parameters as the paper gives them', () => {
    /*
     * C1  6 maps of 5×5 on the input               (5·5·1 + 1)·6                          =    156
     * S2  a coefficient and a bias per map          6 + 6                                  =     12
     * C3  Table I: 6 maps see 3, 9 see 4, 1 sees 6  6·(3·25 + 1) + 9·(4·25 + 1) + (6·25 + 1)
     *                                               = 6·76 + 9·101 + 151 = 456 + 909 + 151 =  1,516
     * S4  as S2 on 16 maps                          16 + 16                                =     32
     * C5  120 maps of 5×5 over all 16 S4 maps       (5·5·16 + 1)·120                       = 48,120
     * F6  84 units on 120                           (120 + 1)·84                           = 10,164
     * output  10 RBF centres of 84 components       84·10, fixed                           =    840
     */
    const expected: [string, number, number][] = [
      ['C1', 156, 156],
      ['S2', 12, 12],
      ['C3', 1516, 1516],
      ['S4', 32, 32],
      ['C5', 48120, 48120],
      ['F6', 10164, 10164],
      ['output', 840, 0],
    ];
    expect(expected.map(([n]) => [n, layers.get(n)?.params, layers.get(n)?.trainable])).toEqual(expected);
    expect(r.layers.filter((l) => l.params! > 0).map((l) => l.name)).toEqual(expected.map(([n]) => n));
  });

  test('60,000 trainable (the paper\'s figure) and 840 fixed: 60,840 parameters', () => {
    // 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000; plus the 840 RBF centres = 60,840.
    expect(r.totals.trainable).toBe(60_000);
    expect(r.totals.nonTrainable).toBe(840);
    expect(r.totals.params).toBe(60_840);
    expect(getModel('lenet5-1998').published).toBe(r.totals.trainable);
  });

  test('shapes: 32 → 28 → 14 → 10 → 5 → 1, then 120 → 84 → 10', () => {
    // C1: 32 − 5 + 1 = 28; S2: 28/2 = 14; C3: 14 − 5 + 1 = 10; S4: 10/2 = 5; C5: 5 − 5 + 1 = 1.
    const maps = ['C1', 'S2', 'C3', 'S4', 'C5'].map((n) => layers.get(n)!.outputShape);
    expect(maps).toEqual([
      [1, 6, 28, 28],
      [1, 6, 14, 14],
      [1, 16, 10, 10],
      [1, 16, 5, 5],
      [1, 120, 1, 1],
    ]);
    expect(layers.get('F6')!.outputShape).toEqual([1, 84]);
    expect(layers.get('output')!.outputShape).toEqual([1, 10]);
  });

  test('a parameter-free squashing function after every layer up to F6', () => {
    const squashes = r.layers.filter((l) => l.op === 'tanh');
    expect(squashes.map((l) => l.inputShapes[0])).toEqual(['C1', 'S2', 'C3', 'S4', 'C5', 'F6'].map((n) => layers.get(n)!.outputShape));
    expect(squashes.every((l) => l.params === 0)).toBe(true);
  });

  test("MACs, and the paper's connection counts", () => {
    /*
     * MACs count dot products only (conv, table conv, linear):
     *   C1 28·28·6·5·5 = 117,600; C3 10·10·5·5·60 = 150,000; C5 120·5·5·16 = 48,000; F6 120·84 = 10,080.
     *   Total 117,600 + 150,000 + 48,000 + 10,080 = 325,680. S2, S4 and the RBF units have none.
     * The paper counts connections including the bias: MACs plus one per output for C and F layers
     *   C1 117,600 + 6·28·28 = 122,304; C3 150,000 + 16·10·10 = 151,600; C5 48,000 + 120 = 48,120; F6 10,080 + 84 = 10,164,
     * and (window + bias) per output for S layers, which is nncalc's FLOPs for them: S2 6·14·14·5 = 5,880, S4 16·5·5·5 = 2,000.
     * With the 84·10 = 840 RBF connections these sum to the paper's 340,908.
     */
    const macs = Object.fromEntries(r.layers.filter((l) => l.macs).map((l) => [l.name, l.macs]));
    expect(macs).toEqual({ C1: 117_600, C3: 150_000, C5: 48_000, F6: 10_080 });
    expect(r.totals.macs).toBe(325_680);
    const numel = (n: string) => layers.get(n)!.outputShape.reduce((p, d) => p * d, 1);
    const connections = {
      C1: Number(layers.get('C1')!.macs!) + numel('C1'),
      S2: layers.get('S2')!.flops!,
      C3: Number(layers.get('C3')!.macs!) + numel('C3'),
      S4: layers.get('S4')!.flops!,
      C5: Number(layers.get('C5')!.macs!) + numel('C5'),
      F6: Number(layers.get('F6')!.macs!) + numel('F6'),
      output: layers.get('output')!.params!,
    };
    expect(connections).toEqual({ C1: 122_304, S2: 5_880, C3: 151_600, S4: 2_000, C5: 48_120, F6: 10_164, output: 840 });
    expect(Object.values(connections).reduce<number>((s, c) => s + Number(c), 0)).toBe(340_908);
  });

  test('C3 follows Table I of the paper', () => {
    // Table I as printed: one row per S2 map, one column per C3 map, X where they are connected.
    const printed = [
      'X...XXX..XXXX.XX',
      'XX...XXX..XXXX.X',
      'XXX...XXX..X.XXX',
      '.XXX..XXXX..X.XX',
      '..XXX..XXXX.XX.X',
      '...XXX..XXXX.XXX',
    ];
    const columns = Array.from({ length: 16 }, (_, j) => printed.flatMap((row, i) => (row[j] === 'X' ? [i] : [])));
    expect(lenetTableI.map((m) => [...m].sort())).toEqual(columns);
    const c3 = layers.get('C3')!;
    expect(c3.op).toBe('table_conv2d');
    expect(c3.formulas.params?.terms).toBe('5·5·(6·3 + 9·4 + 1·6) + 16');
  });

  test('a connection table naming a missing S2 map is an error at C3', () => {
    const spec = getModel('lenet5-1998').spec();
    const broken = (l: LayerSpec): LayerSpec =>
      isOp(l) && l.name === 'C3' ? { ...l, attrs: { ...l.attrs, connections: [...lenetTableI.flat().slice(0, -1), 7] } } : l;
    const error = errorOf(() => analyze(build({ ...spec, layers: spec.layers.map(broken) })));
    expect(error).toBeInstanceOf(ModelError);
    // The last entry of the flat table (60 entries, index 59) belongs to C3 map 15.
    expect(error.layer).toBe('C3');
    expect(error.message).toContain('output map 15 reads input map 7');
    expect(error.message).toContain('connections[59]=7');
  });
});
