import { beforeEach, describe, expect, it } from 'vitest';
import { djomyApiKey } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { djomy, djomyHeaders, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
});

const listPayments = (token?: string, headers?: Record<string, string>) =>
  djomy('GET', '/v1/payments', { token, headers });

describe('POST /v1/auth', () => {
  it('issues a Bearer token for a valid X-API-KEY, in the envelope, with expiresIn 3600', async () => {
    const { status, body } = await djomy('POST', '/v1/auth', { body: {} });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, error: null, status: 200 });
    expect(body.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(body.data.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('accepts a call with no body at all', async () => {
    const response = await fetch(`${SIM_ORIGIN}/v1/auth`, { method: 'POST', headers: await djomyHeaders() });
    expect(response.status).toBe(200);
  });

  it('ignores an Authorization header sent to /v1/auth', async () => {
    const { status } = await djomy('POST', '/v1/auth', { headers: { authorization: 'Bearer whatever' } });
    expect(status).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'not-a-key'],
    ['signed with the wrong secret', 'wrong-secret'],
    ['for an unknown client', 'unknown-client'],
  ])('refuses an X-API-KEY that is %s with 401 "Identifiants invalides"', async (_case, variant) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (variant === 'not-a-key') headers['x-api-key'] = 'not-a-key';
    if (variant === 'wrong-secret') {
      headers['x-api-key'] = await djomyApiKey(TEST_CREDENTIALS.clientId, 'another-secret');
    }
    if (variant === 'unknown-client') {
      headers['x-api-key'] = await djomyApiKey('djomy-client-1-ffff', TEST_CREDENTIALS.clientSecret);
    }
    const response = await fetch(`${SIM_ORIGIN}/v1/auth`, { method: 'POST', headers, body: '{}' });
    const body = (await response.json()) as { error: { message: string }; status: number; success: boolean };
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ success: false, status: 401, error: { message: 'Identifiants invalides' } });
  });
});

describe('business calls', () => {
  it('need both a valid X-API-KEY and a live Bearer', async () => {
    const token = await djomyToken();
    expect((await listPayments(token)).status).toBe(200);
  });

  it('refuse a missing X-API-KEY with 401 even when the Bearer is valid', async () => {
    const token = await djomyToken();
    const response = await fetch(`${SIM_ORIGIN}/v1/payments`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { error: { message: string } };
    expect(response.status).toBe(401);
    expect(body.error.message).toBe('Identifiants invalides');
  });

  it('refuse a missing or unknown Bearer with 401 "token expiré"', async () => {
    for (const token of [undefined, 'eyJ.unknown.token']) {
      const { status, body } = await listPayments(token);
      expect(status).toBe(401);
      expect(body.error.message).toBe('token expiré');
    }
  });

  it('refuse a token once tokenTtlSeconds have passed', async () => {
    await sim.config({ tokenTtlSeconds: 1 });
    const auth = await djomy('POST', '/v1/auth', { body: {} });
    expect(auth.body.data.expiresIn).toBe(1);
    const token = auth.body.data.accessToken as string;
    expect((await listPayments(token)).status).toBe(200);
    await new Promise((done) => setTimeout(done, 1100));
    const expired = await listPayments(token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe('token expiré');
  });

  it('refuse a still-valid token when early expiry is injected, and the token stays dead', async () => {
    const token = await djomyToken();
    await sim.faults({ rules: [], tokenEarlyExpiryRate: 1 });
    const first = await listPayments(token);
    expect(first.status).toBe(401);
    expect(first.body.error.message).toBe('token expiré');
    await sim.clearFaults();
    expect((await listPayments(token)).status).toBe(401);
    expect((await listPayments(await djomyToken())).status).toBe(200);
  });

  it('forget every token on /__sim/reset', async () => {
    const token = await djomyToken();
    await sim.reset();
    expect((await listPayments(token)).status).toBe(401);
  });
});

describe('production-like partner domain', () => {
  beforeEach(() => sim.config({ partnerDomain: 'shop.example' }));

  it('refuses /v1/auth without X-PARTNER-DOMAIN with a 403 HTML page, like the edge', async () => {
    const { status, headers, text, body } = await djomy('POST', '/v1/auth', { body: {} });
    expect(status).toBe(403);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain('<html');
    expect(body).toBeNull();
  });

  it('refuses a wrong X-PARTNER-DOMAIN on business calls too', async () => {
    const auth = await djomy('POST', '/v1/auth', { headers: { 'x-partner-domain': 'shop.example' } });
    expect(auth.status).toBe(200);
    const wrong = await listPayments(auth.body.data.accessToken, { 'x-partner-domain': 'evil.example' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('lets calls through when the header matches', async () => {
    const headers = { 'x-partner-domain': 'shop.example' };
    const auth = await djomy('POST', '/v1/auth', { headers });
    expect((await listPayments(auth.body.data.accessToken, headers)).status).toBe(200);
  });

  it('accepts and ignores the header when the setting is off (the default)', async () => {
    await sim.config({ partnerDomain: null });
    const { status } = await djomy('POST', '/v1/auth', { headers: { 'x-partner-domain': 'anything' } });
    expect(status).toBe(200);
  });
});
