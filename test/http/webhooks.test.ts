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

describe('a webhook that comes before Djomy’s answer to our create', () => {
  /** Djomy's event as it sends it: the payment's status object, with our payment id as its reference. */
  const eventOf = (eventType: string, transactionId: string, reference: string) =>
    JSON.stringify({
      eventType,
      eventId: crypto.randomUUID(),
      data: {
        payment: {
          transactionId,
          merchantPaymentReference: reference,
          status: eventType.split('.')[1]?.toUpperCase(),
        },
      },
    });
  const send = async (body: string) => post(body, await signWebhookBody(secret, body));
  const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

  /** A payment created at Djomy whose create answer, as far as the ledger knows, has not arrived. */
  async function awaitingAnswer() {
    const { id, transactionId } = await paidPayment();
    const row = await env.DB.prepare('SELECT * FROM payment_transactions WHERE transaction_id = ?')
      .bind(transactionId)
      .first<Record<string, unknown>>();
    await env.DB.batch([
      env.DB.prepare('DELETE FROM payment_transactions WHERE transaction_id = ?').bind(transactionId),
      env.DB.prepare('UPDATE payments SET transaction_id = NULL WHERE id = ?').bind(id),
    ]);
    /** The answer arrives and is recorded, as the create would record it. */
    const answerArrives = async () => {
      const columns = Object.keys(row ?? {});
      const values = columns.map((column) => (column === 'created_at' ? Date.now() : row?.[column]));
      await env.DB.batch([
        env.DB.prepare(
          `INSERT INTO payment_transactions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ).bind(...values),
        env.DB.prepare('UPDATE payments SET transaction_id = ? WHERE id = ?').bind(transactionId, id),
      ]);
    };
    return { id, transactionId, answerArrives };
  }

  it('an open-status event is checked 2 s later, and finds nothing to ask once the answer is recorded', async () => {
    const { id, transactionId, answerArrives } = await awaitingAnswer();
    await sim.resetCounters();
    expect((await send(eventOf('payment.created', transactionId, id))).status).toBe(200);
    expect((await sim.counters()).status).toBe(0);
    await answerArrives();
    await sleep(2_500);
    expect((await sim.counters()).status).toBe(0);
  });

  it('if the answer never comes, that check adopts the transaction', async () => {
    const { id, transactionId } = await awaitingAnswer();
    await sim.resetCounters();
    expect((await send(eventOf('payment.pending', transactionId, id))).status).toBe(200);
    expect((await sim.counters()).status).toBe(0);
    await waitFor(
      async () => (await json(admin(`/api/admin/payments/${id}`))).payment.transactionId === transactionId,
    );
    expect((await sim.counters()).status).toBe(1);
  });

  it('an event that says more than "open" is checked before the answer, as any unknown transaction is', async () => {
    const { id, transactionId } = await awaitingAnswer();
    await sim.complete(transactionId, 'SUCCESS');
    await sim.resetCounters();
    expect((await send(eventOf('payment.success', transactionId, id))).status).toBe(200);
    expect((await sim.counters()).status).toBe(1);
    expect((await json(admin(`/api/admin/payments/${id}`))).payment).toMatchObject({
      transactionId,
      status: 'SUCCESS',
      paid: true,
    });
  });
});
