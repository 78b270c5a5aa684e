/// <reference types="vite/client" />
/**
 * Every HTML page the Worker serves carries the security headers: a CSP that
 * forbids framing and allows no inline code but its own (by hash), nosniff,
 * and a referrer policy — `no-referrer` where the URL holds a payment id.
 * Static pages get theirs from `public/_headers`, applied by Workers assets
 * (read here through the ASSETS binding, which applies them as production does);
 * every `.html` file under public/ is checked, so a new page cannot be missed.
 * The Worker's own pages speak French first, then English.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../support/sim.ts';
import { admin, call, freshStart, gatewayOrder, json, transactionOf } from '../support/worker.ts';

function expectSecurityHeaders(response: Response, referrer: string) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe(referrer);
}

/** Every `<script>` and `<style>` body of a page is allowed by a sha256 source of its CSP. */
async function expectInlineCodeHashed(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  const html = await response.text();
  for (const [, tag, body] of html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(csp, `${tag} not allowed by hash`).toContain(`'sha256-${hash}'`);
  }
}

/** French first (`<html lang="fr">`), with the English of it marked as such. */
function expectFrenchThenEnglish(html: string) {
  expect(html).toContain('<html lang="fr">');
  expect(html).toMatch(/<main[^>]*>[\s\S]*<h1>[\s\S]*lang="en"[\s\S]*<\/main>/);
}

/** A gateway payment with nowhere to go back to: the Worker shows its own pages. */
async function paymentWithoutReturnUrls(): Promise<string> {
  const order = gatewayOrder({ successUrl: undefined, cancelUrl: undefined });
  return (await json(call('/api/payments', { method: 'POST', json: order }))).id;
}

beforeAll(() => freshStart());

describe('pages the Worker renders', () => {
  it('the pending page after the portal', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    const page = await call(`/return/${id}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, 'no-referrer');
    const html = await page.clone().text();
    expectFrenchThenEnglish(html);
    // No reload on a timer (WCAG 2.2.1): the script polls, the link reloads without it.
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain(`<a href="/return/${id}">`);
    // The payer's own page of the payment, to come back to if this one is lost.
    expect(html).toContain(`<a href="/pay/${id}">`);
    await expectInlineCodeHashed(page);
  });

  it('a return while another check of the payment is running waits for its verdict', async () => {
    const id = await paymentWithoutReturnUrls();
    await sim.complete(await transactionOf(id), 'SUCCESS');
    // The webhook's check holds the claim (it started just now) and lands its verdict a moment later.
    await env.DB.prepare('UPDATE payments SET verified_at = ? WHERE id = ?').bind(Date.now(), id).run();
    const verdict = new Promise((resolve) => setTimeout(resolve, 700)).then(() =>
      admin(`/api/admin/payments/${id}/verify`, { method: 'POST' }),
    );
    const page = await call(`/return/${id}`, { headers: { accept: 'text/html' } });
    await verdict;
    const html = await page.text();
    expect(html).toContain('<h1>Paiement reçu</h1>');
    expect(html).not.toContain('class="spinner"');
  });

  it.each([
    ['SUCCESS', 'Paiement reçu'],
    ['FAILED', 'Paiement non abouti'],
  ] as const)('the result page of a %s payment without return URLs', async (status, title) => {
    const id = await paymentWithoutReturnUrls();
    await sim.complete(await transactionOf(id), status);
    const page = await call(`/return/${id}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, 'no-referrer');
    const html = await page.clone().text();
    expect(html).toContain(`<h1>${title}</h1>`);
    // Only a paid payment links to a receipt.
    expect(html.includes(`<a href="/r/${id}">`)).toBe(status === 'SUCCESS');
    expectFrenchThenEnglish(html);
    await expectInlineCodeHashed(page);
  });

  it('the not-found page and the no-JavaScript checkout error page', async () => {
    const missing = await call('/return/pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', {
      headers: { accept: 'text/html' },
    });
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, 'no-referrer');
    expectFrenchThenEnglish(await missing.clone().text());
    await expectInlineCodeHashed(missing);
    const error = await call('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'sku=nope',
    });
    expect(error.headers.get('content-type')).toContain('text/html');
    expectSecurityHeaders(error, 'no-referrer');
    expectFrenchThenEnglish(await error.clone().text());
    await expectInlineCodeHashed(error);
  });
});

/** Every HTML file of the static assets, as the URL Workers assets serve it at (`.html` and `index` dropped). */
const STATIC_PAGES = Object.keys(import.meta.glob('../../public/**/*.html')).map((file) =>
  file.replace('../../public', '').replace(/(index)?\.html$/, ''),
);

describe('static pages (public/_headers)', () => {
  it('are all listed', () => {
    expect(STATIC_PAGES).toEqual(
      expect.arrayContaining(['/docs', '/demo/', '/demo/buy-button', '/demo/success', '/demo/cancel']),
    );
  });

  it.each(STATIC_PAGES)('%s', async (path) => {
    const page = await env.ASSETS.fetch(`http://edge.localhost${path}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expectSecurityHeaders(page, 'no-referrer');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style>|\sstyle="/);
  });
});
