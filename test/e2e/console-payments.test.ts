/**
 * The console's Payments list: filters, search (reference, id, last phone
 * digits), "Plus" by cursor, the server's refusal of a filter shown next to
 * the filters, and the CSV export of exactly what the filters match.
 *
 * Three payments of this test carry a reference no other test uses, so the
 * counts hold whatever else the ledger holds.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../support/csv.ts';
import { createPayment, stack } from './support/api.ts';
import { expectAccessible } from './support/axe.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import {
  openConsole,
  READY,
  SIGN_IN_TIMEOUT,
  signIn,
  uniquePhone,
  uniqueTag,
  visit,
} from './support/console.ts';

let browser: Browser;
const tag = uniqueTag('CSV');
const directPhone = uniquePhone();
const ids: Record<string, string> = {};
/** The UTC day the payments were created on (the test may run past midnight). */
let createdOn = '';

beforeAll(async () => {
  browser = await launchBrowser();
  const gateway = {
    flow: 'gateway',
    items: [{ sku: 'casquette', quantity: 1 }],
    successUrl: `${stack.workerUrl}/demo/success.html`,
    cancelUrl: `${stack.workerUrl}/demo/cancel.html`,
  };
  ids.g1 = (await createPayment({ ...gateway, payer: { phone: uniquePhone() }, reference: `${tag}-G1` })).id;
  ids.g2 = (await createPayment({ ...gateway, payer: { phone: uniquePhone() }, reference: `${tag}-G2` })).id;
  ids.d1 = (
    await createPayment({
      flow: 'direct',
      paymentMethod: 'OM',
      items: [{ sku: 'tasse', quantity: 1 }],
      payer: { phone: directPhone },
      reference: `${tag}-D1`,
    })
  ).id;
  createdOn = new Date().toISOString().slice(0, 10);
});
afterAll(() => browser?.close());

/** The ids the list shows, once it has settled on `count` payments. */
async function listed(page: Page, count: number): Promise<string[]> {
  await expect.poll(() => page.getByTestId('payments-count').getAttribute('data-count')).toBe(String(count));
  await page.locator('main:not([aria-busy])').waitFor();
  return page
    .getByTestId('payment-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id') ?? ''));
}

async function search(page: Page, q: string): Promise<void> {
  await page.getByTestId('payments-q').fill(q);
  await page.getByTestId('payments-search').click();
}

