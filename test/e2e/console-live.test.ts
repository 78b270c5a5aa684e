/**
 * The console follows payments live. A customer pays in the demo shop (its
 * own browser context, the Worker's other host name); the merchant's
 * Counter shows the payment in large type and says it aloud in French, and
 * Today's figures follow, both without a reload. When the session ends, the
 * counter says so plainly and stops asking.
 *
 * Headless Chromium has no voices: `speechSynthesis.speak` is replaced in
 * the page before its scripts run, and records what it is given.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger, stack } from './support/api.ts';
import { launchBrowser, openTab, paymentIdFromUrl, screenshot } from './support/browser.ts';
import { consoleUrl, READY, SIGN_IN_TIMEOUT, signIn, visit } from './support/console.ts';
import { fillCart, pay, resultState, waitForDemoPage } from './support/demo.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

declare global {
  interface Window {
    spoken?: { text: string; lang: string }[];
    sameDocument?: boolean;
  }
}

/**
 * The Today page's count of payments paid over the last 30 days: the "paid
 * today" figure starts again at 0 at UTC midnight, which a run may cross.
 */
async function paidThisMonth(page: Page): Promise<number> {
  return Number(await page.getByTestId('paid-month-count').first().getAttribute('data-count'));
}

describe('live payments on the console', () => {
  it(
    'a payment in the shop appears on Counter, spoken in French, and on Today, without a reload; a session end stops the counter',
    async () => {
      const phone = { width: 390, height: 844 };
      const { page: today, context, errors } = await openTab(browser, { viewport: phone });
      await context.addInitScript(() => {
        window.spoken = [];
        if ('speechSynthesis' in window) {
          speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
            window.spoken?.push({ text: utterance.text, lang: utterance.lang });
          };
        }
      });
      await today.goto(consoleUrl('live'));
      await today.getByTestId('signin-token').waitFor();
      await signIn(today, stack.adminToken, 'Marchand');
      await visit(today, '#/today', READY.today);
      const before = await paidThisMonth(today);

      // The counter, in a second tab of the same browser (same session cookie).
      const counter = await context.newPage();
      await counter.goto(consoleUrl('live', '#/counter'));
      await counter.locator(READY.counter).waitFor();
      expect(await counter.getByTestId('nav').isVisible(), 'full screen: no console chrome').toBe(false);
      await counter.getByText('Annoncer à voix haute').click();
      expect(await counter.getByTestId('counter-speak').isChecked()).toBe(true);
      await counter.getByText('Garder l’écran allumé').click();
      for (const tab of [today, counter]) {
        await tab.evaluate(() => {
          window.sameDocument = true;
        });
      }

      // The customer pays 60,000 GNF in the demo shop, on Djomy's page.
      const shop = await openTab(browser);
      await fillCart(shop.page, { tasse: 1, 'cafe-ziama': 1 });
      await pay(shop.page, { phone: '622 40 50 60' });
      await shop.page.waitForURL(`${stack.simUrl}/portal/**`);
      await shop.page.getByTestId('portal-pay').click();
      await waitForDemoPage(shop.page, 'success');
      await resultState(shop.page, 'paid');
      const id = paymentIdFromUrl(shop.page);
      expect((await ledger(id)).payment).toMatchObject({ paid: true, amount: 60_000, currency: 'GNF' });
      await shop.context.close();

      // Counter: within a poll or two, large, and said aloud.
      const shown = counter.locator(`[data-testid="counter-payment"][data-payment-id="${id}"]`);
      await shown.waitFor({ timeout: 15_000 });
      expect((await shown.locator('.feed-amount').textContent())?.replace(/\s/g, ' ')).toBe('60 000 GNF');
      const fontSize = await shown
        .locator('.feed-amount')
        .evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize));
      expect(fontSize, 'very large type').toBeGreaterThanOrEqual(48);
      await expect
        .poll(() => counter.evaluate(() => window.spoken))
        .toContainEqual({ text: 'Paiement reçu : soixante mille francs guinéens', lang: 'fr-FR' });
      const wakeNote = await counter.getByTestId('counter-note').textContent();
      const wakeOn = await counter.getByTestId('counter-wake').isChecked();
      // Headless Chromium may grant or refuse the wake lock; either way the page says where it stands.
      expect(wakeOn || /Écran allumé impossible/.test(wakeNote ?? ''), `wake lock: ${wakeNote}`).toBe(true);
      await screenshot(counter, 'console-live-counter-phone');

      // Today: the next refresh (every 15 s) counts it.
      await expect
        .poll(() => paidThisMonth(today), { timeout: 25_000, interval: 500 })
        .toBeGreaterThanOrEqual(before + 1);
      await screenshot(today, 'console-live-today-phone');
      for (const tab of [today, counter]) expect(await tab.evaluate(() => window.sameDocument)).toBe(true);

      // The session ends (here: the cookie is gone): the counter says so in big type, and stops polling.
      const liveRequests: string[] = [];
      counter.on('request', (request) => {
        if (request.url().includes('/api/admin/live')) liveRequests.push(request.url());
      });
      await context.clearCookies();
      const ended = counter.getByTestId('signin-message');
      await ended.waitFor({ timeout: 10_000 });
      expect(await ended.textContent()).toBe('Session terminée — reconnectez-vous');
      expect(
        await ended.evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize)),
        'big type',
      ).toBeGreaterThanOrEqual(24);
      await screenshot(counter, 'console-live-session-ended-phone');
      const asked = liveRequests.length;
      await counter.waitForTimeout(11_000);
      expect(liveRequests.length, 'no more polling after the session ended').toBe(asked);
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT + 60_000,
  );
});
