import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { run } from '../../test/cli-io.js';

const path = (name: string) => fileURLToPath(new URL(`../../test/fixtures/summaries/${name}.txt`, import.meta.url));

describe('nncalc explain <summary>', () => {
  test('a summary file: every row explained, exit 0', async () => {
    const r = await run(['explain', path('keras3-mnist-convnet')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('conv2d (Conv2D) (None, 26, 26, 32): 320 = 32·(3·3·1 + 1) — 32 filters of 3×3 over 1 input channel, each with a bias');
    expect(r.stdout).toContain('Total params: 34,826 = Σ of the 7 rows = 34,826.');
  });

  test('a summary on standard input, as JSON', async () => {
    const r = await run(['explain', '-', '--format', 'json'], { stdin: readFileSync(path('torchinfo-readme'), 'utf8') });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.layout).toBe('torchinfo');
    expect(doc.rows[1]).toMatchObject({ type: 'Conv2d', params: 260, status: 'explained', formula: '10·(5·5·1 + 1)' });
  });

  test('a model on standard input is still a model', async () => {
    const r = await run(['explain', '-'], { stdin: '32x32x3, conv3-8, maxpool, FC-10' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('a row nothing explains: exit 1', async () => {
    const text = readFileSync(path('keras3-mnist-convnet'), 'utf8').replace('│           320 │', '│           321 │');
    const r = await run(['explain', '-'], { stdin: text });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not explained');
  });
});
