/**
 * The payer's pages scanned with axe-core at a phone's width and a desktop's,
 * in each state a payer or a cashier meets: `/pay` open (the OTP form) and
 * paid, `/r` paid and unpaid, `/v` paid and unpaid. No serious or critical
 * violation, nor any moderate or minor one; a screenshot of each lands in test-results/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';
import { openOtpPayment, paidPayment } from './support/payer.ts';

let browser: Browser;
const ids = { open: '', paid: '' };

beforeAll(async () => {
  browser = await launchBrowser();
  ids.open = (await openOtpPayment()).id;
  ids.paid = (await paidPayment()).id;
});
afterAll(() => browser?.close());

const PAGES: [name: string, path: () => string, ready: string][] = [
  ['pay, open (OTP)', () => `/pay/${ids.open}`, '[data-testid="otp-input"]'],
  ['pay, paid', () => `/pay/${ids.paid}`, '[data-testid="pay"][data-state="paid"]'],
  ['receipt, paid', () => `/r/${ids.paid}`, '[data-testid="receipt"][data-state="paid"]'],
  ['receipt, unpaid', () => `/r/${ids.open}`, '[data-testid="receipt"][data-state="unpaid"]'],
  ['check, paid', () => `/v/${ids.paid}`, '[data-testid="check"][data-state="paid"]'],
  ['check, unpaid', () => `/v/${ids.open}`, '[data-testid="check"][data-state="unpaid"]'],
];

describe.each([
  ['390', { width: 390, height: 844 }],
  ['1280', { width: 1280, height: 900 }],
])('at %s px', (width, viewport) => {
  it.each(PAGES)('%s', async (name, path, ready) => {
    const { page, context, errors } = await openTab(browser, { viewport });
    await page.goto(`${stack.workerUrl}${path()}`);
    await page.locator(ready).waitFor();
    // The spinner and QR code settle first, so the scan and the picture show the page at rest.
    await page.waitForLoadState('networkidle');
    await screenshot(page, `a11y-payer-${name.replace(/\W+/g, '-')}-${width}`);
    const violations = await expectAccessible(page, `${name} (${width} px)`);
    // These pages are new: moderate and minor findings are not tolerated either.
    expect(violations.map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`)).toEqual([]);
    if (errors.length) throw new Error(errors.join('\n'));
    await context.close();
  });
});
