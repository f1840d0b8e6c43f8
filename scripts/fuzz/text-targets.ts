/**
 * The text readers as fuzz targets: the paper notation, YAML and JSON spec files, and Hugging Face config.json, each
 * read and analysed end to end (the report's footer rendered too). Seeds are the examples, the zoo's notation and the
 * config fixtures; the structured inputs are texts made of the readers' own vocabulary with hostile sizes, repeats,
 * nesting and whitespace mixed in. An accepted input must give a report whose totals are its layers' sums.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import type { Report } from '../../src/analyze/report.js';
import { parseSpecText } from '../../src/describe/from-object.js';
import { ModelError } from '../../src/errors.js';
import type { ByteSource } from '../../src/io/bytes.js';
import { plus, type Int } from '../../src/int.js';
import { render } from '../../src/render/index.js';
import { summarize } from '../../src/summarize.js';
import { fromHfConfig } from '../../src/zoo/hf/index.js';
import type { FuzzTarget } from './harness.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = async (source: ByteSource): Promise<string> => new TextDecoder().decode(await source.read(0, source.size));

/** Analyses, renders the table, and checks that the totals are the layers' sums. */
function analysed(r: Report): Report {
  render(r, 'table');
  let params: Int = 0;
  for (const l of r.layers) params = plus(params, l.params ?? 0);
  if (BigInt(params) !== BigInt(r.totals.params)) throw new Error(`params ${r.totals.params} ≠ Σ layers ${params}`);
  if (BigInt(r.totals.macs) < 0n) throw new Error('negative MACs');
  return r;
}

const WORDS = ['conv3-64', 'conv1-8', 'conv7-16/2', 'conv3x1-4', 'maxpool', 'maxpool3/2', 'avgpool', 'gap', 'FC-10', 'FC-4096', 'FC-conv', 'LRN', 'soft-max', 'dropout', 'bn', 'relu', 'flatten', 'x2', '×3', '3x', 'x10000', 'input', '(', ')', ':', ',', '\n', '#', 'RGB', 'image'];
const SIZES = ['0', '1', '3', '7', '224', '99999999999999999999', '2147483648', '-1', '1e3', '0x10'];

/** Notation built from its own words, sizes and separators. */
const notation = fc
  .tuple(
    fc.oneof(fc.constant(''), fc.tuple(fc.constantFrom(...SIZES), fc.constantFrom(...SIZES), fc.constantFrom(...SIZES, 'RGB')).map(([h, w, c]) => `${h}x${w}x${c}, `)),
    fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(' ', '  ', '\t', ' '.repeat(500), '('.repeat(200)), fc.string({ maxLength: 6 })), { maxLength: 40 }),
  )
  .map(([head, words]) => head + words.join(' '));

const SPEC_KEYS = ['layers', 'input', 'name', 'conv2d', 'linear', 'out', 'kernel', 'stride', 'padding', 'groups', 'residual', 'parallel', 'merge', 'repeat', 'block', 'inputs', 'outputs', 'tied', 'notation', 'relu', 'flatten', 'maxpool2d', 'attention', 'num_heads'];

/** JSON-like values with the spec's keys, hostile numbers and deep nesting. */
const specValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(0, 1, 3, 64, -1, 2 ** 31, 2 ** 53, 1e308, 0.5, 'same', 'valid', 'x', '8x8x3', '224x224x3, conv3-8, FC-2', true, null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...SPEC_KEYS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const specDoc = fc.tuple(fc.constantFrom('8x8x3', '1,3,16,16', 784, [1, 4], 'oops'), fc.array(specValue, { maxLength: 8 })).map(([input, layers]) => ({ input, layers }));

const CONFIG_KEYS = ['model_type', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'intermediate_size', 'vocab_size', 'max_position_embeddings', 'head_dim', 'num_local_experts', 'num_experts_per_tok', 'tie_word_embeddings', 'n_layer', 'n_embd', 'd_model', 'num_layers', 'num_decoder_layers', 'sliding_window', 'text_config', 'vision_config'];
const TYPES = ['llama', 'mistral', 'gpt2', 'bert', 't5', 'mixtral', 'qwen2', 'gemma2', 'deepseek_v3', 'mamba', 'whisper', 'clip', 'llava', 'unknown-type', ''];

/** Config objects: a family and its keys with hostile values. */
const config = fc
  .tuple(fc.constantFrom(...TYPES), fc.dictionary(fc.constantFrom(...CONFIG_KEYS), fc.oneof(fc.constantFrom(0, 1, 2, 8, 64, 4096, -5, 1e9, 2 ** 53, 1.5, 'x', true, null), fc.nat(64)), { maxKeys: 10 }))
  .map(([model_type, keys]) => ({ model_type, ...keys }));

const examples = (ext: RegExp) =>
  readdirSync('examples')
    .filter((f) => ext.test(f))
    .map((f) => new Uint8Array(readFileSync(`examples/${f}`)));

export const textTargets: readonly FuzzTarget[] = [
  {
    name: 'notation',
    seeds: () => [...examples(/\.txt$/), encode('224x224x3, conv3-64 x2, maxpool, conv3-128 x2, maxpool, FC-4096, FC-4096, FC-1000, soft-max'), encode('input (32 × 32 grey image), conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10')],
    run: async (source) => analysed(summarize(await decode(source), { memory: {} })),
    arbitrary: notation.map(encode),
  },
  {
    name: 'spec-yaml',
    seeds: () => examples(/\.ya?ml$/),
    run: async (source) => analysed(summarize(await parseSpecText(await decode(source), 'fuzz.yaml'))),
    arbitrary: specDoc.map((d) => encode(JSON.stringify(d).replace(/"/g, ''))),
  },
  {
    name: 'spec-json',
    seeds: () => examples(/\.json$/),
    run: async (source) => analysed(summarize(await parseSpecText(await decode(source), 'fuzz.json'))),
    arbitrary: specDoc.map((d) => encode(JSON.stringify(d))),
  },
  {
    name: 'config',
    seeds: () =>
      readdirSync('test/fixtures/hf')
        .filter((f) => f.endsWith('.json'))
        .map((f) => new Uint8Array(readFileSync(`test/fixtures/hf/${f}`))),
    run: async (source) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await decode(source));
      } catch (e) {
        throw new ModelError('spec', `not JSON: ${(e as Error).message}`); // as the CLI reports it
      }
      return analysed(summarize(fromHfConfig(parsed), { memory: {} }));
    },
    arbitrary: config.map((c) => encode(JSON.stringify(c))),
  },
];
