/**
 * What a user of the page notices: no axe-core violation in either theme, the theme follows the system and the
 * button, the page works at 375 px and by keyboard alone, a link restores the page exactly, and bad input (a
 * malformed link, a 10 MB paste, a hostile input followed by a good one) ends in a message while the page goes on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { nextResult, open, paste, pasteEvent, results, shot, start, type Session } from './browser.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let s: Session;
beforeAll(async () => {
  s = await start({ colorScheme: 'dark' });
}, 60_000);
afterAll(() => s?.close());

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's violations on the page as it stands (the script is evaluated by the test, not loaded by the page). */
async function axe(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const r = (await page.evaluate(() => (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<unknown> } }).axe.run(document, { resultTypes: ['violations'] }))) as AxeResult;
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** Opens every panel and waits for the check and diff panels to answer. */
async function openAll(page: Page): Promise<void> {
  for (const id of ['explain', 'check', 'diff']) await page.locator(`#${id} summary`).click();
  await page.fill('#claims', 'conv3-256: 0.59M = (3*3)*(256*256)\ntotal: 138M');
  await page.fill('#vs-batch', '8');
  await page.waitForSelector('#check-result .claim');
  await page.waitForFunction(() => document.querySelector('#diff-result')?.textContent?.includes('batch 8'));
}

