// Every text reader fed 1 MB of adversarial input: whitespace runs, brackets, nesting and repeats, the shapes
// that make backtracking regexes or recursive parsers blow up. Each must finish in milliseconds with a result or
// a ModelError; the table shows the time and which it was.
import { timeCall } from './_time.mjs';

export const title = 'Adversarial text, 1 MB each (target: every row well under 1 s)';

const MB = 1 << 20;
const fill = (unit, prefix = '', suffix = '') => prefix + unit.repeat(Math.ceil((MB - prefix.length - suffix.length) / unit.length)) + suffix;

export async function run({ runs }) {
  const lib = await import('../../dist/index.js');
  const readers = {
    notation: (t) => lib.summarize(t),
    'spec (YAML)': (t) => lib.parseSpecText(t, 'bench.yaml'),
    'spec (JSON)': (t) => lib.parseSpecText(t, 'bench.json'),
    // As the CLI reads a config: JSON first (a syntax error is a located ModelError there), then the family's reader.
    'config.json': (t) => {
      let config;
      try {
        config = JSON.parse(t);
      } catch (e) {
        throw new lib.ModelError('spec', String(e));
      }
      return lib.fromHfConfig(config);
    },
    claims: (t) => lib.parseClaims(t),
    '--input': (t) => lib.parseShape(t),
  };
  const inputs = {
    notation: {
      'spaces in the header': fill(' ', '1x1', 'z, FC-10'),
      'spaces after input:': fill(' ', 'input', ':(224x224x3), FC-10'),
      brackets: fill('(', '', '224x224x3, FC-10'),
      'x-separated digits': fill('1x'),
      commas: fill(','),
      'repeat words': fill(' x2', 'conv3-8'),
    },
    'spec (YAML)': {
      'open brackets': fill('['),
      'open braces': fill('{'),
      'spaces in a key': fill(' ', 'a', 'b: 1'),
      'dashes': fill('- '),
      'a call of brackets': fill('(', 'layers: ["Conv2d', '"]'),
      'an expression of sums': fill('+1', 'layers: [{linear: {out: "1', '"}}]'),
      'nested module calls': `modules:\n${Array.from({ length: 2000 }, (_, i) => `  M${i}:\n    - M${i + 1}() x 2\n`).join('')}  M2000: [relu]\nlayers: ["M0()"]\n`,
    },
    'spec (JSON)': { 'open brackets': fill('['), 'spaces in a string': fill(' ', '{"layers": "', '"}'), 'nested objects': fill('{"a":') },
    'config.json': { 'nested arrays': fill('['), 'a long key': fill('k', '{"', '": 1, "model_type": "llama"}') },
    claims: { 'spaces in a key': fill(' ', 'a', 'b: 1'), brackets: fill('(', 'total: '), 'powers': fill('^2', 'total: 2'), 'unary minus': fill('-', 'total: '), 'one long line of digits': fill('9', 'total: ') },
    '--input': { 'x-separated digits': fill('1x'), commas: fill('1,') },
  };
  const rows = [];
  for (const [reader, cases] of Object.entries(inputs)) {
    for (const [name, text] of Object.entries(cases)) {
      let outcome = 'ok';
      const ms = await timeCall(async () => {
        try {
          await readers[reader](text);
          outcome = 'ok';
        } catch (e) {
          outcome = e instanceof lib.ModelError ? `error[${e.code}]` : `CRASH ${e?.constructor?.name}: ${String(e?.message).slice(0, 40)}`;
        }
      }, Math.min(runs, 5));
      rows.push([reader, name, (text.length / MB).toFixed(2), ms.toFixed(1), outcome]);
    }
  }
  return { header: ['reader', 'input', 'MB', 'median ms', 'outcome'], rows };
}
