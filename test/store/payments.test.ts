import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { draftOutboxEvent } from '../../src/notify/outbox-event.ts';
import { newPaymentId, type Payment } from '../../src/payments/payment.ts';
import { afterTransition, type Transition } from '../../src/payments/status.ts';
import { eventInsert } from '../../src/store/events.ts';
import { applyTransition, getPayment, paymentInsert } from '../../src/store/payments.ts';

const success: Extract<Transition, { change: true }> = {
  change: true,
  to: 'SUCCESS',
  paid: true,
  flag: null,
  notify: 'payment.succeeded',
  settlement: { paidAmount: 1000, receivedAmount: 990, fees: 10, djomyCurrency: 'GNF' },
  detail: { djomyStatus: 'SUCCESS' },
};

async function newPayment(): Promise<Payment> {
  const id = newPaymentId();
  const now = Date.now();
  await env.DB.batch([
    paymentInsert(env.DB, {
      id,
      flow: 'gateway',
      status: 'PENDING',
      amount: 1000,
      currency: 'GNF',
      countryCode: 'GN',
      paymentMethod: null,
      payerPhone: '00224622123456',
      reference: null,
      items: null,
      metadata: null,
      allowedMethods: null,
      successUrl: null,
      cancelUrl: null,
      transactionId: crypto.randomUUID(),
      linkReference: null,
      expiresAt: now + 60_000,
      createdAt: now,
    }),
    eventInsert(env.DB, {
      paymentId: id,
      from: null,
      to: 'PENDING',
      source: 'create',
      detail: null,
      at: now,
    }),
  ]);
  return (await getPayment(env.DB, id)) as Payment;
}

async function count(table: 'payment_events' | 'outbox', paymentId: string): Promise<number> {
  return (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE payment_id = ?`)
      .bind(paymentId)
      .first<{ n: number }>()
  )?.n as number;
}

describe('applying a status change', () => {
  it('writes the payment, its event and its outbox row together', async () => {
    const payment = await newPayment();
    const now = Date.now();
    const outbox = draftOutboxEvent(afterTransition(payment, success, now), 'payment.succeeded', now);
    expect(await applyTransition(env.DB, payment, success, 'webhook', now, { verified: true, outbox })).toBe(
      true,
    );
    expect(await getPayment(env.DB, payment.id)).toMatchObject({
      status: 'SUCCESS',
      paid: true,
      version: 1,
      receivedAmount: 990,
    });
    expect(await count('payment_events', payment.id)).toBe(2);
    expect(await count('outbox', payment.id)).toBe(1);
  });

  it('two writers racing from the same version: one wins, the loser writes no event and no outbox row', async () => {
    for (let round = 0; round < 10; round++) {
      const payment = await newPayment();
      const now = Date.now();
      const write = (source: 'webhook' | 'otp') =>
        applyTransition(env.DB, payment, success, source, now, {
          verified: true,
          outbox: draftOutboxEvent(afterTransition(payment, success, now), 'payment.succeeded', now),
        });
      const results = await Promise.all([write('webhook'), write('otp')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await count('payment_events', payment.id)).toBe(2);
      expect(await count('outbox', payment.id)).toBe(1);
    }
  });

  it('a stale writer (old version) changes nothing', async () => {
    const payment = await newPayment();
    const now = Date.now();
    await applyTransition(env.DB, payment, success, 'webhook', now, { verified: true, outbox: null });
    const stale = await applyTransition(
      env.DB,
      payment,
      { ...success, to: 'FAILED', paid: false },
      'cron',
      now,
      {
        verified: true,
        outbox: null,
      },
    );
    expect(stale).toBe(false);
    expect((await getPayment(env.DB, payment.id))?.status).toBe('SUCCESS');
    expect(await count('payment_events', payment.id)).toBe(2);
  });
});
