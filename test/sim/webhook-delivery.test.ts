import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../sim/src/random.ts';
import {
  type DeliveryPolicy,
  type DeliveryRecord,
  deliverWebhook,
  planDelivery,
} from '../../sim/src/webhook-delivery.ts';
import { buildWebhookMessage, type WebhookInput } from '../../sim/src/webhook-message.ts';
import { verifyWebhookSignature } from '../../src/djomy/signature.ts';
import webhookSchema from '../fixtures/afrotools-djomy/webhook_payment_completed.schema.json';

const SECRET = 'client-secret-for-unit-tests';

const input: WebhookInput = {
  eventType: 'payment.success',
  payment: { transactionId: '7f0c3b8e-7c8a-4d3c-9a53-1f0b3c1d2e4f', status: 'SUCCESS', paidAmount: 1000 },
  paymentLinkReference: null,
  metadata: { orderId: 'A1' },
  version: 'v2',
  at: new Date('2026-07-13T10:31:00.000Z'),
};

const policy: DeliveryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  dropRate: 0,
  duplicateRate: 0,
  reorderWindowMs: 0,
};

/** Effects that answer with the given statuses in turn and remember what happened. */
function fakeEffects(answers: (number | Error)[]) {
  const sent: string[] = [];
  const slept: number[] = [];
  const records: DeliveryRecord[] = [];
  return {
    sent,
    slept,
    records,
    effects: {
      send: async (message: { body: string }) => {
        sent.push(message.body);
        const answer = answers.shift() ?? 200;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      sleep: async (ms: number) => {
        slept.push(ms);
      },
      record: (entry: DeliveryRecord) => records.push(entry),
    },
  };
}

describe('the webhook message', () => {
  it('is signed v1:<lowercase hex> over exactly its body bytes', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    expect(message.signature).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(SECRET, message.body, message.signature)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, `${message.body} `, message.signature)).toBe(false);
    expect(await verifyWebhookSignature('another-secret', message.body, message.signature)).toBe(false);
  });

  it('wraps the payment as data.payment in V2, with link reference and metadata at envelope level', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    expect(JSON.parse(message.body)).toEqual({
      eventType: 'payment.success',
      eventId: message.eventId,
      message: 'Statut du paiement',
      data: { payment: input.payment },
      paymentLinkReference: '',
      timestamp: '2026-07-13T10:31:00.000Z',
      metadata: { orderId: 'A1' },
    });
  });

  it('carries the payment itself as data in V1', async () => {
    const message = await buildWebhookMessage(SECRET, { ...input, version: 'v1' });
    expect(JSON.parse(message.body).data).toEqual(input.payment);
  });

  it('matches the afro.tools webhook payload schema in both versions', async () => {
    const validator = new Validator(webhookSchema.input_schema as never, '2019-09', false);
    for (const version of ['v1', 'v2'] as const) {
      const message = await buildWebhookMessage(SECRET, { ...input, version });
      expect(validator.validate(JSON.parse(message.body)).errors).toEqual([]);
    }
  });

  it('gets a fresh UUID eventId each time', async () => {
    const a = await buildWebhookMessage(SECRET, input);
    const b = await buildWebhookMessage(SECRET, input);
    expect(a.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.eventId).not.toBe(b.eventId);
  });
});

describe('delivering a webhook', () => {
  it('stops at the first 2xx answer', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    const fake = fakeEffects([204]);
    await deliverWebhook(message, planDelivery(policy, Math.random), policy, fake.effects);
    expect(fake.records.map((r) => [r.attempt, r.outcome])).toEqual([[1, 204]]);
  });

  it('retries a non-2xx answer or a network error with exponential backoff, same bytes each time', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    const fake = fakeEffects([500, new Error('connection reset'), 200]);
    await deliverWebhook(message, planDelivery(policy, Math.random), policy, fake.effects);
    expect(fake.records.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 500],
      [2, 'error'],
      [3, 200],
    ]);
    expect(fake.slept).toEqual([500, 1000]);
    expect(new Set(fake.sent)).toEqual(new Set([message.body]));
  });

  it('gives up after the configured number of attempts', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    const fake = fakeEffects([503, 503, 503, 503]);
    await deliverWebhook(
      message,
      planDelivery(policy, Math.random),
      { ...policy, attempts: 2 },
      fake.effects,
    );
    expect(fake.records.map((r) => r.outcome)).toEqual([503, 503]);
  });

  it('never sends a dropped message, and records it as dropped', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    const fake = fakeEffects([]);
    const plan = planDelivery({ ...policy, dropRate: 1 }, Math.random);
    await deliverWebhook(message, plan, policy, fake.effects);
    expect(fake.sent).toEqual([]);
    expect(fake.records.map((r) => r.outcome)).toEqual(['dropped']);
  });

  it('sends a duplicated message twice with the same eventId and bytes', async () => {
    const message = await buildWebhookMessage(SECRET, input);
    const fake = fakeEffects([]);
    const plan = planDelivery({ ...policy, duplicateRate: 1 }, Math.random);
    await deliverWebhook(message, plan, policy, fake.effects);
    expect(fake.sent).toEqual([message.body, message.body]);
    expect(fake.records.map((r) => r.eventId)).toEqual([message.eventId, message.eventId]);
  });

  it('gives each copy a head start inside the reorder window, reproducibly from the seed', () => {
    const reorder = { ...policy, duplicateRate: 0.5, reorderWindowMs: 1000 };
    const plans = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => planDelivery(reorder, random));
    };
    const first = plans(7);
    expect(plans(7)).toEqual(first);
    const delays = first.flatMap((plan) => (plan.dropped ? [] : plan.delaysMs));
    expect(delays.every((ms) => ms >= 0 && ms < 1000)).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});
