import { describe, expect, test } from 'vitest';
import { errorOfAsync, textAt } from '../../test/helpers.js';
import { analyze } from '../analyze/index.js';
import { build } from './build.js';
import { parseSpecText } from './from-object.js';
import { MAX_YAML_BYTES } from './yaml.js';

const run = async (text: string) => analyze(build(await parseSpecText(text)));

/** Where an error points: line, column, and the text there. */
async function where(text: string) {
  const e = await errorOfAsync(() => run(text));
  const { offset, length } = e.loc as { offset: number; length: number };
  return { message: e.message, ...textAt(e, text), piece: text.slice(offset, offset + length) };
}

describe('JSON specs are read with JSON.parse and keep their positions', () => {
  const spec = (layers: string) => `{\n  "input": "32x32x3",\n  "layers": [\n${layers}\n  ]\n}`;

  test('an attribute value, a key beside an op, an op kind', async () => {
    expect(await where(spec('    {"conv2d": {"out": 8, "kernel": -1}}'))).toMatchObject({ line: 4, column: 37, piece: '-1' });
    expect(await where(spec('    {"conv2d": {"out": 8, "kernel": 3}, "nmae": "c"}'))).toMatchObject({ line: 4, piece: '"nmae"', message: expect.stringContaining("unknown key 'nmae' beside op 'conv2d'") });
    expect(await where(spec('    "relu",\n    {"conv2dd": {}}'))).toMatchObject({ line: 5, piece: '"conv2dd"', message: "unknown op 'conv2dd'. Did you mean 'conv2d'?" });
  });

  test('a piece of a string: a call, a notation word, an expression, through escapes', async () => {
    expect(await where(spec('    "Conv2d(3, 8, 3, padding=1)",\n    "c = Conv2d(8, 8, 3, padding=\\"same\\", biass=False)"'))).toMatchObject({
      line: 5,
      piece: 'biass=False',
    });
    expect(await where(spec('    "conv3-64 x2, maxpol"'))).toMatchObject({ line: 4, column: 19, piece: 'maxpol' });
    expect(await where(spec('    {"upsample": {"size": "like(\\u0073kp)"}}'))).toMatchObject({ line: 4, message: expect.stringContaining("reads 'skp'") });
  });

  test('top-level keys and references', async () => {
    expect(await where('{"input": "8x8x3", "layers": ["relu"], "outptus": ["0"]}')).toMatchObject({ piece: '"outptus"', message: expect.stringContaining("Did you mean 'outputs'?") });
    expect(await where('{"input": 8, "layers": [{"linear": {"out": 2}}], "outputs": ["0", "nothere"]}')).toMatchObject({ piece: '"nothere"' });
  });

  test('a repeated key: the last one counts, as JSON.parse reads it', async () => {
    expect(await where('{"input": 8, "layers": [{"linear": {"out": 2, "out": -2}}]}')).toMatchObject({ piece: '-2' });
  });

  test('nesting is bounded before anything is parsed', async () => {
    const deep = `{"layers": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    // '{' is the first level, so the 200th '[' (offset 11 + 199) is the 201st.
    expect(await where(deep)).toMatchObject({ line: 1, column: 211, message: expect.stringContaining('nests more than 200 levels deep') });
  });
});

describe('sizes', () => {
  test('a JSON spec larger than the YAML limit is read, its syntax errors at their position', async () => {
    const layers = Array.from({ length: 60_000 }, (_, i) => `{"linear": {"out": 8}, "name": "fc${i}"}`).join(',\n');
    const text = `{"input": 8, "layers": [\n${layers}\n]}`;
    expect(text.length).toBeGreaterThan(MAX_YAML_BYTES);
    expect((await parseSpecText(text)).layers).toHaveLength(60_000);
    const broken = `${text.slice(0, 100)}}${text.slice(100)}`;
    expect(await where(broken)).toMatchObject({ line: 3, message: expect.stringMatching(/^JSON syntax error: /) });
  });

  test('a YAML spec larger than its limit is an error before it is composed', async () => {
    const text = `input: 8\nlayers:\n${'  - relu\n'.repeat(MAX_YAML_BYTES / 8)}`;
    const e = await errorOfAsync(() => parseSpecText(text));
    // 2 MiB/8 lines of 9 characters and the 17 of the head: 2,359,313 characters, 2.25 MiB.
    expect(e.message).toBe('the YAML spec is 2.3 MiB; nncalc reads YAML up to 2.0 MiB. Write a larger spec as JSON (up to 64.0 MiB).');
  });

  test('sequences opened on one line, or flow brackets, too deep for YAML are refused before its parser runs', async () => {
    // The 201st '- ' starts at offset 400.
    expect(textAt(await errorOfAsync(() => parseSpecText('- '.repeat(500_000))), '- '.repeat(500_000))).toMatchObject({ line: 1, column: 401 });
    const flow = `layers: ${'['.repeat(300)}relu${']'.repeat(300)}`;
    expect((await errorOfAsync(() => parseSpecText(flow))).message).toMatch(/nests more than 200 levels deep/);
    // Brackets in comments and quoted strings are not nesting.
    expect((await parseSpecText(`# ${'['.repeat(300)}\nlayers: ["${'('.repeat(3)}", relu]\n`.replace('"((("', 'relu'))).layers).toHaveLength(2);
  });

  test('flow-style YAML that is not JSON is still read as YAML', async () => {
    expect((await parseSpecText('[conv3-8, maxpool, FC-10]')).layers.length).toBeGreaterThan(2);
  });
});
