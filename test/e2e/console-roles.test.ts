/**
 * Who may do what in the console, and what it keeps. The cashier
 * (VIEWER_TOKEN) sees every page with payer phones masked, finds no write
 * but "Vérifier maintenant" (which works), and the API refuses the cashier's
 * writes even when sent with the session's CSRF token. Signing out leaves
 * the sign-in form and no session; the session cookie is HttpOnly and the
 * token is stored nowhere in the page.
 */
import type { Browser, Page } from 'playwright-core';
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
  uniquePhone,
  uniqueTag,
  visit,
} from './support/console.ts';

let browser: Browser;
let paymentId: string;
let linkReference: string;
const phone = uniquePhone();

beforeAll(async () => {
  browser = await launchBrowser();
  paymentId = (
    await createPayment({
      flow: 'direct',
      paymentMethod: 'OM',
      items: [{ sku: 'savon-karite', quantity: 1 }],
      payer: { phone },
      reference: `${uniqueTag('ROLE')}-1`,
    })
  ).id;
  linkReference = (
    await adminApi<{ reference: string }>('POST', '/api/admin/links', {
      usageType: 'MULTIPLE',
      linkName: `Caisse ${uniqueTag('R')}`,
    })
  ).reference;
});
afterAll(() => browser?.close());

/** A request from inside the page, with the session cookie, as the console's own scripts send it. */
function fromPage(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { method, path, body },
  );
}

describe('the cashier', () => {
  it(
    'reads everything with phones masked, may only verify now, and the API refuses every other write',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'cashier', {
        viewport: { width: 390, height: 844 },
      });
      // This counter phone's browser has no Wake Lock API.
      await context.addInitScript(() => {
        // biome-ignore lint/suspicious/noExplicitAny: removing a browser API for the test.
        delete (Navigator.prototype as any).wakeLock;
      });
      await page.reload();
      await page.getByTestId('signin-token').waitFor();
      await signIn(page, stack.viewerToken, 'Caissier');

      // Payment detail: phone masked, verify now works, no "send the notification again".
      await visit(page, `#/payments/${paymentId}`, READY.payment);
      const payer = (await page.getByTestId('payment-payer').textContent()) ?? '';
      expect(payer).toMatch(/^00224\*+\d{3}$/);
      expect(payer.endsWith(phone.slice(-3))).toBe(true);
      expect(payer.slice(5, -3)).toMatch(/^\*+$/);
      expect(await page.getByTestId('notify-again').count()).toBe(0);
      await page.getByTestId('verify-now').click();
      await expect
        .poll(() => page.getByTestId('payment-message').textContent())
        .toMatch(/^Djomy a répondu : statut (inchangé|mis à jour) \(.+\)\.$/);
      expect(await page.getByTestId('payment-message').getAttribute('class')).toContain('ok');
      await screenshot(page, 'console-cashier-payment-phone');
      // Should the API refuse anyway (403), the page shows the problem's detail. The answer is played
      // by the browser: with the buttons the cashier is given, the real API never refuses.
      await page.route('**/verify', (route) =>
        route.fulfill({
          status: 403,
          contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Forbidden', status: 403, detail: 'The cashier may not do this.' }),
        }),
      );
      await page.getByTestId('verify-now').click();
      await expect
        .poll(() => page.getByTestId('payment-message').textContent())
        .toBe('Refusé : The cashier may not do this.');
      await page.unroute('**/verify');
      await expectAccessible(page, 'console payment as the cashier');

      // Lists: phones masked there too.
      await visit(page, `#/payments?q=${phone.slice(-6)}`, READY.payments);
      expect(await page.getByTestId('payment-row').first().textContent()).toMatch(/00224\*+\d{3}/);

      // Links: no creation form; the poster is there to print.
      await visit(page, '#/links', READY.links);
      expect(await page.getByTestId('link-create').count()).toBe(0);
      await visit(page, `#/links/${linkReference}/poster`, READY.poster);
      expect(await page.getByTestId('poster-print').isEnabled()).toBe(true);

      // Products: read only.
      await visit(page, '#/products', READY.products);
      expect(await page.getByTestId('product-create').count()).toBe(0);
      expect(await page.getByTestId('product-edit').count()).toBe(0);
      expect(await page.getByTestId('product-toggle').count()).toBe(0);
      await screenshot(page, 'console-cashier-products-phone');

      // Counter and Health work for the cashier; here the browser cannot keep the screen on, and says so.
      await visit(page, '#/counter', READY.counter);
      expect(await page.getByTestId('counter-wake').isDisabled()).toBe(true);
      expect(await page.getByTestId('counter-note').textContent()).toContain(
        'ne peut pas garder l’écran allumé',
      );
      await screenshot(page, 'console-cashier-counter-phone');
      await visit(page, '#/health', READY.health);
      // Alerts are set (the simulator stands in for Telegram), and only the merchant may send a test.
      expect(await page.getByTestId('check-alerts').getAttribute('data-verdict')).toBe('pass');
      expect(await page.getByTestId('alerts-test').count()).toBe(0);

      // The API itself: every write but verify refused to the cashier's session, CSRF token and all.
      const refused = await Promise.all([
        fromPage(page, 'PUT', '/api/admin/products/tasse', { name: 'Tasse', amount: 1 }),
        fromPage(page, 'DELETE', '/api/admin/products/tasse'),
        fromPage(page, 'POST', '/api/admin/links', { usageType: 'MULTIPLE' }),
        fromPage(page, 'POST', `/api/admin/payments/${paymentId}/notify`),
      ]);
      for (const answer of refused) expect(answer).toMatchObject({ status: 403, body: { status: 403 } });
      expect(await fromPage(page, 'POST', `/api/admin/payments/${paymentId}/verify`)).toMatchObject({
        status: 200,
      });
      expect(
        (
          await adminApi<{ products: { sku: string; amount: number }[] }>('GET', '/api/admin/products')
        ).products.find((p) => p.sku === 'tasse')?.amount,
      ).toBe(25_000);
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});

