/**
 * The no-JavaScript buy button: a plain HTML form posted to
 * `/checkout`, then the simulator's portal, then the Worker's return page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger, stack } from './support/api.ts';
import { launchBrowser, openTab, paymentIdFromUrl, screenshot } from './support/browser.ts';
import { resultState, waitForDemoPage } from './support/demo.ts';

const PAGE = `${stack.workerUrl}/demo/buy-button.html`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('the no-JavaScript buy button', () => {
  it('with JavaScript off, the form alone takes the payer to the portal and to a paid result', async () => {
    const { page, context } = await openTab(browser, { javaScriptEnabled: false });
    await page.goto(PAGE);
    const snippet = await page.getByTestId('buy-snippet').textContent();
    expect(snippet).toContain('<form method="post" action="');
    expect(snippet).toContain('name="successUrl"');
    await screenshot(page, 'buy-button-1-page');

    await page.getByTestId('buy-phone').fill('622 98 76 54');
    await page.getByTestId('buy-submit').click();
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    expect(await page.getByTestId('portal-amount').textContent()).toContain('25');
    await page.getByTestId('portal-pay').click();

    // No successUrl without JavaScript: the Worker's own page shows the verified outcome.
    await page.waitForURL(`${stack.workerUrl}/return/**`);
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    expect(await page.getByTestId('payment-status').textContent()).toBe('SUCCESS');
    expect(await page.locator('h1').textContent()).toBe('Paiement reçu');
    await screenshot(page, 'buy-button-2-paid');

    const { payment } = await ledger(id);
    expect(payment).toMatchObject({ status: 'SUCCESS', paid: true, flow: 'gateway', amount: 25_000 });
    expect(payment.items).toEqual([{ sku: 'tasse', name: 'Tasse Conakry', quantity: 1, unitAmount: 25_000 }]);
    await context.close();
  });

  it('with JavaScript on, the same form comes back to the shop’s success page', async () => {
    const { page, context, errors } = await openTab(browser);
    await page.goto(PAGE);
    // The snippet names this Worker, ready to paste.
    expect(await page.getByTestId('buy-snippet').textContent()).toContain(
      `action="${stack.workerUrl}/checkout"`,
    );
    await page.getByTestId('buy-phone').fill('622987654');
    await page.getByTestId('buy-submit').click();
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    await page.getByTestId('portal-pay').click();

    await waitForDemoPage(page, 'success');
    await resultState(page, 'paid');
    const { payment } = await ledger(paymentIdFromUrl(page));
    expect(payment).toMatchObject({ status: 'SUCCESS', paid: true, amount: 25_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an invalid phone number comes back to the cancel page with the reason', async () => {
    const { page, context } = await openTab(browser);
    await page.goto(PAGE);
    await page.getByTestId('buy-phone').fill('12345678');
    await page.getByTestId('buy-submit').click();
    await waitForDemoPage(page, 'cancel');
    expect(new URL(page.url()).searchParams.get('error')).toBe('invalid_phone');
    await resultState(page, 'error');
    expect(await page.getByTestId('result-text').textContent()).toBe('Ce numéro de téléphone est invalide.');
    await context.close();
  });
});
