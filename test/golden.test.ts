/**
 * Golden outputs: the exact text of each renderer for a few models. Numbers in them are checked elsewhere
 * (torchvision.test.ts, vgg.test.ts); these pin the layout. `npx vitest run -u` rewrites them after a deliberate change.
 */
import { describe, expect, test } from 'vitest';
import { run } from './cli-io.js';

const cases: [string, string[]][] = [
  ['vgg16.txt', ['vgg16', '--width', '100']],
  ['vgg16-explain.txt', ['vgg16', '--explain', '--width', '140']],
  ['vgg16.md', ['vgg16', '--format', 'md']],
  ['vgg16.csv', ['vgg16', '--format', 'csv']],
  ['vgg16.json', ['vgg16', '--format', 'json']],
  ['vgg-d-explain.md', ['vgg-d', '--format', 'md', '--explain']],
  ['vgg16_bn-keras.txt', ['vgg16_bn', '--convention', 'keras', '--ascii', '--width', '90']],
  ['notation-narrow.txt', ['224x224x3, conv3-64 x2, maxpool, conv3-128, maxpool, FC-100, FC-10, soft-max', '--explain', '--width', '72']],
];

describe('golden outputs', () => {
  test.each(cases)('%s', async (file, argv) => {
    const r = await run(argv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`./golden/${file}`);
  });

  test('the table fits the width it is given', async () => {
    for (const width of [60, 80, 100]) {
      const r = await run(['vgg16', '--width', String(width)]);
      const table = r.stdout.split('\n').filter((l) => /^(features|classifier|avgpool|flatten)/.test(l));
      expect(table.length).toBe(40);
      for (const line of table) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  test('with --explain every line fits too', async () => {
    const r = await run(['vgg16_bn', '--explain', '--width', '80']);
    const long = r.stdout.split('\n').filter((l) => l.length > 80);
    expect(long).toEqual([]);
  });

  test('uses the terminal width on a TTY and honours NO_COLOR', async () => {
    const colour = await run(['vgg16'], { tty: true, columns: 70 });
    expect(colour.stdout).toContain('\x1b[');
    for (const line of colour.stdout.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.startsWith('features'))) {
      expect(line.length).toBeLessThanOrEqual(70);
    }
    const plain = await run(['vgg16'], { tty: true, columns: 70, env: { NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
  });
});
