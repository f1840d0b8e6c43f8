/** Errors of the graph parts of the spec format, at their line and column, and limits on hostile input. */
import { describe, expect, test } from 'vitest';
import { errorOfAsync, textAt } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { build } from './build.js';
import { fromObject, parseSpecText } from './from-object.js';

describe('errors at line:column', () => {
  test('a reference to no earlier layer is reported by build at the layer that holds it', async () => {
    const text = 'input: 8\nlayers:\n  - linear: {out: 8}\n    name: a\n  - add:\n    name: mix\n    inputs: [a, nope]\n';
    const e = await errorOfAsync(async () => build(await parseSpecText(text)));
    expect(e.message).toMatch(/layer 'mix' reads 'nope', which is not an earlier layer, block or input/);
    // `  - add:`: the op key starts in column 5.
    expect(textAt(e, text)).toEqual({ line: 5, column: 5, length: 3 });
  });

  test('references that are not names are refused where they are written', async () => {
    const cases: [string, RegExp, number, number][] = [
      // `    inputs: [a, ` is 16 characters: the quoted "b c" starts in column 17.
      ['layers:\n  - relu\n  - add:\n    inputs: [a, "b c"]\n', /'inputs' names layers or inputs.*Received: 'b c'/, 4, 17],
      ['layers:\n  - relu\n  - add:\n    inputs: a, b\n', /Write several as a list: \[a, b\]/, 4, 13],
      ['layers:\n  - relu\n  - add:\n    inputs: []\n', /'inputs' is empty/, 4, 13],
      ['layers:\n  - relu\n  - add:\n    inputs: [a:x]\n', /'inputs' names layers/, 4, 14],
      ['layers: [relu]\noutputs: {a: 1}\n', /'outputs' must be a list of layer names/, 2, 10],
    ];
    for (const [text, message, line, column] of cases) {
      const e = await errorOfAsync(() => parseSpecText(text));
      expect(e.message).toMatch(message);
      expect(textAt(e, text)).toMatchObject({ line, column });
    }
  });

  test('a parallel that is not a list, a merge that is not a merge, and other structure errors', async () => {
    const cases: [string, RegExp, number, number][] = [
      // `  - parallel: ` is 14 characters.
      ['layers:\n  - parallel: relu\n    merge: add\n', /'parallel' must be a list of branches.*Received: 'relu'/, 2, 15],
      ['layers:\n  - parallel: []\n    merge: add\n', /'parallel' has no branches/, 2, 15],
      ['layers:\n  - parallel: [[relu], 3]\n    merge: add\n', /a branch is a list of layers.*Received: 3/, 2, 24],
      // `    merge: {` is 12 characters: the op key starts in column 13 (and `add: null, ` ends in column 23).
      ['layers:\n  - parallel: [[relu], []]\n    merge: {linear: {out: 8}}\n', /'merge' must be an op that joins its inputs: add, mul, concat. Received: linear/, 3, 13],
      ['layers:\n  - residual: [relu]\n    merge: conv2d\n', /'merge' must be an op that joins.*Received: conv2d/, 3, 12],
      ['layers:\n  - residual: [relu]\n    merge: [add]\n', /'merge' must be an op that joins.*Received: a list/, 3, 12],
      ['layers:\n  - residual: [relu]\n    merge: {add: null, inputs: [a]}\n', /a merge reads the outputs of its branches; it takes no 'inputs'/, 3, 24],
      ['layers:\n  - parallel: [[relu], []]\n', /a parallel needs 'merge'/, 2, 5],
      ['layers:\n  - residual: [relu]\n    merge: {add: null, name: a}\n    name: b\n', /the merge is named twice/, 4, 11],
      ['layers:\n  - residual: [relu]\n    shortcuts: []\n', /unknown key 'shortcuts' in a residual. Did you mean 'shortcut'\?/, 3, 5],
      ['layers:\n  - residual:\n', /a branch is a list of layers.*Received: nothing/, 2, 14],
      ['layers:\n  - residual: [relu]\n    block: b\n', /a layer is one of block, sequential, repeat, residual, parallel, not both 'residual' and 'block'/, 3, 5],
      ['layers:\n  - block: b\n    inputs: [x]\n    layers: [relu]\n', /'inputs' belongs on an op layer; a block reads the layer before it/, 3, 5],
      ['layers:\n  - block: b\n    type: 3\n    layers: [relu]\n', /'type' must be a class name/, 3, 11],
      ['layers:\n  - repeat: 2\n    type: BasicBlock\n    layers: [relu]\n', /unknown key 'type' in a repeat/, 3, 5],
      ['layers:\n  - relu:\n    role: atention\n', /unknown role 'atention'. Did you mean 'attention'\?/, 3, 11],
      ['layers:\n  - relu:\n    name: "a:1"\n', /a name must be a non-empty string without dots or colons/, 3, 11],
      ['layers:\n  - op: parallel\n', /'parallel' is a layer form, not an op/, 2, 9],
    ];
    for (const [text, message, line, column] of cases) {
      const e = await errorOfAsync(() => parseSpecText(text));
      expect(e.message).toMatch(message);
      expect(textAt(e, text)).toMatchObject({ line, column });
    }
  });

  test('tied: a missing weight is reported by analyze at the layer; a layer where a weight belongs, by the reader', async () => {
    const text = (target: string) => `input: 16\nlayers:\n  - linear: {out: 16}\n    name: enc\n  - linear: {out: 16}\n    name: dec\n    tied: {weight: ${target}}\n`;
    const missing = text('enx.weight');
    const e = await errorOfAsync(async () => analyze(build(await parseSpecText(missing))));
    expect(e.message).toMatch(/layer 'dec' ties its 'weight' to 'enx.weight', which is not a weight of an earlier layer/);
    expect(textAt(e, missing)).toEqual({ line: 5, column: 5, length: 6 });
    // `    tied: {weight: ` is 19 characters.
    const layer = text('enc');
    const r = await errorOfAsync(() => parseSpecText(layer));
    expect(r.message).toMatch(/'enc' names a layer, not a weight: write enc.weight to share its weight, or tied: enc/);
    expect(textAt(r, layer)).toMatchObject({ line: 7, column: 20 });
    const bad = 'layers:\n  - relu:\n    tied: [a]\n';
    expect(textAt(await errorOfAsync(() => parseSpecText(bad)), bad)).toMatchObject({ line: 3, column: 11 });
  });

  test('top-level inputs and seq_axis', async () => {
    const cases: [string, RegExp, number, number][] = [
      ['input: 8\ninputs: {a: 8}\nlayers: [relu]\n', /write 'input' for one input or 'inputs' for several named ones, not both/, 2, 1],
      ['inputs: [8, 8]\nlayers: [relu]\n', /'inputs' must be a mapping from input names to shapes/, 1, 9],
      ['inputs: {}\nlayers: [relu]\n', /'inputs' is empty/, 1, 9],
      // Numeric keys come first in a JavaScript object, so '2' is the first name read.
      ['inputs:\n  image: 8\n  2: 8\nlayers: [relu]\n', /an input name cannot be a number such as '2'/, 3, 3],
      ['inputs:\n  image: 8\n  input: 8\nlayers: [relu]\n', /only the first input may be named 'input'/, 3, 3],
      ['inputs:\n  image: 8\n  mask: 28x28\nlayers: [relu]\n', /'inputs.mask' must be H×W×C.*no channel count/, 3, 9],
      ['inputs:\n  a.b: 8\nlayers: [relu]\n', /an input name must be a non-empty string without dots/, 2, 3],
      // [1, 16] has dimensions 0 (batch) and 1.
      ['input: 16\nseq_axis: 2\nlayers: [relu]\n', /'seq_axis' must be from 1 to 1, a dimension of the input \[1, 16\] other than the batch/, 2, 11],
      ['seq_axis: 0\nlayers: [relu]\n', /'seq_axis' must be an integer ≥ 1 \(0 is the batch\)/, 1, 11],
    ];
    for (const [text, message, line, column] of cases) {
      const e = await errorOfAsync(() => parseSpecText(text));
      expect(e.message).toMatch(message);
      expect(textAt(e, text)).toMatchObject({ line, column });
    }
  });
});

describe('hostile input', () => {
  test('merges count towards the layer limit', async () => {
    // 10 × 10,000 residuals of relu + add is 200,000 layers; without the adds it would be exactly the limit.
    const e = await errorOfAsync(() => fromObject([{ repeat: 10, layers: [{ repeat: 10_000, layers: [{ residual: ['relu'] }] }] }]));
    expect(e.message).toMatch(/brings the spec to 200,000 layers/);
  });

  test('too many branches or references are refused before analyze spreads them', async () => {
    const branches = await errorOfAsync(() => fromObject([{ parallel: Array<unknown[]>(10_001).fill([]), merge: 'add' }]));
    expect(branches.message).toMatch(/10,001 branches, more than the limit of 10,000/);
    const refs = await errorOfAsync(() => fromObject([{ add: null, inputs: Array<string>(10_001).fill('input') }]));
    expect(refs.message).toMatch(/10,001 references, more than the limit of 10,000/);
  });

  test('nested branches are capped like blocks', async () => {
    let layers: unknown[] = ['relu'];
    for (let i = 0; i < 65; i++) layers = [{ residual: layers }];
    expect((await errorOfAsync(() => fromObject(layers))).message).toMatch(/nested more than 64 deep/);
  });
});
