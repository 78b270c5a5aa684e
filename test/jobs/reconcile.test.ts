import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { sim } from '../support/sim.ts';
import {
  admin,
  call,
  directOrder,
  freshStart,
  gatewayOrder,
  json,
  transactionOf,
  waitFor,
} from '../support/worker.ts';

const MINUTE = 60_000;

/** Moves a payment and its Djomy transactions back in time, as if created `minutes` ago. */
async function age(paymentId: string, minutes: number): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE payments SET created_at = created_at - ?2, expires_at = expires_at - ?2, updated_at = updated_at - ?2,
         verified_at = CASE WHEN verified_at IS NULL THEN NULL ELSE verified_at - ?2 END WHERE id = ?1`,
    ).bind(paymentId, minutes * MINUTE),
    env.DB.prepare(
      `UPDATE payment_transactions SET created_at = created_at - ?2,
         verified_at = CASE WHEN verified_at IS NULL THEN NULL ELSE verified_at - ?2 END WHERE payment_id = ?1`,
    ).bind(paymentId, minutes * MINUTE),
  ]);
}

async function runCron(): Promise<void> {
  await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), env, createExecutionContext());
}

async function ledger(id: string) {
  return (await json(admin(`/api/admin/payments/${id}`))).payment;
}

beforeAll(() => freshStart());

afterEach(() => sim.clearFaults());

describe('the reconciliation cron', () => {
  it('settles a payment whose webhooks were all lost', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await age(id, 5);
    await runCron();
    await waitFor(async () => (await ledger(id)).paid);
    const { events } = await json(admin(`/api/admin/payments/${id}`));
    expect(events.at(-1)).toMatchObject({ to: 'SUCCESS', source: 'cron' });
  });

  it('leaves alone what was verified recently (the queue is on it)', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await env.DB.batch([
      env.DB.prepare('UPDATE payments SET created_at = created_at - ?2 WHERE id = ?1').bind(id, 5 * MINUTE),
      env.DB.prepare(
        'UPDATE payment_transactions SET created_at = created_at - ?2 WHERE payment_id = ?1',
      ).bind(id, 5 * MINUTE),
    ]);
    await runCron();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await ledger(id)).status).not.toBe('SUCCESS');
  });

  it('closes, in our ledger, a payment Djomy still reports open long after its expiry', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    // The simulator would time out a 3-hour-old gateway session itself; keep it open at Djomy.
    await sim.config({ gatewayTimeoutMinutes: 100_000 });
    await age(id, 180);
    await runCron();
    await waitFor(async () => (await ledger(id)).status === 'TIMEOUT');
    expect(await ledger(id)).toMatchObject({ closeReason: 'open_at_djomy_long_after_expiry', paid: false });
  });

  it('a ledger TIMEOUT gives way when Djomy later reports the payment paid: late money is not lost', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.config({ gatewayTimeoutMinutes: 100_000 });
    await age(id, 180);
    await runCron();
    await waitFor(async () => (await ledger(id)).status === 'TIMEOUT');
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    expect(await ledger(id)).toMatchObject({ status: 'SUCCESS', paid: true });
  });

  it('closes a payment Djomy never created once it has expired', async () => {
    await sim.faults({ rules: [{ endpoint: 'createGateway', kind: 'html403', rate: 1 }] });
    const failed = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
    expect(failed.status).toBe(503);
    const { paymentId } = await failed.json<{ paymentId: string }>();
    await sim.clearFaults();
    await age(paymentId, 120);
    await runCron();
    expect(await ledger(paymentId)).toMatchObject({
      status: 'TIMEOUT',
      closeReason: 'never_created_at_djomy',
    });
  });

  it('adopts a direct payment whose create timed out but did reach Djomy', async () => {
    await sim.faults({
      hangMs: 2500,
      rules: [
        { endpoint: 'createPayment', kind: 'timeout', rate: 1, times: 1 },
        // The create request's own lookup fails, so the cron is the one to find it.
        { endpoint: 'listPayments', kind: '503', rate: 1, times: 3 },
      ],
    });
    const failed = await call('/api/payments', { method: 'POST', json: directOrder() });
    expect(failed.status).toBe(502);
    const { paymentId } = await failed.json<{ paymentId: string }>();
    const atDjomy = (await sim.payments()).find((p) => p.merchantPaymentReference === paymentId);
    expect(atDjomy).toBeDefined();
    await sim.complete(atDjomy?.transactionId as string, 'SUCCESS');
    await age(paymentId, 5);
    await runCron();
    expect((await ledger(paymentId)).transactionId).toBe(atDjomy?.transactionId);
    await waitFor(async () => (await ledger(paymentId)).paid);
  });

  it('re-sends merchant notifications left pending', async () => {
    await sim.config({ merchantResponse: { status: 503 } });
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'FAILED');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    await waitFor(
      async () => (await json(admin(`/api/admin/payments/${id}`))).notifications[0]?.attempts >= 1,
    );
    await sim.config({ merchantResponse: { status: 200 } });
    await env.DB.prepare(
      'UPDATE outbox SET last_attempt_at = last_attempt_at - ?2, created_at = created_at - ?2 WHERE payment_id = ?1',
    )
      .bind(id, 30 * MINUTE)
      .run();
    await runCron();
    await waitFor(
      async () => (await json(admin(`/api/admin/payments/${id}`))).notifications[0]?.state === 'delivered',
    );
  });
});
