/** The demo shop's own behaviour: languages, the cart, and input errors from the Worker. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';
import { DEMO, fillCart } from './support/demo.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('demo shop', () => {
  it('speaks French by default and English after the toggle, and remembers the choice', async () => {
    const { page, context, errors } = await openTab(browser);
    await page.goto(DEMO);
    await page.getByTestId('product-tasse').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe('Nos produits');
    expect(await page.getByTestId('price-tasse').textContent()).toMatch(/^25\s000\sGNF$/);

    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Our products');
    expect(await page.getByTestId('add-tasse').textContent()).toBe('Add to cart');
    expect(await page.getByTestId('price-tasse').textContent()).toMatch(/^GNF\s25,000$/);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Our products');
    await screenshot(page, 'shop-english');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the cart across visits, priced from the catalog', async () => {
    const { page, context } = await openTab(browser);
    await fillCart(page, { 'cafe-ziama': 2, 'savon-karite': 1 });
    await page.reload();
    await page.getByTestId('cart-line-cafe-ziama').waitFor();
    expect(await page.getByTestId('cart-qty-cafe-ziama').textContent()).toBe('2');
    expect(await page.getByTestId('cart-total').textContent()).toMatch(/^82\s000\sGNF$/);
    expect(await page.getByTestId('checkout-pay').textContent()).toMatch(/^Payer 82\s000\sGNF$/);
    await context.close();
  });

  it("shows the Worker's refusal of a phone number next to the field, and stays on the form", async () => {
    const { page, context } = await openTab(browser);
    await fillCart(page, { tasse: 1 });
    await page.getByTestId('checkout-phone').fill('12 34 56');
    const answer = page.waitForResponse('**/api/payments');
    await page.getByTestId('checkout-pay').click();
    expect((await answer).status()).toBe(400);
    await page.getByTestId('phone-error').waitFor();
    expect(await page.getByTestId('phone-error').textContent()).toBe('Ce numéro de téléphone est invalide.');
    expect(await page.getByTestId('checkout-phone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('checkout-error').isHidden()).toBe(true);
    expect(await page.getByTestId('checkout-form').isVisible()).toBe(true);
    await screenshot(page, 'shop-phone-error');
    await context.close();
  });
});
