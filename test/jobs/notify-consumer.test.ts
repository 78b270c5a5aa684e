import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { sim } from '../support/sim.ts';
import { admin, call, freshStart, gatewayOrder, json, transactionOf, waitFor } from '../support/worker.ts';

let sequence = 0;

async function runNotifyBatch(outboxIds: string[], attempts = 1) {
  const batch = createMessageBatch(
    'djomy-notify',
    outboxIds.map((outboxId) => ({
      id: `n-${++sequence}`,
      timestamp: new Date(),
      attempts,
      body: { type: 'notify', outboxId },
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

interface OutboxRow {
  id: string;
  type: string;
  state: string;
  attempts: number;
  last_error: string | null;
  payload: string;
}

async function outboxOf(paymentId: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare('SELECT * FROM outbox WHERE payment_id = ? ORDER BY created_at')
    .bind(paymentId)
    .all<OutboxRow>();
  return results;
}

/**
 * A payment settled by an admin verify, and its outbox row once the delivery
 * that verify started in the background (through the notify queue) has had
 * its first answer: a batch run by the test while that delivery holds the row
 * would find it claimed.
 */
async function settled(status: 'SUCCESS' | 'FAILED' = 'SUCCESS'): Promise<{ id: string; row: OutboxRow }> {
  const { id } = await json(
    call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: `notify-${status}` }) }),
  );
  await sim.complete(await transactionOf(id), status);
  await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
  return {
    id,
    row: await waitFor(async () => {
      const [row] = await outboxOf(id);
      return row && (row.state !== 'pending' || row.last_error !== null) ? row : null;
    }),
  };
}

beforeAll(() => freshStart());

afterEach(() => sim.config({ merchantResponse: { status: 200, failRate: 0 } }));

describe('merchant notifications', () => {
  it('the terminal change and its outbox row are written together, and the body carries the public view', async () => {
    const { id, row } = await settled('SUCCESS');
    expect(row.type).toBe('payment.succeeded');
    const payload = JSON.parse(row.payload);
    expect(payload).toMatchObject({
      type: 'payment.succeeded',
      data: {
        id,
        status: 'SUCCESS',
        paid: true,
        reference: 'notify-SUCCESS',
        amount: 60000,
        currency: 'GNF',
      },
    });
    expect(payload.data.receivedAmount).toEqual(expect.any(Number));
    expect(payload.data.fees).toEqual(expect.any(Number));
    expect(payload.data).not.toHaveProperty('payer');
  });

  it('are delivered signed the Standard Webhooks way, and the merchant can verify them', async () => {
    const { id } = await settled('FAILED');
    await waitFor(async () => (await outboxOf(id))[0]?.state === 'delivered');
    const [row] = await outboxOf(id);
    const delivery = (await sim.merchantDeliveries()).find((d) => d.webhookId === row?.id);
    expect(delivery).toMatchObject({ valid: true, type: 'payment.failed', answeredStatus: 200 });
    expect(delivery?.timestamp).toMatch(/^\d{10}$/);
  });

  it('a failing endpoint is retried with the same webhook-id, which the next success delivers', async () => {
    await sim.config({ merchantResponse: { status: 500 } });
    const { row } = await settled();
    const failed = await runNotifyBatch([row.id]);
    expect(failed.retryMessages).toHaveLength(1);
    const [afterFailure] = await outboxOf((JSON.parse(row.payload) as { data: { id: string } }).data.id);
    expect(afterFailure).toMatchObject({ state: 'pending', last_error: 'HTTP 500' });
    expect(afterFailure?.attempts).toBeGreaterThanOrEqual(1);

    await sim.config({ merchantResponse: { status: 200 } });
    const delivered = await runNotifyBatch([row.id], 2);
    expect(delivered.explicitAcks).toHaveLength(1);
    const attempts = (await sim.merchantDeliveries()).filter((d) => d.webhookId === row.id);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((d) => d.type))).toEqual(new Set(['payment.succeeded']));
    expect(attempts.every((d) => d.valid)).toBe(true);
  });

  it('410 Gone stops the retries for good', async () => {
    await sim.config({ merchantResponse: { status: 410 } });
    const { id, row } = await settled();
    await waitFor(async () => (await outboxOf(id))[0]?.state === 'gone');
    const result = await runNotifyBatch([row.id]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
  });

  it('a delivered row is not sent again when its message comes back', async () => {
    const { id, row } = await settled();
    await waitFor(async () => (await outboxOf(id))[0]?.state === 'delivered');
    const before = (await sim.merchantDeliveries()).length;
    await runNotifyBatch([row.id]);
    expect((await sim.merchantDeliveries()).length).toBe(before);
  });

  it('one event per outcome: verifying a paid payment again writes nothing new', async () => {
    const { id } = await settled();
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    expect(await outboxOf(id)).toHaveLength(1);
  });

  it('the body says who closed the payment: closeReason for our ledger, null for Djomy', async () => {
    const { row } = await settled('FAILED');
    expect(JSON.parse(row.payload).data).toMatchObject({ status: 'FAILED', closeReason: null });

    await sim.config({ gatewayTimeoutMinutes: 100_000 });
    const { id } = await json(
      call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'closed' }) }),
    );
    await env.DB.prepare(
      'UPDATE payments SET created_at = created_at - ?2, expires_at = expires_at - ?2 WHERE id = ?1',
    )
      .bind(id, 3 * 60 * 60_000)
      .run();
    const ctx = createExecutionContext();
    const batch = createMessageBatch('djomy-verify', [
      {
        id: 'close-1',
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'verify', paymentId: id, source: 'cron' },
      },
    ]);
    await worker.queue(batch, env, ctx);
    await getQueueResult(batch, ctx);
    const [closed] = await outboxOf(id);
    expect(JSON.parse(closed?.payload as string)).toMatchObject({
      type: 'payment.failed',
      data: { status: 'TIMEOUT', closeReason: 'open_at_djomy_long_after_expiry' },
    });
  });

  it('a redirect is a failed attempt: the POST is never turned into a GET somewhere else', async () => {
    // The redirect target answers a GET with 200: following it would look like a delivery.
    await sim.config({
      merchantResponse: { status: 302, location: 'http://djomy.localhost/__sim/config' },
    });
    const { row } = await settled();
    const result = await runNotifyBatch([row.id]);
    expect(result.retryMessages).toHaveLength(1);
    const [after] = await outboxOf((JSON.parse(row.payload) as { data: { id: string } }).data.id);
    expect(after).toMatchObject({ state: 'pending', last_error: 'HTTP 302' });
    await sim.config({ merchantResponse: { status: 200, location: null } });
  });
});
