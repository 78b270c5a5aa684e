/**
 * What the merchant changes from the console: a payment link and its
 * printable counter poster (whose QR code, read back from a screenshot with
 * jsQR, must open the link's payment page), and a product's price, which
 * the public catalog follows at once.
 */

import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import {
  adminApi,
  openConsole,
  READY,
  SIGN_IN_TIMEOUT,
  signIn,
  uniqueTag,
  visit,
} from './support/console.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/**
 * The QR code in a PNG, decoded: the page draws the PNG on a canvas (the
 * browser is the PNG decoder at hand) and hands back its RGBA pixels.
 */
async function readQr(page: Page, png: Buffer): Promise<string | null> {
  const { width, height, pixels } = await page.evaluate(
    async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      return { width: canvas.width, height: canvas.height, pixels: Array.from(data) };
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
  return jsQR(Uint8ClampedArray.from(pixels), width, height)?.data ?? null;
}

interface CatalogProduct {
  sku: string;
  name: string;
  amount: number;
  currency: string;
}

async function catalog(): Promise<CatalogProduct[]> {
  const response = await fetch(`${stack.workerUrl}/api/catalog`);
  expect(response.status).toBe(200);
  return (await response.json()) as CatalogProduct[];
}

describe('links and their counter poster', () => {
  it(
    'creates a MULTIPLE link whose printed poster carries a QR code of its payment page',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'links', {
        viewport: { width: 390, height: 844 },
      });
      await signIn(page, stack.adminToken, 'Marchand');
      await visit(page, '#/links', '[data-testid="links-list"], [data-testid="links-empty"]');
      const name = `Comptoir ${uniqueTag('L')}`;
      await page.getByTestId('link-create-toggle').click();
      await page.getByTestId('link-usage-MULTIPLE').check();
      await page.getByLabel('Nom du lien', { exact: true }).fill(name);
      await page.getByTestId('link-method-OM').check();
      await page.getByTestId('link-method-MOMO').check();
      await page.getByTestId('link-submit').click();
      await expect
        .poll(() => page.getByTestId('link-message').textContent())
        .toMatch(/^Lien LNK-\S+ créé\.$/);
      await screenshot(page, 'console-link-created-phone');

      const { links } = await adminApi<{
        links: {
          reference: string;
          linkName: string;
          pageUrl: string;
          usageType: string;
          amount: number | null;
        }[];
      }>('GET', '/api/admin/links');
      const link = links.find((l) => l.linkName === name);
      expect(link).toMatchObject({ usageType: 'MULTIPLE', amount: null });
      const card = page.locator(`[data-testid="link-card"][data-reference="${link?.reference}"]`);
      await card.getByTestId('link-poster').click();
      await page.locator(READY.poster).waitFor();
      expect(page.url()).toMatch(new RegExp(`#/links/${link?.reference}/poster$`));
      const poster = page.getByTestId('poster');
      expect(await poster.getByTestId('poster-name').textContent()).toBe(name);
      expect(await poster.getByTestId('poster-amount').textContent()).toBe('Montant libre');
      expect(await poster.getByTestId('poster-wallets').locator('li').allTextContents()).toEqual([
        'Orange Money',
        'MTN MoMo',
      ]);
      expect(await poster.textContent()).toContain('Scannez pour payer');
      const qr = page.getByTestId('poster-qr');
      await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      const side = (await qr.boundingBox())?.width ?? 0;
      expect(side, 'a large QR code').toBeGreaterThanOrEqual(250);
      await screenshot(page, 'console-poster-created-phone');
      await expectAccessible(page, 'console poster of a new link');

      // The QR code, read back from the pixels the screen shows.
      expect(await readQr(page, await qr.screenshot())).toBe(link?.pageUrl);

      // "Imprimer" prints; printing keeps only the poster, on A5.
      await page.evaluate(() => {
        window.print = () => document.body.setAttribute('data-printed', 'yes');
      });
      await page.getByTestId('poster-print').click();
      expect(await page.locator('body').getAttribute('data-printed')).toBe('yes');
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('nav').isVisible()).toBe(false);
      expect(await page.locator('header.bar').isVisible()).toBe(false);
      expect(await page.getByTestId('poster-print').isVisible()).toBe(false);
      expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(false);
      expect(await poster.isVisible()).toBe(true);
      expect(await qr.isVisible()).toBe(true);
      const pageRule = await page.evaluate(() =>
        [...document.styleSheets]
          .flatMap((sheet) => [...sheet.cssRules])
          .filter((rule) => rule instanceof CSSPageRule)
          .map((rule) => (rule as CSSPageRule).style.cssText)
          .join(' '),
      );
      // Chromium spells `A5 portrait` as `a5` (portrait is the default).
      expect(pageRule).toMatch(/size: a5( portrait)?;/i);
      expect(pageRule).toMatch(/margin: 10mm/);
      await screenshot(page, 'console-poster-print-media');
      // Printed for real (to PDF): one page, A5 portrait (148 × 210 mm = 419.5 × 595.3 pt).
      const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [
        Math.round(Number(m[1])),
        Math.round(Number(m[2])),
      ]);
      expect(boxes).toEqual([[420, 595]]);
      expect(await readQr(page, await qr.screenshot())).toBe(link?.pageUrl);
      await page.emulateMedia({ media: 'screen' });
      expect(await page.getByTestId('nav').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});

describe('products', () => {
  it(
    'adds a product, changes its price, deactivates it: the public catalog follows each step',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'products', {
        viewport: { width: 1280, height: 900 },
      });
      await signIn(page, stack.adminToken, 'Marchand');
      await visit(page, '#/products', READY.products);
      const sku = `test-${uniqueTag('p').toLowerCase()}`;
      const name = `Pagne tissé ${sku}`;

      await page.getByTestId('product-create-toggle').click();
      await page.getByTestId('product-new-sku').fill(sku);
      await page.getByTestId('product-new-name').fill(name);
      await page.getByTestId('product-new-amount').fill('10000');
      await page.getByTestId('product-add').click();
      const card = page.locator(`[data-testid="product-card"][data-sku="${sku}"]`);
      await card.waitFor();
      expect((await card.getByTestId('product-amount').textContent())?.replace(/\s/g, ' ')).toBe(
        '10 000 GNF',
      );
      expect((await catalog()).find((p) => p.sku === sku)).toEqual({
        sku,
        name,
        amount: 10_000,
        currency: 'GNF',
      });

      await card.getByTestId('product-edit').click();
      await card.getByTestId('product-edit-amount').fill('12500');
      await card.getByTestId('product-save').click();
      await expect.poll(() => card.getByTestId('product-amount').textContent()).toMatch(/^12\s500\sGNF$/);
      expect(await page.getByTestId('products-message').textContent()).toMatch(
        /enregistré : 12\s500\sGNF\.$/,
      );
      expect((await catalog()).find((p) => p.sku === sku)?.amount).toBe(12_500);
      await screenshot(page, 'console-product-price-changed-desktop');

      await card.getByTestId('product-toggle').click();
      await expect.poll(() => card.getByTestId('product-toggle').textContent()).toBe('Réactiver');
      expect((await catalog()).some((p) => p.sku === sku)).toBe(false);
      await expectAccessible(page, 'console products after changes');
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});
