/**
 * Every page a payer, a developer or a merchant can reach (the console aside),
 * in the states they meet it, scanned with axe-core in Chromium at a phone's
 * width and a desktop's: no serious or critical violation. The pages are
 * reached through the real flows: the demo shop's cart and payment steps, the
 * simulator's portal, the Worker's /return/{id} and the no-JavaScript
 * /checkout form. Screenshots of each land in test-results/screenshots/, and
 * every violation found (moderate and minor ones too) in
 * test-results/accessibility.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayment, simControl, simPaymentOf, stack } from './support/api.ts';
import { scanPage, type Violation } from './support/axe.ts';
import { launchBrowser, openTab, paymentIdFromUrl, screenshot } from './support/browser.ts';
import { DEMO, fillCart, pay, paymentInProgress, resultState, waitForDemoPage } from './support/demo.ts';

const WIDTHS = [
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 900 }],
] as const;

/** Violations that must not be there: moderate ones the pages had are fixed and must stay so. */
const BLOCKING = new Set(['serious', 'critical', 'moderate']);

const found: Record<string, Violation[]> = {};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  const report = path.resolve(import.meta.dirname, '../../test-results/accessibility.json');
  mkdirSync(path.dirname(report), { recursive: true });
  writeFileSync(report, `${JSON.stringify(found, null, 2)}\n`);
});

/**
 * Scans the page as it is at both widths (a screenshot of each), then fails
 * naming every serious, critical or moderate violation at either width.
 */
async function expectAccessibleAtBothWidths(page: Page, name: string): Promise<void> {
  const blocking: string[] = [];
  for (const [width, viewport] of WIDTHS) {
    await page.setViewportSize(viewport);
    await screenshot(page, `a11y-${name.replace(/\W+/g, '-')}-${width}`);
    const violations = await scanPage(page);
    found[`${name} (${width})`] = violations;
    for (const v of violations) {
      if (v.impact && BLOCKING.has(v.impact))
        blocking.push(`${width}: ${v.impact} ${v.id}: ${v.help} — ${v.targets.slice(0, 3).join(', ')}`);
    }
  }
  // Soft: the test goes on to the next page, so one run names every page at fault.
  expect.soft(blocking, `${name}: accessibility violations`).toEqual([]);
}

