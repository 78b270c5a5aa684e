/**
 * The admin API the console stands on: sign-in and the session cookie, the
 * cashier's role, CSRF, the filters, the CSV export, the summary, the live
 * feed, re-sending a merchant event, and the links with their totals.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_SPECS } from '../../src/http/openapi/specs.ts';
import type { DayRevenue } from '../../src/store/reports.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { parseCsv } from '../support/csv.ts';
import { sim } from '../support/sim.ts';
import {
  admin,
  call,
  EDGE,
  freshIp,
  freshStart,
  gatewayOrder,
  json,
  transactionOf,
  viewer,
} from '../support/worker.ts';

beforeAll(() => freshStart());

/** Signs in and returns the cookie to send back, and the CSRF token. */
async function signIn(token: string, origin = EDGE) {
  const response = await exports.default.fetch(
    new Request(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': freshIp(), origin },
      body: JSON.stringify({ token }),
    }),
  );
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    response,
    setCookie,
    cookie: setCookie.split(';')[0] as string,
    body: await json(response.clone()),
  };
}

async function paid(overrides: Record<string, unknown> = {}) {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder(overrides) }));
  await sim.complete(await transactionOf(id), 'SUCCESS');
  await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
  return id as string;
}

async function productNamed(sku: string) {
  return (await json(admin('/api/admin/products'))).products.find((p: { sku: string }) => p.sku === sku);
}

