/**
 * The docs match the program: docs/json-schema.md's example is the real output, every JSON report validates
 * against docs/report.schema.json, the README's and --help's examples give what their captions say, and the docs
 * that --help and error messages point to ship in the npm package.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { collapse } from '../src/analyze/collapse.js';
import { HELP } from '../src/cli/main.js';
import { parseSpecText } from '../src/describe/from-object.js';
import { renderJson } from '../src/render/json.js';
import { summarize } from '../src/summarize.js';
import { zoo } from '../src/zoo/index.js';
import { run } from './cli-io.js';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** JSON with `//` comments (outside strings) removed. */
function jsonc(text: string): unknown {
  const lines = text.split('\n').map((line) => {
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\') i++;
      else if (c === '"') inString = !inString;
      else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
    }
    return line;
  });
  return JSON.parse(lines.join('\n'));
}

/** The fenced blocks of a Markdown text, with their language. */
const blocks = (md: string): { lang: string; body: string }[] => [...md.matchAll(/^ *```(\w*)\n([\s\S]*?)^ *```/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

/** Shell words: double quotes keep spaces. */
const words = (cmd: string): string[] => [...cmd.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

/** Runs `nncalc …` or `echo "…" | nncalc - …` in-process. */
async function shell(cmd: string) {
  const piped = /^echo "([^"]*)" \| nncalc (.*)$/.exec(cmd);
  if (piped) return run(words(piped[2]!), { stdin: piped[1]! });
  return run(words(cmd.replace(/^nncalc /, '')));
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const numbers = (caption: string): string[] => caption.match(/\d{1,3}(?:,\d{3})+/g) ?? [];

describe('docs/json-schema.md', () => {
  const md = read('docs/json-schema.md');
  const example = jsonc(blocks(md).find((b) => b.lang === 'jsonc')!.body) as Record<string, unknown> & { layers: unknown[] };
  const real = JSON.parse(renderJson(summarize('vgg16'))) as Record<string, unknown> & { layers: unknown[] };

  test('its example is the real output of nncalc vgg16 --format json: model, totals and the first layer', () => {
    expect(example['schema']).toBe(real['schema']);
    expect(example['model']).toEqual(real['model']);
    expect(example['totals']).toEqual(real['totals']);
    expect(example.layers[0]).toEqual(real.layers[0]);
  });

  test('every field any report has is documented', () => {
    const keys = new Set<string>();
    const walk = (v: unknown, attrs = false): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          // Attribute names and module paths are data (an op's own attributes, the model's module names).
          if (!attrs) keys.add(k);
          walk(x, k === 'attrs' || k === 'roles' || k === 'modules');
        }
      }
    };
    for (const name of ['vgg16', 'gpt2', 'mixtral-8x7b', 'inception_v3', 'efficientnet_b0', 'lenet5-1998']) walk(JSON.parse(renderJson(summarize(name))));
    walk(JSON.parse(renderJson(collapse(summarize('resnet18'), 1))));
    const missing = [...keys].filter((k) => !md.includes(`"${k}"`) && !md.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});

describe('docs/report.schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(read('docs/report.schema.json')) as object);
  const errors = (json: string) => (validate(JSON.parse(json)) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`));

  test.each(zoo.map((e) => e.name))('%s validates', (name) => {
    expect(errors(renderJson(summarize(name)))).toEqual([]);
  });

  test('reports under other options validate too: Keras, --depth, --seq past a rotary context, --dense, a custom layer', async () => {
    expect(errors(renderJson(summarize('vgg16_bn', { convention: 'keras' })))).toEqual([]);
    expect(errors(renderJson(collapse(summarize('inception_v3'), 1)))).toEqual([]);
    expect(errors(renderJson(summarize('llama-2-7b', { seq: 8192 })))).toEqual([]);
    expect(errors(renderJson(summarize('vgg-d', { dense: true, input: [1, 3, 384, 384] })))).toEqual([]);
    for (const f of readdirSync(new URL('examples/', root)).filter((x) => /\.(ya?ml|json)$/.test(x))) {
      expect(errors(renderJson(summarize(await parseSpecText(read(`examples/${f}`), f))))).toEqual([]);
    }
    expect(errors(renderJson(summarize(await parseSpecText('input: 8x8x3\nlayers:\n  - warp: {}\n  - flatten:\n  - linear: {out: 2}\n', 'c.yaml'))))).toEqual([]);
    // A config of an unknown model_type, counted as a Llama-like decoder: model.approximate says so.
    const approx = await run([new URL('test/fixtures/hf/internlm2-7b.json', root).pathname, '--format', 'json']);
    expect(JSON.parse(approx.stdout).model.approximate).toMatch(/Llama-like/);
    expect(errors(approx.stdout)).toEqual([]);
  });

  test('reports read from model files validate: a GGUF with its architecture, a weights-only safetensors file', async () => {
    for (const f of ['test/fixtures/models/tiny-llama.gguf', 'test/fixtures/models/small-cnn.safetensors']) {
      const r = await run([new URL(f, root).pathname, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).file.format).toMatch(/gguf|safetensors/);
      expect(errors(r.stdout)).toEqual([]);
    }
  });

  test('a count past 2^53 is a string of digits, and validates', () => {
    // llama-2-70b at batch 64 and 4,096 tokens: 64·4,096·… MACs, past 9,007,199,254,740,991.
    const json = renderJson(summarize('llama-2-70b', { batch: 64, seq: 4096 }));
    expect(JSON.parse(json).totals.flops).toMatch(/^\d+$/);
    expect(errors(json)).toEqual([]);
  });

  test('the schema rejects what the report never holds', () => {
    const r = JSON.parse(renderJson(summarize('lenet5')));
    expect(validate({ ...r, extra: 1 })).toBe(false);
    expect(validate({ ...r, totals: { ...r.totals, params: 1.5 } })).toBe(false);
  });
});

describe('examples in the README and in --help give what their captions say', () => {
  test('the README’s vgg16 table and footer', async () => {
    const block = blocks(read('README.md')).find((b) => b.body.startsWith('$ npx nncalc vgg16'))!;
    const out = squash((await run(['vgg16'])).stdout);
    for (const line of block.body.split('\n').slice(1)) if (line.trim() && line.trim() !== '...' && !/^[═─]+$/.test(line)) expect(out).toContain(squash(line));
  });

  test('the README’s fit answer', async () => {
    const block = blocks(read('README.md')).find((b) => b.body.startsWith('$ nncalc fit '))!;
    const [command, ...expected] = block.body.split('\n');
    const r = await shell(command!.slice(2));
    expect(r.code).toBe(0);
    const out = squash(r.stdout);
    for (const line of expected) if (line.trim()) expect(out).toContain(squash(line));
  });

  test('the README’s --explain excerpt', async () => {
    const block = blocks(read('README.md')).find((b) => b.body.startsWith('Spatial sizes'))!;
    const out = squash((await run(['vgg16', '--explain'])).stdout);
    for (const line of block.body.split('\n')) if (line.trim()) expect(out).toContain(squash(line));
  });

  test('the README’s notation examples, each under its caption', async () => {
    const lines = blocks(read('README.md')).filter((b) => b.lang === 'sh').flatMap((b) => b.body.split('\n').map((l) => l.trim()));
    let checked = 0;
    for (let i = 1; i < lines.length; i++) {
      const caption = lines[i - 1]!;
      if (!caption.startsWith('#') || !lines[i]!.startsWith('nncalc ')) continue;
      const r = await shell(lines[i]!);
      expect(r.code, lines[i]).toBe(0);
      for (const n of numbers(caption)) expect(r.stdout, `${lines[i]} → ${n}`).toContain(n);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  test('the --help examples', async () => {
    const lines = HELP.slice(HELP.indexOf('\nExamples\n')).split('\n').slice(2);
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {2}((?:nncalc|echo) .*?)(?: {2,}(\S.*))?$/.exec(lines[i]!);
      // Placeholders for the reader's own files and the Hub (no network in tests) are not run.
      if (!m || /path\/to|net\.yaml|\.safetensors|\.gguf|hf:/.test(m[1]!)) continue;
      // A caption too long for the line stands on the next one, indented.
      const caption = m[2] ?? (/^ {10,}\S/.test(lines[i + 1] ?? '') ? lines[i + 1]!.trim() : '');
      const r = await shell(m[1]!.trim());
      // check exits 1 when a claim is wrong: the classic mistake is.
      expect([0, m[1]!.startsWith('nncalc check') ? 1 : 0]).toContain(r.code);
      for (const n of numbers(caption)) expect(r.stdout, `${m[1]} → ${n}`).toContain(n);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });
});

describe('the npm package', () => {
  test('ships the docs that --help and error messages point to', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: new URL('.', root), encoding: 'utf8' });
    const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    // Docs named in --help and in the strings of src/ (not its comments).
    const named = new Set(HELP.match(/docs\/[\w.-]+\.(?:md|json)/g) ?? []);
    const walk = (dir: URL): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir));
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const line of readFileSync(new URL(entry.name, dir), 'utf8').split('\n')) {
            if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue;
            for (const d of line.match(/docs\/[\w.-]+\.(?:md|json)/g) ?? []) named.add(d);
          }
        }
      }
    };
    walk(new URL('src/', root));
    expect(named.size).toBeGreaterThanOrEqual(2);
    expect([...named].filter((d) => !files.has(d))).toEqual([]);
    expect(files.has('docs/report.schema.json')).toBe(true);
  }, 60_000);
});