/** A fresh tab, closed after `use`. */
async function inTab(use: (page: Page) => Promise<void>): Promise<void> {
  const { page, context, errors } = await openTab(browser);
  try {
    await use(page);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Opens `url` and scans it once `ready` (a selector) is there and the network is quiet. */
async function scanUrl(name: string, url: string, ready?: string): Promise<void> {
  await inTab(async (page) => {
    await page.goto(url);
    if (ready) await page.locator(ready).first().waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessibleAtBothWidths(page, name);
  });
}

/** A gateway order of the demo shop, as the shop sends it, back to its result pages. */
function gatewayOrder(phone = '622 12 34 56') {
  return {
    flow: 'gateway',
    items: [{ sku: 'tasse', quantity: 1 }],
    payer: { phone },
    successUrl: `${DEMO}success.html`,
    cancelUrl: `${DEMO}cancel.html`,
  };
}

describe('the demo shop', () => {
  it('empty, with the catalog loaded', () => scanUrl('demo shop', DEMO, '[data-testid="product-tasse"]'));

  it('in English', async () => {
    await inTab(async (page) => {
      await page.goto(DEMO);
      await page.getByTestId('lang-toggle').click();
      await page.getByTestId('product-tasse').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expectAccessibleAtBothWidths(page, 'demo shop in English');
    });
  });

  it('with items in the cart, paying from the phone, a phone number refused', async () => {
    await inTab(async (page) => {
      await fillCart(page, { tasse: 2, 'sac-wax': 1 });
      await page.getByTestId('flow-direct').click();
      await page.getByTestId('checkout-phone').fill('12 34 56');
      await page.getByTestId('checkout-pay').click();
      await page.getByTestId('phone-error').waitFor();
      await expectAccessibleAtBothWidths(page, 'demo shop with a cart and a refused phone');
    });
  });

  it('the OTP step, then a code refused', async () => {
    await inTab(async (page) => {
      await fillCart(page, { casquette: 1 });
      await pay(page, { phone: '622 00 11 22', method: 'OM' });
      await page.getByTestId('otp-input').waitFor();
      await expectAccessibleAtBothWidths(page, 'demo shop OTP step');

      const { otp } = await simPaymentOf(await paymentInProgress(page));
      await page.getByTestId('otp-input').fill(otp === '0000' ? '1111' : '0000');
      await page.getByTestId('otp-submit').click();
      await page.getByTestId('otp-error').waitFor();
      await expectAccessibleAtBothWidths(page, 'demo shop OTP refused');
    });
  });

  it('the approve-on-your-phone step, and the payer’s phone with the prompt', async () => {
    await inTab(async (page) => {
      await fillCart(page, { 'savon-karite': 1 });
      await pay(page, { phone: '622 33 44 55', method: 'SOUTRA_MONEY' });
      await page.getByTestId('step-approve').waitFor();
      await expectAccessibleAtBothWidths(page, 'demo shop approve on the phone');

      const { transactionId } = await simPaymentOf(await paymentInProgress(page));
      const phone = await page.context().newPage();
      await phone.goto(`${stack.simUrl}/__sim/phone`);
      await phone.getByTestId(`phone-approve-${transactionId}`).waitFor();
      await expectAccessibleAtBothWidths(phone, "simulator payer's phone with a prompt");
    });
  });

  it('the open-the-app step (Kulu), and the Kulu page it opens', async () => {
    await inTab(async (page) => {
      await fillCart(page, { 'cafe-ziama': 1 });
      await pay(page, { phone: '622 55 66 77', method: 'KULU' });
      const open = page.getByTestId('step-open-url');
      await open.waitFor();
      await expectAccessibleAtBothWidths(page, 'demo shop open the Kulu app');

      const kulu = await page.context().newPage();
      await kulu.goto((await open.getAttribute('href')) as string);
      await kulu.getByTestId('kulu-approve').waitFor();
      await expectAccessibleAtBothWidths(kulu, 'simulator Kulu page');
    });
  });

  it('the buy-button page', () => scanUrl('buy button', `${DEMO}buy-button.html`));
});

describe('the demo’s result pages, with a real payment', () => {
  it('while the payment waits, then after it is paid on the portal', async () => {
    const { id } = await createPayment(gatewayOrder());
    await scanUrl(
      'demo success page, payment pending',
      `${DEMO}success.html?payment=${id}`,
      '[data-testid="result"][data-state="pending"]',
    );
    await scanUrl(
      'demo cancel page, payment pending',
      `${DEMO}cancel.html?payment=${id}&status=CANCELLED`,
      '[data-testid="result"][data-state="pending"]',
    );

    await inTab(async (page) => {
      // The portal the gateway flow sends the payer to.
      await page.goto(`${stack.simUrl}/portal/${(await simPaymentOf(id)).transactionId}`);
      await page.getByTestId('portal-pay').waitFor();
      await expectAccessibleAtBothWidths(page, 'simulator portal');
      await page.getByTestId('portal-pay').click();
      await waitForDemoPage(page, 'success');
      await resultState(page, 'paid');
      expect(paymentIdFromUrl(page)).toBe(id);
      await expectAccessibleAtBothWidths(page, 'demo success page, paid');
    });
    await scanUrl(
      'demo cancel page, paid',
      `${DEMO}cancel.html?payment=${id}`,
      '[data-testid="result"][data-state="paid"]',
    );
    // The portal again (the payer pressed Back): Djomy's outcome page.
    await scanUrl(
      'simulator portal outcome',
      `${stack.simUrl}/portal/${(await simPaymentOf(id)).transactionId}`,
      '[data-testid="outcome-status"]',
    );
  });

  it('cancelled, failed, in review, refused at the form, unknown', async () => {
    await inTab(async (page) => {
      await page.goto(
        `${stack.simUrl}/portal/${(await simPaymentOf((await createPayment(gatewayOrder())).id)).transactionId}`,
      );
      await page.getByTestId('portal-cancel').click();
      await waitForDemoPage(page, 'cancel');
      await resultState(page, 'cancelled');
      await expectAccessibleAtBothWidths(page, 'demo cancel page, cancelled');
    });

    const failed = await createPayment(gatewayOrder());
    const { transactionId } = await simPaymentOf(failed.id);
    await simControl('POST', `/payments/${transactionId}/complete`, { status: 'FAILED' });
    await scanUrl(
      'demo cancel page, failed',
      `${DEMO}cancel.html?payment=${failed.id}&status=FAILED`,
      '[data-testid="result"][data-state="failed"]',
    );

    // Djomy reports 1000 GNF less than the order: verified, but not paid.
    const short = await createPayment(gatewayOrder('620000007'));
    await inTab(async (page) => {
      await page.goto(`${stack.simUrl}/portal/${(await simPaymentOf(short.id)).transactionId}`);
      await page.getByTestId('portal-pay').click();
      await waitForDemoPage(page, 'cancel');
      await resultState(page, 'review');
      await expectAccessibleAtBothWidths(page, 'demo cancel page, in review');
    });

    await scanUrl(
      'demo cancel page, form refused',
      `${DEMO}cancel.html?error=invalid_phone`,
      '[data-testid="result"][data-state="error"]',
    );
    await scanUrl(
      'demo success page, unknown payment',
      `${DEMO}success.html?payment=pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
      '[data-testid="result"][data-state="unknown"]',
    );
  });
});

describe('the Worker’s own pages, through the no-JavaScript buy button', () => {
  /**
   * The buy-button page as it works without JavaScript: its script is not
   * loaded, so the form carries no successUrl/cancelUrl and the payer ends on
   * the Worker's own pages. JavaScript stays on for the rest (axe-core needs
   * it, and the Worker's pending page polls with it).
   */
  async function openBuyFormWithoutItsScript(page: Page): Promise<void> {
    await page.route('**/demo/buy-button.js', (route) => route.abort());
    await page.goto(`${DEMO}buy-button.html`);
  }

  /** Buys the mug as `phone` and does `action` on the portal; scans the Worker's page the payer lands on. */
  async function buyWithoutJavaScript(
    phone: string,
    action: 'pay' | 'fail' | 'cancel',
    name: string,
    ready: string,
  ): Promise<void> {
    await inTab(async (page) => {
      await openBuyFormWithoutItsScript(page);
      await page.getByTestId('buy-phone').fill(phone);
      await page.getByTestId('buy-submit').click();
      await page.waitForURL(`${stack.simUrl}/portal/**`);
      await page.getByTestId(`portal-${action}`).click();
      await page.waitForURL(`${stack.workerUrl}/return/**`);
      await page.locator(ready).waitFor();
      await expectAccessibleAtBothWidths(page, name);
    });
  }

  it('the pending page (a payer whose success comes late)', () =>
    buyWithoutJavaScript('620000006', 'pay', 'Worker pending page', '.spinner'));

  it('the paid result page', () =>
    buyWithoutJavaScript('622 98 76 54', 'pay', 'Worker result page, paid', 'text=Paiement reçu'));

  it('the failed and cancelled result page', async () => {
    await buyWithoutJavaScript(
      '622 98 76 54',
      'fail',
      'Worker result page, failed',
      'text=Paiement non abouti',
    );
    await buyWithoutJavaScript(
      '622 98 76 54',
      'cancel',
      'Worker result page, cancelled',
      'text=Paiement non abouti',
    );
  });

  it('the in-review result page (Djomy reports less than the order)', () =>
    buyWithoutJavaScript(
      '620000007',
      'pay',
      'Worker result page, in review',
      'text=Paiement en vérification',
    ));

  it('the error page of the buy form, and the unknown payment page', async () => {
    await inTab(async (page) => {
      await openBuyFormWithoutItsScript(page);
      await page.getByTestId('buy-phone').fill('12345678');
      await page.getByTestId('buy-submit').click();
      await page.waitForURL(`${stack.workerUrl}/checkout`);
      await page.locator('h1', { hasText: 'Paiement impossible' }).waitFor();
      await expectAccessibleAtBothWidths(page, 'Worker error page');
    });
    await scanUrl(
      'Worker payment not found page',
      `${stack.workerUrl}/return/pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
      'h1',
    );
  });
});

describe('the API docs', () => {
  it('as loaded', () => scanUrl('API docs', `${stack.workerUrl}/docs`, 'body[data-state="ready"]'));

  it('with every operation open', async () => {
    await inTab(async (page) => {
      await page.goto(`${stack.workerUrl}/docs`);
      await page.locator('body[data-state="ready"]').waitFor();
      await page.locator('details').evaluateAll((nodes) => {
        for (const node of nodes) node.setAttribute('open', '');
      });
      await expectAccessibleAtBothWidths(page, 'API docs, operations open');
    });
  });
});

describe('the simulator', () => {
  it('the dashboard, with payments', () =>
    scanUrl('simulator dashboard', `${stack.simUrl}/__sim/`, '[data-testid^="dashboard-payment-"]'));

  it("the payer's phone", () => scanUrl("simulator payer's phone", `${stack.simUrl}/__sim/phone`));

  it('a payment link’s page, and its error', async () => {
    const response = await fetch(`${stack.workerUrl}/api/admin/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ usageType: 'MULTIPLE', linkName: 'Comptoir', description: 'Boutique Conakry' }),
    });
    expect(response.status).toBe(201);
    const { paymentPageUrl } = (await response.json()) as { paymentPageUrl: string };
    await inTab(async (page) => {
      await page.goto(paymentPageUrl);
      await page.getByTestId('link-pay').waitFor();
      await expectAccessibleAtBothWidths(page, 'simulator link page');
      await page.getByTestId('link-amount-input').fill('5000');
      await page.getByTestId('link-phone').fill('12');
      await page.getByTestId('link-pay').click();
      await page.getByTestId('link-error').waitFor();
      await expectAccessibleAtBothWidths(page, 'simulator link page, refused');
    });
  });
});