describe('sign-in and the session cookie', () => {
  it('signs in with ADMIN_TOKEN: an HttpOnly, SameSite=Strict cookie that does not hold the token', async () => {
    const { response, setCookie, cookie, body } = await signIn(TEST_CREDENTIALS.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ role: 'admin', csrfToken: expect.any(String) });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect(setCookie).toMatch(/^djomy_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    // Loopback host names need no https; anywhere else the cookie is Secure (below).
    expect(setCookie).not.toContain('Secure');
    expect(setCookie).not.toContain(TEST_CREDENTIALS.adminToken);
    const session = await json(call('/api/session', { headers: { cookie } }));
    expect(session).toEqual(body);
    expect((await call('/api/admin/payments', { headers: { cookie } })).status).toBe(200);
  });

  it('outside loopback the cookie is Secure and __Host- prefixed, and only that name is read', async () => {
    const { setCookie, cookie } = await signIn(TEST_CREDENTIALS.adminToken, 'https://pay.shop.example');
    expect(setCookie).toMatch(
      /^__Host-djomy_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
    const read = (name: string) =>
      exports.default.fetch(
        new Request('https://pay.shop.example/api/admin/payments', {
          headers: {
            cookie: `${name}=${cookie.split('=').slice(1).join('=')}`,
            'cf-connecting-ip': freshIp(),
          },
        }),
      );
    expect((await read('__Host-djomy_session')).status).toBe(200);
    expect((await read('djomy_session')).status).toBe(401);
  });

  it('the cashier signs in with VIEWER_TOKEN for a week', async () => {
    const { body } = await signIn(TEST_CREDENTIALS.viewerToken);
    expect(body.role).toBe('viewer');
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it.each([
    ['a wrong token', { token: 'test-admin-token-0123456789abcdeX' }, 401],
    ['an empty token', { token: '' }, 400],
    ['no token', {}, 400],
    ['another field', { token: TEST_CREDENTIALS.adminToken, role: 'admin' }, 400],
  ])('refuses %s without a cookie', async (_name, body, status) => {
    const response = await call('/api/session', { method: 'POST', json: body });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a sign-in posted from another site', async () => {
    const response = await call('/api/session', {
      method: 'POST',
      json: { token: TEST_CREDENTIALS.adminToken },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect((await json(response)).type).toBe('/docs#problem-csrf-failed');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('limits sign-in attempts per IP, right token or not', async () => {
    // The local limiter counts per clock minute: a run that crossed one is done again from a new IP.
    const minute = () => Math.floor(Date.now() / 60_000);
    let statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      const [ip, started] = [freshIp(), minute()];
      statuses = [];
      for (let i = 0; i < 12; i++) {
        const token = i === 11 ? TEST_CREDENTIALS.adminToken : `wrong-token-${i}-0123456789`;
        statuses.push((await call('/api/session', { method: 'POST', json: { token }, ip })).status);
      }
      if (minute() === started) break;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('refuses a tampered, forged or foreign cookie', async () => {
    const { cookie } = await signIn(TEST_CREDENTIALS.viewerToken);
    const [claims, tag] = cookie.slice('djomy_session='.length).split('.') as [string, string];
    const asAdmin = btoa(atob(claims.replace(/-/g, '+').replace(/_/g, '/')).replace('"viewer"', '"admin"'))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    for (const value of [
      `${asAdmin}.${tag}`,
      `${claims}.${tag.slice(1)}`,
      claims,
      `${claims}.${tag}.x`,
      'x'.repeat(500),
    ]) {
      const response = await call('/api/admin/payments', { headers: { cookie: `djomy_session=${value}` } });
      expect(response.status).toBe(401);
      expect((await call('/api/session', { headers: { cookie: `djomy_session=${value}` } })).status).toBe(
        401,
      );
    }
  });

  it('signs out: the cookie is cleared', async () => {
    const { cookie } = await signIn(TEST_CREDENTIALS.adminToken);
    const response = await call('/api/session', { method: 'DELETE', headers: { cookie } });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toBe(
      'djomy_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });
});

describe('writes made with the session cookie need the CSRF token', () => {
  it('refuses a write without the token, with a wrong one, or from another origin, and changes nothing', async () => {
    const { cookie, body } = await signIn(TEST_CREDENTIALS.adminToken);
    const put = (headers: Record<string, string>) =>
      call('/api/admin/products/csrf-soap', {
        method: 'PUT',
        json: { name: 'Savon', amount: 5000 },
        headers: { cookie, ...headers },
      });
    const attempts: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'nope' },
      { 'x-csrf-token': `${body.csrfToken.slice(0, -1)}${body.csrfToken.endsWith('A') ? 'B' : 'A'}` },
      { 'x-csrf-token': body.csrfToken, origin: 'https://evil.example' },
    ];
    for (const headers of attempts) {
      const response = await put(headers);
      expect(response.status).toBe(403);
      expect((await json(response)).type).toBe('/docs#problem-csrf-failed');
    }
    expect(await productNamed('csrf-soap')).toBeUndefined();
    expect((await put({ 'x-csrf-token': body.csrfToken, origin: EDGE })).status).toBe(201);
    expect(await productNamed('csrf-soap')).toMatchObject({ amount: 5000 });
  });

  it("another session's CSRF token does not do", async () => {
    const first = await signIn(TEST_CREDENTIALS.adminToken);
    const second = await signIn(TEST_CREDENTIALS.adminToken);
    const response = await call('/api/admin/products/csrf-other', {
      method: 'PUT',
      json: { name: 'Savon', amount: 5000 },
      headers: { cookie: first.cookie, 'x-csrf-token': second.body.csrfToken },
    });
    expect(response.status).toBe(403);
  });

  it('scripts with the bearer header need no CSRF token', async () => {
    const response = await admin('/api/admin/products/bearer-soap', {
      method: 'PUT',
      json: { name: 'Savon', amount: 5000 },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(201);
  });
});

describe('the cashier (VIEWER_TOKEN)', () => {
  it('reads everything, with the payer phone masked even in the detail and the CSV', async () => {
    const id = await paid({ reference: 'cashier-read' });
    const { payment } = await json(viewer(`/api/admin/payments/${id}`));
    expect(payment.payer).toMatch(/^00224\*+456$/);
    expect((await json(admin(`/api/admin/payments/${id}`))).payment.payer).toBe('00224622123456');
    const csv = await (await viewer('/api/admin/payments.csv?q=cashier-read')).text();
    expect(csv).toContain(`,${payment.payer},`);
    expect(payment.payer).toBe('00224******456');
    expect(csv).not.toContain('00224622123456');
    expect(await (await admin('/api/admin/payments.csv?q=cashier-read')).text()).toContain('00224622123456');
    for (const path of [
      '/api/admin/summary',
      '/api/admin/live',
      '/api/admin/links',
      '/api/admin/products',
      '/api/admin/dead-letters',
    ]) {
      expect((await viewer(path)).status, path).toBe(200);
    }
  });

  it('may ask Djomy again (verify now)', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const response = await viewer(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect((await json(response)).payment).toMatchObject({
      status: 'SUCCESS',
      payer: expect.stringMatching(/\*/),
    });
  });

  it('every route of the admin API, read or write, answers 401 without a token or a session', async () => {
    const id = await paid({ reference: 'no-credentials' });
    const routes = ROUTE_SPECS.filter((spec) => spec.admin);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const spec of routes) {
      const path = spec.path.replace('{id}', id).replace('{sku}', 'cap').replace('{reference}', 'lnk');
      const method = spec.method.toUpperCase();
      const response = await call(path, method === 'GET' ? {} : { method, json: {} });
      expect(response.status, `${method} ${path}`).toBe(401);
      await response.body?.cancel();
    }
  });

  it('every other write of the admin API answers 403 and changes nothing', async () => {
    const id = await paid({ reference: 'cashier-write' });
    // `/mcp` takes the same tokens but decides per tool (test/mcp/tools.test.ts).
    const writes = ROUTE_SPECS.filter(
      (spec) => spec.admin && spec.method !== 'get' && spec.path.startsWith('/api/admin/'),
    );
    expect(writes.length).toBeGreaterThanOrEqual(5);
    const before = await json(admin('/api/admin/products'));
    const deliveries = (await sim.merchantDeliveries()).length;
    for (const spec of writes) {
      const path = spec.path.replace('{id}', id).replace('{sku}', 'cap').replace('{reference}', 'lnk');
      const response = await viewer(path, {
        method: spec.method.toUpperCase(),
        json: { usageType: 'MULTIPLE', name: 'Gratuit', amount: 1 },
      });
      if (spec.path === '/api/admin/payments/{id}/verify') expect(response.status, path).toBe(200);
      else {
        expect(response.status, `${spec.method} ${path}`).toBe(403);
        expect((await json(response)).type).toBe('/docs#problem-forbidden');
      }
    }
    expect(await json(admin('/api/admin/products'))).toEqual(before);
    expect((await json(admin('/api/admin/links'))).links).toEqual([]);
    expect((await sim.merchantDeliveries()).length).toBe(deliveries);
  });

  it('a cashier session is refused the same writes, CSRF token or not', async () => {
    const { cookie, body } = await signIn(TEST_CREDENTIALS.viewerToken);
    const response = await call('/api/admin/products/cap', {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(response.status).toBe(403);
    expect((await productNamed('cap')).active).toBe(true);
  });
});

describe('filters', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.comma = await paid({ reference: 'Facture 12, "urgent"', payer: { phone: '622 98 76 54' } });
    ids.percent = (
      await json(
        call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'remise 50%_promo' }) }),
      )
    ).id;
    ids.plain = (
      await json(
        call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'remise 50 promo' }) }),
      )
    ).id;
  });

  const list = async (query: string) =>
    (await json(admin(`/api/admin/payments?limit=100&${query}`))).payments.map((p: { id: string }) => p.id);

  it('q finds a payment by id, by part of its reference, by the last digits of the phone', async () => {
    expect(await list(`q=${ids.comma}`)).toEqual([ids.comma]);
    expect(await list(`q=${encodeURIComponent('12, "urg')}`)).toEqual([ids.comma]);
    expect(await list('q=987654')).toEqual([ids.comma]);
    expect(await list('q=76%2054')).toEqual([ids.comma]);
  });

  it('a whole payment id finds that payment alone, even when its digits end a payer phone', async () => {
    // An id's digits (2 to 7) can be the end of a phone number: 622 23 45 67 here.
    const phoneLike = await paid({ reference: 'phone-like-id', payer: { phone: '622 23 45 67' } });
    const id = `pay_${'a'.repeat(23)}622234567`;
    expect(await list('q=622234567')).toEqual([phoneLike]);
    expect(await list(`q=${id}`)).toEqual([]);
    expect(await list(`q=${phoneLike}`)).toEqual([phoneLike]);
  });

  it('q matches % and _ literally', async () => {
    expect(await list(`q=${encodeURIComponent('50%_')}`)).toEqual([ids.percent]);
    expect(await list(`q=${encodeURIComponent('remise 50')}`)).toEqual(
      expect.arrayContaining([ids.percent, ids.plain]),
    );
    expect(await list('q=_')).toEqual([ids.percent]);
  });

  it('status, flow, method, flagged and the date range narrow the list', async () => {
    expect(await list('status=SUCCESS&q=Facture')).toEqual([ids.comma]);
    expect(await list('status=CREATED&q=Facture')).toEqual([]);
    expect(await list('flow=gateway&q=Facture')).toEqual([ids.comma]);
    expect(await list('flow=direct&q=Facture')).toEqual([]);
    expect(await list('flagged=true&q=Facture')).toEqual([]);
    expect(await list('flagged=false&q=Facture')).toEqual([ids.comma]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await list(`from=${today}&to=${today}&q=Facture`)).toEqual([ids.comma]);
    expect(await list('to=2020-01-01&q=Facture')).toEqual([]);
    expect(await list('from=2999-01-01')).toEqual([]);
    const method = (await json(admin(`/api/admin/payments/${ids.comma}`))).payment.paymentMethod;
    if (method) expect(await list(`method=${method}&q=Facture`)).toEqual([ids.comma]);
  });

  it.each([
    'from=2026-13-01',
    'from=2026-02-30',
    'to=yesterday',
    'flow=cash',
    'method=BITCOIN',
    'flagged=maybe',
    'stuck=1',
    'q=',
    'q=%20%20',
    `q=${'x'.repeat(49)}`,
    `q=${'%25'.repeat(25)}`,
    `q=${encodeURIComponent('é'.repeat(25))}`,
    'status=paid',
    'limit=0',
    'cursor=garbage',
    'sort=amount',
  ])('refuses %s with 400 problem+json', async (query) => {
    for (const path of ['/api/admin/payments', '/api/admin/payments.csv']) {
      if (path.endsWith('.csv') && /^(limit|cursor)/.test(query)) continue;
      const response = await admin(`${path}?${query}`);
      expect(response.status, `${path}?${query}`).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('the longest search D1 accepts is accepted', async () => {
    expect((await admin(`/api/admin/payments?q=${'x'.repeat(48)}`)).status).toBe(200);
  });
});

describe('CSV export', () => {
  it('a BOM, a header row, one row per payment of the filtered list; commas, quotes and line breaks quoted', async () => {
    const tricky = 'Commande "A", ligne\nsuivante';
    const id = await paid({ reference: tricky });
    const response = await admin('/api/admin/payments.csv?status=SUCCESS');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // TextDecoder drops the BOM, as spreadsheet programs do.
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]).toEqual([
      'id',
      'created_at',
      'paid_at',
      'status',
      'paid',
      'flow',
      'method',
      'amount',
      'currency',
      'received_amount',
      'fees',
      'reference',
      'phone',
      'transaction_id',
      'link_reference',
      'flag',
    ]);
    const listed = (await json(admin('/api/admin/payments?status=SUCCESS&limit=100'))).payments;
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed.map((p: { id: string }) => p.id));
    const row = rows.find((r) => r[0] === id) as string[];
    expect(row[11]).toBe(tricky);
    expect(row[3]).toBe('SUCCESS');
    expect(row[4]).toBe('true');
    expect(row[7]).toBe('60000');
    expect(row[8]).toBe('GNF');
    const same = listed.find((p: { id: string }) => p.id === id);
    expect(row[1]).toBe(same.createdAt);
    expect(row[2]).toBe(same.paidAt);
    expect(row[12]).toBe('00224622123456');
    expect(row[13]).toBe(same.transactionId);
    expect(row).toHaveLength(16);
  });

  it.each(['=HYPERLINK("http://evil.example")', '+33 1 23', '-2+3', '@SUM(A1)'])(
    'neutralises a reference a spreadsheet would run: %s',
    async (reference) => {
      const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder({ reference }) }));
      const rows = parseCsv(await (await admin(`/api/admin/payments.csv?q=${id}`)).text());
      expect(rows[1]?.[11]).toBe(`'${reference}`);
    },
  );

  it('an empty result is the header row alone', async () => {
    const text = await (await admin('/api/admin/payments.csv?from=2999-01-01')).text();
    expect(text).toBe(
      `${'id,created_at,paid_at,status,paid,flow,method,amount,currency,received_amount,fees,reference,phone,transaction_id,link_reference,flag'}\r\n`,
    );
  });
});

