/**
 * Running out gracefully: when a daily quota of the Free plan is spent
 * mid-day — D1 refusing writes, a queue refusing sends — nothing is lost. The
 * caller gets a clear 503 problem (never a 500), `/healthz` says what
 * happened, and the cron settles what the queue could not carry. The local
 * bindings are made to fail as Cloudflare's do (D1 throws `D1_ERROR: …`, a
 * queue's `send` throws).
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildDeps } from '../../src/deps.ts';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import worker from '../../src/index.ts';
import { clearIncidents } from '../../src/lib/incidents.ts';
import { createLogger } from '../../src/lib/log.ts';
import { reconcile } from '../../src/payments/reconcile.ts';
import { sim } from '../support/sim.ts';
import { countPayments, EDGE, freshStart, gatewayOrder, json, ledgerOf } from '../support/worker.ts';

const WRITE = /^\s*(INSERT|UPDATE|DELETE|WITH)/i;

/** D1 as it answers once the day's rows written are spent: reads work, writes throw. */
function d1WithoutWrites(db: D1Database): D1Database {
  const refuse = () =>
    Promise.reject(new Error('D1_ERROR: Exceeded maximum daily rows written: SQLITE_ERROR'));
  return new Proxy(db, {
    get(target, name) {
      if (name === 'prepare') {
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (!WRITE.test(sql)) return statement;
          const refused = new Proxy(statement, {
            get(inner, method) {
              if (method === 'bind') return () => refused;
              if (method === 'run' || method === 'all' || method === 'first' || method === 'raw')
                return refuse;
              return Reflect.get(inner, method, inner);
            },
          });
          return refused;
        };
      }
      if (name === 'batch') return refuse;
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A queue whose day's operations are spent. */
function queueWithoutOperations<T>(): Queue<T> {
  const refuse = () => Promise.reject(new Error('Queue send failed: Too Many Requests'));
  return { send: refuse, sendBatch: refuse } as unknown as Queue<T>;
}

let ip = 0;
async function fetchWith(
  path: string,
  bindings: Partial<Cloudflare.Env>,
  init: RequestInit & { json?: unknown } = {},
) {
  const { json: body, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('cf-connecting-ip', `10.88.0.${++ip}`);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  return worker.fetch(
    new Request(`${EDGE}${path}`, {
      ...rest,
      headers,
      body: body === undefined ? rest.body : JSON.stringify(body),
    }),
    { ...env, ...bindings },
    ctx,
  );
}

beforeEach(() => clearIncidents());

describe('when a daily quota is spent', () => {
  it('D1 refusing writes: a checkout is a 503 problem, nothing is half-written, and /healthz says so', async () => {
    await freshStart();
    const before = await countPayments();
    const failing = { DB: d1WithoutWrites(env.DB) };
    const response = await fetchWith('/api/payments', failing, { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(await response.json()).toMatchObject({ type: '/docs#problem-storage-unavailable' });
    expect(await countPayments()).toBe(before);
    // Nothing was asked of Djomy for a payment that could not be recorded.
    expect((await sim.payments()).length).toBe(0);

    const health = await fetchWith('/healthz', {});
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', incidents: [{ binding: 'd1' }] });
  });

  it('a queue refusing sends: the checkout still answers 201, /healthz says so, and the cron settles the payment', async () => {
    await freshStart();
    const failing = { VERIFY_QUEUE: queueWithoutOperations(), NOTIFY_QUEUE: queueWithoutOperations() };
    const response = await fetchWith('/api/payments', failing, { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(201);
    const { id } = await response.json<{ id: string }>();
    // The young-payment check could not be queued: it is only a hint of what the cron does anyway.
    const health = await json(fetchWith('/healthz', {}));
    expect(health).toMatchObject({ status: 'degraded', incidents: [{ binding: 'queue' }] });

    const transactionId = (await ledgerOf(id)).payment.transactionId;
    await sim.complete(transactionId, 'SUCCESS');
    const deps = {
      ...buildDeps({ ...env, ...failing }, createLogger({ test: 'exhaustion' })),
      now: () => Date.now() + 5 * 60_000,
    };
    await reconcile(deps);
    expect((await ledgerOf(id)).payment).toMatchObject({ status: 'SUCCESS', paid: true });
  });

  it('a webhook for a transaction nobody knows, with Djomy down and the queue refusing: 503, so Djomy sends it again', async () => {
    await freshStart();
    const link = await json(
      fetchWith(
        '/api/admin/links',
        {},
        {
          method: 'POST',
          json: { usageType: 'UNIQUE', amount: 5000 },
          headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
        },
      ),
    );
    const paid = await sim.payLink(link.reference);
    await sim.faults({ rules: [{ endpoint: 'status', kind: '503', rate: 1 }] });
    const body = JSON.stringify({
      eventType: 'payment.success',
      eventId: 'refused-once',
      data: { payment: { transactionId: paid.transactionId, status: 'SUCCESS' } },
    });
    const signature = await signWebhookBody(env.DJOMY_CLIENT_SECRET as string, body);
    const send = (bindings: Partial<Cloudflare.Env>) =>
      fetchWith('/webhooks/djomy', bindings, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-webhook-signature': signature },
      });
    const refused = await send({ VERIFY_QUEUE: queueWithoutOperations() });
    expect(refused.status).toBe(503);
    await sim.clearFaults();
    // Djomy's retry of the same event is processed, not deduplicated away.
    const retried = await send({});
    expect(retried.status).toBe(200);
    expect(await json(retried)).toEqual({ received: true });
    const recorded = await env.DB.prepare('SELECT status, paid FROM payments WHERE link_reference = ?')
      .bind(link.reference)
      .first();
    expect(recorded).toEqual({ status: 'SUCCESS', paid: 1 });
  });
});
