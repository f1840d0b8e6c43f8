/**
 * The shipped command, end to end: `node bin/nncalc.js` runs the bundled CLI in dist/cli/ (built by
 * `npm run build`, which `npm test` runs first). In-process tests cannot see bundling mistakes; these can.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../bin/nncalc.js', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const nncalc = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });

describe('bin/nncalc.js', () => {
  test('the main job: vgg16 to 138,357,544', () => {
    const r = nncalc(['vgg16']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Total params:\s+138,357,544/);
  });

  test('a YAML spec and a JSON spec load through the bundle', () => {
    const yaml = nncalc(['examples/resnet-block.yaml', '--format', 'json']);
    expect(yaml.stderr).toBe('');
    expect(JSON.parse(yaml.stdout).totals.params).toBe(19_994); // derivation in test/examples.test.ts
    const json = nncalc(['examples/tiny-cnn.json', '--format', 'json']);
    expect(JSON.parse(json.stdout).totals.params).toBe(60_362);
  });

  test('notation from stdin', () => {
    // conv5-6 on 1 channel: (25 + 1)·6 = 156.
    const r = nncalc(['-', '--input', '32x32x1', '--format', 'csv'], 'conv5-6\n');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\r\n')[1]).toMatch(/^conv1_1,Conv2d,conv2d,conv5-6,1x6x32x32,156,/);
  });

  test('bad input exits 1 with a message and no stack trace', () => {
    const r = nncalc(['224x224x3, conv3-64, maxpol']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Did you mean 'maxpool'?");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('bad usage exits 2', () => {
    expect(nncalc(['vgg16', '--depth', 'x']).status).toBe(2);
  });
});