describe('summary', () => {
  it('counts paid payments per day and currency by the time they were paid, and totals them', async () => {
    const before = await json(admin('/api/admin/summary?days=7'));
    await paid({ reference: 'summary-1' });
    const after = await json(admin('/api/admin/summary?days=7'));
    const today = new Date().toISOString().slice(0, 10);
    expect(after.to).toBe(today);
    expect(after.from).toBe(new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10));
    type Summary = { days: DayRevenue[]; totals: { currency: string; paidAmount: number }[] };
    const day = (s: Summary) =>
      s.days.find((d) => d.day === today && d.currency === 'GNF') ?? { paidCount: 0, paidAmount: 0 };
    expect(day(after).paidCount).toBe(day(before).paidCount + 1);
    expect(day(after).paidAmount).toBe(day(before).paidAmount + 60_000);
    const gnf = (s: Summary) => s.totals.find((t) => t.currency === 'GNF')?.paidAmount ?? 0;
    expect(gnf(after)).toBe(gnf(before) + 60_000);
    expect(after.attention).toEqual({
      flagged: expect.any(Number),
      duplicateCharges: expect.any(Number),
      deadLetters: expect.any(Number),
      stuckOpen: expect.any(Number),
    });
  });

  it('needs-attention counts flagged payments, duplicate charges and payments stuck open', async () => {
    const before = (await json(admin('/api/admin/summary'))).attention;
    const db = env.DB as D1Database;
    const id = await paid({ reference: 'attention' });
    await db.prepare("UPDATE payments SET flag = 'amount_mismatch' WHERE id = ?").bind(id).run();
    const { id: open } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await db.prepare('UPDATE payments SET expires_at = 1 WHERE id = ?').bind(open).run();
    const after = (await json(admin('/api/admin/summary'))).attention;
    expect(after.flagged).toBe(before.flagged + 1);
    expect(after.stuckOpen).toBe(before.stuckOpen + 1);
    expect(
      (await json(admin('/api/admin/payments?flagged=true'))).payments.map((p: { id: string }) => p.id),
    ).toContain(id);
    // The console links each count to the payments it counts: `stuck=true` lists exactly those.
    const stuck = (await json(admin('/api/admin/payments?stuck=true&limit=100'))).payments.map(
      (p: { id: string }) => p.id,
    );
    expect(stuck).toContain(open);
    expect(stuck).not.toContain(id);
    expect(stuck).toHaveLength(after.stuckOpen);
    expect(
      (await json(admin('/api/admin/payments?stuck=false&limit=100'))).payments.map(
        (p: { id: string }) => p.id,
      ),
    ).not.toContain(open);
    const csv = parseCsv((await (await admin('/api/admin/payments.csv?stuck=true')).text()).slice(1));
    expect(csv.slice(1).map((row) => row[0])).toEqual(stuck);
  });

  it.each(['days=0', 'days=91', 'days=abc', 'days=1.5', 'from=2026-01-01'])('refuses %s', async (query) => {
    expect((await admin(`/api/admin/summary?${query}`)).status).toBe(400);
  });
});

