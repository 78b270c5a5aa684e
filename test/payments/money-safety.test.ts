/**
 * Money safety: one Djomy charge per order whatever is lost on the way, and
 * every Djomy verdict recorded on the order it belongs to. Each case is a
 * failure a payer or a merchant met (or would meet) in production: an answer
 * lost, a lookup failing, a webhook racing a retry.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../src/deps.ts';
import { createLogger } from '../../src/lib/log.ts';
import { reconcile } from '../../src/payments/reconcile.ts';
import { verifyTransaction } from '../../src/payments/verify-payment.ts';
import { djomy, djomyToken, sim } from '../support/sim.ts';
import {
  admin,
  call,
  directOrder,
  freshStart,
  gatewayOrder,
  json,
  ledgerOf,
  postDjomyWebhook,
  transactionOf,
  waitFor,
} from '../support/worker.ts';

async function atDjomyFor(paymentId: string) {
  return (await sim.payments()).filter((p) => p.merchantPaymentReference === paymentId);
}

const timeoutOnce = (endpoint: 'createPayment' | 'createGateway') => ({
  endpoint,
  kind: 'timeout' as const,
  rate: 1,
  times: 1,
});

beforeAll(() => freshStart());

afterEach(async () => {
  await sim.clearFaults();
  await sim.config({ webhookUrl: null });
});

describe('a direct create whose answer is lost', () => {
  it('is never sent again: with Djomy’s list unreachable it answers create-outcome-unknown, and a retry adopts the one payment once the list answers', async () => {
    await sim.resetCounters();
    await sim.faults({
      hangMs: 1500,
      rules: [timeoutOnce('createPayment'), { endpoint: 'listPayments', kind: '503', rate: 1 }],
    });
    const init = {
      method: 'POST',
      json: directOrder({ reference: 'lost-direct' }),
      headers: { 'idempotency-key': 'lost-direct-1' },
    };
    const first = await call('/api/payments', init);
    expect(first.status).toBe(502);
    expect(first.headers.get('retry-after')).toBeTruthy();
    const problem = await first.json<{ type: string; paymentId: string }>();
    expect(problem.type).toBe('/docs#problem-create-outcome-unknown');
    const { paymentId } = problem;

    const again = await call('/api/payments', init);
    expect(again.status).toBe(502);
    expect((await again.json<{ type: string }>()).type).toBe('/docs#problem-create-outcome-unknown');
    expect(await atDjomyFor(paymentId)).toHaveLength(1);

    await sim.clearFaults();
    const adopted = await call('/api/payments', init);
    expect(adopted.status).toBe(201);
    expect(await adopted.json()).toMatchObject({ id: paymentId, next: { type: 'otp' } });
    const [only] = await atDjomyFor(paymentId);
    expect((await ledgerOf(paymentId)).payment.transactionId).toBe(only?.transactionId);
    expect((await sim.counters()).createPayment).toBe(1);
    expect(await atDjomyFor(paymentId)).toHaveLength(1);
  });

  it('is adopted in the same request when Djomy’s list shows it', async () => {
    await sim.faults({ hangMs: 1500, rules: [timeoutOnce('createPayment')] });
    const response = await call('/api/payments', {
      method: 'POST',
      json: directOrder({ reference: 'lost-2' }),
    });
    expect(response.status).toBe(201);
    const created = await response.json<{ id: string; next: unknown }>();
    expect(created.next).toEqual({ type: 'otp' });
    expect(await atDjomyFor(created.id)).toHaveLength(1);
  });
});

describe('every Djomy transaction of an order is recorded and followed', () => {
  /** A second Djomy payment for the same order, as a resent create would have made it. */
  async function secondTransaction(paymentId: string): Promise<string> {
    const { body } = await djomy('POST', '/v1/payments', {
      token: await djomyToken(),
      body: {
        paymentMethod: 'SOUTRA_MONEY',
        payerIdentifier: '00224622123456',
        amount: 15000,
        countryCode: 'GN',
        merchantPaymentReference: paymentId,
      },
    });
    return body.data.transactionId;
  }

  it('an unpaid order whose other transaction succeeds switches to it and is paid', async () => {
    const { id } = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ paymentMethod: 'SOUTRA_MONEY' }) }),
    );
    const first = (await ledgerOf(id)).payment.transactionId;
    const second = await secondTransaction(id);
    await sim.complete(second, 'SUCCESS');
    expect((await postDjomyWebhook('payment.success', second)).status).toBe(200);
    const paid = await waitFor(async () => {
      const { payment } = await ledgerOf(id);
      return payment.paid ? payment : null;
    }, 10_000);
    expect(paid).toMatchObject({ status: 'SUCCESS', transactionId: second });
    const { events } = await ledgerOf(id);
    expect(events.at(-1)).toMatchObject({
      to: 'SUCCESS',
      source: 'webhook',
      detail: { switchedFrom: first, transactionId: second },
    });
  });

  it('a second success on a paid order is a duplicate charge: stored, flagged, announced, listed', async () => {
    await sim.config({ webhookUrl: null });
    const { id } = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ paymentMethod: 'SOUTRA_MONEY' }) }),
    );
    const first = (await ledgerOf(id)).payment.transactionId;
    await sim.complete(first, 'SUCCESS');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    expect((await ledgerOf(id)).payment).toMatchObject({ paid: true, transactionId: first });

    const second = await secondTransaction(id);
    await sim.complete(second, 'SUCCESS');
    await postDjomyWebhook('payment.success', second);
    const flagged = await waitFor(async () => {
      const { payment } = await ledgerOf(id);
      return payment.flag === 'duplicate_charge' ? payment : null;
    }, 10_000);
    expect(flagged).toMatchObject({ paid: true, status: 'SUCCESS', transactionId: first });

    const listed = await json(admin('/api/admin/payments?flagged=true'));
    expect(listed.payments.map((p: { id: string }) => p.id)).toContain(id);
    const outbox = await env.DB.prepare(
      "SELECT payload FROM outbox WHERE payment_id = ? AND type = 'payment.flagged'",
    )
      .bind(id)
      .all<{ payload: string }>();
    expect(outbox.results).toHaveLength(1);
    const announced = JSON.parse(outbox.results[0]?.payload as string);
    expect(announced.data).toMatchObject({
      id,
      duplicateCharge: { transactionId: second, paidTransactionId: first },
    });
  });
});

