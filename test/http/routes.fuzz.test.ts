/**
 * Property-based tests: thousands of generated bodies, headers and paths
 * thrown at the public and admin routes. Whatever a client sends, the answer
 * is never a 5xx, every rejection is problem+json, and a rejected request
 * writes nothing.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { call, directOrder, freshStart, gatewayOrder, SHOP } from '../support/worker.ts';

const RUNS = Number(env.FUZZ_RUNS || 1500);

async function writes(): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT (SELECT count(*) FROM payments) + (SELECT count(*) FROM payment_events) + (SELECT count(*) FROM products)
       + (SELECT count(*) FROM payment_links) + (SELECT count(*) FROM idempotency_keys) AS n`,
  ).first<{ n: number }>();
  return row?.n ?? 0;
}

async function expectSane(response: Response, before: number, method = 'POST'): Promise<void> {
  expect(response.status, await response.clone().text()).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    if (method === 'HEAD') return expect(await writes()).toBe(before);
    const problem = await response.json<{ type: string; title: string; status: number }>();
    expect(problem.status).toBe(response.status);
    expect(problem.type).toMatch(/^\/docs#problem-[a-z-]+$/);
    expect(await writes()).toBe(before);
  } else {
    await response.body?.cancel();
  }
}

/** JSON values with the shapes our bodies have, mutated: right keys, wrong types, junk, extremes. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      ' ',
      'CARD',
      'OM',
      'GN',
      'gateway',
      'direct',
    ),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'sku',
        'quantity',
        'phone',
        'flow',
        'items',
        'amount',
        'payer',
        'otp',
        'metadata',
        '__proto__',
        'constructor',
        'x',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const validOrders = [gatewayOrder(), directOrder(), gatewayOrder({ successUrl: `${SHOP}/ok` })];

/** A valid order with one field replaced, removed or added. */
const mutatedOrder = fc
  .tuple(
    fc.constantFrom(...validOrders),
    fc.constantFrom(
      'flow',
      'items',
      'amount',
      'countryCode',
      'payer',
      'paymentMethod',
      'allowedPaymentMethods',
      'reference',
      'successUrl',
      'cancelUrl',
      'metadata',
      'extra',
    ),
    fc.option(jsonish, { nil: undefined }),
  )
  .map(([order, key, value]) => ({ ...order, [key]: value }));

const header = fc.string({ maxLength: 300 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s));

const path = fc.oneof(
  fc.constantFrom(
    '/api/payments',
    '/api/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    '/api/payments/x/otp',
    '/api/catalog',
    '/return/',
    '/checkout',
    '/api/admin/payments',
    '/api/admin/products/x',
    '/api/admin/links',
    '/api/admin/dead-letters',
    '/webhooks/djomy',
    '/healthz',
  ),
  fc
    .array(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('..', '%00', '%2F', 'api', 'admin', 'payments')),
      {
        maxLength: 5,
      },
    )
    .map((parts) => `/${parts.map((p) => encodeURIComponent(p)).join('/')}`),
);

beforeAll(() => freshStart());