describe('live feed', () => {
  it('starts from now, then gives each payment verified as paid once, oldest first', async () => {
    const start = await json(admin('/api/admin/live'));
    expect(start.payments).toEqual([]);
    expect(start.cursor).toEqual(expect.any(Number));
    expect(await json(admin(`/api/admin/live?after=${start.cursor}`))).toEqual({
      payments: [],
      cursor: start.cursor,
    });
    const first = await paid({ reference: 'live-1' });
    const { id: unpaid } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(unpaid), 'FAILED');
    await admin(`/api/admin/payments/${unpaid}/verify`, { method: 'POST' });
    const second = await paid({ reference: 'live-2' });
    const feed = await json(admin(`/api/admin/live?after=${start.cursor}`));
    expect(feed.payments.map((p: { paymentId: string }) => p.paymentId)).toEqual([first, second]);
    expect(feed.payments[0]).toMatchObject({
      amount: 60_000,
      currency: 'GNF',
      reference: 'live-1',
      at: expect.any(String),
    });
    expect(feed.cursor).toBeGreaterThan(start.cursor);
    expect((await json(admin(`/api/admin/live?after=${feed.cursor}`))).payments).toEqual([]);
  });

  it.each(['after=-1', 'after=x', 'after=1&x=1'])('refuses %s', async (query) => {
    expect((await admin(`/api/admin/live?${query}`)).status).toBe(400);
  });
});