describe('a gateway create whose answer is lost', () => {
  it('adopted later from a webhook, its replay still carries a portal URL the payer can use', async () => {
    await sim.faults({ hangMs: 1500, rules: [timeoutOnce('createGateway')] });
    const init = {
      method: 'POST',
      json: gatewayOrder({ reference: 'lost-gw' }),
      headers: { 'idempotency-key': 'lost-gw' },
    };
    const first = await call('/api/payments', init);
    expect(first.status).toBe(502);
    const { paymentId } = await first.json<{ paymentId: string }>();
    const [lost] = await atDjomyFor(paymentId);
    expect(lost).toBeDefined();
    await postDjomyWebhook('payment.created', lost?.transactionId as string);
    await waitFor(
      async () => (await ledgerOf(paymentId)).payment.transactionId === lost?.transactionId,
      10_000,
    );

    const replay = await call('/api/payments', init);
    expect(replay.status).toBe(201);
    const view = await replay.json<{ id: string; next: { type: string; url?: string } | null }>();
    expect(view.id).toBe(paymentId);
    expect(view.next).toMatchObject({ type: 'redirect', url: expect.stringContaining('/portal/') });
    const { payment } = await ledgerOf(paymentId);
    expect(view.next?.url).toContain(payment.transactionId);
    expect(view.next?.url).toBe(payment.nextUrl ?? view.next?.url);
  });

  it('a webhook adopting the lost session while a retry creates a new one leaves the row and the answer in agreement', async () => {
    await sim.faults({ hangMs: 1500, rules: [timeoutOnce('createGateway')] });
    const init = {
      method: 'POST',
      json: gatewayOrder({ reference: 'race' }),
      headers: { 'idempotency-key': 'race-1' },
    };
    const first = await call('/api/payments', init);
    expect(first.status).toBe(502);
    const { paymentId } = await first.json<{ paymentId: string }>();
    const [lost] = await atDjomyFor(paymentId);
    // Every Djomy call now takes 0.6 s: the adoption's status call starts first and ends first,
    // while the retry's create is still in flight.
    await sim.faults({ latencyMs: 600, rules: [] });
    const deps = buildDeps(env, createLogger({ test: 'race' }));
    const adoption = verifyTransaction(deps, lost?.transactionId as string, 'webhook');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const retry = call('/api/payments', init);
    await adoption;
    const response = await retry;
    await sim.clearFaults();
    expect(response.status).toBe(201);
    const view = await response.json<{ next: { url: string } }>();
    const { payment } = await ledgerOf(paymentId);
    expect(view.next.url).toContain(payment.transactionId);
    expect(payment.nextUrl).toBe(view.next.url);
    const recorded = await env.DB.prepare(
      'SELECT count(*) AS n FROM payment_transactions WHERE payment_id = ?',
    )
      .bind(paymentId)
      .first<{ n: number }>();
    expect(recorded?.n).toBe(2);
  });
});

