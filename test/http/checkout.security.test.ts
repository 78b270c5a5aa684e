import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { admin, call, countPayments, EDGE, freshStart, gatewayOrder, SHOP } from '../support/worker.ts';

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

  it('a refused origin is named in the 403, so the operator knows what to add', async () => {
    const response = await call('/api/catalog', { headers: { origin: 'https://other.example' } });
    expect(response.status).toBe(403);
    expect((await response.json<{ detail: string }>()).detail).toContain('https://other.example');
  });

  it.each(['garbage', 'https://shop.example/path', 'null', 'https://', '💥'])(
    'a malformed Origin %j is a 403 on the API and on /checkout, never a 500',
    async (origin) => {
      const api = await call('/api/catalog', { headers: { origin: encodeURI(origin) } });
      expect(api.status).toBe(403);
      const form = await call('/checkout', {
        method: 'POST',
        headers: { origin: encodeURI(origin), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'sku=cap&phone=622123456',
      });
      if (origin === 'null') expect(form.status).not.toBe(500);
      else {
        expect(form.status).toBe(403);
        expect(form.headers.get('content-type')).toBe('application/problem+json');
      }
    },
  );

  it("the Worker's own origin (the demo shop) is allowed", async () => {
    const response = await call('/api/catalog', { headers: { origin: 'http://edge.localhost' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://edge.localhost');
  });
});

describe('plain-http sites the operator listed', () => {
  const withOrigins = (origins: string) => ({ ...env, ALLOWED_ORIGINS: origins });
  const fetchWith = (request: Request, origins: string) =>
    worker.fetch(request, withOrigins(origins), createExecutionContext());

  it('are honoured by CORS, and /healthz stays 200 with a warning', async () => {
    const origins = 'http://shop.example';
    const health = await fetchWith(new Request(`${EDGE}/healthz`), origins);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      problems: [],
      warnings: [{ setting: 'ALLOWED_ORIGINS' }],
    });
    const api = await fetchWith(
      new Request(`${EDGE}/api/catalog`, {
        headers: { origin: 'http://shop.example', 'cf-connecting-ip': '10.9.9.9' },
      }),
      origins,
    );
    expect(api.status).toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBe('http://shop.example');
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
    // The local limiter's 10 s window may roll over mid-test: two windows' worth of requests
    // (2 × 60 + 1) always reach a 429.
    for (let i = 0; i < 121 && !limited; i++) {
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
    expect(body).toMatchObject({ status: 'ok', d1: 'ok', problems: [] });
  });
});
