import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { admin, call, freshStart, gatewayOrder, json, transactionOf, waitFor } from '../support/worker.ts';

const secret = TEST_CREDENTIALS.clientSecret;

async function countEvents(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM webhook_events').first<{ n: number }>())?.n ?? 0;
}

async function post(body: string, signature: string | null) {
  return call('/webhooks/djomy', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-webhook-signature': signature }),
    },
  });
}

function event(
  eventType: string,
  transactionId: string,
  version: 'v1' | 'v2' = 'v2',
  eventId = crypto.randomUUID(),
) {
  const payment = { transactionId, status: eventType.split('.')[1]?.toUpperCase(), paidAmount: 1 };
  return JSON.stringify({
    eventType,
    eventId,
    message: 'Statut du paiement',
    data: version === 'v2' ? { payment } : payment,
    paymentLinkReference: '',
    timestamp: new Date().toISOString(),
    metadata: {},
  });
}

async function paidPayment(): Promise<{ id: string; transactionId: string }> {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
  return { id, transactionId: await transactionOf(id) };
}

beforeAll(() => freshStart());

describe('POST /webhooks/djomy', () => {
  it('answers GET for the dashboard check', async () => {
    expect(await json(call('/webhooks/djomy'))).toEqual({ status: 'ok' });
  });

  it.each([
    ['no signature', null],
    ['a forged signature', `v1:${'ab'.repeat(32)}`],
    ['a signature of another body', 'other'],
    ['garbage', 'v1:not-hex'],
  ])('refuses %s with 401 and stores nothing', async (_name, signature) => {
    const before = await countEvents();
    const body = event('payment.success', crypto.randomUUID());
    const header = signature === 'other' ? await signWebhookBody(secret, `${body} `) : signature;
    const response = await post(body, header);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await countEvents()).toBe(before);
  });

  it.each(['v1', 'v2'] as const)(
    'accepts a signed %s event and verifies the payment with Djomy',
    async (version) => {
      const { id, transactionId } = await paidPayment();
      await sim.complete(transactionId, 'SUCCESS');
      const body = event('payment.success', transactionId, version);
      const response = await post(body, await signWebhookBody(secret, body));
      expect(response.status).toBe(200);
      // Well before the first young-payment check (15 s), and by the webhook's own job.
      await waitFor(async () => (await json(admin(`/api/admin/payments/${id}`))).payment.paid, 10_000);
      const { events } = await json(admin(`/api/admin/payments/${id}`));
      expect(events.at(-1)).toMatchObject({ to: 'SUCCESS', source: 'webhook' });
    },
  );

  it('accepts a bare hex signature', async () => {
    const body = event('payment.pending', crypto.randomUUID());
    const signature = (await signWebhookBody(secret, body)).slice(3);
    expect((await post(body, signature)).status).toBe(200);
  });

  it('a duplicate eventId is answered 200 and not processed again', async () => {
    const body = event('payment.pending', crypto.randomUUID());
    const signature = await signWebhookBody(secret, body);
    expect(await json(post(body, signature))).toEqual({ received: true });
    expect(await json(post(body, signature))).toEqual({ received: true, duplicate: true });
  });

  it('records payout and unknown events without acting on them', async () => {
    const eventId = crypto.randomUUID();
    const body = JSON.stringify({
      eventType: 'payout.success',
      eventId,
      data: { payout: { id: 'po-1' } },
    });
    expect((await post(body, await signWebhookBody(secret, body))).status).toBe(200);
    const row = await env.DB.prepare('SELECT ignored FROM webhook_events WHERE event_id = ?')
      .bind(eventId)
      .first<{ ignored: number }>();
    expect(row?.ignored).toBe(1);
  });

  it('refuses a signed body that is not a Djomy event with 400', async () => {
    for (const body of ['not json', '[]', '{"eventId":"x"}']) {
      expect((await post(body, await signWebhookBody(secret, body))).status).toBe(400);
    }
  });

  it('refuses a body over 64 KiB with 413 before checking anything', async () => {
    const body = JSON.stringify({ eventType: 'payment.success', eventId: 'big', pad: 'x'.repeat(64 * 1024) });
    expect((await post(body, await signWebhookBody(secret, body))).status).toBe(413);
  });

  it('an event claiming failure never changes a paid payment: only Djomy’s status counts', async () => {
    const { id, transactionId } = await paidPayment();
    await sim.complete(transactionId, 'SUCCESS');
    await call(`/return/${id}`);
    const body = event('payment.failed', transactionId);
    expect((await post(body, await signWebhookBody(secret, body))).status).toBe(200);
    const body2 = event('payment.refunded', transactionId);
    expect((await post(body2, await signWebhookBody(secret, body2))).status).toBe(200);
    // The refund hint makes the consumer ask Djomy, which still says SUCCESS.
    await waitFor(async () => {
      const { payment } = await json(admin(`/api/admin/payments/${id}`));
      return payment.verifyCount >= 2 ? payment : null;
    });
    expect(await json(call(`/api/payments/${id}`))).toMatchObject({ status: 'SUCCESS', paid: true });
  });

  it('replaying an old valid webhook never moves a terminal payment', async () => {
    await sim.config({ webhookUrl: null });
    const { id, transactionId } = await paidPayment();
    await sim.complete(transactionId, 'FAILED');
    await call(`/return/${id}`);
    expect(await json(call(`/api/payments/${id}`))).toMatchObject({ status: 'FAILED' });
    const { events } = await sim.webhooks();
    const old = events.filter((e) => e.transactionId === transactionId);
    expect(old.length).toBeGreaterThan(0);
    for (const message of old) {
      const response = await post(message.body, message.signature);
      expect(response.status).toBe(200);
    }
    // A later webhook of another payment, queued after the replays with the same delay: once its
    // job has run, the replays' jobs have run too.
    const sentinel = await paidPayment();
    await sim.complete(sentinel.transactionId, 'SUCCESS');
    const body = event('payment.success', sentinel.transactionId);
    await post(body, await signWebhookBody(secret, body));
    await waitFor(async () => (await json(admin(`/api/admin/payments/${sentinel.id}`))).payment.paid, 10_000);
    expect(await json(call(`/api/payments/${id}`))).toMatchObject({ status: 'FAILED', paid: false });
    const { events: history } = await json(admin(`/api/admin/payments/${id}`));
    expect(
      history.filter((e: { to: string }) => e.to !== 'CREATED').map((e: { to: string }) => e.to),
    ).toEqual(['FAILED']);
  });
});
