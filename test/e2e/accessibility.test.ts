/**
 * Every page that exists outside the console, scanned with axe-core in
 * Chromium at a phone's width and a desktop's: no serious or critical
 * violation. Screenshots of each land in test-results/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { stack } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const PAGES: [string, () => string, string | null][] = [
  ['demo shop', () => `${stack.workerUrl}/demo/`, null],
  ['buy button', () => `${stack.workerUrl}/demo/buy-button.html`, null],
  ['API docs', () => `${stack.workerUrl}/docs`, 'body[data-state="ready"]'],
  ['simulator home', () => `${stack.simUrl}/__sim/`, null],
  ["simulator payer's phone", () => `${stack.simUrl}/__sim/phone`, null],
];

describe.each([
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 900 }],
])('at %s width', (width, viewport) => {
  it.each(PAGES)('%s', async (name, url, ready) => {
    const { page, context } = await openTab(browser, { viewport });
    await page.goto(url());
    if (ready) await page.locator(ready).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, `a11y-${name.replace(/\W+/g, '-')}-${width}`);
    await expectAccessible(page, `${name} (${width})`);
    await context.close();
  });
});
