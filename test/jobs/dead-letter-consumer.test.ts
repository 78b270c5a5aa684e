import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { admin, call, freshStart, gatewayOrder, json } from '../support/worker.ts';

beforeAll(() => freshStart());

it('records jobs that exhausted their retries with the last error seen, and leaves the payment to the cron', async () => {
  const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
  await env.DB.prepare(
    "UPDATE payments SET last_error = 'DjomyError: Djomy getPaymentStatus: server (HTTP 503)' WHERE id = ?",
  )
    .bind(id)
    .run();
  const batch = createMessageBatch<unknown>('djomy-dead-letters', [
    {
      id: 'dl-1',
      timestamp: new Date(),
      attempts: 1,
      body: { type: 'verify', paymentId: id, source: 'webhook' },
    },
    { id: 'dl-2', timestamp: new Date(), attempts: 1, body: { type: 'notify', outboxId: 'msg_unknown' } },
    { id: 'dl-3', timestamp: new Date(), attempts: 1, body: 'garbage' },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks.sort()).toEqual(['dl-1', 'dl-2', 'dl-3']);

  const { deadLetters } = await json(admin('/api/admin/dead-letters'));
  expect(deadLetters).toContainEqual(
    expect.objectContaining({
      queue: 'djomy-verify',
      kind: 'retries_exhausted',
      paymentId: id,
      error: 'DjomyError: Djomy getPaymentStatus: server (HTTP 503)',
    }),
  );
  expect(deadLetters).toContainEqual(
    expect.objectContaining({ queue: 'djomy-notify', kind: 'retries_exhausted' }),
  );
  expect(deadLetters).toContainEqual(expect.objectContaining({ queue: 'unknown', body: 'garbage' }));
  // The payment is untouched: still open, for the cron to settle.
  expect((await json(admin(`/api/admin/payments/${id}`))).payment.status).toBe('CREATED');
});

it('pages dead letters newest first', async () => {
  const first = await json(admin('/api/admin/dead-letters?limit=2'));
  expect(first.deadLetters).toHaveLength(2);
  expect(first.nextBefore).toBe(first.deadLetters[1].id);
  const next = await json(admin(`/api/admin/dead-letters?limit=2&before=${first.nextBefore}`));
  expect(next.deadLetters[0].id).toBeLessThan(first.nextBefore);
  expect((await admin('/api/admin/dead-letters?limit=0')).status).toBe(400);
});
