/**
 * The demo shop's direct flow in Chromium: the payer's wallet is prompted.
 * The simulator's phone page (`/__sim/phone`), opened in a second tab, plays
 * the payer's phone: it shows the OTP the operator "sent", and approves or
 * declines push prompts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger, simControl, simPaymentOf, stack } from './support/api.ts';
import { launchBrowser, openTab, paymentIdFromUrl, screenshot } from './support/browser.ts';
import { fillCart, pay, paymentInProgress, resultState, waitForDemoPage } from './support/demo.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('demo shop, direct flow (payer approves from the phone)', () => {
  it('an Orange Money payment is confirmed with the OTP from the phone, after one wrong code', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { casquette: 1, 'cafe-ziama': 1 });
    await pay(page, { phone: '00224 622 00 11 22', method: 'OM' });
    await page.getByTestId('otp-input').waitFor();
    const id = await paymentInProgress(page);
    await screenshot(page, 'direct-1-otp');

    // The payer's phone, in a second tab: the SMS with the code.
    const { transactionId } = await simPaymentOf(id);
    const phone = await context.newPage();
    await phone.goto(`${stack.simUrl}/__sim/phone`);
    const otp = (await phone.getByTestId(`phone-otp-${transactionId}`).textContent())?.trim() ?? '';
    expect(otp).toMatch(/^\d{4,6}$/);
    await screenshot(phone, 'direct-2-phone');

    // A mistyped code is refused by Djomy and asked again; the payment stays open.
    const wrong = otp === '0000' ? '1111' : '0000';
    await page.getByTestId('otp-input').fill(wrong);
    await page.getByTestId('otp-submit').click();
    await page.getByTestId('otp-error').waitFor();
    expect(await page.getByTestId('otp-error').textContent()).toContain('Code refusé');
    expect((await ledger(id)).payment.status).toBe('PENDING');
    await screenshot(page, 'direct-3-otp-refused');

    await page.getByTestId('otp-input').fill(otp);
    await page.getByTestId('otp-submit').click();
    await waitForDemoPage(page, 'success');
    await resultState(page, 'paid');
    expect(paymentIdFromUrl(page)).toBe(id);
    expect(await page.getByTestId('payment-method').textContent()).toBe('Orange Money');
    await screenshot(page, 'direct-4-success');

    const { payment, events } = await ledger(id);
    expect(payment).toMatchObject({
      status: 'SUCCESS',
      paid: true,
      flow: 'direct',
      paymentMethod: 'OM',
      amount: 80_000,
    });
    expect(events.map((event) => event.to)).toEqual(
      expect.arrayContaining(['CREATED', 'PENDING', 'SUCCESS']),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a push prompt declined on the phone ends on the failure page, cart kept', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { 'savon-karite': 3 });
    await pay(page, { phone: '622334455', method: 'SOUTRA_MONEY' });
    await page.getByTestId('step-approve').waitFor();
    const id = await paymentInProgress(page);
    await screenshot(page, 'direct-5-approve-on-phone');

    const { transactionId } = await simPaymentOf(id);
    const phone = await context.newPage();
    await phone.goto(`${stack.simUrl}/__sim/phone`);
    await phone.getByTestId(`phone-decline-${transactionId}`).click();

    await waitForDemoPage(page, 'cancel');
    await resultState(page, 'failed');
    expect(new URL(page.url()).searchParams.get('status')).toBe('FAILED');
    expect(await page.getByTestId('result-title').textContent()).toBe('Paiement échoué');
    await screenshot(page, 'direct-6-failed');
    await page.getByTestId('back-to-shop').click();
    await expect.poll(() => page.getByTestId('cart-count').textContent()).toBe('3');

    const { payment } = await ledger(id);
    expect(payment).toMatchObject({
      status: 'FAILED',
      paid: false,
      paymentMethod: 'SOUTRA_MONEY',
      amount: 36_000,
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a create whose answer is lost, Djomy’s list unreachable: the payer is told not to pay again, and the page follows once Djomy confirms', async () => {
    // 620000004 makes the simulator process the create and lose its answer; the list lookup fails too.
    // Djomy's webhooks are dropped meanwhile: one that arrived before the Worker gave up on the lost
    // answer would tell it the payment exists, and it would rightly answer "created" (seen under load).
    await simControl('PUT', '/faults', {
      rules: [{ endpoint: 'listPayments', kind: '503', rate: 1 }],
      webhooks: { dropRate: 1 },
    });
    const { page, context, errors } = await openTab(browser);
    try {
      await fillCart(page, { tasse: 1 });
      await pay(page, { phone: '620000004', method: 'SOUTRA_MONEY' });
      const notice = page.getByTestId('step-outcome-unknown');
      await notice.waitFor({ timeout: 45_000 }).catch(async (error: Error) => {
        // What the payer saw instead, and what the simulator counted, to tell a slow stack from a wrong step.
        const shown = await page
          .locator('[data-testid^="step-"], [role="status"], [role="alert"]')
          .allTextContents();
        const references = await simControl('GET', '/references');
        throw new Error(
          `${error.message}\nshown: ${JSON.stringify(shown)}\nbrowser errors: ${JSON.stringify(errors)}\nsimulator: ${JSON.stringify(references)}`,
        );
      });
      expect(await notice.textContent()).toContain('Ne payez pas une seconde fois');
      await screenshot(page, 'direct-7-outcome-unknown');
      const id = await paymentInProgress(page);
      expect(
        (await simControl<{ references: Record<string, { count: number }> }>('GET', '/references'))
          .references[id],
      ).toMatchObject({ count: 1 });

      // Djomy's list answers again; the payer approves the prompt the lost create had sent.
      await simControl('DELETE', '/faults');
      const { transactionId } = await simPaymentOf(id);
      const phone = await context.newPage();
      await phone.goto(`${stack.simUrl}/__sim/phone`);
      await phone.getByTestId(`phone-approve-${transactionId}`).click();
      await waitForDemoPage(page, 'success');
      await resultState(page, 'paid');
      expect((await ledger(id)).payment).toMatchObject({ status: 'SUCCESS', paid: true, transactionId });
      expect(
        (await simControl<{ references: Record<string, { count: number }> }>('GET', '/references'))
          .references[id],
      ).toMatchObject({ count: 1 });
      expect(errors).toEqual([]);
    } finally {
      await simControl('DELETE', '/faults');
      await context.close();
    }
  }, 90_000);
});
