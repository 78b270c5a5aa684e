/**
 * The demo shop's gateway flow, clicked through in Chromium: cart → pay →
 * the simulator's hosted portal → back through the Worker's /return/{id} →
 * the shop's result page, which shows what the Worker verified. Each test
 * ends on the ledger, through the admin API.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger, stack } from './support/api.ts';
import { launchBrowser, openTab, paymentIdFromUrl, screenshot } from './support/browser.ts';
import { fillCart, pay, resultState, waitForDemoPage } from './support/demo.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('demo shop, gateway flow (payer on the Djomy page)', () => {
  it('pays on the portal and lands on the success page with the verified, paid status', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { 'tshirt-djomy': 1, tasse: 2 });
    await expect.poll(() => page.getByTestId('cart-count').textContent()).toBe('3');
    await screenshot(page, 'gateway-1-cart');

    await pay(page, { phone: '+224 622 12 34 56' });
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    await screenshot(page, 'gateway-2-portal');
    await page.getByTestId('portal-pay').click();

    await waitForDemoPage(page, 'success');
    await resultState(page, 'paid');
    const id = paymentIdFromUrl(page);
    expect(await page.getByTestId('payment-status').textContent()).toBe('SUCCESS');
    expect(await page.getByTestId('result-title').textContent()).toBe('Merci ! Paiement reçu');
    await screenshot(page, 'gateway-3-success');

    // Paid: the cart is emptied.
    await page.getByTestId('back-to-shop').click();
    await expect.poll(() => page.getByTestId('cart-count').textContent()).toBe('0');

    const { payment, events } = await ledger(id);
    expect(payment).toMatchObject({
      status: 'SUCCESS',
      paid: true,
      flow: 'gateway',
      amount: 125_000,
      currency: 'GNF',
    });
    expect(payment.reference).toMatch(/^DEMO-\d{6}-[A-Z0-9]+$/);
    expect(payment.successUrl).toBe(`${stack.workerUrl}/demo/success.html`);
    expect(events.map((event) => event.to)).toContain('SUCCESS');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a payer who cancels on the portal lands on the cancel page, cart kept', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { 'sac-wax': 1 });
    await pay(page, { phone: '622123456' });
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    await page.getByTestId('portal-cancel').click();

    await waitForDemoPage(page, 'cancel');
    await resultState(page, 'cancelled');
    const id = paymentIdFromUrl(page);
    expect(new URL(page.url()).searchParams.get('status')).toBe('CANCELLED');
    expect(await page.getByTestId('payment-status').textContent()).toBe('CANCELLED');
    await screenshot(page, 'gateway-4-cancelled');

    await page.getByTestId('back-to-shop').click();
    await expect.poll(() => page.getByTestId('cart-count').textContent()).toBe('1');

    const { payment } = await ledger(id);
    expect(payment).toMatchObject({ status: 'CANCELLED', paid: false, amount: 120_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
