/**
 * The web page end to end in headless Chromium: typing the VGG-16 notation, picking a zoo model, dropping a spec
 * file (no request leaves the browser while it is analysed), a typo with its underline and one-click fix, the
 * seed's claim in the check panel, and the diff panel.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { safetensorsHeader } from '../../scripts/fixtures/writers.mjs';
import { decodeState } from '../../src/web/share.js';
import { SEED_STAGES, SEED_TOTAL } from '../helpers.js';
import { fileResult, nextResult, open, paste, results, shot, start, type Session } from './browser.js';

let s: Session;
let page: Page;

beforeAll(async () => {
  s = await start();
  page = await open(s);
}, 60_000);
afterAll(() => s?.close());

/** The text of the totals list. */
const totals = () => page.locator('#summary .totals').innerText();

// VGG-16, configuration D (Simonyan & Zisserman 2015, Table 1), as the seed question writes it.
const VGG16 = '224x224x3, conv3-64 x2, maxpool, conv3-128 x2, maxpool, conv3-256 x3, maxpool, conv3-512 x3, maxpool, conv3-512 x3, maxpool, FC-4096, FC-4096, FC-1000, soft-max';

describe('the web page', { timeout: 30_000 }, () => {
  test('typing the VGG-16 notation shows 138,357,544 parameters and the seed answer\'s stage subtotals', async () => {
    await page.fill('#editor', '');
    const before = await results(page);
    await page.locator('#editor').pressSequentially(VGG16);
    await page.waitForFunction(() => document.querySelector('#summary .totals')?.textContent?.includes('138,357,544'));
    expect(await results(page)).toBeGreaterThan(before);
    await page.locator('#explain summary').click();
    const stages = page.locator('#sections section', { hasText: 'Subtotals by stage' });
    // The sections are drawn by the details element's toggle event, which fires after the click returns.
    await stages.locator('tbody tr').last().waitFor();
    const rows = await stages.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    const byLabel = rows.map((r) => [r[0], r[r.length - 1]]);
    // The subtotals the seed's accepted answer lists.
    expect(byLabel).toEqual([...SEED_STAGES, ['total', SEED_TOTAL]]);
    // The spatial chain the seed's answer derives: 224 → 112 → 56 → 28 → 14 → 7.
    await expect(page.locator('#figures figcaption').first().innerText()).resolves.toBe('Spatial size: 224 → 112 → 56 → 28 → 14 → 7');
    // fc1's formula: (512·7·7)·4,096 weights + 4,096 biases, the seed's "fc1 (x): (512x7x7)x4,096 (weights) + 4,096 (biases)".
    await expect(page.locator('table.layers tr', { has: page.locator('th .name', { hasText: /^fc1$/ }) }).innerText()).resolves.toContain('25,088·4,096 + 4,096');
    await shot(page, 'vgg16-notation', true);
    // The copy buttons: the table as Markdown and as CSV (raw integers).
    await page.locator('#copy-md').click();
    await page.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied the table as Markdown.');
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md).toMatch(/^\| conv1_1 \(Conv2d\) \| \[1, 64, 224, 224\] \| 3·3·3·64 \+ 64 \| 1,792 \| 86,704,128 \|$/m);
    await page.locator('#copy-csv').click();
    await page.waitForFunction(() => document.getElementById('copy-status')?.textContent === 'Copied the table as CSV.');
    const csv = await page.evaluate(() => navigator.clipboard.readText());
    expect(csv).toMatch(/^fc1,Linear,linear,FC-4096,1x4096,102764544,/m);
  });

  test('a pasted Hugging Face config.json builds the model it describes', async () => {
    const before = await results(page);
    // GPT-2 small's config.json from the Hub; GPT2LMHeadModel has 124,439,808 parameters (transformers'
    // num_parameters(), the LM head tied to the token embedding).
    const config = { architectures: ['GPT2LMHeadModel'], model_type: 'gpt2', n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, vocab_size: 50257 };
    await paste(page, JSON.stringify(config, null, 2));
    await nextResult(page, before);
    expect(await totals()).toContain('124,439,808');
  });

  test('the zoo picker finds resnet50 by search; its table is a tree of modules and its picture a graph', async () => {
    const before = await results(page);
    await page.locator('#zoo-search').fill('resnet5');
    await expect(page.locator('#zoo-list [role=option]').first().innerText()).resolves.toContain('resnet50');
    await page.locator('#zoo-search').press('ArrowDown');
    await page.locator('#zoo-search').press('Enter');
    await nextResult(page, before);
    // torchvision's published count for resnet50 (the weights' documentation: 25,557,032 parameters).
    expect(await totals()).toContain('25,557,032');
    await expect(page.inputValue('#editor')).resolves.toBe('resnet50');
    // layer1 is a module row summing its three Bottlenecks; closing it hides them.
    const layer1 = page.locator('table.layers tr.module', { hasText: /^\s*▾?\s*layer1 \(/ }).first();
    await expect(layer1.locator('button').getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(page.locator('table.layers th', { hasText: 'layer1.0.conv1' }).isVisible()).resolves.toBe(true);
    await layer1.locator('button').click();
    await expect(page.locator('table.layers th', { hasText: 'layer1.0.conv1' }).isVisible()).resolves.toBe(false);
    // The graph is laid out by the lazily loaded layout worker.
    await page.waitForSelector('#figures .graph svg g.node');
    expect(await page.locator('#figures .graph g.node').count()).toBeGreaterThan(100);
    await shot(page, 'resnet50');
  });

  test('a dropped spec file is analysed with no request leaving the browser; a corrupt one leaves the last result up', async () => {
    await page.waitForSelector('html[data-idle]'); // what loads later has loaded
    const before = await results(page);
    const sent = s.requests.length;
    const yaml = 'name: tiny\ninput: 32x32x3\nlayers:\n  - conv2d: {out: 8, kernel: 3}\n  - relu\n  - flatten\n  - linear: {out: 10}\n';
    const drop = async (name: string, content: string | number[]) => {
      const dt = await page.evaluateHandle(
        ([n, c]) => {
          const d = new DataTransfer();
          d.items.add(new File([typeof c === 'string' ? c : new Uint8Array(c)], n));
          return d;
        },
        [name, content] as const,
      );
      await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    };
    await drop('tiny.yaml', yaml);
    await nextResult(page, before);
    await fileResult(page, 'tiny.yaml');
    // By hand: conv 3·3·3·8 + 8 = 224; 30·30·8 = 7,200 inputs to the linear layer: 7,200·10 + 10 = 72,010; total 72,234.
    expect(await totals()).toContain('72,234');
    await expect(page.locator('#file-status').innerText()).resolves.toContain('tiny.yaml');
    expect(s.requests.slice(sent)).toEqual([]);
    // The link in the address bar carries the settings, never the file's contents.
    await page.waitForFunction(() => location.hash.length > 3);
    await page.waitForTimeout(400);
    const state = await decodeState(new URL(page.url()).hash);
    expect(state!.model).toBe('');
    expect(JSON.stringify(state)).not.toContain('conv2d');
    const errors = Number(await page.getAttribute('html', 'data-errors'));
    await drop('weights.bin', [0, 1, 2, 3, 255, 254, 0, 0, 7]);
    await page.waitForFunction((n) => Number(document.documentElement.dataset['errors']) > n, errors);
    await expect(page.locator('#model-error').innerText()).resolves.toContain('weights.bin');
    expect(await totals()).toContain('72,234'); // the last good result stays
    await expect(page.locator('#result').getAttribute('class')).resolves.toContain('stale');
    // A broken YAML file: the message names its line and column.
    await drop('broken.yaml', 'input: 32x32x3\nlayers:\n  - conv2d: {out: 8, kernel: 3\n');
    await page.waitForFunction((n) => Number(document.documentElement.dataset['errors']) > n + 1, errors);
    await expect(page.locator('#model-error').innerText()).resolves.toContain('broken.yaml: Line 4, column 1: YAML syntax error');
    expect(s.requests.slice(sent)).toEqual([]);
    await shot(page, 'dropped-files');
    await page.locator('#file-status button').click();
  });

  test('a dropped model file is read from its header: a GGUF model, and a 500 MB safetensors file of which under 1 MB is read', async () => {
    const gguf = fileURLToPath(new URL('../fixtures/models/tiny-llama.gguf', import.meta.url));
    await page.waitForSelector('html[data-idle]');
    const sent = s.requests.length;
    let before = await results(page);
    await page.setInputFiles('#file', gguf);
    await nextResult(page, before);
    await fileResult(page, 'tiny-llama.gguf');
    // scripts/fixtures/model-files.mjs writes a Llama with hidden 256, 2 layers, 4 heads (2 for K and V, so K and V
    // are 256·128), MLP 256 and a vocabulary of 256, untied. By hand: embeddings 256·256 = 65,536; per layer
    // q 65,536 + k 32,768 + v 32,768 + o 65,536 + gate, up and down 3·65,536 + two norms 512 = 393,728; final norm 256;
    // head 65,536: 65,536 + 2·393,728 + 256 + 65,536 = 918,784.
    const text = await totals();
    expect(text).toContain('918,784');
    expect(text).toContain('LlamaForCausalLM');
    expect(s.requests.slice(sent)).toEqual([]);

    // A sparse file: a safetensors header for 500 MiB of F32 weights (131,072,000 of them), and no data on disk.
    const path = join(tmpdir(), `nncalc-web-${process.pid}-big.safetensors`);
    const { header, dataBytes } = safetensorsHeader([{ name: 'encoder.weight', dtype: 'F32', shape: [131_072_000] }, { name: 'encoder.bias', dtype: 'F32', shape: [1000] }]);
    const fd = openSync(path, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, header.length + dataBytes);
    closeSync(fd);
    try {
      before = await results(page);
      await page.setInputFiles('#file', path);
      await nextResult(page, before);
      await fileResult(page, basename(path));
      const big = await totals();
      expect(big).toContain('131,073,000'); // 131,072,000 + 1,000
      const read = Number(/Read\s+([\d,]+) B/.exec(big)![1]!.replace(/,/g, ''));
      expect(read).toBeLessThan(1024 * 1024);
      expect(s.requests.slice(sent)).toEqual([]);
      await shot(page, 'model-file');
      // A truncated GGUF: the reader's message names the format and the byte offset; the last result stays.
      const errors = Number((await page.getAttribute('html', 'data-errors')) ?? 0);
      await page.setInputFiles('#file', { name: 'cut.gguf', mimeType: 'application/octet-stream', buffer: readFileSync(gguf).subarray(0, 300) });
      await page.waitForFunction((n) => Number(document.documentElement.dataset['errors']) > n, errors);
      await expect(page.locator('#model-error').innerText()).resolves.toMatch(/cut\.gguf: gguf: .* \(at byte offset 8 of cut\.gguf\)/);
      expect(await totals()).toContain('131,073,000');
    } finally {
      rmSync(path, { force: true });
    }
    await page.locator('#file-status button').click();
  });

  test('a typo is underlined where it is written, with the message beside it and the fix one click away', async () => {
    await paste(page, '224x224x3, conv3-64 x2, maxpol');
    await page.waitForSelector('#backdrop mark');
    await expect(page.locator('#backdrop mark').innerText()).resolves.toBe('maxpol');
    await expect(page.locator('#editor-error').innerText()).resolves.toContain("Line 1, column 25: unknown layer 'maxpol'. Did you mean 'maxpool'?");
    await shot(page, 'typo');
    const before = await results(page);
    await page.locator('#editor-error button.fix').click();
    await nextResult(page, before);
    await expect(page.inputValue('#editor')).resolves.toBe('224x224x3, conv3-64 x2, maxpool');
    await expect(page.locator('#backdrop mark').count()).resolves.toBe(0);
    await expect(page.locator('#editor-error').isHidden()).resolves.toBe(true);
    // A misspelt zoo name: the whole entry is replaced.
    await paste(page, 'resnet5');
    await page.waitForSelector('#editor-error button.fix');
    await page.locator('#editor-error button.fix').click();
    await expect(page.inputValue('#editor')).resolves.toBe('resnet50');
  });

  test('the check panel diagnoses the seed\'s claim: the missing biases and the 128 input channels', async () => {
    const before = await results(page);
    await paste(page, VGG16);
    await nextResult(page, before);
    await page.locator('#check summary').click();
    await page.fill('#claims', 'conv3-256: 0.59M = (3*3)*(256*256)');
    await page.waitForSelector('#check-result .claim');
    const text = await page.locator('#check-result').innerText();
    expect(text).toContain('wrong');
    expect(text).toMatch(/misses its 256 biases/);
    expect(text).toMatch(/128 input channels/);
    await shot(page, 'check');
  });

  test('the diff panel compares two models and one model under two settings', async () => {
    await page.locator('#diff summary').click();
    await page.fill('#vs-input', '384x384x3');
    await page.waitForFunction(() => document.querySelector('#diff-result')?.textContent?.includes('384×384×3'));
    const text = await page.locator('#diff-result').innerText();
    // Only the first FC layer changes: 512·12·12 = 73,728 inputs instead of 25,088, so (73,728 − 25,088)·4,096 more weights.
    expect(text).toContain('+199,229,440');
    await page.fill('#vs-input', '');
    await paste(page, 'alexnet-paper');
    await page.fill('#vs-model', 'alexnet-ungrouped');
    await page.waitForFunction(() => document.querySelector('#diff-result')?.textContent?.includes('alexnet-ungrouped'));
    // The two-GPU AlexNet's grouped convs against dense ones: 60,965,224 and 62,378,344 parameters, derived by hand in
    // src/zoo/alexnet.test.ts (conv2, conv4 and conv5 see all their input channels: 1,413,120 more weights).
    const text2 = await page.locator('#diff-result').innerText();
    expect(text2).toContain('60,965,224');
    expect(text2).toContain('62,378,344');
    await page.fill('#vs-input', '224x224');
    await page.waitForSelector('#vs-input-error:not([hidden])');
    await expect(page.locator('#vs-input-error').innerText()).resolves.toContain('input shape');
    await shot(page, 'diff');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
  });
});
