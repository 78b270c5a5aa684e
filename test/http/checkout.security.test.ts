import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { admin, call, countPayments, freshStart, gatewayOrder, SHOP } from '../support/worker.ts';

beforeAll(() => freshStart());

afterEach(() => vi.restoreAllMocks());

describe('CORS is limited to ALLOWED_ORIGINS', () => {
  it('an allowed site gets the CORS headers', async () => {
    const response = await call('/api/catalog', { headers: { origin: SHOP } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('an allowed preflight names the methods and headers', async () => {
    const response = await call('/api/payments', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });

  it('another site is refused, preflight included, and nothing is created', async () => {
    const before = await countPayments();
    for (const method of ['OPTIONS', 'POST', 'GET'] as const) {
      const response = await call('/api/payments', {
        method,
        headers: { origin: 'https://evil.example' },
        ...(method === 'POST' ? { json: gatewayOrder() } : {}),
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(await countPayments()).toBe(before);
  });

  it("the Worker's own origin (the demo shop) is allowed", async () => {
    const response = await call('/api/catalog', { headers: { origin: 'http://edge.localhost' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://edge.localhost');
  });
});

describe('the admin API', () => {
  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer nope'],
    ['the token with another scheme', `Basic ${TEST_CREDENTIALS.adminToken}`],
    ['the token plus one character', `Bearer ${TEST_CREDENTIALS.adminToken}x`],
    ['a prefix of the token', `Bearer ${TEST_CREDENTIALS.adminToken.slice(0, -1)}`],
  ])('refuses %s with 401', async (_name, authorization) => {
    const response = await call('/api/admin/payments', { headers: authorization ? { authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('accepts the token', async () => {
    expect((await admin('/api/admin/payments')).status).toBe(200);
  });
});

describe('the public rate limit', () => {
  it('answers 429 problem+json with Retry-After once one IP exceeds its budget', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 80 && !limited; i++) {
      const response = await call('/api/catalog', { ip });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(limited?.headers.get('retry-after')).toBe('10');
    expect(limited?.headers.get('content-type')).toBe('application/problem+json');
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
    // Another client is not affected.
    expect((await call('/api/catalog')).status).toBe(200);
  });
});

describe('secrets and phone numbers', () => {
  const secrets = [
    TEST_CREDENTIALS.clientSecret,
    TEST_CREDENTIALS.adminToken,
    TEST_CREDENTIALS.merchantWebhookSecret,
  ];

  it('never appear in answers, error answers or logs; logged phones are masked', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    const bodies: string[] = [];
    const record = async (response: Promise<Response>) => bodies.push(await (await response).text());
    await record(
      call('/api/payments', {
        method: 'POST',
        json: gatewayOrder({ payer: { phone: '+224 628 77 66 55' } }),
      }),
    );
    await record(
      call('/api/payments', { method: 'POST', json: gatewayOrder({ payer: { phone: 'not-a-phone' } }) }),
    );
    await record(call('/healthz'));
    await record(admin('/api/admin/diagnostics'));
    await record(admin('/api/admin/payments'));
    await record(call('/api/admin/payments', { headers: { authorization: 'Bearer wrong' } }));
    await sim.config({ partnerDomain: 'x.example' });
    await record(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.config({ partnerDomain: null });

    const everything = [...bodies, ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(lines.join('\n')).not.toMatch(/628776655|628 77 66 55/);
  });

  it('/healthz names missing settings without their values', async () => {
    const response = await call('/healthz');
    const body = await response.json<{ status: string; d1: string; problems: unknown[] }>();
    expect(body).toEqual({ status: 'ok', d1: 'ok', problems: [] });
  });
});
