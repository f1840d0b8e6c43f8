import { describe, expect, test } from 'vitest';
import { errorOf, errorOfAsync } from '../../test/helpers.js';
import { parseSpecText } from '../describe/from-object.js';
import { summarize } from '../summarize.js';
import { applyFix, fixFor, suggestion } from './fix.js';

/** The engine's own error for a text, and the text with the page's fix applied. */
function fixed(text: string, error: { message: string; loc?: unknown }): string | undefined {
  const loc = error.loc as { kind: string; offset: number; length: number } | undefined;
  const fix = fixFor(error.message, text, loc?.kind === 'text' ? loc : undefined);
  return fix && applyFix(text, fix);
}

describe('the did-you-mean as an edit', () => {
  test('reads the word and the suggestion from the engine\'s messages', () => {
    expect(suggestion("unknown layer 'maxpol'. Did you mean 'maxpool'?")).toEqual({ word: 'maxpol', suggestion: 'maxpool' });
    expect(suggestion("conv2d: 'kernel' is required. Received an unknown attribute 'kernal'; did you mean 'kernel'?")).toEqual({ word: 'kernal', suggestion: 'kernel' });
    expect(suggestion("unknown layer 'x2y'.")).toBeUndefined();
    expect(suggestion("Did you mean 'a'?")).toBeUndefined(); // no word before it
  });

  test('a misspelt notation word is replaced where the error points', () => {
    const text = '224x224x3, conv3-64 x2, maxpol, FC-10';
    expect(fixed(text, errorOf(() => summarize(text)))).toBe('224x224x3, conv3-64 x2, maxpool, FC-10');
  });

  test('a misspelt zoo name is replaced whole', () => {
    expect(fixed(' resnet5 ', errorOf(() => summarize(' resnet5 ')))).toBe(' resnet50 ');
  });

  test('an unknown op in JSON is replaced inside its quotes', async () => {
    const text = '{"input": [1, 3, 32, 32], "layers": [{"conv2d": {"out": 8, "kernel": 3}}, {"linaer": 3}]}';
    const e = await errorOfAsync(async () => summarize(await parseSpecText(text)));
    expect(fixed(text, e)).toBe(text.replace('linaer', 'linear'));
  });

  test('an unknown YAML attribute is fixed at its key, though the error points at the entry', async () => {
    const text = 'input: [1, 3, 32, 32]\nlayers:\n  - conv2d: {out: 8, kernal: 3}\n';
    const e = await errorOfAsync(async () => summarize(await parseSpecText(text)));
    const after = fixed(text, e)!;
    expect(after).toBe(text.replace('kernal', 'kernel'));
    // The fixed spec analyses: 3·3·3·8 + 8 = 224 parameters.
    expect(summarize(await parseSpecText(after)).totals.params).toBe(224);
  });

  test('no edit when the word is not written where the error points', () => {
    expect(fixFor("unknown layer 'maxpol'. Did you mean 'maxpool'?", 'conv3-64, maxpool', { offset: 0, length: 8 })).toBeUndefined();
    expect(fixFor("unknown model 'resnet5'. Did you mean 'resnet50'?", 'resnet5, conv3-64')).toBeUndefined();
  });
});
