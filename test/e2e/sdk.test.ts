/**
 * checkout.js as a site uses it, in Chromium against the real Worker: errors,
 * the Idempotency-Key retry, the built-in dialog, waiting and abandoning,
 * and loading from another origin (classic script and ES module).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedPayment, DjomyCheckoutError, Payment } from '../../public/checkout.js';
import { ledger, simPaymentOf, stack } from './support/api.ts';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';

/** A page on the Worker's origin that loads checkout.js as a classic script. */
const SHOP_PAGE = `${stack.workerUrl}/demo/success.html`;
let payers = 0;
/** An order from a payer of its own: at most PROMPTS_PER_PHONE direct prompts go to one phone in 10 minutes. */
const order = () => ({
  items: [{ sku: 'tasse', quantity: 1 }],
  payer: { phone: `6240${String(++payers).padStart(5, '0')}` },
});

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The serialisable part of a DjomyCheckoutError thrown in the page. */
type ErrorView = Pick<
  DjomyCheckoutError,
  'name' | 'code' | 'status' | 'title' | 'detail' | 'errors' | 'type'
> & {
  isInstance: boolean;
  payment: Payment | null;
};

async function shopPage(): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const { page, context, errors } = await openTab(browser);
  await page.goto(SHOP_PAGE);
  return { page, close: () => context.close(), errors };
}

