/**
 * Every entry point, one invocation at a time, within the Workers Free plan
 * with headroom: at most 40 of the 50 subrequests and of the 50 D1 queries
 * an invocation may make, and at most 6 calls in flight at once
 * (docs/free-plan.md). Each invocation is counted through metered bindings
 * (test/support/budget.ts), `waitUntil` work included; the costs are printed.
 */
import { createExecutionContext, createMessageBatch, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import worker from '../../src/index.ts';
import { PLAN_LIMITS } from '../../src/payments/model/plan.ts';
import { bindingMeter, type Cost } from '../support/budget.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import { sim } from '../support/sim.ts';
import {
  admin,
  call,
  directOrder,
  EDGE,
  freshStart,
  gatewayOrder,
  json,
  transactionOf,
  waitFor,
} from '../support/worker.ts';

const LIMIT = { subrequests: 40, d1Queries: 40, inFlight: 6 } as const;
const MINUTE = 60_000;
const meter = bindingMeter(env);
const costs: Record<string, Cost> = {};

const consumers = JSON.parse(env.QUEUE_CONSUMERS) as { queue: string; max_batch_size?: number }[];
const batchSize = (queue: string) => consumers.find((c) => c.queue === queue)?.max_batch_size ?? 10;

function expectWithinBudget(name: string, cost: Cost) {
  costs[name] = cost;
  expect(cost.subrequests, `${name}: subrequests`).toBeLessThanOrEqual(LIMIT.subrequests);
  expect(cost.d1Queries, `${name}: D1 queries`).toBeLessThanOrEqual(LIMIT.d1Queries);
  expect(cost.maxInFlight, `${name}: calls in flight`).toBeLessThanOrEqual(LIMIT.inFlight);
}

let requests = 0;
async function fetchMetered(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ response: Response; cost: Cost }> {
  const { json: body, ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('cf-connecting-ip', `10.77.0.${++requests % 250}`);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(`${EDGE}${path}`, {
    ...rest,
    headers,
    body: body !== undefined ? JSON.stringify(body) : rest.body,
    redirect: 'manual',
  });
  const ctx = createExecutionContext();
  let response: Response | undefined;
  const cost = await meter.measure(async (metered) => {
    response = await worker.fetch(request, metered, ctx);
    await response.clone().arrayBuffer();
  }, ctx);
  return { response: response as Response, cost };
}

/** Moves a payment and its transactions back in time. */
async function age(paymentId: string, minutes: number) {
  await env.DB.batch([
    env.DB.prepare(
      'UPDATE payments SET created_at = created_at - ?2, updated_at = updated_at - ?2, verified_at = NULL WHERE id = ?1',
    ).bind(paymentId, minutes * MINUTE),
    env.DB.prepare(
      'UPDATE payment_transactions SET created_at = created_at - ?2, verified_at = NULL WHERE payment_id = ?1',
    ).bind(paymentId, minutes * MINUTE),
  ]);
}

/** A payment made outside any measurement. */
async function create(body: object): Promise<string> {
  const response = await call('/api/payments', { method: 'POST', json: body });
  expect(response.status).toBe(201);
  return (await response.json<{ id: string }>()).id;
}

beforeAll(async () => {
  await freshStart();
  // A token in the metered client's cache, as a warm isolate has.
  expect(
    (await fetchMetered('/api/payments', { method: 'POST', json: gatewayOrder() })).response.status,
  ).toBe(201);
});

afterAll(() => {
  console.info(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(costs).map(([name, c]) => [
          name,
          `${c.subrequests} subrequests (${c.fetches} fetch, ${c.d1Queries} D1 queries / ${c.d1Statements} statements, ` +
            `${c.kvReads + c.kvWrites} KV, ${c.queueMessages} queue messages), ${c.maxInFlight} in flight`,
        ]),
      ),
      null,
      1,
    ),
  );
});

