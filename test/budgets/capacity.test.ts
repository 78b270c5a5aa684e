/**
 * What one paid payment costs against the daily quotas of the Workers Free
 * plan, path by path, counted through metered bindings: Worker invocations,
 * D1 rows read and written (D1's own counters, indexes included), queue
 * operations (3 per delivered message), KV reads and writes, Djomy calls.
 * From it, how many paid payments a day fit the Free plan and which limit
 * binds first; the goal is at least 1,000. `npm run bench` prints this table
 * into BENCHMARKS.md (docs/free-plan.md explains it).
 */
import { createExecutionContext, createMessageBatch, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import worker from '../../src/index.ts';
import { bindingMeter, type Cost } from '../support/budget.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import { directOrder, EDGE, freshStart, gatewayOrder } from '../support/worker.ts';

/** The Free plan's daily quotas (docs/free-plan.md). */
const FREE_PER_DAY = {
  requests: 100_000,
  d1RowsRead: 5_000_000,
  d1RowsWritten: 100_000,
  queueOperations: 10_000,
  kvReads: 100_000,
  kvWrites: 1_000,
} as const;

/** What the cron costs a day whatever the traffic: a run a minute, a token refresh an hour. */
const FIXED_PER_DAY = { requests: 24 * 60, kvWrites: 24 } as const;

interface PathCost {
  requests: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  queueOperations: number;
  kvReads: number;
  kvWrites: number;
  djomyCalls: number;
}

const meter = bindingMeter(env);
const paths: Record<string, PathCost> = {};

function tally(costs: Cost[]): PathCost {
  const sum = (key: keyof Cost) => costs.reduce((total, cost) => total + cost[key], 0);
  return {
    requests: costs.length,
    d1RowsRead: sum('d1RowsRead'),
    d1RowsWritten: sum('d1RowsWritten'),
    queueOperations: 3 * sum('queueMessages'),
    kvReads: sum('kvReads'),
    kvWrites: sum('kvWrites'),
    djomyCalls: sum('djomyCalls'),
  };
}

/** Paid payments a day each daily quota allows on this path, and the binding one. */
function capacity(cost: PathCost): { perDay: number; bindingLimit: string } {
  const room = {
    requests: (FREE_PER_DAY.requests - FIXED_PER_DAY.requests) / cost.requests,
    d1RowsRead: FREE_PER_DAY.d1RowsRead / Math.max(1, cost.d1RowsRead),
    d1RowsWritten: FREE_PER_DAY.d1RowsWritten / Math.max(1, cost.d1RowsWritten),
    queueOperations: FREE_PER_DAY.queueOperations / Math.max(1, cost.queueOperations),
    kvWrites: (FREE_PER_DAY.kvWrites - FIXED_PER_DAY.kvWrites) / Math.max(1 / 1000, cost.kvWrites),
  };
  const [bindingLimit, perDay] = Object.entries(room).sort(([, a], [, b]) => a - b)[0] as [string, number];
  return { perDay: Math.floor(perDay), bindingLimit };
}

let ip = 0;
async function request(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ response: Response; cost: Cost }> {
  const { json: body, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('cf-connecting-ip', `10.66.0.${++ip % 250}`);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  let response: Response | undefined;
  const cost = await meter.measure(async (metered) => {
    response = await worker.fetch(
      new Request(`${EDGE}${path}`, {
        ...rest,
        headers,
        body: body === undefined ? rest.body : JSON.stringify(body),
        redirect: 'manual',
      }),
      metered,
      ctx,
    );
    await response.clone().arrayBuffer();
  }, ctx);
  return { response: response as Response, cost };
}

async function webhook(eventType: string, transactionId: string): Promise<Cost> {
  const body = JSON.stringify({
    eventType,
    eventId: crypto.randomUUID(),
    data: { payment: { transactionId, status: eventType.split('.')[1]?.toUpperCase() } },
  });
  const { response, cost } = await request('/webhooks/djomy', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-webhook-signature': await signWebhookBody(TEST_CREDENTIALS.clientSecret, body),
    },
  });
  expect(response.status).toBe(200);
  return cost;
}

/** The young-payment check the create queued, as its consumer runs it. */
async function youngCheck(paymentId: string): Promise<Cost> {
  const batch = createMessageBatch('djomy-verify', [
    {
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: { type: 'verify', paymentId, source: 'schedule', chain: true, round: 0 },
    },
  ]);
  const ctx = createExecutionContext();
  return meter.measure((metered) => worker.queue(batch, metered, ctx), ctx);
}

/** One cron run. */
async function cronRun(): Promise<Cost> {
  const ctx = createExecutionContext();
  return meter.measure(
    (metered) => worker.scheduled(createScheduledController({ cron: '* * * * *' }), metered, ctx),
    ctx,
  );
}

