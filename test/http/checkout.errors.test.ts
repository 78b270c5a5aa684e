import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../support/sim.ts';
import {
  admin,
  call,
  countPayments,
  directOrder,
  freshStart,
  gatewayOrder,
  json,
  transactionOf,
} from '../support/worker.ts';

async function simPaymentsFor(paymentId: string) {
  return (await sim.payments()).filter((p) => p.merchantPaymentReference === paymentId);
}

beforeAll(() => freshStart());

afterEach(() => sim.clearFaults());

describe('bad input is a 400 problem and writes nothing', () => {
  it.each([
    ['items and amount together', gatewayOrder({ amount: 1000 })],
    ['neither items nor amount', gatewayOrder({ items: undefined })],
    ['an open amount while open amounts are off', gatewayOrder({ items: undefined, amount: 5000 })],
    ['an unknown product', gatewayOrder({ items: [{ sku: 'nope', quantity: 1 }] })],
    [
      'a product twice',
      gatewayOrder({
        items: [
          { sku: 'cap', quantity: 1 },
          { sku: 'cap', quantity: 2 },
        ],
      }),
    ],
    ['a quantity of 0', gatewayOrder({ items: [{ sku: 'cap', quantity: 0 }] })],
    ['a quantity over 1000', gatewayOrder({ items: [{ sku: 'cap', quantity: 1001 }] })],
    [
      '51 lines',
      gatewayOrder({ items: Array.from({ length: 51 }, (_, i) => ({ sku: `s${i}`, quantity: 1 })) }),
    ],
    ['a fractional quantity', gatewayOrder({ items: [{ sku: 'cap', quantity: 1.5 }] })],
    ['an invalid phone', gatewayOrder({ payer: { phone: '12' } })],
    ['a phone of another country', gatewayOrder({ payer: { phone: '+232 76 123456' } })],
    ['no payer', gatewayOrder({ payer: undefined })],
    ['a direct payment without method', directOrder({ paymentMethod: undefined })],
    ['CARD on the direct flow', directOrder({ paymentMethod: 'CARD' })],
    ['a method on the gateway flow', gatewayOrder({ paymentMethod: 'OM' })],
    ['an unknown gateway method', gatewayOrder({ allowedPaymentMethods: ['OM', 'VISA'] })],
    ['a success URL on another site', gatewayOrder({ successUrl: 'https://evil.example/phish' })],
    ['a cancel URL that is not http', gatewayOrder({ cancelUrl: 'javascript:alert(1)' })],
    ['a lowercase country', gatewayOrder({ countryCode: 'gn' })],
    ['an unsupported country', gatewayOrder({ countryCode: 'FR' })],
    ['nested metadata', gatewayOrder({ metadata: { a: { b: 1 } } })],
    [
      '21 metadata keys',
      gatewayOrder({ metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }),
    ],
    ['a reference over 100 characters', gatewayOrder({ reference: 'r'.repeat(101) })],
    ['an unknown field', gatewayOrder({ price: 1 })],
    ['an unknown flow', gatewayOrder({ flow: 'magic' })],
  ])('%s', async (_name, body) => {
    const before = await countPayments();
    const response = await call('/api/payments', { method: 'POST', json: body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await response.json<{ type: string; errors: { path: string; message: string }[] }>();
    expect(problem.type).toBe('/docs#problem-validation');
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(await countPayments()).toBe(before);
  });

  it('CARD on the direct flow says cards go through the gateway', async () => {
    const problem = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ paymentMethod: 'CARD' }) }),
    );
    expect(problem.errors).toContainEqual({
      path: 'paymentMethod',
      message: 'cards go through the gateway flow',
    });
  });

  it.each([
    ['not JSON', { body: '{"flow":', headers: { 'content-type': 'application/json' } }, 400],
    [
      'not UTF-8',
      { body: new Uint8Array([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json' } },
      400,
    ],
    [
      'a form',
      { body: 'flow=gateway', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
    ],
    ['no content type', { body: '{}' }, 415],
    [
      'over 16 KiB',
      { body: JSON.stringify({ pad: 'x'.repeat(17_000) }), headers: { 'content-type': 'application/json' } },
      413,
    ],
  ])('a body that is %s', async (_name, init, status) => {
    const before = await countPayments();
    const response = await call('/api/payments', { method: 'POST', ...init });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await countPayments()).toBe(before);
  });

  it('an Idempotency-Key that is too long or has spaces', async () => {
    for (const key of ['k'.repeat(256), 'key with spaces']) {
      const response = await call('/api/payments', {
        method: 'POST',
        json: gatewayOrder(),
        headers: { 'idempotency-key': key },
      });
      expect(response.status).toBe(400);
    }
  });

  it('prices come from the catalog only: amount in the body is refused, and Djomy is asked the catalog price', async () => {
    const tampered = await call('/api/payments', {
      method: 'POST',
      json: { ...gatewayOrder({ items: [{ sku: 'tshirt', quantity: 1 }] }), amount: 1 },
    });
    expect(tampered.status).toBe(400);
    const created = await json(
      call('/api/payments', {
        method: 'POST',
        json: gatewayOrder({ items: [{ sku: 'tshirt', quantity: 1 }] }),
      }),
    );
    expect(created.amount).toBe(75000);
    expect((await sim.payment(await transactionOf(created.id))).amount).toBe(75000);
  });
});

describe('Djomy faults map to 422 / 502 / 503 and keep the outcome for a safe retry', () => {
  it("Djomy's refusal is a 422 with its message; the payment is FAILED and the same key replays the answer", async () => {
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: 'successFalse', rate: 1 }] });
    const init = { method: 'POST', json: gatewayOrder(), headers: { 'idempotency-key': 'refused-1' } };
    const response = await call('/api/payments', init);
    expect(response.status).toBe(422);
    const problem = await response.json<{ type: string; detail: string; paymentId: string }>();
    expect(problem.type).toBe('/docs#problem-djomy-refused');
    expect(problem.detail.length).toBeGreaterThan(0);
    const { payment } = await json(admin(`/api/admin/payments/${problem.paymentId}`));
    expect(payment).toMatchObject({ status: 'FAILED', closeReason: 'refused_by_djomy', transactionId: null });

    await sim.clearFaults();
    await sim.resetCounters();
    const again = await call('/api/payments', init);
    expect(again.status).toBe(422);
    expect((await sim.counters()).createGateway).toBe(0);
  });

  it('Djomy unavailable (503 on every try) is a 502; the same key then creates it once', async () => {
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: '503', rate: 1 }] });
    const init = { method: 'POST', json: gatewayOrder(), headers: { 'idempotency-key': 'unavailable-1' } };
    const response = await call('/api/payments', init);
    expect(response.status).toBe(502);
    expect(response.headers.get('retry-after')).toBeTruthy();
    const { paymentId } = await response.json<{ paymentId: string }>();
    expect((await json(admin(`/api/admin/payments/${paymentId}`))).payment).toMatchObject({
      status: 'CREATED',
      // A 503 may come from a proxy after Djomy acted: unknown, so a lost gateway session is replaced on retry.
      createError: { kind: 'server', status: 503, outcomeUnknown: true },
    });

    await sim.clearFaults();
    const retried = await call('/api/payments', init);
    expect(retried.status).toBe(201);
    expect((await retried.json<{ id: string }>()).id).toBe(paymentId);
    expect(await simPaymentsFor(paymentId)).toHaveLength(1);
  });

  it('a 500 on create is not retried by the client (its outcome is unknown)', async () => {
    await sim.resetCounters();
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: '500', rate: 1 }] });
    const response = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(502);
    expect((await sim.counters()).createGateway).toBe(1);
  });

  it('a timed-out direct create is never sent twice: Djomy’s list shows it, and it is adopted at once', async () => {
    await sim.resetCounters();
    await sim.faults({
      hangMs: 2500,
      rules: [{ endpoint: 'createPayment', kind: 'timeout', rate: 1, times: 1 }],
    });
    const init = { method: 'POST', json: directOrder(), headers: { 'idempotency-key': 'timeout-1' } };
    const response = await call('/api/payments', init);
    expect(response.status).toBe(201);
    const { id: paymentId, next } = await response.json<{ id: string; next: unknown }>();
    expect(next).toEqual({ type: 'otp' });
    const { events } = await json(admin(`/api/admin/payments/${paymentId}`));
    expect(events.map((e: { detail: Record<string, unknown> | null }) => e.detail)).toContainEqual(
      expect.objectContaining({
        createError: expect.objectContaining({ kind: 'timeout', outcomeUnknown: true }),
      }),
    );

    const retried = await call('/api/payments', init);
    expect(retried.status).toBe(201);
    expect(await retried.json()).toMatchObject({ id: paymentId, next: { type: 'otp' } });
    const atDjomy = await simPaymentsFor(paymentId);
    expect(atDjomy).toHaveLength(1);
    expect(await transactionOf(paymentId)).toBe(atDjomy[0]?.transactionId);
    expect((await sim.counters()).createPayment).toBe(1);
  });

  it('an edge refusal (403 HTML: IP or partner domain) is a 503 that points at the diagnostics', async () => {
    await sim.config({ partnerDomain: 'shop.example' });
    try {
      const response = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
      expect(response.status).toBe(503);
      const problem = await response.json<{ type: string; detail: string }>();
      expect(problem.type).toBe('/docs#problem-djomy-configuration');
      expect(problem.detail).toContain('diagnostics');
    } finally {
      await sim.config({ partnerDomain: null });
    }
  });

  it('credentials refused on every call is a 503, after exactly one re-authentication', async () => {
    // A token in the cache first, so the only /v1/auth below is the re-authentication.
    expect((await call('/api/payments', { method: 'POST', json: gatewayOrder() })).status).toBe(201);
    await sim.resetCounters();
    await sim.faults({ tokenEarlyExpiryRate: 1, rules: [] });
    const response = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(503);
    const counters = await sim.counters();
    expect(counters.createGateway).toBe(2);
    expect(counters.auth).toBe(1);
  });
});

describe('OTP errors', () => {
  it('an OTP for a gateway payment is a 409', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    expect((await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp: '1234' } })).status).toBe(
      409,
    );
  });

  it('an OTP for a closed payment is a 409', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    await sim.complete(await transactionOf(id), 'FAILED');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    expect((await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp: '1234' } })).status).toBe(
      409,
    );
  });

  it.each(['12', '1234567', 'abcd', '12 34 5a'])('a code like %j is a 400', async (otp) => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    expect((await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp } })).status).toBe(400);
  });

  it('spaces in the code are fine', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    const otp = (await sim.payment(await transactionOf(id))).otp as string;
    const spaced = otp.split('').join(' ');
    expect((await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp: spaced } })).status).toBe(
      200,
    );
  });

  it.each(['pay_unknownunknownunknownunknown00', 'x', '../admin'])(
    'an unknown payment %j is a 404',
    async (id) => {
      expect((await call(`/api/payments/${encodeURIComponent(id)}`)).status).toBe(404);
      expect(
        (await call(`/api/payments/${encodeURIComponent(id)}/otp`, { method: 'POST', json: { otp: '1234' } }))
          .status,
      ).toBe(404);
    },
  );
});