describe('the Payments list', () => {
  it(
    'filters, searches, pages by cursor, shows refused filters, and exports the filtered list as CSV',
    async () => {
      const { page, context, errors } = await openConsole(browser, 'payments', {
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      await signIn(page, stack.adminToken, 'Marchand');

      // Today's needs-attention counts lead to the payments they count.
      for (const [key, filter, box] of [
        ['flagged', 'flagged=true', 'À vérifier seulement'],
        ['stuckOpen', 'stuck=true', 'Restés ouverts après expiration'],
      ] as const) {
        await visit(page, '#/today', READY.today);
        const link = page.getByTestId(`attention-${key}`);
        const count = Number((await link.locator('.count').textContent())?.replace(/\D/g, ''));
        await link.click();
        await page.locator(READY.payments).waitFor();
        expect(new URL(page.url()).hash).toBe(`#/payments?${filter}`);
        expect(await page.getByLabel(box, { exact: true }).isChecked()).toBe(true);
        if (count < 50) expect(await listed(page, count)).toHaveLength(count);
      }

      await visit(page, '#/payments', READY.payments);

      // Search by the reference: the three of this test.
      await search(page, tag);
      expect((await listed(page, 3)).sort()).toEqual([ids.g1, ids.g2, ids.d1].sort());
      expect(new URL(page.url()).hash).toBe(`#/payments?q=${tag}`);

      // Filters narrow it, and live in the address.
      await page.getByLabel('Parcours', { exact: true }).selectOption('direct');
      expect(await listed(page, 1)).toEqual([ids.d1]);
      await page.getByLabel('Parcours', { exact: true }).selectOption('gateway');
      expect((await listed(page, 2)).sort()).toEqual([ids.g1, ids.g2].sort());
      expect(new URL(page.url()).hash).toBe(`#/payments?flow=gateway&q=${tag}`);
      await page.getByLabel('Statut', { exact: true }).selectOption('PENDING');
      expect(await listed(page, 0)).toEqual([]);
      expect(await page.getByTestId('payments-empty').textContent()).toBe('Aucun paiement ne correspond.');
      await page.getByLabel('Statut', { exact: true }).selectOption('');
      await page.getByLabel('Parcours', { exact: true }).selectOption('');
      await page.getByLabel('À vérifier seulement', { exact: true }).check();
      expect(await listed(page, 0)).toEqual([]);
      await page.getByLabel('À vérifier seulement', { exact: true }).uncheck();
      const today = createdOn;
      const tomorrow = new Date(Date.parse(createdOn) + 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Du', { exact: true }).fill(today);
      await expect.poll(() => page.url()).toContain(`from=${today}`);
      await page.getByLabel('Au', { exact: true }).fill(today);
      await expect.poll(() => page.url()).toContain(`to=${today}`);
      expect(await listed(page, 3)).toHaveLength(3);
      await page.getByLabel('Du', { exact: true }).fill(tomorrow);
      await expect.poll(() => page.url()).toContain(`from=${tomorrow}`);
      expect(await listed(page, 0)).toEqual([]);
      await page.getByTestId('payments-reset').click();
      await page.locator(READY.payments).waitFor();
      // The list on screen is ready before the reset one replaces it: wait for the reset itself.
      await expect.poll(() => page.getByTestId('payments-q').inputValue()).toBe('');
      await expect.poll(() => new URL(page.url()).hash).toBe('#/payments');

      // Search by the payer's last phone digits, then by the payment id.
      await search(page, directPhone.slice(-6));
      expect(await listed(page, 1)).toEqual([ids.d1]);
      await search(page, ids.g2 as string);
      expect(await listed(page, 1)).toEqual([ids.g2]);

      // "Plus" continues after the cursor.
      await visit(page, `#/payments?q=${tag}&limit=2`, READY.payments);
      expect(await listed(page, 2)).toHaveLength(2);
      expect(await page.getByTestId('payments-count').textContent()).toBe(
        '2 paiement(s) affiché(s), d’autres suivent',
      );
      await page.getByTestId('payments-more').click();
      expect((await listed(page, 3)).sort()).toEqual([ids.g1, ids.g2, ids.d1].sort());
      expect(await page.getByTestId('payments-more').isVisible()).toBe(false);

      // A filter the server refuses: its problem details, next to the filters.
      await search(page, 'x'.repeat(60));
      const problem = page.getByTestId('payments-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toContain('Filtres refusés par le serveur');
      expect(await problem.locator('li code').first().textContent()).toBe('q');
      await screenshot(page, 'console-payments-refused-filter-desktop');
      await expectAccessible(page, 'console payments with a refused filter');

      // The CSV of the filtered list: the same payments, every one.
      await visit(page, `#/payments?flow=gateway&q=${tag}`, READY.payments);
      const shown = await listed(page, 2);
      const href = await page.getByTestId('payments-csv').getAttribute('href');
      expect(href).toBe(`/api/admin/payments.csv?flow=gateway&q=${tag}`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('payments-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^payments-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = readFileSync((await download.path()) as string, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(text.slice(1));
      expect(header?.slice(0, 3)).toEqual(['id', 'created_at', 'paid_at']);
      expect(rows).toHaveLength(shown.length);
      const idColumn = header?.indexOf('id') as number;
      const referenceColumn = header?.indexOf('reference') as number;
      expect(rows.map((row) => row[idColumn]).sort()).toEqual([...shown].sort());
      for (const row of rows) expect(row[referenceColumn]).toMatch(new RegExp(`^${tag}-G`));
      expect(errors).toEqual([]);
      await context.close();
    },
    SIGN_IN_TIMEOUT,
  );
});
