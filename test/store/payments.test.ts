import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { draftMerchantEvents } from '../../src/payments/model/merchant-event.ts';
import { newPayment, type Payment } from '../../src/payments/model/payment.ts';
import { afterTransition, type Change, recordCreation } from '../../src/payments/model/status.ts';
import {
  applyTransition,
  claimOtpAttempt,
  getPayment,
  insertPayment,
  listTransactions,
} from '../../src/store/payments.ts';

const success: Change = {
  change: true,
  to: 'SUCCESS',
  paid: true,
  flag: null,
  notify: 'payment.succeeded',
  settlement: { paidAmount: 1000, receivedAmount: 990, fees: 10, djomyCurrency: 'GNF' },
  detail: { djomyStatus: 'SUCCESS' },
};

async function stored(fields: Partial<Payment> = {}): Promise<Payment> {
  const now = Date.now();
  const payment = newPayment({
    flow: 'gateway',
    status: 'PENDING',
    amount: 1000,
    currency: 'GNF',
    countryCode: 'GN',
    payerPhone: '00224622123456',
    expiresAt: now + 60_000,
    createdAt: now,
    ...fields,
  });
  const outcome = await insertPayment(env.DB, payment, { source: 'create', now });
  if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
  return outcome.payment;
}

async function count(table: 'payment_events' | 'outbox', paymentId: string): Promise<number> {
  return (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE payment_id = ?`)
      .bind(paymentId)
      .first<{ n: number }>()
  )?.n as number;
}

const outboxFor = (payment: Payment, change: Change, now: number) =>
  draftMerchantEvents(afterTransition(payment, change, now), change, ['webhook'], now);

describe('applying a status change', () => {
  it('writes the payment, its event and its outbox row together, and returns the row', async () => {
    const payment = await stored();
    const now = Date.now();
    const written = await applyTransition(env.DB, payment, success, {
      source: 'webhook',
      now,
      verified: true,
      outbox: outboxFor(payment, success, now),
    });
    expect(written).toMatchObject({
      status: 'SUCCESS',
      paid: true,
      version: 1,
      receivedAmount: 990,
      paidAt: now,
    });
    expect(await getPayment(env.DB, payment.id)).toEqual(written);
    expect(await count('payment_events', payment.id)).toBe(2);
    expect(await count('outbox', payment.id)).toBe(1);
  });

  it('two writers racing from the same version: one wins, the loser writes no event and no outbox row', async () => {
    for (let round = 0; round < 10; round++) {
      const payment = await stored();
      const now = Date.now();
      const write = (source: 'webhook' | 'otp') =>
        applyTransition(env.DB, payment, success, {
          source,
          now,
          verified: true,
          outbox: outboxFor(payment, success, now),
        });
      const results = await Promise.all([write('webhook'), write('otp')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await count('payment_events', payment.id)).toBe(2);
      expect(await count('outbox', payment.id)).toBe(1);
    }
  });

  it('a stale writer (old version) changes nothing', async () => {
    const payment = await stored();
    const now = Date.now();
    await applyTransition(env.DB, payment, success, { source: 'webhook', now, verified: true, outbox: [] });
    const stale = await applyTransition(
      env.DB,
      payment,
      { ...success, to: 'FAILED', paid: false },
      { source: 'cron', now, verified: true, outbox: [] },
    );
    expect(stale).toBeNull();
    expect((await getPayment(env.DB, payment.id))?.status).toBe('SUCCESS');
    expect(await count('payment_events', payment.id)).toBe(2);
  });

  it('recording a creation bumps the version, so a writer holding the row from before cannot overwrite it', async () => {
    const payment = await stored({ status: 'CREATED' });
    const now = Date.now();
    const first = { transactionId: 'tx-adopted', status: null, nextUrl: null };
    const adopted = await applyTransition(env.DB, payment, recordCreation(payment, first), {
      source: 'webhook',
      now,
      verified: false,
      outbox: [],
      transaction: {
        transactionId: 'tx-adopted',
        paymentId: payment.id,
        status: 'CREATED',
        origin: 'found',
        verified: false,
      },
    });
    expect(adopted).toMatchObject({ transactionId: 'tx-adopted', version: 1 });
    const second = {
      transactionId: 'tx-late',
      status: 'CREATED',
      nextUrl: 'https://pay.example/portal/late',
    };
    const late = await applyTransition(env.DB, payment, recordCreation(payment, second), {
      source: 'create',
      now,
      verified: false,
      outbox: [],
      transaction: {
        transactionId: 'tx-late',
        paymentId: payment.id,
        status: 'CREATED',
        origin: 'create',
        nextUrl: second.nextUrl,
        verified: false,
      },
    });
    expect(late).toBeNull();
    expect(await getPayment(env.DB, payment.id)).toMatchObject({
      transactionId: 'tx-adopted',
      nextUrl: null,
    });
    // Whoever won, both transactions are on record.
    expect((await listTransactions(env.DB, payment.id)).map((t) => t.transactionId).sort()).toEqual([
      'tx-adopted',
      'tx-late',
    ]);
  });
});

describe('inserting a payment', () => {
  it('the prompt cap is counted by the INSERT itself: concurrent inserts cannot both pass it', async () => {
    const phone = '00224623777777';
    const now = Date.now();
    const attempt = () =>
      insertPayment(
        env.DB,
        newPayment({
          flow: 'direct',
          amount: 1000,
          currency: 'GNF',
          countryCode: 'GN',
          payerPhone: phone,
          expiresAt: now,
          createdAt: now,
        }),
        { source: 'create', now, promptCap: { max: 3, since: now - 600_000 } },
      );
    const outcomes = await Promise.all(Array.from({ length: 8 }, attempt));
    expect(outcomes.filter((o) => o.kind === 'inserted')).toHaveLength(3);
    expect(outcomes.filter((o) => o.kind === 'prompt_cap')).toHaveLength(5);
  });

  it('a taken Idempotency-Key writes nothing', async () => {
    const now = Date.now();
    const make = () =>
      newPayment({
        flow: 'gateway',
        amount: 1000,
        currency: 'GNF',
        countryCode: 'GN',
        expiresAt: now,
        createdAt: now,
      });
    const idempotency = { key: `key-${crypto.randomUUID()}`, requestHash: 'h' };
    expect((await insertPayment(env.DB, make(), { source: 'create', now, idempotency })).kind).toBe(
      'inserted',
    );
    const second = make();
    expect(await insertPayment(env.DB, second, { source: 'create', now, idempotency })).toEqual({
      kind: 'key_taken',
    });
    expect(await getPayment(env.DB, second.id)).toBeNull();
  });
});

describe('claims', () => {
  it('OTP attempts: at most `max`, even when claimed at once', async () => {
    const payment = await stored({ flow: 'direct' });
    const claims = await Promise.all(Array.from({ length: 9 }, () => claimOtpAttempt(env.DB, payment.id, 5)));
    expect(claims.filter(Boolean)).toHaveLength(5);
  });
});
