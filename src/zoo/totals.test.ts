import { describe, expect, test } from 'vitest';
import { getModel } from './index.js';
import { readTotalsFile, totalsFile, zooTotals } from './totals.js';

describe('zoo totals', () => {
  test('vgg16_bn: both conventions, the MACs and the input', () => {
    // vgg16_bn has torchvision's 138,365,992 parameters; its 13 BatchNorms hold 2·(2·64 + 2·128 + 3·256 + 6·512)
    // = 8,448 running statistics, which Keras counts: 138,374,440. MACs as vgg16's: 15,470,264,320.
    expect(zooTotals(getModel('vgg16_bn'))).toEqual({ params: { pytorch: 138_365_992, keras: 138_374_440 }, macs: 15_470_264_320, input: [1, 3, 224, 224] });
  });

  test('a transformer states the sequence length of its MACs', () => {
    expect(zooTotals(getModel('gpt2')).seq).toBe(128);
    expect(zooTotals(getModel('gpt2')).input).toEqual([1, 128]);
  });

  test('the file round-trips, and counts past 2^53 survive as digits', () => {
    const text = totalsFile([getModel('lenet5')]);
    expect(readTotalsFile(text).get('lenet5')).toEqual(zooTotals(getModel('lenet5')));
    const big = '{"schema":1,"models":{"x":{"params":{"pytorch":"9007199254740993","keras":1},"macs":2,"input":[1,3]}}}';
    expect(readTotalsFile(big).get('x')!.params.pytorch).toBe(9_007_199_254_740_993n);
  });

  test.each([
    ['not JSON', '{"schema":1,'],
    ['another version', '{"schema":2,"models":{"x":{"params":{"pytorch":1,"keras":1},"macs":2,"input":[1,3]}}}'],
    ['a negative count', '{"schema":1,"models":{"x":{"params":{"pytorch":-1,"keras":1},"macs":2,"input":[1,3]}}}'],
    ['a fractional count', '{"schema":1,"models":{"x":{"params":{"pytorch":1.5,"keras":1},"macs":2,"input":[1,3]}}}'],
    ['a bad input shape', '{"schema":1,"models":{"x":{"params":{"pytorch":1,"keras":1},"macs":2,"input":[0]}}}'],
    ['no models', '{"schema":1}'],
    ['null', 'null'],
  ])('a damaged file (%s) gives no figures, so they are computed', (_, text) => {
    expect(readTotalsFile(text).size).toBe(0);
  });
});
