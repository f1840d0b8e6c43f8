/** The fast paths for messages in the window: what they read, and what they leave to the general parsers. */
import { describe, expect, it } from 'vitest';
import { intsAttr, lfield, node, tag, valueInfo, vfield } from '../../../test/onnx-bytes.js';
import { memorySource, Reader } from '../../io/bytes.js';
import { nodeNow, tensorNow, valueInfoNow } from './fast.js';

/** A Reader whose window holds exactly `message`, with more file after it (as in the middle of a large file). */
async function windowOn(message: readonly number[], after: readonly number[] = new Array<number>(8).fill(0)): Promise<Reader> {
  const r = new Reader(memorySource(new Uint8Array([...message, ...after])), 'onnx', message.length);
  await r.ensure(message.length);
  return r;
}

describe('ONNX fast paths', () => {
  it('read a node with plain attributes as the general parser does', async () => {
    const bytes = node('Conv', ['x', 'w'], ['y'], '/layer/conv/Conv', [intsAttr('pads', [1, 1, 1, 1])]);
    const r = await windowOn(bytes);
    expect(nodeNow(r, bytes.length)).toEqual({
      name: '/layer/conv/Conv',
      opType: 'Conv',
      domain: '',
      inputs: ['x', 'w'],
      outputs: ['y'],
      attributes: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }],
      at: 0,
    });
  });

  it('leave a field that runs past its message, at the window edge, to the general parser', async () => {
    // An attribute 'alpha' that declares a float (field 2, wire 5) and ends before its 4 bytes.
    const bytes = [...lfield(4, 'HardSigmoid'), ...lfield(5, [...lfield(1, 'alpha'), ...tag(2, 5)])];
    expect(nodeNow(await windowOn(bytes), bytes.length)).toBeUndefined();
    // A tensor whose dims varint does not end inside the message.
    const tensor = [...vfield(2, 1), ...tag(1, 0), 0x80, 0x80];
    expect(tensorNow(await windowOn(tensor, [0x80, 0x80, 0x80, 0x01]), tensor.length)).toBeUndefined();
  });

  it('leave tensors that hold their data, and attributes that hold tensors, to the general parser', async () => {
    const raw = [...lfield(8, 'w'), ...vfield(1, 2), ...vfield(2, 1), ...lfield(9, [0, 0, 0, 0, 0, 0, 0, 0])];
    expect(tensorNow(await windowOn(raw), raw.length)).toBeUndefined();
    const constant = node('Constant', [], ['c'], 'c', [[...lfield(1, 'value'), ...lfield(5, raw), ...vfield(20, 4)]]);
    expect(nodeNow(await windowOn(constant), constant.length)).toBeUndefined();
  });

  it('read an external tensor: its location, offset and length', async () => {
    const entry = (k: string, v: string) => lfield(13, [...lfield(1, k), ...lfield(2, v)]);
    const bytes = [...vfield(1, 4), ...vfield(1, 3), ...vfield(2, 1), ...lfield(8, 'w'), ...entry('location', 'w.bin'), ...entry('offset', '64'), ...entry('length', '48'), ...vfield(14, 1)];
    expect(tensorNow(await windowOn(bytes), bytes.length)).toEqual({ name: 'w', dataType: 1, dims: [4, 3], at: 0, bytes: 48, external: { location: 'w.bin', offset: 64, length: 48 } });
  });
});

describe('ONNX fast path for value infos', () => {
  it('reads a name, an element type and a shape of numbers and symbols', async () => {
    const bytes = valueInfo('x', ['batch', 3, 224, 224]);
    expect(valueInfoNow(await windowOn(bytes), bytes.length)).toEqual({ name: 'x', elemType: 1, shape: ['batch', 3, 224, 224] });
  });
});