describe('the cron finds what no webhook told', () => {
  it('a lost portal session whose webhooks never came is found in Djomy’s list, recorded on its order and followed until it pays', async () => {
    await sim.faults({ hangMs: 1500, rules: [timeoutOnce('createGateway')] });
    const init = {
      method: 'POST',
      json: gatewayOrder({ reference: 'swept' }),
      headers: { 'idempotency-key': 'swept-1' },
    };
    const { paymentId } = await (await call('/api/payments', init)).json<{ paymentId: string }>();
    const [lost] = await atDjomyFor(paymentId);
    const retried = await call('/api/payments', init);
    expect(retried.status).toBe(201);
    expect((await ledgerOf(paymentId)).transactions).toHaveLength(1);

    const cronAt = (minutesLater: number) =>
      reconcile({
        ...buildDeps(env, createLogger({ test: 'sweep' })),
        now: () => Date.now() + minutesLater * 60_000,
      });
    await cronAt(5);
    const { transactions } = await ledgerOf(paymentId);
    expect(transactions.map((t: { transactionId: string }) => t.transactionId)).toContain(
      lost?.transactionId,
    );

    // The payer somehow paid on the lost session: the cron's follow lane finds it (each run, every
    // minute, checks a few open transactions, oldest check first).
    await sim.complete(lost?.transactionId as string, 'SUCCESS');
    let paid: { paid: boolean } | null = null;
    for (let minute = 10; minute < 40 && !paid?.paid; minute++) {
      await cronAt(minute);
      paid = (await ledgerOf(paymentId)).payment;
    }
    expect(paid).toMatchObject({ status: 'SUCCESS', transactionId: lost?.transactionId });
  });
});

describe('caps', () => {
  it('at most five OTP codes per payment reach Djomy; the sixth is 429 otp-attempts-exhausted', async () => {
    const { id } = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ payer: { phone: '621000001' } }) }),
    );
    const { otp } = await sim.payment(await transactionOf(id));
    const wrong = otp === '000000' ? '111111' : '000000';
    await sim.resetCounters();
    for (let i = 0; i < 5; i++) {
      const refused = await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp: wrong } });
      expect(refused.status).toBe(422);
    }
    const sixth = await call(`/api/payments/${id}/otp`, { method: 'POST', json: { otp: wrong } });
    expect(sixth.status).toBe(429);
    expect((await sixth.json<{ type: string }>()).type).toBe('/docs#problem-otp-attempts-exhausted');
    expect((await sim.counters()).confirmOtp).toBe(5);
  });

  it('a fourth direct prompt to one phone within 10 minutes is 429 too-many-prompts; replays and other phones are not counted', async () => {
    const phone = '621000002';
    const keys = ['p-1', 'p-2', 'p-3'];
    for (const key of keys) {
      const response = await call('/api/payments', {
        method: 'POST',
        json: directOrder({ payer: { phone }, reference: key }),
        headers: { 'idempotency-key': key },
      });
      expect(response.status).toBe(201);
    }
    const replay = await call('/api/payments', {
      method: 'POST',
      json: directOrder({ payer: { phone }, reference: 'p-1' }),
      headers: { 'idempotency-key': 'p-1' },
    });
    expect(replay.status).toBe(201);
    const before = (await sim.payments()).length;
    const fourth = await call('/api/payments', { method: 'POST', json: directOrder({ payer: { phone } }) });
    expect(fourth.status).toBe(429);
    expect((await fourth.json<{ type: string }>()).type).toBe('/docs#problem-too-many-prompts');
    expect((await sim.payments()).length).toBe(before);
    const other = await call('/api/payments', {
      method: 'POST',
      json: directOrder({ payer: { phone: '621000003' } }),
    });
    expect(other.status).toBe(201);
    const gateway = await call('/api/payments', { method: 'POST', json: gatewayOrder({ payer: { phone } }) });
    expect(gateway.status).toBe(201);
  });
});

describe('URLs from Djomy that a payer’s browser would follow', () => {
  afterEach(() => sim.config({ redirectUrlOverride: null }));

  it.each(['javascript:alert(1)', 'http://evil.example/portal', 'data:text/html,hi'])(
    '%s never reaches the payer: 502 djomy-bad-answer, the transaction recorded first',
    async (url) => {
      await sim.config({ redirectUrlOverride: url });
      const response = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
      expect(response.status).toBe(502);
      const problem = await response.json<{ type: string; paymentId: string }>();
      expect(problem.type).toBe('/docs#problem-djomy-bad-answer');
      expect(JSON.stringify(problem)).not.toContain(url);
      const [atDjomy] = await atDjomyFor(problem.paymentId);
      expect((await ledgerOf(problem.paymentId)).payment.transactionId).toBe(atDjomy?.transactionId);

      const form = await call('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'sku=cap&phone=622123456',
      });
      expect(form.headers.get('location') ?? '').not.toContain(url.split(':')[0] === 'http' ? 'evil' : url);
      expect(form.status).not.toBe(303);
    },
  );
});
