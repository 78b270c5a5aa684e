import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { sim } from '../support/sim.ts';
import { admin, call, freshStart, gatewayOrder, json, transactionOf } from '../support/worker.ts';

let sequence = 0;

async function runVerifyBatch(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    'djomy-verify',
    bodies.map((body) => ({ id: `msg-${++sequence}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { result: await getQueueResult(batch, ctx), ids: batch.messages.map((m) => m.id) };
}

async function openPayment(): Promise<{ id: string; transactionId: string }> {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
  return { id, transactionId: await transactionOf(id) };
}

async function deadLetters() {
  return (await json(admin('/api/admin/dead-letters'))).deadLetters as {
    kind: string;
    paymentId: string | null;
  }[];
}

beforeAll(() => freshStart());

beforeEach(() => sim.clearFaults());

describe('the verify consumer', () => {
  it('applies Djomy’s status and acks, message by message', async () => {
    const paid = await openPayment();
    const failed = await openPayment();
    await sim.complete(paid.transactionId, 'SUCCESS');
    await sim.complete(failed.transactionId, 'FAILED');
    const { result, ids } = await runVerifyBatch([
      { type: 'verify', paymentId: paid.id, source: 'webhook' },
      { type: 'verify', transactionId: failed.transactionId, source: 'webhook', hint: 'payment.failed' },
    ]);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await json(call(`/api/payments/${paid.id}`))).toMatchObject({ status: 'SUCCESS', paid: true });
    expect(await json(call(`/api/payments/${failed.id}`))).toMatchObject({ status: 'FAILED', paid: false });
  });

  it('one malformed message is recorded as a dead letter and never retries the batch', async () => {
    const good = await openPayment();
    const { result, ids } = await runVerifyBatch([
      { type: 'verify' },
      { type: 'verify', paymentId: good.id, source: 'cron' },
    ]);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(ids).toHaveLength(2);
    expect((await deadLetters()).some((letter) => letter.kind === 'invalid_message')).toBe(true);
  });

  it('a Djomy fault retries only that message', async () => {
    const a = await openPayment();
    const b = await openPayment();
    await sim.faults({
      rules: [{ endpoint: 'status', kind: '503', rate: 1, pathIncludes: a.transactionId }],
    });
    const { result, ids } = await runVerifyBatch([
      { type: 'verify', paymentId: a.id, source: 'cron' },
      { type: 'verify', paymentId: b.id, source: 'cron' },
    ]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryMessages[0]?.msgId).toBe(ids[0]);
    expect(result.explicitAcks).toEqual([ids[1]]);
    const { payment } = await json(admin(`/api/admin/payments/${a.id}`));
    expect(payment.lastError).toContain('server');
  });

  it('an edge refusal is a configuration problem: recorded, acked, not retried', async () => {
    const p = await openPayment();
    await sim.config({ partnerDomain: 'shop.example' });
    try {
      const { result } = await runVerifyBatch([{ type: 'verify', paymentId: p.id, source: 'cron' }]);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
      const letter = (await deadLetters()).find((l) => l.paymentId === p.id);
      expect(letter?.kind).toBe('configuration:edge_refused');
    } finally {
      await sim.config({ partnerDomain: null });
    }
  });

  it('a token refused twice in flight is retried later, not taken for a configuration problem', async () => {
    const p = await openPayment();
    await sim.faults({ tokenEarlyExpiryRate: 1, rules: [] });
    const { result, ids } = await runVerifyBatch([{ type: 'verify', paymentId: p.id, source: 'cron' }]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(ids);
    expect((await deadLetters()).some((letter) => letter.paymentId === p.id)).toBe(false);
  });

  it('a terminal payment is not checked again, except on a refund event', async () => {
    const p = await openPayment();
    await sim.complete(p.transactionId, 'SUCCESS');
    await runVerifyBatch([{ type: 'verify', paymentId: p.id, source: 'webhook', hint: 'payment.success' }]);
    await sim.resetCounters();
    await runVerifyBatch([{ type: 'verify', paymentId: p.id, source: 'webhook', hint: 'payment.success' }]);
    expect((await sim.counters()).status).toBe(0);
    await sim.complete(p.transactionId, 'REFUNDED');
    await runVerifyBatch([{ type: 'verify', paymentId: p.id, source: 'webhook', hint: 'payment.refunded' }]);
    expect((await sim.counters()).status).toBe(1);
    expect(await json(call(`/api/payments/${p.id}`))).toMatchObject({ status: 'REFUNDED', paid: false });
  });

  it('a payment made on a payment link is created from Djomy’s data and attached to the link', async () => {
    const link = await json(
      admin('/api/admin/links', {
        method: 'POST',
        json: { usageType: 'MULTIPLE', amount: 50000, linkName: 'Boutique' },
      }),
    );
    const payment = await sim.payLink(link.reference, {});
    await runVerifyBatch([
      { type: 'verify', transactionId: payment.transactionId, source: 'webhook', hint: 'payment.success' },
    ]);
    const row = await env.DB.prepare(
      'SELECT id, flow, status, paid, amount, link_reference FROM payments WHERE transaction_id = ?',
    )
      .bind(payment.transactionId)
      .first();
    expect(row).toMatchObject({
      flow: 'link',
      status: 'SUCCESS',
      paid: 1,
      amount: 50000,
      link_reference: link.reference,
    });
  });

  it('an open-status webhook right after our create asks Djomy nothing; later, or a success, does', async () => {
    const job = (transactionId: string, hint: string) => ({
      type: 'verify',
      transactionId,
      source: 'webhook',
      hint,
    });
    const fresh = await openPayment();
    await sim.resetCounters();
    await runVerifyBatch([
      job(fresh.transactionId, 'payment.created'),
      job(fresh.transactionId, 'payment.pending'),
    ]);
    expect((await sim.counters()).status).toBe(0);

    // Our create's answer is 20 s old: the next open-status event is checked.
    await env.DB.prepare(
      'UPDATE payment_transactions SET created_at = created_at - 20000 WHERE transaction_id = ?',
    )
      .bind(fresh.transactionId)
      .run();
    await runVerifyBatch([job(fresh.transactionId, 'payment.pending')]);
    expect((await sim.counters()).status).toBe(1);

    const paid = await openPayment();
    await sim.complete(paid.transactionId, 'SUCCESS');
    await sim.resetCounters();
    await runVerifyBatch([job(paid.transactionId, 'payment.success')]);
    expect((await sim.counters()).status).toBe(1);
    expect(await json(call(`/api/payments/${paid.id}`))).toMatchObject({ status: 'SUCCESS', paid: true });
  });
});
