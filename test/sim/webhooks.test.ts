import { beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS, TEST_HOSTS } from '../support/constants.ts';
import { djomy, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

const direct = { paymentMethod: 'OM', payerIdentifier: '00224620123456', amount: 20000, countryCode: 'GN' };

async function createDirect(extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await djomy('POST', '/v1/payments', { token, body: { ...direct, ...extra } });
  return body.data.transactionId;
}

const eventTypes = async (transactionId: string) =>
  (await sim.webhooks()).events.filter((e) => e.transactionId === transactionId).map((e) => e.eventType);

describe('webhooks built by the simulator (not sent: webhookUrl null)', () => {
  beforeEach(async () => {
    await sim.reset();
    await sim.config({ webhookUrl: null });
    token = await djomyToken();
  });

  it('are signed v1:<hex> with the client secret over the exact body, and logged without deliveries', async () => {
    const id = await createDirect({ merchantPaymentReference: 'pay_w1', metadata: { order: 'O-1' } });
    const log = await sim.webhooks();
    expect(log.deliveries).toEqual([]);
    expect(log.pending).toBe(0);
    const [event] = log.events;
    expect(event).toMatchObject({ eventType: 'payment.pending', transactionId: id, version: 'v2' });
    expect(event?.signature).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(
      await verifyWebhookSignature(
        TEST_CREDENTIALS.clientSecret,
        event?.body ?? '',
        event?.signature ?? null,
      ),
    ).toBe(true);
    const body = JSON.parse(event?.body ?? '{}');
    expect(body).toMatchObject({
      eventType: 'payment.pending',
      eventId: event?.eventId,
      message: 'Statut du paiement',
      data: { payment: { transactionId: id, status: 'PENDING', merchantPaymentReference: 'pay_w1' } },
      paymentLinkReference: '',
      metadata: { order: 'O-1' },
    });
  });

  it('put the payment itself in data under webhookVersion v1', async () => {
    await sim.config({ webhookVersion: 'v1' });
    const id = await createDirect();
    const [event] = (await sim.webhooks()).events;
    expect(event?.version).toBe('v1');
    expect(JSON.parse(event?.body ?? '{}').data).toMatchObject({ transactionId: id, status: 'PENDING' });
  });

  it('follow a gateway payment through one event per status change', async () => {
    const { body } = await djomy('POST', '/v1/payments/gateway', {
      token,
      body: { amount: 5000, countryCode: 'GN', payerNumber: '00224620123456' },
    });
    const id = body.data.transactionId;
    await fetch(`${SIM_ORIGIN}/portal/${id}`);
    await fetch(`${SIM_ORIGIN}/portal/${id}`); // already REDIRECTED: no new event
    await fetch(`${SIM_ORIGIN}/portal/${id}`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'pay' }),
    });
    expect(await eventTypes(id)).toEqual(['payment.created', 'payment.redirected', 'payment.success']);
  });

  // payment.refunded and payment.timeout are among Djomy's 8 payment events but not in afro.tools' list of 6.
  it('announce a refund after success, and nothing for CAPTURED', async () => {
    const id = await createDirect();
    await sim.complete(id, 'CAPTURED');
    await sim.complete(id, 'SUCCESS');
    await sim.complete(id, 'REFUNDED');
    expect(await eventTypes(id)).toEqual(['payment.pending', 'payment.success', 'payment.refunded']);
  });

  it('carry the link reference at envelope level for link payments', async () => {
    const link = await djomy('POST', '/v1/links', {
      token,
      body: { countryCode: 'GN', amountToPay: 1000, merchantReference: 'L-1', metadata: { shop: 'A' } },
    });
    const reference = link.body.data.paymentLinkReference;
    const payment = await sim.payLink(reference);
    const events = (await sim.webhooks()).events.filter((e) => e.transactionId === payment.transactionId);
    expect(events.map((e) => e.eventType)).toEqual(['payment.pending', 'payment.success']);
    const body = JSON.parse(events[1]?.body ?? '{}');
    expect(body).toMatchObject({ paymentLinkReference: reference, metadata: { shop: 'A' } });
    expect(body.data.payment).toMatchObject({
      paymentLinkReference: reference,
      merchantPaymentReference: 'L-1',
    });
  });
});

describe('webhook deliveries to the Worker under test', () => {
  beforeEach(async () => {
    await sim.reset();
    token = await djomyToken();
  });

  it('go by default to the Worker at SIM_WEBHOOK_URL', async () => {
    expect((await sim.getConfig()).webhookUrl).toBe(`http://${TEST_HOSTS.edge}/webhooks/djomy`);
  });

  it('are POSTed and logged with the receiver’s HTTP status, and drained to zero pending', async () => {
    const id = await createDirect();
    const log = await sim.drainWebhooks();
    expect(log.pending).toBe(0);
    const deliveries = log.deliveries.filter((d) => d.transactionId === id);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    expect(deliveries[0]).toMatchObject({ eventType: 'payment.pending', attempt: 1 });
    expect(typeof deliveries[0]?.outcome).toBe('number');
  });

  it('are dropped, never sent, when dropRate is 1', async () => {
    await sim.faults({ rules: [], webhooks: { dropRate: 1, duplicateRate: 0, reorderWindowMs: 0 } });
    await createDirect();
    const log = await sim.drainWebhooks();
    expect(log.deliveries.map((d) => d.outcome)).toEqual(['dropped']);
  });

  it('are sent twice with the same eventId when duplicateRate is 1', async () => {
    await sim.config({ webhookRetry: { attempts: 1 } });
    await sim.faults({ rules: [], webhooks: { dropRate: 0, duplicateRate: 1, reorderWindowMs: 0 } });
    await createDirect();
    const log = await sim.drainWebhooks();
    expect(log.deliveries).toHaveLength(2);
    expect(new Set(log.deliveries.map((d) => d.eventId)).size).toBe(1);
  });

  it('still all arrive inside a reorder window', async () => {
    await sim.config({ webhookRetry: { attempts: 1 } });
    await sim.faults({
      seed: 3,
      rules: [],
      webhooks: { dropRate: 0, duplicateRate: 0, reorderWindowMs: 200 },
    });
    const id = await createDirect();
    await sim.complete(id, 'SUCCESS');
    const log = await sim.drainWebhooks();
    expect(log.deliveries.map((d) => d.eventType).sort()).toEqual(['payment.pending', 'payment.success']);
  });

  it('can be replayed once, byte for byte, by eventId', async () => {
    await createDirect();
    const log = await sim.drainWebhooks();
    const eventId = log.events[0]?.eventId ?? '';
    const replay = await sim.replayWebhook(eventId);
    expect(replay).toMatchObject({ eventId, eventType: 'payment.pending' });
    expect(typeof replay.outcome).toBe('number');
    const after = await sim.webhooks();
    expect(after.deliveries.filter((d) => d.eventId === eventId).length).toBe(
      log.deliveries.filter((d) => d.eventId === eventId).length + 1,
    );
    expect(after.events).toHaveLength(1);
  });

  it('refuses to replay an unknown eventId', async () => {
    await expect(sim.replayWebhook(crypto.randomUUID())).rejects.toThrow(/404/);
  });
});
