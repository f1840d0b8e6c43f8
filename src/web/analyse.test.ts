import { describe, expect, test } from 'vitest';
import { errorOfAsync } from '../../test/helpers.js';
import { summarize } from '../summarize.js';
import { analyseSource, errorView, isSpecText, readText } from './analyse.js';
import { DEFAULT_OPTIONS } from './protocol.js';

describe('what the page analyses', () => {
  test('tells specs from notation and names without reading the whole text', () => {
    expect(isSpecText('  {"layers": []}')).toBe(true);
    expect(isSpecText('name: x\ninput: 32x32x3\nlayers:\n  - relu\n')).toBe(true);
    expect(isSpecText('224x224x3, conv3-64, maxpool')).toBe(false);
    expect(isSpecText('vgg16')).toBe(false);
    expect(isSpecText(`${'conv3-64\n'.repeat(100_000)}layers: x`)).toBe(true); // one line at a time
  });

  test('a pasted Hugging Face config.json builds the model it names', async () => {
    // GPT-2 small's config as published on the Hub; GPT2LMHeadModel has 124,439,808 parameters
    // (model.num_parameters() in transformers; the LM head is tied to the token embedding).
    const config = JSON.stringify({ architectures: ['GPT2LMHeadModel'], model_type: 'gpt2', n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, vocab_size: 50257 }, null, 2);
    const spec = await readText(config);
    expect(summarize(spec).totals.params).toBe(124_439_808);
  });

  test('a dropped binary file goes to the model-file readers, which say what they found', async () => {
    const e = await errorOfAsync(() => analyseSource({ kind: 'file', files: [new File([new Uint8Array([0, 1, 2, 255, 0])], 'w.bin')] }, DEFAULT_OPTIONS));
    // .bin is PyTorch's extension (pytorch_model.bin): its reader says what it found instead.
    expect(e.message).toContain('w.bin is neither a zip (torch.save since 1.6) nor a pickle (the legacy format): it starts with 00 01 02 ff');
  });

  test('an error in a dropped notation file keeps its line and column', async () => {
    const text = '224x224x3\nconv3-64\nmaxpol\n';
    const e = await errorOfAsync(() => analyseSource({ kind: 'file', files: [new File([text], 'net.txt')] }, DEFAULT_OPTIONS));
    const view = errorView(e, undefined);
    expect(view.at).toMatchObject({ line: 3, column: 1 });
    expect(view.inEditor).toBe(false);
    expect(view.fix).toBeUndefined(); // a file is not edited by the page
  });

  test('an error in the editor is underlined there, with its fix; a bad setting names its field', async () => {
    const text = '224x224x3, maxpol';
    const view = errorView(await errorOfAsync(() => analyseSource({ kind: 'text', text }, DEFAULT_OPTIONS)), text);
    expect(view).toMatchObject({ field: 'model', inEditor: true, at: { line: 1, column: 12, offset: 11, length: 6 }, fix: { offset: 11, length: 6, replacement: 'maxpool' } });
    const thrown = await analyseSource({ kind: 'text', text: 'vgg16' }, { ...DEFAULT_OPTIONS, batch: '0x10' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const bad = errorView(thrown, 'vgg16');
    expect(bad).toMatchObject({ field: 'batch', inEditor: false });
    expect(bad.message).toContain('the batch size must be a whole number');
  });

  test('an unexpected failure is a message, not a crash', () => {
    const view = errorView(new TypeError('x is undefined'), 'vgg16');
    expect(view.code).toBe('bug');
    expect(view.message).toContain('TypeError: x is undefined');
  });
});