describe('signing out', () => {
  it(
    'ends the session: sign-in form, GET /api/session 401; the cookie was HttpOnly and the token never stored',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'signout');
      await signIn(page, stack.adminToken, 'Marchand');
      await visit(page, '#/today', READY.today);

      // Before leaving: the merchant sends a test alert from Health; the simulator's Telegram receives it.
      await visit(page, '#/health', READY.health);
      await page.getByTestId('alerts-test').click();
      await page.getByText('Alerte test envoyée').waitFor();
      const { messages } = (await (await fetch(`${stack.simUrl}/__sim/telegram/messages`)).json()) as {
        messages: { text: string; answeredStatus: number }[];
      };
      expect(messages.at(-1)).toMatchObject({
        answeredStatus: 200,
        text: expect.stringMatching(/^Test djomy-edge/),
      });

      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'djomy_session', httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie?.value).not.toContain(stack.adminToken);
      const seen = await page.evaluate(() => ({
        cookie: document.cookie,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
      }));
      expect(seen.cookie).not.toContain('djomy_session');
      expect(seen.local).not.toContain(stack.adminToken);
      expect(seen.session).not.toContain(stack.adminToken);
      expect(seen.session).toBe('{}');
      // Nor in the page itself (the password field is emptied after signing in).
      expect(await page.content()).not.toContain(stack.adminToken);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('signin-form').waitFor();
      expect(await page.getByTestId('signin-message').textContent()).toBe('Vous êtes déconnecté.');
      expect(await page.getByTestId('nav').isVisible()).toBe(false);
      expect(await page.getByTestId('sign-out').isVisible()).toBe(false);
      expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
      expect(await context.cookies()).toEqual([]);
      // A reload stays signed out.
      await page.reload();
      await page.getByTestId('signin-form').waitFor();
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});