/**
 * Makes a payment's rows `minutes` older, as if that time had passed (the
 * clock itself stays real: the merchant checks the signature's timestamp).
 */
async function age(paymentId: string, minutes: number): Promise<void> {
  const ms = minutes * 60_000;
  await env.DB.batch([
    env.DB.prepare(
      'UPDATE payment_transactions SET created_at = created_at - ?2, verified_at = verified_at - ?2 WHERE payment_id = ?1',
    ).bind(paymentId, ms),
    env.DB.prepare('UPDATE outbox SET created_at = created_at - ?2 WHERE payment_id = ?1').bind(
      paymentId,
      ms,
    ),
  ]);
}

async function create(body: object): Promise<{ id: string; cost: Cost; transactionId: string }> {
  const { response, cost } = await request('/api/payments', { method: 'POST', json: body });
  expect(response.status).toBe(201);
  const { id } = await response.json<{ id: string }>();
  const transactionId = (await sim.references())[id]?.transactionIds[0] as string;
  return { id, cost, transactionId };
}

async function paid(id: string): Promise<boolean> {
  const row = await env.DB.prepare('SELECT paid FROM payments WHERE id = ?')
    .bind(id)
    .first<{ paid: number }>();
  return row?.paid === 1;
}

beforeAll(async () => {
  await freshStart();
  // A warm isolate: the Djomy token is cached.
  await create(gatewayOrder());
});

afterAll(() => {
  const rows = Object.entries(paths).map(([name, cost]) => ({ path: name, ...cost, ...capacity(cost) }));
  console.info(`CAPACITY ${JSON.stringify(rows)}`);
});

describe('one paid payment, path by path, against the Free plan’s daily quotas', () => {
  it('gateway, settled by the webhook: create, portal, webhooks, return', async () => {
    const { id, cost: created, transactionId } = await create(gatewayOrder());
    const redirected = await webhook('payment.redirected', transactionId);
    await sim.complete(transactionId, 'SUCCESS');
    const success = await webhook('payment.success', transactionId);
    expect(await paid(id)).toBe(true);
    const back = await request(`/return/${id}`);
    expect(back.response.status).toBe(303);
    const young = await youngCheck(id);
    paths['gateway, webhook'] = tally([created, redirected, success, back.cost, young]);
  });

  it('direct with OTP, settled at once: create, OTP, two polls, webhooks', async () => {
    const { id, cost: created, transactionId } = await create(directOrder());
    const otp = (await sim.payment(transactionId)).otp as string;
    const confirmed = await request(`/api/payments/${id}/otp`, { method: 'POST', json: { otp } });
    expect(confirmed.response.status).toBe(200);
    expect(await paid(id)).toBe(true);
    const polls = [await request(`/api/payments/${id}`), await request(`/api/payments/${id}`)];
    const pending = await webhook('payment.pending', transactionId);
    const success = await webhook('payment.success', transactionId);
    const young = await youngCheck(id);
    paths['direct OTP, webhook'] = tally([
      created,
      confirmed.cost,
      ...polls.map((p) => p.cost),
      pending,
      success,
      young,
    ]);
  });

  it('gateway, every webhook lost, no return: the cron settles it', async () => {
    const { id, cost: created, transactionId } = await create(gatewayOrder());
    const young = await youngCheck(id);
    await sim.complete(transactionId, 'SUCCESS');
    const runs: Cost[] = [];
    for (let minute = 0; minute < 20 && !(await paid(id)); minute++) {
      await age(id, 3);
      runs.push(await cronRun());
    }
    expect(await paid(id)).toBe(true);
    // A later run delivers its merchant event.
    await age(id, 2);
    runs.push(await cronRun());
    const outbox = await env.DB.prepare('SELECT state FROM outbox WHERE payment_id = ?')
      .bind(id)
      .first<{ state: string }>();
    expect(outbox?.state).toBe('delivered');
    // The cron runs every minute whatever the traffic (a fixed daily cost in requests): what
    // its runs did for this payment counts here in rows and Djomy calls only.
    const own = tally([created, young]);
    const cron = tally(runs);
    paths['gateway, cron'] = {
      ...own,
      d1RowsRead: own.d1RowsRead + cron.d1RowsRead,
      d1RowsWritten: own.d1RowsWritten + cron.d1RowsWritten,
      queueOperations: own.queueOperations + cron.queueOperations,
      djomyCalls: own.djomyCalls + cron.djomyCalls,
    };
  });

  it('at least 1,000 paid payments a day fit the Free plan on every path', () => {
    for (const [name, cost] of Object.entries(paths)) {
      expect(capacity(cost).perDay, `${name}: ${JSON.stringify(cost)}`).toBeGreaterThanOrEqual(1000);
    }
  });
});
