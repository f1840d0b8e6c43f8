/**
 * Hostile input gets a located ModelError, never a crash, a hang or a silently different number. One test per
 * class of defect, each holding the example that exposed it (timings live in `npm run bench`, not here).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { readStdin } from '../src/cli/node-io.js';
import { ModelError } from '../src/errors.js';
import { MAX_LAYERS } from '../src/limits.js';
import { summarize } from '../src/summarize.js';
import { run } from './cli-io.js';
import { errorOf, errorOfAsync } from './helpers.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |TypeError|RangeError/);

describe('notation that used to backtrack', () => {
  test.each([
    ['a long run of spaces in the first item', `1x1${' '.repeat(10_000)}z, FC-10`],
    ['spaces around an input header', `input ${' '.repeat(10_000)}:${' '.repeat(10_000)}(224 x 224${' '.repeat(10_000)}, FC-10`],
    ['open brackets', `${'('.repeat(10_000)}224x224x3, FC-10`],
  ])('%s: an error at the word', (_, text) => {
    const e = errorOf(() => summarize(text));
    expect(e.loc?.kind).toBe('text');
  });
});

describe('what is built counts against the layer limit', () => {
  test('implicit ReLUs: ten × "conv3-8 x10000" is 200,000 layers', () => {
    const text = `8x8x3${', conv3-8 x10000'.repeat(10)}`;
    const e = errorOf(() => summarize(text));
    expect(e.message).toContain(MAX_LAYERS.toLocaleString('en-US'));
  });
  test('a long notation stops at the word that crosses the limit', () => {
    const text = `8x8x3${', relu'.repeat(MAX_LAYERS + 10)}`;
    const e = errorOf(() => summarize(text));
    expect(e.message).toMatch(/more than 100,000 layers/);
  });
});

describe('the command line', () => {
  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__'])(
    "'%s' is a model name, not a crash",
    async (name) => {
      const r = await run([name]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`unknown model '${name}'`);
      noStack(r.stderr);
    },
  );
  test.each([
    [['--batch', '0x10'], "--batch must be a whole number from 1 to 2,147,483,647, written in decimal digits. Received: '0x10'."],
    [['--batch', '1e3'], "Received: '1e3'"],
    [['--batch=-5'], "Received: '-5'"],
    [['--seq', '3000000000'], "--seq must be a whole number from 1 to 2,147,483,647"],
    [['--input', '3000000000x3000000000x3'], "each size in --input must be a whole number from 1 to 2,147,483,647, written in decimal digits. Received: '3000000000'."],
    [['--input', '224x224'], 'gives height and width but no channel count'],
    [['--vs-input', '384x384x3'], '--vs-input does nothing for a report in --format table.'],
    [['--rf', '--format', 'csv'], '--rf does nothing for a report in --format csv'],
    [['--width', '12abc'], "--width must be a whole number"],
  ])('vgg16 %j is a usage error', async (args, message) => {
    const r = await run(['vgg16', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
  test('224x224 names both ways to say the channels', async () => {
    const r = await run(['vgg16', '--input', '224x224']);
    expect(r.stderr).toContain('Write 224x224x3 for an RGB image or 224x224x1 for a grey one.');
  });
  test('an input size past the limit in the notation header is located and echoed exactly', async () => {
    const r = await run(['99999999999999999999x224x3, conv3-64']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("has 99999999999999999999.");
    expect(r.stderr).toContain('line 1, column 1');
  });
});

describe('standard input is capped', () => {
  test('more than the limit is an error, read no further', async () => {
    let chunks = 0;
    async function* zeros() {
      for (;;) {
        chunks++;
        yield new Uint8Array(1024);
      }
    }
    const e = await errorOfAsync(() => readStdin(zeros(), 10 * 1024));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toMatch(/standard input is larger than/);
    expect(chunks).toBe(11);
  });
});

describe('a closed pipe', () => {
  test('`nncalc llama-2-70b --format csv | head -1` ends quietly', async () => {
    const bin = fileURLToPath(new URL('../bin/nncalc.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'llama-2-70b', '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('control characters in names are escaped in every text output', () => {
  const spec = JSON.stringify({ input: [1, 8], layers: [{ linear: { out: 10 }, name: 'a\u001b]0;pwned\u0007\u001b[2Jb' }] });
  test.each(['table', 'md', 'csv', 'json'])('--format %s', async (format) => {
    const r = await run(['-', '--format', format], { stdin: spec });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(r.stdout).toMatch(/a\\{1,2}u001b]0;pwned\\{1,2}u0007\\{1,2}u001b\[2Jb/);
  });
  test('--explain and errors too', async () => {
    const r = await run(['-', '--explain'], { stdin: spec });
    expect(r.stdout).not.toContain('\u001b');
    const bad = await run(['224x224x3, conv3-64, \u001b[2Jfoo']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('\u001b');
    expect(bad.stderr).toContain('\\u001b[2Jfoo');
  });
  test('a NUL byte is echoed as an escape', async () => {
    const r = await run(['224x224x3, conv3-64, a\u0000b']);
    expect(r.stderr).toContain('a\\u0000b');
  });
});

describe('errors about input carry no stack trace', () => {
  test('a ModelError records none (check makes one for each unknown key of a pasted file), and Error.stackTraceLimit is restored', () => {
    const before = Error.stackTraceLimit;
    const e = new ModelError('input', 'x');
    expect(e.stack ?? '').not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('y').stack).toMatch(/\n\s+at /);
  });
});

describe('the library validates its options with the same words', () => {
  test.each([
    [{ batch: -5 }, 'batch must be a whole number from 1 to 2,147,483,647. Received: -5.'],
    [{ batch: 1.5 }, 'batch must be a whole number'],
    [{ seq: 0 }, 'seq must be a whole number'],
    [{ input: [1, -3, 224, 224] }, 'input[1] must be a whole number from 1 to 2,147,483,647. Received: -3.'],
    [{ input: [] }, 'input must be a list of 1 to 8 sizes'],
    [{ convention: 'tf' }, "convention must be 'pytorch' or 'keras'. Received: \"tf\"."],
  ])('summarize(vgg16, %j)', (options, message) => {
    const e = errorOf(() => summarize('vgg16', options as never));
    expect(e.message).toContain(message);
  });
});

describe('suggestions', () => {
  test('never suggest the word itself', async () => {
    const r = await run(['224x224x3, linear']);
    expect(r.stderr).toContain("unknown layer 'linear'.");
    expect(r.stderr).not.toContain("Did you mean 'linear'");
  });
});

describe('config.json errors point into the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nncalc-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test('a bad value: its line and column, and the value echoed exactly', async () => {
    const f = join(dir, 'config.json');
    writeFileSync(f, '{\n  "model_type": "llama",\n  "hidden_size": 4096,\n  "num_hidden_layers": 1000000000,\n  "vocab_size": 32000\n}\n');
    const r = await run([f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'num_hidden_layers' asks for 1,000,000,000 layers");
    expect(r.stderr).toContain('line 4, column 24');
    noStack(r.stderr);
  });
  test('a syntax error: its line and column', async () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{\n  "model_type": "llama",\n  "hidden_size": 4096,,\n}\n');
    const r = await run([f]);
    expect(r.stderr).toContain('line 3, column 23');
  });
});
