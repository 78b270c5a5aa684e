/**
 * Every page of the merchant console, signed in as the merchant, at a
 * phone's width (390 px) and a desktop's (1280 px): each one shown with its
 * data, screenshot into test-results/screenshots/, scanned with axe-core (no
 * serious or critical violation), and no uncaught script error anywhere.
 * Also the sign-in form's refusals and the language switch.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayment, stack } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import {
  adminApi,
  openConsole,
  READY,
  SIGN_IN_TIMEOUT,
  signIn,
  submitToken,
  uniquePhone,
  uniqueTag,
  visit,
} from './support/console.ts';

let browser: Browser;
let paymentId: string;
let linkReference: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // Something to show on the detail and poster pages.
  const tag = uniqueTag('PAGES');
  paymentId = (
    await createPayment({
      flow: 'direct',
      paymentMethod: 'OM',
      items: [{ sku: 'tasse', quantity: 2 }],
      payer: { phone: uniquePhone() },
      reference: `${tag}-1`,
    })
  ).id;
  linkReference = (
    await adminApi<{ reference: string }>('POST', '/api/admin/links', {
      usageType: 'MULTIPLE',
      linkName: `Comptoir ${tag}`,
      amount: 25_000,
    })
  ).reference;
});
afterAll(() => browser?.close());

const PAGES: [name: string, hash: () => string, ready: string][] = [
  ['today', () => '#/today', READY.today],
  ['payments', () => '#/payments', READY.payments],
  ['payment', () => `#/payments/${paymentId}`, READY.payment],
  ['links', () => '#/links', READY.links],
  ['poster', () => `#/links/${linkReference}/poster`, READY.poster],
  ['products', () => '#/products', READY.products],
  ['counter', () => '#/counter', READY.counter],
  ['health', () => '#/health', READY.health],
];

describe.each([
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 900 }],
])('the console at %s width', (width, viewport) => {
  it(
    'signs in and shows every page, accessible, without script errors',
    async () => {
      const { page, context, errors } = await openConsole(browser, `pages-${width}`, { viewport });
      await screenshot(page, `console-signin-${width}`);
      await expectAccessible(page, `console sign-in (${width})`);
      expect(await page.getByTestId('nav').isVisible()).toBe(false);

      await signIn(page, stack.adminToken, 'Marchand');
      for (const [name, hash, ready] of PAGES) {
        await visit(page, hash(), ready);
        if (name === 'poster') {
          await expect
            .poll(() => page.getByTestId('poster-qr').evaluate((img: HTMLImageElement) => img.naturalWidth))
            .toBeGreaterThan(0);
        }
        await screenshot(page, `console-${name}-${width}`);
        await expectAccessible(page, `console ${name} (${width})`);
        expect(await page.title(), name).toMatch(/ — Console Djomy$/);
      }
      // The navigation is reachable at this width, and marks the current page.
      await visit(page, '#/today', READY.today);
      for (const link of await page.getByTestId('nav').getByRole('link').all()) {
        expect(await link.isVisible()).toBe(true);
        const box = await link.boundingBox();
        expect(box?.height, 'touch target').toBeGreaterThanOrEqual(44);
      }
      expect(await page.locator('[data-testid="nav"] a[aria-current="page"]').textContent()).toBe(
        'Aujourd’hui',
      );
      await page.getByTestId('nav').getByRole('link', { name: 'Paiements' }).click();
      await page.locator(READY.payments).waitFor();
      expect(page.url()).toMatch(/#\/payments$/);
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});

describe('signing in', () => {
  it(
    'says plainly when the token is wrong or attempts are too many',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'signin-refusals', {
        viewport: { width: 390, height: 844 },
      });
      expect(await submitToken(page, 'not-the-right-token-at-all')).toBe(
        'Ce jeton n’est pas valide. Vérifiez-le et réessayez.',
      );
      const message = page.locator('[data-testid="signin-message"].error');
      expect(await page.getByTestId('nav').isVisible()).toBe(false);

      // The Worker's own limit is 10 a minute per IP, shared by every test here: its 429 is played
      // by the browser instead, to see what the page says without spending the tests' minute.
      await page.route('**/api/session', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 429,
              contentType: 'application/problem+json',
              headers: { 'retry-after': '60' },
              body: JSON.stringify({
                type: '/docs#problem-rate-limited',
                title: 'Too many requests',
                status: 429,
              }),
            })
          : route.continue(),
      );
      await page.getByTestId('signin-token').fill(stack.adminToken);
      await page.getByTestId('signin-submit').click();
      await expect.poll(() => message.textContent()).toBe('Trop d’essais, réessayez dans une minute');
      await screenshot(page, 'console-signin-too-many-phone');
      await expectAccessible(page, 'console sign-in refused (phone)');
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );

  it('switches to English and back, remembering only the language', async () => {
    const { page, context, errors } = await openConsole(browser, 'signin-language');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to the console');
    expect(await page.getByTestId('signin-submit').textContent()).toBe('Sign in');
    await page.reload();
    await page.getByTestId('signin-token').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const stored = await page.evaluate(() => ({ ...localStorage }));
    expect(stored).toEqual({ 'djomy-console-lang': 'en' });
    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByTestId('signin-submit').textContent()).toBe('Se connecter');
    expect(errors).toEqual([]);
    await context.close();
  });
});
