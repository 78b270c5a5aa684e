/**
 * The payer's pages and the API they read: `/pay/{id}`, `/r/{id}`, `/v/{id}`
 * served from `public/payer/` with the page headers (no framing, no sniffing,
 * no referrer: the URL holds the payment id; kept out of search engines), a
 * 404 for ids that name no payment, the receipt JSON (everything only when
 * paid, the phone masked), `payUrl` and `next` in the views, and the QR code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../support/sim.ts';
import { call, directOrder, EDGE, freshStart, gatewayOrder, json, transactionOf } from '../support/worker.ts';

const UNKNOWN = 'pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

function expectPageHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-robots-tag')).toBe('noindex');
}

/** A gateway payment paid on the portal and verified by the Worker. */
async function paidPayment(): Promise<string> {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
  await sim.complete(await transactionOf(id), 'SUCCESS');
  // The payer's return verifies with Djomy at once.
  expect((await call(`/return/${id}`)).status).toBe(303);
  expect(await json(call(`/api/payments/${id}`))).toMatchObject({ paid: true });
  return id;
}

let paidId = '';
let openId = '';

beforeAll(async () => {
  await freshStart();
  paidId = await paidPayment();
  openId = (await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }))).id;
}, 30_000);

describe('the pages', () => {
  it.each([
    ['/pay', 'pay.js'],
    ['/r', 'receipt.js'],
    ['/v', 'check.js'],
  ])('%s/{id} is its static page with the page headers', async (prefix, script) => {
    const page = await call(`${prefix}/${paidId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expectPageHeaders(page);
    const html = await page.text();
    expect(html).toContain(`<script type="module" src="/payer/${script}"></script>`);
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    // Nothing inline: the CSP allows only the origin's own files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it.each(['/pay', '/r', '/v'])('%s/{id} is a 404 page for an unknown or malformed id', async (prefix) => {
    for (const id of [UNKNOWN, 'pay_x', 'nope', "pay_'or'1'='1"]) {
      const page = await call(`${prefix}/${encodeURIComponent(id)}`);
      expect(page.status, `${prefix}/${id}`).toBe(404);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await page.text()).toContain('Paiement introuvable');
    }
  });

  it('/r/{id}/qr.svg is an SVG of the live check, for known payments only', async () => {
    const qr = await call(`/r/${paidId}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(qr.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await qr.text()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect((await call(`/r/${UNKNOWN}/qr.svg`)).status).toBe(404);
  });
});

describe('the API the pages read', () => {
  it('the create answer and the view carry payUrl; next while open, null once closed', async () => {
    const created = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    expect(created.payUrl).toBe(`${EDGE}/pay/${created.id}`);
    expect(created.next).toEqual({ type: 'otp' });
    const open = await json(call(`/api/payments/${created.id}`));
    expect(open).toMatchObject({ status: 'PENDING', paid: false, next: { type: 'otp' } });
    expect(open.payUrl).toBe(`${EDGE}/pay/${created.id}`);

    const gateway = await json(call(`/api/payments/${openId}`));
    expect(gateway.next).toMatchObject({ type: 'redirect' });
    expect(gateway.next.url).toContain('/portal/');

    const paid = await json(call(`/api/payments/${paidId}`));
    expect(paid).toMatchObject({
      status: 'SUCCESS',
      paid: true,
      next: null,
      payUrl: `${EDGE}/pay/${paidId}`,
    });
  });

  it('the receipt of a paid payment: every field, the phone masked', async () => {
    const response = await call(`/api/payments/${paidId}/receipt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    const receipt = await response.json<Record<string, unknown>>();
    expect(receipt).toMatchObject({
      paid: true,
      status: 'SUCCESS',
      amount: 60_000,
      currency: 'GNF',
      reference: 'order-1',
      transactionId: await transactionOf(paidId),
    });
    expect(Object.keys(receipt).sort()).toEqual(
      [
        'amount',
        'checkedAt',
        'currency',
        'merchantName',
        'paid',
        'paidAt',
        'payer',
        'paymentMethod',
        'reference',
        'status',
        'transactionId',
      ].sort(),
    );
    // +224 622 12 34 56, never whole.
    expect(receipt.payer).toBe('00224******456');
    expect(JSON.stringify(receipt)).not.toContain('622123456');
    expect(Date.parse(receipt.paidAt as string)).toBeLessThanOrEqual(Date.parse(receipt.checkedAt as string));
  });

  it('the receipt of an unpaid payment says only that, with its status and amount', async () => {
    const receipt = await json(call(`/api/payments/${openId}/receipt`));
    expect(receipt).toMatchObject({ paid: false, amount: 60_000, currency: 'GNF' });
    expect(['CREATED', 'REDIRECTED', 'PENDING']).toContain(receipt.status);
    for (const field of ['paymentMethod', 'reference', 'paidAt', 'payer', 'transactionId'])
      expect(receipt[field], field).toBeNull();
    expect(typeof receipt.checkedAt).toBe('string');

    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'FAILED');
    await call(`/return/${id}`);
    expect(await json(call(`/api/payments/${id}/receipt`))).toMatchObject({
      paid: false,
      status: 'FAILED',
      payer: null,
      transactionId: null,
    });
  });

  it('the receipt of an unknown payment is a 404 problem', async () => {
    const response = await call(`/api/payments/${UNKNOWN}/receipt`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
