/**
 * The payer's side in Chromium against the real stack: a payment picked up
 * again by `DjomyCheckout.resume()` after its tab was closed, a gateway
 * payment whose return was lost found paid on `/pay/{id}`, its receipt, the
 * receipt's QR code read back and opened (the live check), sharing by copy,
 * and the OTP form of `/pay/{id}` with a refused code and with every code used.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger, ledgerReaches, simPaymentOf, stack } from './support/api.ts';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';
import { fillCart, pay, paymentInProgress, resultState, waitForDemoPage } from './support/demo.ts';
import {
  decodeQr,
  openGatewayPayment,
  openOtpPayment,
  paidPayment,
  payerPhone,
  plain,
  simReaches,
} from './support/payer.ts';

const PENDING = 'djomy-checkout:pending';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('DjomyCheckout.resume() in the demo shop', () => {
  it('a direct payment whose tab was closed at the OTP prompt is resumed in a new tab and ends paid', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { tasse: 1 });
    await pay(page, { phone: payerPhone(), method: 'OM' });
    await page.getByTestId('otp-input').waitFor();
    const id = await paymentInProgress(page);
    // Only the id and an expiry are kept: nothing about the payer or the order.
    const remembered = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), PENDING)) ?? '{}');
    expect(Object.keys(remembered).sort()).toEqual(['expiresAt', 'id']);
    expect(remembered.id).toBe(id);
    expect(remembered.expiresAt - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(remembered.expiresAt - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    await page.close();

    const again = await context.newPage();
    await again.goto(`${stack.workerUrl}/demo/`);
    await again.getByTestId('otp-input').waitFor();
    expect(await paymentInProgress(again)).toBe(id);
    await screenshot(again, 'payer-resume-1-otp-again');

    const { otp } = await simPaymentOf(id);
    await again.getByTestId('otp-input').fill(otp ?? '');
    await again.getByTestId('otp-submit').click();
    await waitForDemoPage(again, 'success');
    await resultState(again, 'paid');
    expect(new URL(again.url()).searchParams.get('payment')).toBe(id);
    expect(await again.evaluate((key) => localStorage.getItem(key), PENDING)).toBeNull();
    expect((await ledger(id)).payment).toMatchObject({ status: 'SUCCESS', paid: true });

    // Closed and forgotten: the shop opens as usual.
    await again.goto(`${stack.workerUrl}/demo/`);
    await again.getByTestId('checkout-form').waitFor();
    expect(await again.getByTestId('payment-step').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a gateway payment whose return was lost is found paid on its /pay page, with its receipt', async () => {
    const { page, context, errors } = await openTab(browser, { viewport: { width: 390, height: 844 } });
    await fillCart(page, { tasse: 2 });
    // The create answer, read on its way to the page (which leaves for the portal at once).
    let created: { id: string; payUrl: string } | undefined;
    await page.route(`${stack.workerUrl}/api/payments`, async (route) => {
      const response = await route.fetch();
      if (route.request().method() === 'POST') created = await response.json();
      await route.fulfill({ response });
    });
    await pay(page, { phone: '+224 622 44 55 66' });
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    const { id, payUrl } = created as { id: string; payUrl: string };
    expect(payUrl).toBe(`${stack.workerUrl}/pay/${id}`);

    // The way back from the portal never arrives (a dropped connection, a closed app).
    await page.route(`${stack.workerUrl}/return/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'connexion perdue' }),
    );
    await page.getByTestId('portal-pay').click();
    await simReaches(id, 'SUCCESS');
    await page.goto(`${stack.workerUrl}/docs`);

    await page.goto(payUrl);
    await page.locator('[data-testid="pay"][data-state="paid"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('title').textContent()).toBe('Paiement reçu');
    expect(plain(await page.getByTestId('amount').textContent())).toBe('50 000 GNF');
    expect(await page.getByTestId('merchant').textContent()).toBe('Paiement à Boutique Djomy (démo)');
    await screenshot(page, 'payer-pay-paid-390');

    await page.getByTestId('receipt-link').click();
    await page.waitForURL(`${stack.workerUrl}/r/${id}`);
    await page.locator('[data-testid="receipt"][data-state="paid"]').waitFor();
    const { payment } = await ledger(id);
    expect(plain(await page.getByTestId('amount').textContent())).toBe('50 000 GNF');
    expect(await page.getByTestId('merchant').textContent()).toBe('Boutique Djomy (démo)');
    expect(await page.getByTestId('stamp').textContent()).toBe('Payé');
    expect(await page.getByTestId('reference').textContent()).toBe(payment.reference);
    expect(await page.getByTestId('transaction').textContent()).toBe(payment.transactionId);
    expect(await page.getByTestId('payer').textContent()).toBe('00224******566');
    expect(await page.getByTestId('paid-at').textContent()).toMatch(/\d{1,2} \S+ 20\d\d à \d\d:\d\d/);
    if (payment.paymentMethod)
      expect(await page.getByTestId('method').textContent()).toMatch(
        /Orange Money|MTN MoMo|Kulu|PayCard|Carte/,
      );
    expect(await page.getByTestId('qr').getAttribute('src')).toBe(`/r/${id}/qr.svg`);
    expect(await page.locator('figcaption').textContent()).toBe(
      'Scannez pour vérifier ce paiement auprès de la boutique',
    );
    await screenshot(page, 'payer-receipt-390');

    // Back in the shop, resume() reports the outcome it remembered, then forgets it.
    await page.goto(`${stack.workerUrl}/demo/`);
    await waitForDemoPage(page, 'success');
    await resultState(page, 'paid');
    expect(new URL(page.url()).searchParams.get('payment')).toBe(id);
    expect(await page.evaluate((key) => localStorage.getItem(key), PENDING)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a payer who leaves the portal unpaid finds a link back to it in the shop, never a redirect', async () => {
    const { page, context, errors } = await openTab(browser);
    await fillCart(page, { 'savon-karite': 1 });
    await pay(page, { phone: '622 33 22 11' });
    await page.waitForURL(`${stack.simUrl}/portal/**`);
    const portal = page.url();

    await page.goto(`${stack.workerUrl}/demo/`);
    const link = page.getByTestId('step-portal');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(portal);
    expect(page.url()).toBe(`${stack.workerUrl}/demo/`);
    const id = await paymentInProgress(page);
    await screenshot(page, 'payer-resume-2-portal-link');

    await link.click();
    await page.getByTestId('portal-pay').click();
    await waitForDemoPage(page, 'success');
    await resultState(page, 'paid');
    expect((await ledger(id)).payment).toMatchObject({ status: 'SUCCESS', paid: true, amount: 12_000 });
    expect(await page.evaluate((key) => localStorage.getItem(key), PENDING)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the SDK's own dialog offers the portal again; Cancel abandons the flow and forgets the payment", async () => {
    const { id, next } = (await openGatewayPayment()) as unknown as { id: string; next: { url: string } };
    const { page, context, errors } = await openTab(browser);
    await page.goto(`${stack.workerUrl}/demo/success.html`);
    await page.evaluate(
      ([key, id]) =>
        localStorage.setItem(key as string, JSON.stringify({ id, expiresAt: Date.now() + 60_000 })),
      [PENDING, id],
    );
    await page.evaluate(() => {
      const w = globalThis as unknown as { resumed: Promise<string> };
      w.resumed = DjomyCheckout.resume({ ui: true, locale: 'fr' }).then(
        (payment) => `resolved ${payment?.status}`,
        (error: { code: string }) => `rejected ${error.code}`,
      );
    });
    const dialog = page.locator('dialog[data-djomy="dialog"]');
    const link = dialog.locator('[data-djomy="portal"]');
    await link.waitFor();
    expect(await link.textContent()).toBe('Continuer le paiement');
    expect(await link.getAttribute('href')).toBe(next.url);
    await screenshot(page, 'payer-resume-3-sdk-dialog');

    await dialog.locator('[data-djomy="cancel"]').click();
    expect(await page.evaluate(() => (globalThis as unknown as { resumed: Promise<string> }).resumed)).toBe(
      'rejected aborted',
    );
    expect(await page.locator('dialog').count()).toBe(0);
    expect(await page.evaluate((key) => localStorage.getItem(key), PENDING)).toBeNull();
    // Nothing remembered: resume() resolves with null and shows nothing.
    expect(await page.evaluate(() => DjomyCheckout.resume({ ui: true }))).toBeNull();
    expect(await page.locator('dialog').count()).toBe(0);

    // An expired memory is dropped unread.
    await page.evaluate(
      ([key, id]) => localStorage.setItem(key as string, JSON.stringify({ id, expiresAt: Date.now() - 1 })),
      [PENDING, id],
    );
    expect(await page.evaluate(() => DjomyCheckout.resume())).toBeNull();
    expect(await page.evaluate((key) => localStorage.getItem(key), PENDING)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the receipt and its live check', () => {
  it('the QR code decodes to the live check, which shows Djomy’s verdict with the time of payment', async () => {
    const { id } = await paidPayment();
    const { page, context, errors } = await openTab(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.workerUrl}/r/${id}`);
    await page.locator('[data-testid="receipt"][data-state="paid"]').waitFor();
    await expect
      .poll(() =>
        page.getByTestId('qr').evaluate((img) => (img as unknown as { complete: boolean }).complete),
      )
      .toBe(true);
    const paidAt = await page.getByTestId('paid-at').textContent();

    const url = await decodeQr(page);
    expect(url).toBe(`${stack.workerUrl}/v/${id}`);

    await page.goto(url as string);
    await page.locator('[data-testid="check"][data-state="paid"]').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toBe('Vérifié par Djomy ✓');
    expect(await page.getByTestId('paid-at').textContent()).toBe(paidAt);
    expect(plain(await page.getByTestId('amount').textContent())).toBe('45 000 GNF');
    expect(await page.getByTestId('checked-at').textContent()).toMatch(/^vérifié à \d\d:\d\d:\d\d$/);
    await screenshot(page, 'payer-check-paid-390');

    // Refresh asks again: a new check time.
    const before = await page.getByTestId('checked-at').textContent();
    await page.waitForTimeout(1100);
    await page.getByTestId('refresh').click();
    await expect.poll(() => page.getByTestId('checked-at').textContent()).not.toBe(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an unpaid payment has no receipt and fails the check; an unknown id is a 404', async () => {
    const { id } = await openOtpPayment();
    const { page, context, errors } = await openTab(browser);
    await page.goto(`${stack.workerUrl}/r/${id}`);
    await page.locator('[data-testid="receipt"][data-state="unpaid"]').waitFor();
    expect(await page.getByTestId('unpaid-title').textContent()).toBe('Paiement non reçu (pour l’instant)');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.getByTestId('amount').count()).toBe(0);
    expect(await page.getByTestId('stamp').count()).toBe(0);
    expect(await page.getByTestId('follow').getAttribute('href')).toBe(`/pay/${id}`);
    await screenshot(page, 'payer-receipt-unpaid');

    await page.goto(`${stack.workerUrl}/v/${id}`);
    await page.locator('[data-testid="check"][data-state="unpaid"]').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toBe('NON PAYÉ');
    await screenshot(page, 'payer-check-unpaid');

    for (const path of ['/r/', '/v/', '/pay/']) {
      const response = await page.goto(`${stack.workerUrl}${path}pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`);
      expect(response?.status(), path).toBe(404);
      expect(await page.locator('body').textContent()).toContain('Paiement introuvable');
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Partager" copies the receipt’s link where the browser has no Web Share', async () => {
    const { id } = await paidPayment();
    const { page, context, errors } = await openTab(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.workerUrl });
    await page.goto(`${stack.workerUrl}/r/${id}`);
    await page.locator('[data-testid="receipt"][data-state="paid"]').waitFor();
    expect(await page.evaluate(() => 'share' in navigator)).toBe(false);
    await page.getByTestId('share').click();
    await expect.poll(() => page.getByTestId('share-note').textContent()).toBe('Lien copié');
    const clipboard = () =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText();
    expect(await page.evaluate(clipboard)).toBe(`${stack.workerUrl}/r/${id}`);

    // English, remembered for the next page.
    await page.getByTestId('lang-toggle').click();
    expect(await page.getByTestId('share').textContent()).toBe('Share');
    await page.goto(`${stack.workerUrl}/v/${id}`);
    await page.locator('[data-testid="check"][data-state="paid"]').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toBe('Verified by Djomy ✓');
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['djomy-payer-lang']);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the OTP form of /pay/{id}', () => {
  it('a wrong code is refused and the payer retypes; the right one ends paid', async () => {
    const { id, payUrl } = await openOtpPayment();
    const { page, context, errors } = await openTab(browser);
    await page.goto(payUrl);
    await page.getByTestId('otp-input').waitFor();
    expect(await page.locator('[data-testid="pay"]').getAttribute('data-state')).toBe('open');
    expect(plain(await page.getByTestId('amount').textContent())).toBe('25 000 GNF');
    await screenshot(page, 'payer-pay-otp');

    const { otp } = await simPaymentOf(id);
    await page.getByTestId('otp-input').fill(otp === '0000' ? '1111' : '0000');
    await page.getByTestId('otp-submit').click();
    await page.getByTestId('otp-error').waitFor();
    expect(await page.getByTestId('otp-error').textContent()).toBe(
      'Code refusé. Vérifiez le SMS et retapez le code.',
    );
    expect(await page.getByTestId('otp-input').getAttribute('aria-invalid')).toBe('true');
    expect((await ledger(id)).payment.status).toBe('PENDING');
    await screenshot(page, 'payer-pay-otp-refused');

    await page.getByTestId('otp-input').fill(otp ?? '');
    await page.getByTestId('otp-submit').click();
    await page.locator('[data-testid="pay"][data-state="paid"]').waitFor();
    expect(await page.getByTestId('title').textContent()).toBe('Paiement reçu');
    expect(await page.getByTestId('receipt-link').getAttribute('href')).toBe(`/r/${id}`);
    await ledgerReaches(id, 'SUCCESS');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('after five refused codes the payer is told plainly to start a new payment', async () => {
    // 620000003: the simulator refuses every code, even the right one.
    const { payUrl } = await openOtpPayment('620000003');
    // A payer of their own: the public rate limit counts per client IP, and every other tab of the
    // run comes from 127.0.0.1 (its 429 would be "slow down", not this one).
    const { page, context, errors } = await openTab(browser, {
      extraHTTPHeaders: { 'cf-connecting-ip': '198.51.100.35' },
    });
    await page.goto(payUrl);
    const answers: string[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answer = page.waitForResponse((response) => response.url().endsWith('/otp'));
      await page.getByTestId('otp-input').fill('123456');
      await page.getByTestId('otp-submit').click();
      const response = await answer;
      const type = ((await response.json()) as { type?: string }).type ?? '';
      answers.push(`${response.status()} ${type.replace(/^.*#problem-/, '')}`);
      // The form is built again for each answer: wait for the new one before typing.
      if (attempt < 6) await page.locator('[data-testid="otp-submit"]:not([disabled])').waitFor();
    }
    expect(answers).toEqual([...Array(5).fill('422 otp-refused'), '429 otp-attempts-exhausted']);
    await page.getByTestId('otp-exhausted').waitFor();
    expect(await page.getByTestId('otp-exhausted').textContent()).toContain(
      'Recommencez un nouveau paiement depuis la boutique',
    );
    expect(await page.getByTestId('otp-input').count()).toBe(0);
    await screenshot(page, 'payer-pay-otp-exhausted');
    expect(errors).toEqual([]);
    await context.close();
  });
});