describe('the page as a user meets it', { timeout: 60_000 }, () => {
  test('follows the system theme, switches with the button, and has no axe-core violation in either', async () => {
    const page = await open(s);
    expect(await background(page)).toBe('rgb(15, 20, 25)'); // the dark theme's --bg, as the system asks
    await openAll(page);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'dark');
    await page.locator('#theme').click();
    await expect(page.locator('#theme').innerText()).resolves.toBe('Theme: light');
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    expect(await axe(page)).toEqual([]);
    await shot(page, 'light');
    await page.reload();
    await page.waitForSelector('html[data-results]');
    expect(await background(page)).toBe('rgb(255, 255, 255)'); // the choice is remembered
    await page.locator('#theme').click();
    await expect(page.locator('#theme').innerText()).resolves.toBe('Theme: dark');
    await page.locator('#theme').click();
    await expect(page.locator('#theme').innerText()).resolves.toBe('Theme: system');
    expect(await background(page)).toBe('rgb(15, 20, 25)');
    await page.close();
  });

  test('works at 375 px: nothing wider than the screen, axe still clean', async () => {
    const page = await open(s);
    await page.setViewportSize({ width: 375, height: 800 });
    await openAll(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'phone-375', true);
    // A branched model at the same width: the module tree and the graph.
    const before = await results(page);
    await paste(page, 'resnet18');
    await nextResult(page, before);
    await page.waitForSelector('#figures .graph svg g.node');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  test('is usable by keyboard alone: the zoo picker, the module tree and the fix', async () => {
    const page = await open(s);
    await page.keyboard.press('Tab'); // the skip link
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to the results');
    let guard = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'zoo-search' && guard++ < 10) await page.keyboard.press('Tab');
    const before = await results(page);
    await page.keyboard.type('vgg16_bn');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await nextResult(page, before);
    await expect(page.locator('#summary .totals').innerText()).resolves.toContain('138,365,992'); // torchvision's vgg16_bn
    // Tab reaches the first module row's toggle; Enter closes it.
    await page.locator('#opt-depth').focus();
    guard = 0;
    while (!(await page.evaluate(() => document.activeElement?.classList.contains('toggle'))) && guard++ < 10) await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain('features (Sequential)');
    await page.keyboard.press('Enter');
    await expect(page.locator('table.layers button.toggle').first().getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.locator('table.layers th', { hasText: 'features.0' }).isVisible()).resolves.toBe(false);
    // A typo's fix is a button, reached by Tab from the editor.
    await page.locator('#editor').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('resnet5');
    await page.waitForSelector('#editor-error button.fix');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('fix');
    await page.keyboard.press('Enter');
    await expect(page.inputValue('#editor')).resolves.toBe('resnet50');
    await page.close();
  });

  test('a link restores the page exactly; a malformed link is named and the page goes on', async () => {
    const page = await open(s);
    await paste(page, '224x224x3, conv3-64, maxpool, FC-10');
    await page.fill('#opt-batch', '8');
    await page.locator('#opt-rf').check();
    await page.locator('#explain summary').click();
    await page.locator('#check summary').click();
    await page.fill('#claims', 'total: 8M');
    await page.waitForSelector('#check-result .claim');
    await page.waitForFunction(() => location.hash.startsWith('#1.') && document.querySelector('#claims') !== null);
    await page.waitForTimeout(400); // the link follows the last change after a pause
    const link = page.url();
    expect(link).toMatch(/#1\.[A-Za-z0-9_-]+$/);
    const total = await page.locator('#summary .totals').innerText();
    const again = await open(s, link.slice(link.indexOf('#')));
    await expect(again.inputValue('#editor')).resolves.toBe('224x224x3, conv3-64, maxpool, FC-10');
    await expect(again.inputValue('#opt-batch')).resolves.toBe('8');
    await expect(again.isChecked('#opt-rf')).resolves.toBe(true);
    await expect(again.locator('#explain').getAttribute('open')).resolves.toBe('');
    await expect(again.inputValue('#claims')).resolves.toBe('total: 8M');
    await expect(again.locator('#summary .totals').innerText()).resolves.toBe(total);
    await again.waitForSelector('#check-result .claim');
    await again.close();

    for (const [fragment, words] of [
      ['#1.@@@@', "'@' at offset 3"],
      ['#1.AAAAAAAA', 'not deflate-compressed'],
      ['#2.abc', "start '#1.'"],
    ] as const) {
      const bad = await open(s, fragment);
      await expect(bad.locator('#link-status').innerText()).resolves.toContain(words);
      await bad.waitForSelector('html[data-results]'); // the default model is analysed all the same
      await expect(bad.locator('#summary .totals').innerText()).resolves.toContain('138,357,544');
      await bad.close();
    }
    await page.close();
  });

  test('a 10 MB paste ends in a located message; the last result stays; the next input still answers', async () => {
    const page = await open(s);
    const errors = Number((await page.getAttribute('html', 'data-errors')) ?? 0);
    await pasteEvent(page, 'conv3-64, '.repeat(1_000_000));
    await page.waitForFunction((n) => Number(document.documentElement.dataset['errors'] ?? 0) > n, errors, { timeout: 30_000 });
    // The notation stops at its layer limit and says where: line 1, column 1,000,011 (the 100,001st conv3-64).
    await expect(page.locator('#model-error').innerText()).resolves.toContain('pasted text (9.5 MB): Line 1, column 1000011: the notation asks for more than 100,000 layers');
    await expect(page.locator('#summary .totals').innerText()).resolves.toContain('138,357,544');
    await expect(page.inputValue('#editor')).resolves.not.toContain('conv3-64, conv3-64'); // the text box was spared it
    await shot(page, 'paste-10mb');
    // While a long analysis runs, a new input supersedes it: the worker is ended and the new answer comes at once.
    const before = await results(page);
    const restarts = Number((await page.getAttribute('html', 'data-restarts')) ?? 0);
    await pasteEvent(page, 'conv3-64, '.repeat(1_000_000));
    await page.waitForTimeout(100);
    await paste(page, '32x32x1, conv5-6, maxpool, conv5-16, maxpool, FC-120, FC-84, FC-10');
    await nextResult(page, before);
    // LeNet-5 on 32×32×1 with the size kept by padding (by hand): conv5-6: 5·5·1·6 + 6 = 156; conv5-16: 5·5·6·16 + 16 =
    // 2,416; two poolings leave 16·8·8 = 1,024 values, so FC-120: 1,024·120 + 120 = 123,000; FC-84: 120·84 + 84 = 10,164;
    // FC-10: 84·10 + 10 = 850; total 136,586.
    await expect(page.locator('#summary .totals').innerText()).resolves.toContain('136,586');
    expect(Number(await page.getAttribute('html', 'data-restarts'))).toBeGreaterThan(restarts);
    await page.close();
  });
});
