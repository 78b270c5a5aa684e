/**
 * Fuzzing the Djomy webhook endpoint: random bodies, signatures and headers.
 * Without a valid signature nothing changes, whatever the body claims; with
 * one, any body is answered without a 5xx.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { call, gatewayOrder, json, seedCatalog, transactionOf } from '../support/worker.ts';

const RUNS = Number(env.FUZZ_RUNS || 1500);
const secret = TEST_CREDENTIALS.clientSecret;
let transactionId = '';

async function state(): Promise<string> {
  const events = await env.DB.prepare('SELECT count(*) AS n FROM webhook_events').first<{ n: number }>();
  const payments = await env.DB.prepare(
    'SELECT group_concat(id || status || paid || version) AS s FROM payments',
  ).first<{ s: string }>();
  return `${events?.n}|${payments?.s}`;
}

/** Bodies that look like Djomy events (sometimes naming a real transaction), or anything at all. */
const eventLike = fc.record(
  {
    eventType: fc.oneof(
      fc.constantFrom('payment.success', 'payment.failed', 'payment.refunded', 'payout.success'),
      fc.string(),
    ),
    eventId: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })),
    data: fc.oneof(
      fc.record({
        payment: fc.record({
          transactionId: fc.constant('REAL'),
          status: fc.constantFrom('SUCCESS', 'FAILED'),
        }),
      }),
      fc.record({ transactionId: fc.oneof(fc.constant('REAL'), fc.string()), status: fc.string() }),
      fc.anything(),
    ),
    paymentLinkReference: fc.option(fc.string(), { nil: undefined }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  eventLike.map((event) => JSON.stringify(event).replaceAll('"REAL"', JSON.stringify(transactionId))),
  fc.string({ maxLength: 500 }),
  fc.constantFrom('', '{}', '[]', 'null', '{"eventType":'),
);
const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 64, maxLength: 64 });
const forgedSignature = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 100 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  hex64.map((hex) => `v1:${hex}`),
  hex64,
  fc.constantFrom('v1:', 'v2:abc', 'sha256=00'),
);

beforeAll(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  await seedCatalog();
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
  transactionId = await transactionOf(id);
  await sim.complete(transactionId, 'SUCCESS');
});

it('without a valid signature, no body changes anything and nothing answers 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(
      body,
      forgedSignature,
      fc.constantFrom('application/json', 'text/plain', undefined),
      async (raw, signature, type) => {
        const before = await state();
        const response = await call('/webhooks/djomy', {
          method: 'POST',
          body: raw,
          headers: {
            ...(type ? { 'content-type': type } : {}),
            ...(signature === undefined ? {} : { 'x-webhook-signature': signature }),
          },
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(await state()).toBe(before);
      },
    ),
    { numRuns: RUNS, seed: 4 },
  );
});

it('signed with the wrong secret or over other bytes, a real-looking event is refused too', async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.string({ minLength: 1, maxLength: 40 }), async (raw, wrongSecret) => {
      const before = await state();
      for (const signature of [
        await signWebhookBody(wrongSecret === secret ? `${wrongSecret}!` : wrongSecret, raw),
        await signWebhookBody(secret, `${raw}\n`),
      ]) {
        const response = await call('/webhooks/djomy', {
          method: 'POST',
          body: raw,
          headers: { 'x-webhook-signature': signature },
        });
        expect(response.status).toBe(401);
      }
      expect(await state()).toBe(before);
    }),
    { numRuns: Math.round(RUNS / 3), seed: 5 },
  );
});

it('correctly signed, any body is answered 200 or 400, never 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(body, async (raw) => {
      const response = await call('/webhooks/djomy', {
        method: 'POST',
        body: raw,
        headers: { 'x-webhook-signature': await signWebhookBody(secret, raw) },
      });
      expect([200, 400]).toContain(response.status);
      await response.body?.cancel();
    }),
    { numRuns: Math.round(RUNS / 3), seed: 6 },
  );
});