describe('one invocation of each entry point fits the Free plan', () => {
  it('a gateway checkout', async () => {
    const { response, cost } = await fetchMetered('/api/payments', { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(201);
    expectWithinBudget('checkout (gateway)', cost);
  });

  it('a direct checkout', async () => {
    const { response, cost } = await fetchMetered('/api/payments', { method: 'POST', json: directOrder() });
    expect(response.status).toBe(201);
    expectWithinBudget('checkout (direct)', cost);
  });

  it('an OTP confirmation, with the verify that follows', async () => {
    const id = await create(directOrder());
    const otp = (await sim.payment(await transactionOf(id))).otp as string;
    const { response, cost } = await fetchMetered(`/api/payments/${id}/otp`, {
      method: 'POST',
      json: { otp },
    });
    expect(response.status).toBe(200);
    expect(cost.fetches).toBeGreaterThanOrEqual(2);
    expectWithinBudget('OTP', cost);
  });

  it('a poll that asks Djomy', async () => {
    const id = await create(gatewayOrder());
    await age(id, 5);
    const { response, cost } = await fetchMetered(`/api/payments/${id}`);
    expect(response.status).toBe(200);
    expect(cost.fetches).toBe(1);
    expectWithinBudget('poll', cost);
  });

  it('a return from the portal', async () => {
    const id = await create(gatewayOrder());
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const { response, cost } = await fetchMetered(`/return/${id}`);
    expect(response.status).toBe(303);
    expectWithinBudget('return', cost);
  });

  it('a webhook for a known transaction (checked after the answer) and for an unknown one (checked before)', async () => {
    const post = async (transactionId: string) => {
      const body = JSON.stringify({
        eventType: 'payment.success',
        eventId: crypto.randomUUID(),
        data: { payment: { transactionId, status: 'SUCCESS' } },
      });
      return fetchMetered('/webhooks/djomy', {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': await signWebhookBody(TEST_CREDENTIALS.clientSecret, body),
        },
      });
    };
    const id = await create(gatewayOrder());
    const transactionId = await transactionOf(id);
    await sim.complete(transactionId, 'SUCCESS');
    const known = await post(transactionId);
    expect(known.response.status).toBe(200);
    // The status call, then the merchant's notification of the payment it settled.
    expect(known.cost.fetches).toBe(2);
    expectWithinBudget('webhook (known transaction)', known.cost);

    const link = await json(
      admin('/api/admin/links', { method: 'POST', json: { usageType: 'MULTIPLE', amount: 5000 } }),
    );
    const paid = await sim.payLink(link.reference);
    const unknown = await post(paid.transactionId);
    expect(unknown.response.status).toBe(200);
    expectWithinBudget('webhook (unknown transaction)', unknown.cost);
  });

  it(`a verify batch of wrangler.toml's max_batch_size, each message settling a payment`, async () => {
    const size = batchSize('djomy-verify');
    const ids = await Promise.all(Array.from({ length: size }, () => create(gatewayOrder())));
    for (const id of ids) await sim.complete(await transactionOf(id), 'SUCCESS');
    const batch = createMessageBatch(
      'djomy-verify',
      ids.map((paymentId, i) => ({
        id: `budget-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'verify', paymentId, source: 'admin' },
      })),
    );
    const ctx = createExecutionContext();
    const cost = await meter.measure((metered) => worker.queue(batch, metered, ctx), ctx);
    expect(cost.fetches).toBe(size);
    for (const id of ids) expect((await json(admin(`/api/admin/payments/${id}`))).payment.paid).toBe(true);
    expectWithinBudget(`verify batch (${size})`, cost);
  });

  it(`a notify batch of wrangler.toml's max_batch_size`, async () => {
    const size = batchSize('djomy-notify');
    await sim.config({ merchantResponse: { status: 500 } });
    const outboxIds: string[] = [];
    for (let i = 0; i < size; i++) {
      const id = await create(gatewayOrder());
      await sim.complete(await transactionOf(id), 'FAILED');
      await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
      // The verify delivers in the background; once that attempt has failed, the row is the batch's alone.
      const row = await waitFor(() =>
        env.DB.prepare('SELECT id FROM outbox WHERE payment_id = ? AND last_error IS NOT NULL')
          .bind(id)
          .first<{ id: string }>(),
      );
      outboxIds.push(row.id);
    }
    await sim.config({ merchantResponse: { status: 200 } });
    const batch = createMessageBatch(
      'djomy-notify',
      outboxIds.map((outboxId, i) => ({
        id: `notify-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'notify', outboxId },
      })),
    );
    const ctx = createExecutionContext();
    const cost = await meter.measure((metered) => worker.queue(batch, metered, ctx), ctx);
    expect(cost.fetches).toBe(size);
    expectWithinBudget(`notify batch (${size})`, cost);
  });

  it('a cron run against a backlog larger than one run takes, in every lane', async () => {
    const limits = PLAN_LIMITS.free;
    // Open transactions to follow: more than a run checks.
    const open = await Promise.all(
      Array.from({ length: limits.cronFollow.perRun + 5 }, () => create(gatewayOrder())),
    );
    for (const id of open) await age(id, 30);
    // Payments whose create answer was lost: more than a run sweeps.
    const at = Date.now() - 30 * MINUTE;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80)
       INSERT INTO payments (id, flow, status, amount, currency, country_code, payment_method, payer_phone,
         create_error, lost_create_at, expires_at, created_at, updated_at)
       SELECT 'pay_budget' || printf('%022d', i), 'direct', 'CREATED', 15000, 'GNF', 'GN', 'OM', '00224623999998',
         '{"kind":"timeout","message":"lost","outcomeUnknown":true}', ?1, ?1 + 1800000, ?1, ?1 FROM n`,
    )
      .bind(at)
      .run();
    // Merchant events left pending: more than a run delivers.
    await env.DB.prepare(
      `INSERT INTO outbox (id, payment_id, type, event_key, channel, payload, created_at, last_attempt_at)
       SELECT 'msg_budget' || p.id, p.id, 'payment.failed', 'payment.failed', 'webhook', '{}', ?1, ?1
       FROM payments p WHERE p.id LIKE 'pay_budget%' LIMIT 20`,
    )
      .bind(at)
      .run();
    const ctx = createExecutionContext();
    const cost = await meter.measure(
      (metered) => worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), metered, ctx),
      ctx,
    );
    expect(cost.fetches).toBeGreaterThanOrEqual(limits.cronFollow.perRun);
    expectWithinBudget('cron run (backlog)', cost);
  });

  it('the admin list', async () => {
    const { response, cost } = await fetchMetered('/api/admin/payments?limit=100', {
      headers: { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` },
    });
    expect(response.status).toBe(200);
    expectWithinBudget('admin list', cost);
  });
});

describe("the console's routes fit the Free plan, over a ledger of 10,000 payments", () => {
  const PAYMENTS = 10_000;
  const bearer = { authorization: `Bearer ${TEST_CREDENTIALS.adminToken}` };
  let paidId = '';

  beforeAll(async () => {
    // Ids of the payment id pattern (pay_ + 32 of a-z2-7), digits spelled with letters.
    const at = Date.now() - 20 * 86_400_000;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
       INSERT INTO payments (id, flow, status, paid, amount, currency, country_code, payment_method, payer_phone,
         reference, transaction_id, paid_at, expires_at, created_at, updated_at)
       SELECT 'pay_' || replace(replace(replace(replace(printf('%032d', i), '0', 'a'), '1', 'b'), '8', 'c'), '9', 'd'),
         'gateway', 'SUCCESS', 1, 1000 + i, 'GNF', 'GN', 'OM', '0022462' || printf('%07d', i),
         'Réf. ' || i || ', "lot"', 'tx-bulk-' || i, ?1 + i * 170000, ?1 + i * 170000, ?1 + i * 170000, ?1 + i * 170000
       FROM n`,
    )
      .bind(at, PAYMENTS)
      .run();
    paidId = (
      await env.DB.prepare('SELECT id FROM payments WHERE reference = \'Réf. 42, "lot"\'').first<{
        id: string;
      }>()
    )?.id as string;
  });

  it('the CSV export of every payment streams 10,000 rows within the budget', async () => {
    const { response, cost } = await fetchMetered('/api/admin/payments.csv', { headers: bearer });
    expect(response.status).toBe(200);
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(PAYMENTS + 1);
    expectWithinBudget('CSV export (10,000+ payments)', cost);
  });

  it.each([
    ['list, searched by phone digits', '/api/admin/payments?q=0004242&limit=100'],
    ['list, filtered by day and status', '/api/admin/payments?status=SUCCESS&flagged=false&limit=100'],
    ['summary of 90 days', '/api/admin/summary?days=90'],
    ['live feed', '/api/admin/live?after=0'],
    ['links with totals', '/api/admin/links'],
  ])('%s', async (name, path) => {
    const { response, cost } = await fetchMetered(path, { headers: bearer });
    expect(response.status).toBe(200);
    expectWithinBudget(name, cost);
  });

  it('one payment, and sending its event again', async () => {
    const detail = await fetchMetered(`/api/admin/payments/${paidId}`, { headers: bearer });
    expect(detail.response.status).toBe(200);
    expectWithinBudget('payment detail', detail.cost);
    const notify = await fetchMetered(`/api/admin/payments/${paidId}/notify`, {
      method: 'POST',
      headers: bearer,
    });
    expect(notify.response.status).toBe(200);
    expectWithinBudget('send event again', notify.cost);
  });

  it('sign-in, and a write made with the session', async () => {
    const signIn = await fetchMetered('/api/session', {
      method: 'POST',
      json: { token: TEST_CREDENTIALS.adminToken },
    });
    expect(signIn.response.status).toBe(200);
    expectWithinBudget('sign-in', signIn.cost);
    const cookie = (signIn.response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = await signIn.response.json<{ csrfToken: string }>();
    const write = await fetchMetered('/api/admin/products/budget-soap', {
      method: 'PUT',
      json: { name: 'Savon', amount: 5000 },
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(write.response.status).toBe(201);
    expectWithinBudget('product change (session)', write.cost);
  });
});

describe('merchant alerts fit the Free plan', () => {
  it(`a notify batch of wrangler.toml's max_batch_size Telegram alerts`, async () => {
    const alerts = {
      TELEGRAM_BOT_TOKEN: TEST_CREDENTIALS.telegramBotToken,
      TELEGRAM_CHAT_ID: '100200300',
      TELEGRAM_API_BASE: 'http://djomy.localhost',
    };
    const alerting = bindingMeter(env, alerts);
    const size = batchSize('djomy-notify');
    // Paid payments whose alerts Telegram refused once (a 500): their rows wait for a delivery.
    await sim.config({ telegramResponse: { status: 500, times: null } });
    const outboxIds: string[] = [];
    for (let i = 0; i < size; i++) {
      const id = await create(gatewayOrder());
      await sim.complete(await transactionOf(id), 'SUCCESS');
      const ctx = createExecutionContext();
      await alerting.measure(async (metered) => {
        const response = await worker.fetch(
          new Request(`${EDGE}/api/admin/payments/${id}/verify`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${TEST_CREDENTIALS.adminToken}`,
              'cf-connecting-ip': '10.78.0.1',
            },
          }),
          metered,
          ctx,
        );
        await response.arrayBuffer();
      }, ctx);
      const row = await env.DB.prepare("SELECT id FROM outbox WHERE payment_id = ? AND channel = 'telegram'")
        .bind(id)
        .first<{ id: string }>();
      outboxIds.push(row?.id as string);
    }
    await sim.config({ telegramResponse: { status: 200, times: null } });
    await env.DB.prepare("UPDATE outbox SET next_attempt_at = NULL WHERE channel = 'telegram'").run();
    const batch = createMessageBatch(
      'djomy-notify',
      outboxIds.map((outboxId, i) => ({
        id: `alert-${i}`,
        timestamp: new Date(),
        attempts: 2,
        body: { type: 'notify', outboxId },
      })),
    );
    const ctx = createExecutionContext();
    const cost = await alerting.measure((metered) => worker.queue(batch, metered, ctx), ctx);
    expect(cost.fetches).toBe(size);
    expect((await sim.telegramMessages()).filter((m) => m.answeredStatus === 200)).toHaveLength(size);
    expectWithinBudget(`Telegram alert batch (${size})`, cost);
  });
});

describe("the payer's pages fit the Free plan", () => {
  it.each([
    ['payer page', '/pay/'],
    ['receipt page', '/r/'],
    ['live check page', '/v/'],
    ['receipt QR code', '/r/{id}/qr.svg'],
  ])('%s', async (name, path) => {
    const id = await create(gatewayOrder());
    const url = path.includes('{id}') ? path.replace('{id}', id) : `${path}${id}`;
    const { response, cost } = await fetchMetered(url);
    expect(response.status).toBe(200);
    expectWithinBudget(name, cost);
  });

  it('the receipt JSON, open (it asks Djomy) and paid', async () => {
    const id = await create(gatewayOrder());
    // Old enough that a read is due to ask Djomy again: the dearest case.
    await age(id, 1);
    const open = await fetchMetered(`/api/payments/${id}/receipt`);
    expect(open.response.status).toBe(200);
    expectWithinBudget('receipt JSON (open, asks Djomy)', open.cost);

    await sim.complete(await transactionOf(id), 'SUCCESS');
    expect(await json(admin(`/api/admin/payments/${id}/verify`, { method: 'POST' }))).toMatchObject({
      payment: { paid: true },
    });
    const paid = await fetchMetered(`/api/payments/${id}/receipt`);
    expect(await paid.response.json()).toMatchObject({ paid: true });
    expectWithinBudget('receipt JSON (paid)', paid.cost);
  });
});

describe('one MCP tools/call of each tool fits the Free plan, over the same ledger', () => {
  const headers = {
    authorization: `Bearer ${TEST_CREDENTIALS.adminToken}`,
    accept: 'application/json, text/event-stream',
  };
  let paymentId = '';
  let linkReference = '';

  beforeAll(async () => {
    paymentId = await create(gatewayOrder({ reference: 'mcp-budget' }));
    await sim.complete(await transactionOf(paymentId), 'SUCCESS');
  });

  /** `tools/call` of `name`, metered; the tool's structured content. */
  async function callMetered(name: string, args: Record<string, unknown>) {
    const { response, cost } = await fetchMetered('/mcp', {
      method: 'POST',
      json: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      headers,
    });
    expect(response.status).toBe(200);
    const { result } = await response.json<{
      result: { isError?: boolean; structuredContent: { reference?: string } };
    }>();
    expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
    expectWithinBudget(`MCP ${name}`, cost);
    return result.structuredContent;
  }

  it('list_payments, searched by phone digits', async () => {
    await callMetered('list_payments', { q: '0004242', limit: 100 });
  });

  it('get_payment', async () => {
    await callMetered('get_payment', { id: paymentId });
  });

  it('payments_summary of 90 days', async () => {
    await callMetered('payments_summary', { days: 90 });
  });

  it('verify_payment, which asks Djomy and settles the payment', async () => {
    await callMetered('verify_payment', { id: paymentId });
  });

  it('list_products and upsert_product', async () => {
    await callMetered('list_products', {});
    await callMetered('upsert_product', { sku: 'mcp-budget', name: 'Savon', amount: 5000 });
  });

  it('create_payment_link, with its QR code as a PNG, and get_payment_link', async () => {
    linkReference = (await callMetered('create_payment_link', { usageType: 'MULTIPLE', amount: 5000 }))
      .reference as string;
    await callMetered('get_payment_link', { reference: linkReference });
  });
});
