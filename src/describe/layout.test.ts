import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { errorOf, errorOfAsync, textAt } from '../../test/helpers.js';
import { summarize } from '../summarize.js';
import { parseSpecText } from './from-object.js';

const gru = readFileSync(new URL('../../examples/gru-encoder.yaml', import.meta.url), 'utf8');
/** PyTorch 1.13's MACs for the example at [200, 1, 80] (test/oracle/examples/gru-encoder.json). */
const ORACLE_MACS = (JSON.parse(readFileSync(new URL('../../test/oracle/examples/gru-encoder.json', import.meta.url), 'utf8')) as { macs: number }).macs;

describe('a declared layout tells --batch and --seq which dimension to set', () => {
  test('LNC: --batch sets dimension 1, --seq dimension 0, and the MACs follow', async () => {
    const spec = await parseSpecText(gru, 'gru-encoder.yaml');
    expect([spec.inputLayout, spec.batchAxis, spec.seqAxis]).toEqual(['LNC', 1, 0]);
    expect(summarize(spec).totals.macs).toBe(ORACLE_MACS);
    const batch = summarize(spec, { batch: 2 });
    expect(batch.model.input).toEqual([200, 2, 80]);
    // Every MAC is per step and per sample: twice the batch, twice the MACs; a quarter of the steps, a quarter.
    expect(batch.totals.macs).toBe(2 * ORACLE_MACS);
    expect(summarize(spec, { seq: 50 }).totals.macs).toBe(ORACLE_MACS / 4);
    expect(summarize(spec, { batch: 8, seq: 50 }).model.input).toEqual([50, 8, 80]);
  });

  test('seq_first: true is LNC for features and LN for token ids', async () => {
    const ids = await parseSpecText('input: [100, 1]\nseq_first: true\nlayers: ["Embedding(1000, 16)", "GRU(16, 32)"]\n');
    expect([ids.inputLayout, ids.batchAxis, ids.seqAxis]).toEqual(['LN', 1, 0]);
    // The embedding keeps the layout: [100, 1, 16] is sequence first, as the GRU reads it by default.
    expect(summarize(ids, { batch: 4 }).model.output).toEqual([100, 4, 32]);
  });
});

describe('a layout nncalc cannot honour is an error', () => {
  test.each([
    ['input: 8x8x3\nlayout: NHWC\nlayers: [relu]\n', "layout 'NHWC' is not one nncalc can honour for the 4-D input [1, 3, 8, 8]. Expected one of NCHW. nncalc's convolutions and poolings read channels first."],
    ['input: [10, 1, 4]\nlayout: NCHW\nlayers: [relu]\n', "layout 'NCHW' is not one nncalc can honour for the 3-D input [10, 1, 4]. Expected one of NLC, LNC, NCL. The input [10, 1, 4] has 3 dimensions, the layout 4."],
    ['input: 8x8x3\nseq_first: true\nlayers: [relu]\n', "'seq_first' applies to a sequence input"],
    ['input: [10, 1, 4]\nlayout: LNC\nseq_axis: 1\nlayers: [relu]\n', 'the layout LNC puts the sequence at dimension 0, but seq_axis says 1.'],
    ['inputs: {x: [10, 1, 4], y: [1, 4]}\nlayout: LNC\nlayers: [relu]\n', 'a layout with the batch at dimension 1 applies to a single input; --batch sets dimension 0 of the others.'],
  ])('%#', async (yaml, message) => {
    const e = await errorOfAsync(() => parseSpecText(yaml));
    expect(e.message.startsWith(message), e.message).toBe(true);
    expect(textAt(e, yaml).line).toBeGreaterThan(1);
  });

  test('an --input of another rank than the layout', async () => {
    const spec = await parseSpecText(gru);
    expect(errorOf(() => summarize(spec, { input: [1, 200, 80, 1] })).message).toBe("'gru-encoder' declares the layout LNC, of 3 dimensions, but the input [1, 200, 80, 1] has 4.".replace('gru-encoder', spec.name));
  });
});

describe('layers that read the input must agree with its layout', () => {
  const check = async (layout: string, layer: string) => {
    const yaml = `input: [20, 4, 16]\nlayout: ${layout}\nlayers:\n  - Linear(16, 16)\n  - ${layer}\n`;
    return errorOfAsync(() => parseSpecText(yaml).then((s) => summarize(s))).then((e) => ({ message: e.message, ...textAt(e, yaml) }));
  };

  test('a batch-first layer on a sequence-first input, through a linear layer', async () => {
    expect(await check('LNC', 'GRU(16, 32, batch_first=True)')).toMatchObject({
      line: 5,
      message: "layer '1' reads an input the spec's layout calls LNC (sequence first), but it is batch_first: true, so it would take the sequence for the batch. Write batch_first: false.",
    });
    // Keras's LSTM is batch first.
    expect((await check('LNC', 'LSTM(units=32)')).message).toMatch(/batch_first: true by default/);
    // nncalc's transformer layer is batch first by default; PyTorch's class is sequence first.
    expect((await check('LNC', 'transformer_encoder_layer: {nhead: 4}')).message).toMatch(/batch_first: true by default/);
    expect((await check('NLC', 'TransformerEncoderLayer(16, 4)')).message).toMatch(/^layer '1' reads an input the spec's layout calls NLC \(batch first\), but it is batch_first: false/);
  });

  test('layers that agree are counted with the batch and the sequence in their places', async () => {
    const r = summarize(await parseSpecText('input: [20, 4, 16]\nlayout: LNC\nlayers:\n  - TransformerEncoderLayer(16, 4, 32)\n'));
    // Per sample, self-attention 4·L·E² + 2·L²·E = 4·20·256 + 2·400·16 = 33,280 and the feed-forward 2·L·E·F = 2·20·16·32 = 20,480;
    // N = 4 samples: 4·53,760 = 215,040.
    expect(r.totals.macs).toBe(215_040);
  });
});
