import { beforeEach, describe, expect, it } from 'vitest';
import { djomy, djomyHeaders, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

const payment = { paymentMethod: 'OM', payerIdentifier: '00224620123456', amount: 1000, countryCode: 'GN' };
const createPayment = () => djomy('POST', '/v1/payments', { token, body: payment });
const listPayments = () => djomy('GET', '/v1/payments', { token });

describe('injected API faults', () => {
  it.each([
    ['500', 500],
    ['502', 502],
    ['503', 503],
    ['429', 429],
  ] as const)('answers a %s as a JSON error envelope echoing the code', async (kind, code) => {
    await sim.faults({ rules: [{ endpoint: 'listPayments', kind, rate: 1 }] });
    const { status, body, headers } = await listPayments();
    expect(status).toBe(code);
    expect(body).toMatchObject({ success: false, status: code, error: { code } });
    if (kind === '429') expect(headers.get('retry-after')).toBe('1');
  });

  it.each([
    ['html403', 403],
    ['html500', 500],
  ] as const)('answers %s with an HTML body, not JSON', async (kind, code) => {
    await sim.faults({ rules: [{ endpoint: 'auth', kind, rate: 1 }] });
    const { status, headers, text, body } = await djomy('POST', '/v1/auth', { body: {} });
    expect(status).toBe(code);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain('<html');
    expect(body).toBeNull();
  });

  it('answers truncated with a 200 JSON content type whose body does not parse', async () => {
    await sim.faults({ rules: [{ endpoint: 'status', kind: 'truncated', rate: 1 }] });
    const { status, headers, text, body } = await djomy('GET', `/v1/payments/${crypto.randomUUID()}/status`, {
      token,
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    expect(text.length).toBeGreaterThan(0);
    expect(body).toBeNull();
  });

  it('answers successFalse with a 200 whose envelope says success: false', async () => {
    await sim.faults({ rules: [{ endpoint: 'listPayments', kind: 'successFalse', rate: 1 }] });
    const { status, body } = await listPayments();
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: false, status: 200, data: null });
  });

  it('hangs for hangMs then answers 504 on a timeout fault', async () => {
    await sim.faults({ hangMs: 150, rules: [{ endpoint: 'listPayments', kind: 'timeout', rate: 1 }] });
    const started = Date.now();
    const { status } = await listPayments();
    expect(status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('creates nothing when a create call is faulted', async () => {
    await sim.faults({ rules: [{ endpoint: 'createPayment', kind: '503', rate: 1 }] });
    expect((await createPayment()).status).toBe(503);
    expect(await sim.payments()).toEqual([]);
  });

  it('does create the payment on a timeout fault, then hangs: the outcome is unknown to the caller', async () => {
    await sim.faults({ hangMs: 50, rules: [{ endpoint: 'createPayment', kind: 'timeout', rate: 1 }] });
    expect((await createPayment()).status).toBe(504);
    const created = await sim.payments();
    expect(created).toHaveLength(1);
    expect(created[0]?.status).toBe('PENDING');
  });

  it('limits a rule to the next N matching calls with times', async () => {
    await sim.faults({ rules: [{ endpoint: 'listPayments', kind: '500', rate: 1, times: 2 }] });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await listPayments()).status);
    expect(codes).toEqual([500, 500, 200, 200]);
    expect((await sim.getFaults()).rules[0]?.times).toBe(0);
  });

  it('targets one transaction with pathIncludes, whatever the order of concurrent calls', async () => {
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await sim.faults({ rules: [{ endpoint: 'status', kind: '503', rate: 1, pathIncludes: a }] });
    const status = (id: string) => djomy('GET', `/v1/payments/${id}/status`, { token });
    const [first, second] = await Promise.all([status(a), status(b)]);
    expect(first.status).toBe(503);
    expect(second.status).toBe(404);
  });

  it('applies a * rule to every endpoint, and rate 0 to none', async () => {
    await sim.faults({ rules: [{ endpoint: '*', kind: '502', rate: 1 }] });
    expect((await djomy('POST', '/v1/auth', { body: {} })).status).toBe(502);
    expect((await listPayments()).status).toBe(502);
    await sim.faults({ rules: [{ endpoint: '*', kind: '502', rate: 0 }] });
    expect((await listPayments()).status).toBe(200);
  });

  it('replays the same fault sequence with the same seed', async () => {
    const run = async () => {
      await sim.faults({ seed: 42, rules: [{ endpoint: 'listPayments', kind: '503', rate: 0.5 }] });
      const codes = [];
      for (let i = 0; i < 16; i++) codes.push((await listPayments()).status);
      return codes;
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await run()).toEqual(first);
    expect((await sim.getFaults()).seed).toBe(42);
  });

  it('picks and reports a seed when none is given', async () => {
    const spec = await sim.faults({ rules: [] });
    expect(Number.isInteger(spec.seed)).toBe(true);
  });

  it('slows every answer by latencyMs', async () => {
    await sim.faults({ latencyMs: 120, rules: [] });
    const started = Date.now();
    expect((await listPayments()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('is cleared by DELETE /__sim/faults', async () => {
    await sim.faults({ rules: [{ endpoint: '*', kind: '500', rate: 1 }] });
    await sim.clearFaults();
    expect((await listPayments()).status).toBe(200);
  });

  it.each([
    ['an unknown endpoint', { rules: [{ endpoint: 'payouts', kind: '500', rate: 1 }] }],
    ['an unknown kind', { rules: [{ endpoint: 'auth', kind: '418', rate: 1 }] }],
    ['a rate above 1', { rules: [{ endpoint: 'auth', kind: '500', rate: 2 }] }],
    ['an unknown key', { rules: [], surprise: true }],
    ['a negative reorder window', { rules: [], webhooks: { reorderWindowMs: -1 } }],
  ])('refuses a spec with %s', async (_case, spec) => {
    await expect(sim.faults(spec as never)).rejects.toThrow(/400/);
  });
});

/** A raw call, so the test can see the answer start before its body read fails. */
async function rawCall(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${SIM_ORIGIN}${path}`, {
    method,
    headers: await djomyHeaders(token),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the reset fault: processed, then the answer is lost while it is read', () => {
  it('creates the payment and sends its webhook, answers 201, and fails the body read', async () => {
    await sim.faults({ rules: [{ endpoint: 'createPayment', kind: 'reset', rate: 1 }] });
    const response = await rawCall('POST', '/v1/payments', { ...payment, merchantPaymentReference: 'R-1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-length')).toBeNull();
    await expect(response.text()).rejects.toThrow();
    const created = await sim.payments();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ status: 'PENDING', merchantPaymentReference: 'R-1' });
    const events = (await sim.webhooks()).events;
    expect(events.map((e) => [e.eventType, e.transactionId])).toEqual([
      ['payment.pending', created[0]?.transactionId],
    ]);
  });

  it('hands over the first bytes of the real answer before the reset', async () => {
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: 'reset', rate: 1 }] });
    const response = await rawCall('POST', '/v1/payments/gateway', {
      amount: 5000,
      countryCode: 'GN',
      payerNumber: '00224620123456',
    });
    expect(response.status).toBe(201);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toMatch(/^\{"success":true/);
    await expect(reader?.read()).rejects.toThrow();
    expect((await sim.payments())[0]).toMatchObject({ flow: 'gateway', status: 'CREATED' });
  });

  it('applies to reads too: the status is answered 200, then lost', async () => {
    const id = (await createPayment()).body.data.transactionId;
    await sim.faults({ rules: [{ endpoint: 'status', kind: 'reset', rate: 1, times: 1 }] });
    const response = await rawCall('GET', `/v1/payments/${id}/status`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await djomy('GET', `/v1/payments/${id}/status`, { token })).body.data.status).toBe('PENDING');
  });

  it('confirms the OTP, then loses the answer', async () => {
    const id = (await createPayment()).body.data.transactionId;
    const { otp } = await sim.payment(id);
    await sim.faults({ rules: [{ endpoint: 'confirmOtp', kind: 'reset', rate: 1 }] });
    const response = await rawCall('POST', `/v1/payments/${id}/confirmOTP`, { oneTimePin: otp });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await sim.payment(id)).status).toBe('SUCCESS');
  });

  it('loses a refusal just the same: the answer is lost whatever it was', async () => {
    await sim.faults({ rules: [{ endpoint: 'createPayment', kind: 'reset', rate: 1 }] });
    const response = await rawCall('POST', '/v1/payments', { ...payment, amount: -1 });
    expect(response.status).toBe(400);
    await expect(response.text()).rejects.toThrow();
    expect(await sim.payments()).toEqual([]);
  });

  it('issues the token on auth, then loses it', async () => {
    await sim.faults({ rules: [{ endpoint: 'auth', kind: 'reset', rate: 1, times: 1 }] });
    const response = await rawCall('POST', '/v1/auth', {});
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect((await sim.counters()).auth).toBeGreaterThanOrEqual(2);
  });
});

describe('call counters', () => {
  it('count every call per endpoint, faulted or refused, with a total', async () => {
    await sim.resetCounters();
    await createPayment();
    await djomy('POST', '/v1/payments', { token: 'bad', body: payment });
    await sim.faults({ rules: [{ endpoint: 'status', kind: '500', rate: 1 }] });
    await djomy('GET', `/v1/payments/${crypto.randomUUID()}/status`, { token });
    await djomy('POST', '/v1/links', { token, body: { countryCode: 'GN' } });
    expect(await sim.counters()).toEqual({
      auth: 0,
      createPayment: 2,
      createGateway: 0,
      confirmOtp: 0,
      status: 1,
      listPayments: 0,
      createLink: 1,
      getLink: 0,
      listLinks: 0,
      total: 4,
    });
  });

  it('are zeroed by DELETE /__sim/counters and by reset', async () => {
    await listPayments();
    expect((await sim.counters()).total).toBeGreaterThan(0);
    expect((await sim.resetCounters()).total).toBe(0);
    await listPayments();
    await sim.reset();
    expect((await sim.counters()).total).toBe(0);
  });
});
