import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../test/cli-io.js';

describe('nncalc check', () => {
  test('the seed question: exit 1, the three findings', async () => {
    const r = await run(['check', 'vgg16', 'conv3-256: 0.59M = (3*3)*(256*256)']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('589,824 is right for the weights of a 256→256 conv3 (3·3·256·256), but misses its 256 biases.');
    expect(r.stdout).toContain('3·3·256·256 + 256 = 590,080');
    expect(r.stdout).toContain('The first conv3-256, features.10, has 128 input channels');
    expect(r.stdout).toContain('3·3·128·256 + 256 = 295,168');
    expect(r.stdout).toContain('123.6M of the 138.4M parameters are in the three FC layers');
  });

  test('exit 0 when every claim is right', async () => {
    const r = await run(['check', 'vgg16', 'total: 138M; fc1: (512*7*7)*4096 + 4096']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 claims: 2 right, 0 wrong.');
  });

  test('claims from a file and from stdin; the model from stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nncalc-check-'));
    const file = join(dir, 'claims.txt');
    writeFileSync(file, '# by hand\ntotal: 138,357,544\nconv3-256: 589824\n');
    const a = await run(['check', 'vgg16', file]);
    expect(a.code).toBe(1);
    expect(a.stdout).toContain('2 claims: 1 right, 1 wrong.');
    const b = await run(['check', 'vgg16', '-'], { stdin: 'total: 138M\n' });
    expect(b.code).toBe(0);
    // conv3-8 on 3 channels: 3·3·3·8 + 8 = 224.
    const c = await run(['check', '-', 'conv3-8: 224', '--input', '32x32x3'], { stdin: 'conv3-8, maxpool, FC-10' });
    expect(c.code).toBe(0);
  });

  test('--convention keras changes what is right', async () => {
    // vgg16_bn: 138,365,992 parameters + 8,448 BatchNorm running statistics = 138,374,440 in Keras.
    expect((await run(['check', 'vgg16_bn', 'total: 138374440'])).code).toBe(1);
    expect((await run(['check', 'vgg16_bn', 'total: 138374440', '--convention', 'keras'])).code).toBe(0);
  });

  test('formats: md, json; csv is a usage error', async () => {
    const md = await run(['check', 'vgg16', 'total: 138M', '--format', 'md']);
    expect(md.stdout).toMatch(/^## Checking claims against vgg16/);
    const json = await run(['check', 'vgg16', 'total: 131.9M', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).claims[0].targets[0].diagnoses[0].code).toBe('mebi');
    const csv = await run(['check', 'vgg16', 'total: 138M', '--format', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('check writes table, md or json');
  });

  test('--width fits the text', async () => {
    const r = await run(['check', 'vgg16', 'conv3-256: 589824', '--width', '50']);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });

  test('exit 2 when the check cannot run', async () => {
    const usage = await run(['check', 'vgg16']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('check takes a model and claims; received 1 argument.');
    expect((await run(['check', '-', '-'])).code).toBe(2);

    const bad = await run(['check', 'vgg16', 'conv3-256: 3**']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error[input]: expected a number or '(' after '**'. Received: the end of the claim.");
    expect(bad.stderr).toContain('--> line 1, column 15');

    const key = await run(['check', 'vgg16', 'conv3-265: 1']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("Did you mean 'conv3-256'?");

    const json = await run(['check', 'vgg16', 'conv3-265: 1', '--format', 'json']);
    expect(JSON.parse(json.stderr).error.location).toMatchObject({ line: 1, column: 1 });

    const model = await run(['check', '224x224x3, conv3-64, maxpol', 'total: 1']);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain("Did you mean 'maxpool'?");
    expect(model.stderr).toContain('line 1, column 22');

    const missing = await run(['check', 'vgg16', 'no-such-claims.txt']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the claims file 'no-such-claims.txt': no such file.");
  });

  test('a claims file needs a claims extension or @; any other argument is the claims text itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nncalc-check-'));
    for (const name of ['claims.md', 'claims.csv', 'claims.tsv', 'notes']) writeFileSync(join(dir, name), 'total: 138,357,544\n');
    for (const name of ['claims.md', 'claims.csv', 'claims.tsv']) expect((await run(['check', 'vgg16', join(dir, name)])).code).toBe(0);
    expect((await run(['check', 'vgg16', `@${join(dir, 'notes')}`])).code).toBe(0);
    // Without '@', a path without a claims extension is text: /etc/passwd is never opened.
    const passwd = await run(['check', 'vgg16', '/etc/passwd']);
    expect(passwd.code).toBe(2);
    expect(passwd.stderr).toContain("expected a number or '(' at the start. Received: '/'.");
    expect(passwd.stderr).toContain('1 | /etc/passwd');
    expect(passwd.stderr).not.toContain('root:');
    const missing = await run(['check', 'vgg16', '@/no/such/file']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the claims file '/no/such/file': no such file.");
  });

  test('an unreadable line does not stop the check: the rest is judged, and the exit code is 1', async () => {
    const r = await run(['check', 'vgg16', 'total: 138,357,544\nconv3-265: 590080\nfc1: 102,764,544']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("? line 2, column 1 — not read: 'conv3-265' is not a layer, module, stage or total of vgg16. Did you mean 'conv3-256'?");
    expect(r.stdout).toContain('2 claims: 2 right, 0 wrong; 1 line not read (2).');
  });

  test("nncalc's own Markdown and CSV read back as claims, and every one is right", async () => {
    for (const args of [['--format', 'md'], ['--format', 'md', '--explain'], ['--format', 'csv']]) {
      for (const model of ['vgg16', 'resnet18', 'gpt2']) {
        const out = await run([model, ...args]);
        const back = await run(['check', model, '-', '--format', 'json'], { stdin: out.stdout });
        const doc = JSON.parse(back.stdout);
        expect(doc.summary.wrong, `${model} ${args.join(' ')}`).toBe(0);
        expect(doc.summary.unread, `${model} ${args.join(' ')}`).toBe(0);
        // Every layer with parameters is among the claims.
        expect(doc.summary.claims).toBeGreaterThan(10);
        expect(back.code).toBe(0);
      }
    }
  });
});