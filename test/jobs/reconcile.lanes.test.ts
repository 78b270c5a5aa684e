/**
 * The cron under a backlog: after a Djomy outage, hundreds of payments whose
 * create answer was lost must not keep real open payments waiting, nor cost
 * hundreds of Djomy list lookups in one run. And it forgets what it should
 * not keep.
 */
import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../src/deps.ts';
import worker from '../../src/index.ts';
import { createLogger } from '../../src/lib/log.ts';
import { reconcile } from '../../src/payments/reconcile.ts';
import { sim } from '../support/sim.ts';
import { call, freshStart, gatewayOrder, json, ledgerOf, transactionOf, waitFor } from '../support/worker.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BACKLOG = 600;

async function runCron(): Promise<void> {
  await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), env, createExecutionContext());
}

/** `count` direct payments whose create answer was lost, created `minutesAgo` minutes ago. */
async function seedLostCreates(count: number, minutesAgo: number): Promise<void> {
  const at = Date.now() - minutesAgo * MINUTE;
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO payments (id, flow, status, amount, currency, country_code, payment_method, payer_phone,
       create_error, expires_at, created_at, updated_at)
     SELECT 'pay_backlog' || printf('%021d', i), 'direct', 'CREATED', 15000, 'GNF', 'GN', 'OM', '00224623999999',
       '{"kind":"timeout","message":"lost","outcomeUnknown":true}', ?2 + 1800000, ?2, ?2 FROM n`,
  )
    .bind(count, at)
    .run();
}

async function stampedBacklog(): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM payments WHERE id LIKE 'pay_backlog%' AND swept_at IS NOT NULL",
  ).first<{ n: number }>();
  return row?.n ?? 0;
}

beforeAll(() => freshStart());

describe('the cron under a backlog', () => {
  /** One cron run as it happens `minutesLater` minutes from now. */
  const cronAt = (minutesLater: number) =>
    reconcile({
      ...buildDeps(env, createLogger({ test: 'lanes' })),
      now: () => Date.now() + minutesLater * MINUTE,
    });

  it('payments Djomy never confirmed creating do not starve real open payments, and cost at most 3 list pages a run', async () => {
    await seedLostCreates(BACKLOG, 10);
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await sim.resetCounters();
    await cronAt(5);
    expect((await sim.counters()).listPayments).toBeLessThanOrEqual(3);
    await waitFor(async () => (await ledgerOf(id)).payment.paid, 10_000);
  });

  it('stamps the payments it looked for, so each run looks at others', async () => {
    const first = await stampedBacklog();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(BACKLOG);
    await cronAt(20);
    expect(await stampedBacklog()).toBeGreaterThan(first);
  });
});

describe('retention', () => {
  it('forgets webhook bodies, idempotency keys and payer phones of closed payments older than RETENTION_DAYS; amounts, statuses and events stay', async () => {
    const old = Date.now() - 200 * DAY;
    const recent = Date.now() - DAY;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO payments (id, flow, status, amount, currency, country_code, payer_phone, expires_at, created_at, updated_at)
         VALUES ('pay_retention_old', 'gateway', 'FAILED', 5000, 'GNF', 'GN', '00224623111111', ?1, ?1, ?1),
                ('pay_retention_new', 'gateway', 'FAILED', 5000, 'GNF', 'GN', '00224623222222', ?2, ?2, ?2)`,
      ).bind(old, recent),
      env.DB.prepare(
        `INSERT INTO payment_events (payment_id, from_status, to_status, source, created_at)
         VALUES ('pay_retention_old', NULL, 'FAILED', 'create', ?1)`,
      ).bind(old),
      env.DB.prepare(
        `INSERT INTO idempotency_keys (key, request_hash, payment_id, created_at)
         VALUES ('old-key', 'h', 'pay_retention_old', ?1), ('new-key', 'h', 'pay_retention_new', ?2)`,
      ).bind(old, recent),
      env.DB.prepare(
        `INSERT INTO webhook_events (event_id, event_type, version, body, received_at)
         VALUES ('old-event', 'payment.failed', 'v2', '{"phone":"00224623111111"}', ?1),
                ('new-event', 'payment.failed', 'v2', '{}', ?2)`,
      ).bind(old, recent),
    ]);
    await runCron();
    const phones = await env.DB.prepare(
      "SELECT id, payer_phone, amount, status FROM payments WHERE id LIKE 'pay_retention%' ORDER BY id",
    ).all();
    expect(phones.results).toEqual([
      { id: 'pay_retention_new', payer_phone: '00224623222222', amount: 5000, status: 'FAILED' },
      { id: 'pay_retention_old', payer_phone: null, amount: 5000, status: 'FAILED' },
    ]);
    const keys = await env.DB.prepare('SELECT key FROM idempotency_keys ORDER BY key').all();
    expect(keys.results.map((r) => r.key)).not.toContain('old-key');
    expect(keys.results.map((r) => r.key)).toContain('new-key');
    const events = await env.DB.prepare('SELECT event_id FROM webhook_events').all();
    expect(events.results.map((r) => r.event_id)).toEqual(['new-event']);
    const history = await env.DB.prepare(
      "SELECT count(*) AS n FROM payment_events WHERE payment_id = 'pay_retention_old'",
    ).first<{ n: number }>();
    expect(history?.n).toBe(1);
  });
});
