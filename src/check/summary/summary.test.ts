/**
 * Summaries as Keras and torchinfo print them (test/fixtures/summaries/README.md names each source), and the
 * explanation of every row. Each expected formula is derived by hand in the comment beside it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { errorOf } from '../../../test/helpers.js';
import { ModelError } from '../../errors.js';
import { explainSummary, parseSummary, type RowExplanation } from './index.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/summaries/${name}.txt`, import.meta.url), 'utf8');
const row = (rows: readonly RowExplanation[], name: string): RowExplanation => {
  const r = rows.find((x) => x.row.name === name);
  if (!r) throw new Error(`no row ${name}`);
  return r;
};

describe('reading the three layouts', () => {
  test('Keras 2: ruled columns, names the tool wrapped over two lines', () => {
    const s = parseSummary(fixture('keras2-sequential-model-guide'));
    expect(s.layout).toBe('keras2');
    expect(s.name).toBe('sequential_6');
    expect(s.rows.map((r) => [r.name, r.type, r.params])).toEqual([
      ['conv2d', 'Conv2D', 2432],
      ['conv2d_1', 'Conv2D', 9248],
      ['max_pooling2d', 'MaxPooling2D', 0],
      ['conv2d_2', 'Conv2D', 9248],
      ['conv2d_3', 'Conv2D', 9248],
      ['max_pooling2d_1', 'MaxPooling2D', 0],
      ['conv2d_4', 'Conv2D', 9248],
      ['conv2d_5', 'Conv2D', 9248],
      ['max_pooling2d_2', 'MaxPooling2D', 0],
    ]);
    expect(s.rows[0]!.output).toEqual([null, 123, 123, 32]);
    expect(s.totals).toEqual({ params: 48672, trainable: 48672, nonTrainable: 0 });
  });

  test('Keras 3: the box table, wrapped shapes and names, and the Connected to column', () => {
    const s = parseSummary(fixture('keras3-toy-resnet'));
    expect(s.layout).toBe('keras3');
    expect(s.rows).toHaveLength(15);
    const conv = s.rows.find((r) => r.name === 'conv2d_2')!;
    // '(None, 30, 30,' and '32)' on two lines are one shape.
    expect(conv.output).toEqual([null, 30, 30, 32]);
    expect(conv.connected).toEqual(['img']);
    expect(s.rows.find((r) => r.name === 'add')!.connected).toEqual(['conv2d_5', 'max_pooling2d_2…']);
    expect(parseSummary(fixture('keras3-entry-block')).rows.find((r) => r.name === 'separable_conv2d')!.type).toBe('SeparableConv2D');
  });

  test('torchinfo: depth, containers, tensor rows in verbose mode, the kernel column', () => {
    const s = parseSummary(fixture('torchinfo-lstm-verbose'));
    expect(s.layout).toBe('torchinfo');
    expect(s.rows.map((r) => [r.name, r.depth, r.tensor])).toEqual([
      ['LSTMNet', 0, false],
      ['embedding', 1, false],
      ['weight', 2, true],
      ['encoder', 1, false],
      ...['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1'].map((n) => [n, 2, true]),
      ['decoder', 1, false],
      ['weight', 2, true],
      ['bias', 2, true],
    ]);
    const all = parseSummary(fixture('torchinfo-single-input-all-cols'));
    expect(all.rows[1]).toMatchObject({ type: 'Conv2d', kernel: [5, 5], input: [7, 1, 28, 28], output: [7, 10, 24, 24], params: 260 });
  });

  test('text that is not a summary is an error that says what was expected', () => {
    const e = errorOf(() => parseSummary('total: 138M'));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toMatch(/expected a model summary with a 'Param #' column/);
  });
});

describe('explaining every row', () => {
  test("Keras's MNIST convnet: 320 = 32·(3·3·1 + 1), and the shapes that confirm each kernel", () => {
    const e = explainSummary(fixture('keras3-mnist-convnet'));
    // 3·3·1 = 9 weights and a bias per filter: 32·10 = 320. The input is not shown, so other readings fit:
    // 1×1 over 9 channels with a bias (32·10) and 1×1 over 10 channels without (32·10).
    const first = row(e.rows, 'conv2d');
    expect([first.status, first.formula]).toEqual(['ambiguous', '32·(3·3·1 + 1)']);
    expect(first.candidates).toEqual(['32 filters of 1×1 over 9 input channels, each with a bias (32·(1·1·9 + 1))', '32 filters of 1×1 over 10 input channels, without biases (32·1·1·10)']);
    // 18,496 / 64 = 289 = 3·3·32 + 1, and 13 − 3 + 1 = 11 confirms the 3×3 kernel.
    const second = row(e.rows, 'conv2d_1');
    expect([second.status, second.formula]).toEqual(['explained', '64·(3·3·32 + 1)']);
    expect(second.text).toContain('no padding, stride 1: 13 − 3 + 1 = 11');
    // 1,600·10 + 10 = 16,010 over the flattened 5·5·64 = 1,600 values.
    expect(row(e.rows, 'dense').formula).toBe('1,600·10 + 10');
    expect(e.totals[0]).toBe('Total params: 34,826 = Σ of the 7 rows = 34,826.');
    expect(e.complete).toBe(true);
  });

  test('Keras 2 guide: 2,432 = 32·(5·5·3 + 1) for an RGB input, 9,248 = 32·(3·3·32 + 1)', () => {
    const e = explainSummary(fixture('keras2-sequential-model-guide'));
    // 5·5·3 + 1 = 76 per filter, ·32 = 2,432 (the guide's Conv2D(32, 5, strides=2) on 250×250×3).
    expect(row(e.rows, 'conv2d').formula).toBe('32·(5·5·3 + 1)');
    // 3·3·32 + 1 = 289, ·32 = 9,248; 123 − 3 + 1 = 121.
    expect(row(e.rows, 'conv2d_1')).toMatchObject({ status: 'explained', formula: '32·(3·3·32 + 1)' });
    expect(e.rows.filter((r) => r.row.type === 'MaxPooling2D').every((r) => r.status === 'free')).toBe(true);
  });

  test('functional models follow Connected to, even to a name Keras cut short', () => {
    const e = explainSummary(fixture('keras3-toy-resnet'));
    // conv2d_4 reads max_pooling2d_2 (64 channels, 9×9, 'same' padding): 64·(3·3·64 + 1) = 36,928.
    expect(row(e.rows, 'conv2d_4')).toMatchObject({ status: 'explained', formula: '64·(3·3·64 + 1)' });
    expect(row(e.rows, 'conv2d_4').text).toContain('padding keeps the size 9');
    // dense_1: 64·256 + 256 = 16,640.
    expect(row(e.rows, 'dense_1').formula).toBe('64·256 + 256');
    expect(e.rows.filter((r) => r.status === 'ambiguous' || r.status === 'unexplained')).toEqual([]);
  });

  test('BatchNormalization, SeparableConv2D and the non-trainable total', () => {
    const e = explainSummary(fixture('keras3-entry-block'));
    // Conv2D(128, 3, strides=2, 'same') on 180×180×3: 128·(3·3·3 + 1) = 3,584; ⌈180/2⌉ = 90.
    expect(row(e.rows, 'conv2d_9').text).toContain("'same' padding, stride 2: ⌈180/2⌉ = 90");
    // 4·128 = 512: γ, β, moving mean and variance.
    expect(row(e.rows, 'batch_normalization').formula).toBe('4·128');
    // 3·3·128 (depthwise) + 128·256 (pointwise) + 256 = 1,152 + 32,768 + 256 = 34,176.
    expect(row(e.rows, 'separable_conv2d').formula).toBe('3·3·128 + 128·256 + 256');
    // Non-trainable: 2·128 + 2·256 = 768, as the summary says.
    expect(e.totals[1]).toBe('Non-trainable params: 768 = the moving means and variances of the 2 BatchNormalization layers, 2·C each = 768.');
  });

  test('embeddings and recurrent layers: Keras LSTM cells and PyTorch stacked LSTMs', () => {
    const k = explainSummary(fixture('keras3-bidirectional-lstm'));
    // 20,000·128 = 2,560,000.
    expect(row(k.rows, 'embedding').formula).toBe('20,000·128');
    // Bidirectional(LSTM(64)) over 128 features: 2·(4·64·(128 + 64) + 4·64) = 2·(49,152 + 256) = 98,816.
    expect(row(k.rows, 'bidirectional')).toMatchObject({ status: 'explained', formula: '2·(4·64·(128 + 64) + 4·64)' });
    const t = explainSummary(fixture('torchinfo-lstm-verbose'));
    // nn.LSTM(300, 512, num_layers=2): 4·512·(300 + 512) + 8·512 = 1,667,072 and 4·512·(512 + 512) + 8·512
    // = 2,101,248; Σ = 3,768,320.
    expect(row(t.rows, 'encoder')).toMatchObject({ status: 'explained', formula: '(4·512·(300 + 512) + 8·512) + (4·512·(512 + 512) + 8·512)' });
    // weight_ih_l0 is 2,048 × 300 = 614,400.
    expect(t.rows.find((r) => r.row.name === 'weight_ih_l0')).toMatchObject({ status: 'tensor', formula: '2048·300' });
    // The Linear decoder: 512·20 + 20 = 10,260.
    expect(row(t.rows, 'decoder').formula).toBe('512·20 + 20');
    expect(t.totals[0]).toBe('Total params: 3,784,580 = Σ of the 3 rows = 3,784,580.');
  });

  test("torchinfo's README: input shapes shown, every kernel unique", () => {
    const e = explainSummary(fixture('torchinfo-readme'));
    // 10·(5·5·1 + 1) = 260; 20·(5·5·10 + 1) = 5,020; 320·50 + 50 = 16,050; 50·10 + 10 = 510.
    expect(e.rows.filter((r) => r.formula).map((r) => r.formula)).toEqual(['10·(5·5·1 + 1)', '20·(5·5·10 + 1)', '320·50 + 50', '50·10 + 10']);
    expect(e.rows[0]!.text).toBe('a container: the 4 layers under it hold 21,840');
    expect(e.complete).toBe(true);
  });

  test('a count no reading fits is said to be unexplained, never forced', () => {
    // 321 = 3·107: no conv with 32 filters has it (321 is not a multiple of 32, nor 32 more than one).
    const e = explainSummary(fixture('keras3-mnist-convnet').replace('│           320 │', '│           321 │'));
    expect(row(e.rows, 'conv2d').status).toBe('unexplained');
    expect(e.totals[0]).toMatch(/≠ Σ of the 7 rows = 34,827/);
    expect(e.complete).toBe(false);
  });
});
