/** `/docs`: the OpenAPI document rendered in the browser, with an anchor per problem type. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from './support/api.ts';
import { launchBrowser, openTab, screenshot } from './support/browser.ts';

interface OpenApi {
  paths: Record<string, Record<string, { summary?: string }>>;
  'x-problem-types': Record<string, string>;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('/docs', () => {
  it('renders every route of /openapi.json and every problem type', async () => {
    const document = (await (await fetch(`${stack.workerUrl}/openapi.json`)).json()) as OpenApi;
    const { page, context, errors } = await openTab(browser);
    await page.goto(`${stack.workerUrl}/docs`);
    await page.locator('body[data-state="ready"]').waitFor();

    const routes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `op-${method.toUpperCase()} ${path}`),
    );
    const rendered = await page
      .locator('details.op')
      .evaluateAll((nodes) => nodes.map((node) => node.dataset.testid));
    expect(rendered.sort()).toEqual(routes.sort());

    const create = page.getByTestId('op-POST /api/payments');
    await create.locator('> summary').click();
    const text = await create.textContent();
    for (const field of [
      'flow',
      'items',
      'payer',
      'phone',
      'paymentMethod',
      'successUrl',
      'Idempotency-Key',
      '201',
      '422',
    ])
      expect(text).toContain(field);
    await screenshot(page, 'docs');

    for (const slug of Object.keys(document['x-problem-types'])) {
      expect(await page.locator(`[id="problem-${slug}"]`).count(), slug).toBe(1);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a problem's `type` leads to its explanation", async () => {
    const response = await fetch(`${stack.workerUrl}/api/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const problem = (await response.json()) as { type: string };
    expect(problem.type).toBe('/docs#problem-validation');

    const { page, context } = await openTab(browser);
    await page.goto(new URL(problem.type, stack.workerUrl).href);
    const target = page.locator('#problem-validation.targeted');
    await target.waitFor();
    expect(await target.textContent()).toContain('lists each field with what is wrong');
    expect(await target.isVisible()).toBe(true);
    await context.close();
  });
});