describe('whatever a client sends', () => {
  it('POST /api/payments never answers 5xx; a rejection is problem+json and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutatedOrder, jsonish),
        fc.option(header, { nil: undefined }),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/problem+json',
        ),
        async (body, key, type) => {
          const before = await writes();
          const response = await call('/api/payments', {
            method: 'POST',
            body: JSON.stringify(body) ?? 'undefined',
            headers: { 'content-type': type, ...(key === undefined ? {} : { 'idempotency-key': key }) },
          });
          await expectSane(response, before);
        },
      ),
      { numRuns: RUNS, seed: 1128 },
    );
  });

  it('raw bytes that are not JSON at all are refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const before = await writes();
        const response = await call('/api/payments', {
          method: 'POST',
          body: bytes,
          headers: { 'content-type': 'application/json' },
        });
        await expectSane(response, before);
      }),
      { numRuns: Math.round(RUNS / 3), seed: 7 },
    );
  });

  it('the OTP route never answers 5xx for any body or payment id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), jsonish, async (id, body) => {
        const before = await writes();
        const response = await call(`/api/payments/${encodeURIComponent(id)}/otp`, {
          method: 'POST',
          json: body,
        });
        await expectSane(response, before);
      }),
      { numRuns: Math.round(RUNS / 3), seed: 11 },
    );
  });

  it('any method on any path, with or without the admin token, never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        path,
        fc.string({ maxLength: 80 }),
        fc.boolean(),
        fc.option(fc.constantFrom(SHOP, 'https://evil.example', 'null', 'garbage', `${SHOP}/x`), {
          nil: undefined,
        }),
        async (method, route, query, asAdmin, origin) => {
          const before = await writes();
          const body =
            method === 'GET' || method === 'HEAD'
              ? undefined
              : JSON.stringify({ name: query, amount: query.length });
          const response = await call(`${route}?q=${encodeURIComponent(query)}`, {
            method,
            body,
            headers: {
              'content-type': 'application/json',
              ...(asAdmin ? { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` } : {}),
              ...(origin ? { origin } : {}),
            },
          });
          expect(response.status).toBeLessThan(500);
          // A write by an authorised admin (a product PUT) is legitimate; anything refused writes nothing.
          // POST /checkout is a browser form: its errors are an HTML page, checked below.
          if (response.status >= 400 && route !== '/checkout') await expectSane(response, before, method);
          else await response.body?.cancel();
        },
      ),
      { numRuns: RUNS, seed: 23 },
    );
  });

  it('admin bodies (products, links) never answer 5xx and a rejection writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/admin/products/fuzz', '/api/admin/links'),
        jsonish,
        async (route, body) => {
          const before = await writes();
          const response = await call(route, {
            method: route.includes('products') ? 'PUT' : 'POST',
            json: body,
            headers: { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` },
          });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) await expectSane(response, before);
          else await response.body?.cancel();
        },
      ),
      { numRuns: Math.round(RUNS / 2), seed: 31 },
    );
  });

  it('the no-JavaScript checkout form never answers 5xx, whatever its fields, headers and Origin', async () => {
    // Header values a client can send (visible ASCII), as fetch would refuse anything else.
    const headerText = fc.string({
      maxLength: 60,
      unit: fc.constantFrom(...' !"#%&+,-./:;=?@[]_~aZz09'.split('')),
    });
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(
        `${SHOP}/merci`,
        `${SHOP}/panier?x=1`,
        'javascript:alert(1)',
        'http://',
        '//x',
        'data:,',
      ),
      fc.string({ maxLength: 40 }),
    );
    const field = fc.oneof(
      fc.string({ maxLength: 40 }),
      url,
      fc.constantFrom('cap', '622123456', '1', '0', '1001'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'sku',
            'quantity',
            'phone',
            'reference',
            'successUrl',
            'cancelUrl',
            'countryCode',
            'x',
          ),
          field,
        ),
        fc.option(
          fc.oneof(
            fc.constantFrom(SHOP, 'null', 'garbage', `${SHOP}/path`, 'https://', 'http://evil.example'),
            headerText,
          ),
          {
            nil: undefined,
          },
        ),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=utf-8',
          'multipart/form-data',
          'text/plain',
          '',
        ),
        fc.boolean(),
        async (fields, origin, type, raw) => {
          const response = await call('/checkout', {
            method: 'POST',
            body: raw ? Object.values(fields).join('&') : new URLSearchParams(fields).toString(),
            headers: {
              ...(type ? { 'content-type': type } : {}),
              ...(origin !== undefined ? { origin } : {}),
            },
          });
          expect(response.status, await response.clone().text()).toBeLessThan(500);
          await response.body?.cancel();
        },
      ),
      { numRuns: RUNS, seed: 41 },
    );
  });
});