describe('sending a merchant event again', () => {
  it("re-delivers the payment's current event with its original webhook-id and body", async () => {
    const id = await paid({ reference: 'resend' });
    const { notifications } = await json(admin(`/api/admin/payments/${id}`));
    expect(notifications).toEqual([expect.objectContaining({ type: 'payment.succeeded' })]);
    const webhookId = notifications[0].id;
    for (const times of [1, 2]) {
      const response = await admin(`/api/admin/payments/${id}/notify`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        type: 'payment.succeeded',
        notification: { id: webhookId, state: 'delivered' },
      });
      const deliveries = (await sim.merchantDeliveries()).filter(
        (d) => (d.body as { data?: { id?: string } } | null)?.data?.id === id,
      );
      expect(deliveries.length).toBeGreaterThanOrEqual(times);
      expect(new Set(deliveries.map((d) => d.webhookId))).toEqual(new Set([webhookId]));
      expect(new Set(deliveries.map((d) => JSON.stringify(d.body))).size).toBe(1);
      expect(deliveries.every((d) => d.valid)).toBe(true);
    }
  });

  it('writes the event first when it was never written', async () => {
    const id = await paid({ reference: 'resend-missing' });
    const db = env.DB as D1Database;
    await db.prepare('DELETE FROM outbox WHERE payment_id = ?').bind(id).run();
    const answer = await json(admin(`/api/admin/payments/${id}/notify`, { method: 'POST' }));
    expect(answer).toMatchObject({ type: 'payment.succeeded', notification: { state: 'delivered' } });
    const rows = await db.prepare('SELECT id FROM outbox WHERE payment_id = ?').bind(id).all();
    expect(rows.results).toEqual([{ id: answer.notification.id }]);
  });

  it('an open payment has nothing to announce: 409', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    const response = await admin(`/api/admin/payments/${id}/notify`, { method: 'POST' });
    expect(response.status).toBe(409);
    expect(
      (await admin('/api/admin/payments/pay_unknownunknownunknownunknown00/notify', { method: 'POST' }))
        .status,
    ).toBe(404);
  });
});

describe('links with their totals', () => {
  it('lists the links created here, newest first, with uses and paid amounts', async () => {
    const created = await json(
      admin('/api/admin/links', {
        method: 'POST',
        json: {
          usageType: 'MULTIPLE',
          linkName: 'Comptoir',
          amount: 5000,
          allowedPaymentMethods: ['OM', 'MOMO'],
        },
      }),
    );
    const { links } = await json(admin('/api/admin/links'));
    expect(links[0]).toMatchObject({
      reference: created.reference,
      linkName: 'Comptoir',
      amount: 5000,
      usageType: 'MULTIPLE',
      allowedMethods: ['OM', 'MOMO'],
      uses: 0,
      paidAmount: 0,
    });
  });
});
