/** Driving the demo shop (public/demo/) the way a customer does. */
import type { Page } from 'playwright-core';
import { stack } from './api.ts';

export const DEMO = `${stack.workerUrl}/demo/`;

/** Opens the shop and adds `quantities` of each SKU with its "add to cart" button. */
export async function fillCart(page: Page, quantities: Record<string, number>): Promise<void> {
  await page.goto(DEMO);
  for (const [sku, quantity] of Object.entries(quantities)) {
    for (let i = 0; i < quantity; i++) await page.getByTestId(`add-${sku}`).click();
  }
}

export interface CheckoutChoice {
  phone: string;
  method?: 'OM' | 'MOMO' | 'KULU' | 'PAYCARD' | 'SOUTRA_MONEY' | 'YMO';
}

/** Fills the checkout form (gateway unless a direct method is given) and presses Pay. */
export async function pay(page: Page, { phone, method }: CheckoutChoice): Promise<void> {
  await page.getByTestId('checkout-phone').fill(phone);
  if (method) {
    await page.getByTestId('flow-direct').click();
    await page.getByTestId(`method-${method}`).click();
  } else {
    await page.getByTestId('flow-gateway').click();
  }
  await page.getByTestId('checkout-pay').click();
}

/** The id of the payment the shop's step panel is handling. */
export async function paymentInProgress(page: Page): Promise<string> {
  const panel = page.locator('[data-testid="payment-step"][data-payment-id]');
  await panel.waitFor();
  return (await panel.getAttribute('data-payment-id')) as string;
}

/** Waits for a result page (success.html / cancel.html) to settle on `state`. */
export async function resultState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="result"][data-state="${state}"]`).waitFor();
}

/**
 * Waits for the demo page `name` (e.g. `success`). Workers static assets drop
 * `.html` with a redirect (`/demo/success.html?…` → `/demo/success?…`), so
 * both spellings count.
 */
export async function waitForDemoPage(page: Page, name: string): Promise<void> {
  await page.waitForURL(
    (url) =>
      url.origin === stack.workerUrl &&
      (url.pathname === `/demo/${name}` || url.pathname === `/demo/${name}.html`),
  );
}