describe('checkout.js', () => {
  it('turns a problem+json answer into a DjomyCheckoutError with its field errors', async () => {
    const { page, close } = await shopPage();
    const error = await page.evaluate(async (order) => {
      try {
        // @ts-expect-error: the direct flow needs a paymentMethod; the Worker says so.
        await DjomyCheckout.create({ ...order, flow: 'direct' });
        return null;
      } catch (caught) {
        const e = caught as DjomyCheckoutError;
        return {
          name: e.name,
          code: e.code,
          status: e.status,
          title: e.title,
          detail: e.detail,
          errors: e.errors,
          type: e.type,
          payment: e.payment,
          isInstance: e instanceof DjomyCheckout.DjomyCheckoutError,
        } satisfies ErrorView;
      }
    }, order());
    expect(error).toMatchObject({
      name: 'DjomyCheckoutError',
      code: 'validation',
      status: 400,
      type: '/docs#problem-validation',
      isInstance: true,
    });
    expect(error?.errors).toContainEqual({ path: 'paymentMethod', message: 'required for the direct flow' });
    await close();
  });

  it('retries a create whose answer was lost with the same Idempotency-Key, and gets the one payment', async () => {
    const { page, close } = await shopPage();
    const keys: string[] = [];
    let swallowed: CreatedPayment | undefined;
    await page.route('**/api/payments', async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      if (swallowed) return route.continue();
      // The Worker creates the payment, but the answer never reaches the browser.
      swallowed = (await (await route.fetch()).json()) as CreatedPayment;
      await route.abort('connectionreset');
    });
    const replayed = page.waitForResponse('**/api/payments');
    const created = await page.evaluate(
      (order) => DjomyCheckout.create({ ...order, flow: 'direct', paymentMethod: 'SOUTRA_MONEY' }),
      order(),
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^idem_[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(created.id).toBe(swallowed?.id);
    expect(created.next).toEqual({ type: 'approve_on_phone' });
    expect(await (await replayed).headerValue('idempotent-replayed')).toBe('true');
    await close();
  });

  it('pay() without callbacks asks the OTP in its own dialog and resolves with the verified payment', async () => {
    const { page, close, errors } = await shopPage();
    await page.evaluate((order) => {
      const w = globalThis as unknown as { paying: Promise<Payment>; paymentId: string };
      w.paying = DjomyCheckout.pay({
        ...order,
        flow: 'direct',
        paymentMethod: 'MOMO',
        ui: true,
        locale: 'en',
        onStep: (step) => {
          if ('payment' in step) w.paymentId = step.payment.id;
        },
      });
    }, order());
    const dialog = page.locator('dialog[data-djomy="dialog"]');
    await dialog.locator('[data-djomy="otp-input"]').waitFor();
    expect(await dialog.textContent()).toContain('Enter the code you received by SMS');
    await screenshot(page, 'sdk-dialog-otp');

    const id = await page.evaluate(() => (globalThis as unknown as { paymentId: string }).paymentId);
    const { otp } = await simPaymentOf(id);
    await dialog.locator('[data-djomy="otp-input"]').fill(otp ?? '');
    await dialog.locator('[data-djomy="otp-submit"]').click();
    const payment = await page.evaluate(() => (globalThis as unknown as { paying: Promise<Payment> }).paying);

    expect(payment).toMatchObject({ id, status: 'SUCCESS', paid: true, paymentMethod: 'MOMO' });
    expect(await page.locator('dialog').count()).toBe(0);
    expect((await ledger(id)).payment).toMatchObject({ status: 'SUCCESS', paid: true });
    expect(errors).toEqual([]);
    await close();
  });

  it('waitForPayment gives up with a timeout error carrying the last status; pay() stops on abort', async () => {
    const { page, close } = await shopPage();
    const outcome = await page.evaluate(async (order) => {
      const view = (e: unknown) => ({
        code: (e as DjomyCheckoutError).code,
        payment: (e as DjomyCheckoutError).payment,
      });
      const created = await DjomyCheckout.create({ ...order, flow: 'direct', paymentMethod: 'YMO' });
      const timedOut = await DjomyCheckout.waitForPayment(created.id, { timeoutMs: 1_200 }).catch(view);

      const controller = new AbortController();
      const abandoned = await DjomyCheckout.pay({
        ...order,
        flow: 'direct',
        paymentMethod: 'YMO',
        signal: controller.signal,
        onStep: (step) => {
          if (step.type === 'approve_on_phone') controller.abort();
        },
      }).catch(view);
      return { created, timedOut, abandoned };
    }, order());
    expect(outcome.timedOut).toMatchObject({
      code: 'timeout',
      payment: { id: outcome.created.id, status: 'PENDING' },
    });
    expect(outcome.abandoned).toMatchObject({ code: 'aborted' });
    await close();
  });

  it('works from another allowed origin, as a classic script and as an ES module', async () => {
    // localhost and 127.0.0.1 are different origins; the e2e Worker allows both. The page stands in
    // for a merchant's own site, whose CSP is the merchant's: the demo page's own is bypassed here.
    const { page, context } = await openTab(browser, { bypassCSP: true });
    const site = stack.workerUrl.replace('127.0.0.1', 'localhost');
    await page.goto(`${site}/demo/buy-button.html`);
    // The classic script: its API origin comes from document.currentScript.
    await page.addScriptTag({ url: `${stack.workerUrl}/checkout.js` });
    const classic = await page.evaluate(async () => ({
      baseUrl: DjomyCheckout.baseUrl,
      notFound: await DjomyCheckout.getPayment('pay_unknown').catch((e: DjomyCheckoutError) => e.code),
    }));
    expect(classic).toEqual({ baseUrl: stack.workerUrl, notFound: 'not-found' });

    // The ES module, from import.meta.url (imported by a module script of the page:
    // Vite would rewrite an import() written in this file).
    await page.addScriptTag({
      type: 'module',
      content: `import DjomyCheckout, { create } from '${stack.workerUrl}/checkout.mjs';
        globalThis.esm = { baseUrl: DjomyCheckout.baseUrl, create };`,
    });
    await page.waitForFunction(() => 'esm' in globalThis);
    const esm = await page.evaluate(async (site) => {
      const { baseUrl, create } = (
        globalThis as unknown as { esm: { baseUrl: string; create: typeof DjomyCheckout.create } }
      ).esm;
      const created = await create({
        items: [{ sku: 'tasse', quantity: 1 }],
        payer: { phone: '624099999' },
        successUrl: `${site}/demo/success.html`,
      });
      return { baseUrl, next: created.next?.type };
    }, site);
    expect(esm).toEqual({ baseUrl: stack.workerUrl, next: 'redirect' });
    await context.close();
  });
});
