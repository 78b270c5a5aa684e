/**
 * Nothing lost, nobody charged twice: 300 orders through the simulator with
 * faults everywhere — create answers lost mid-body or timed out, creates
 * refused by a 503, Djomy's list failing, OTP confirmations lost, 30 % of
 * webhooks dropped, 20 % duplicated, deliveries reordered, forged webhooks
 * mixed in, 10 % of status calls failing, tokens expiring early, and some
 * lost portal sessions paid after all. After the queues drain and the cron
 * has run, the ledger and Djomy's truth must agree both ways:
 * - every Djomy transaction of an order is recorded on it, with Djomy's status;
 * - every order matches Djomy on status, paid, amount and flag;
 * - no payer got two prompts; no Djomy success is missing from the ledger;
 * - each merchant event type is written exactly when it should be, and delivered.
 *
 * Seeds: `CHAOS_SEEDS=1,2,3` (or `CHAOS_SEED=n` for one) replays a run.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../sim/src/random.ts';
import { buildDeps } from '../../src/deps.ts';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { forEachConcurrently } from '../../src/lib/concurrency.ts';
import { createLogger } from '../../src/lib/log.ts';
import { reconcile } from '../../src/payments/reconcile.ts';
import { type PaymentTruth, sim } from '../support/sim.ts';
import { call, directOrder, freshPhone, gatewayOrder, seedCatalog, waitFor } from '../support/worker.ts';

const PAYMENTS = 300;
const FORGED = 150;
const SEEDS = (env.CHAOS_SEEDS || '20261128,1,2,3,4').split(',').map(Number);

type Outcome = 'SUCCESS' | 'MISMATCH' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'REFUNDED' | 'OPEN';

function pick(random: () => number): Outcome {
  const r = random();
  if (r < 0.45) return 'SUCCESS';
  if (r < 0.5) return 'MISMATCH';
  if (r < 0.7) return 'FAILED';
  if (r < 0.85) return 'CANCELLED';
  if (r < 0.9) return 'TIMEOUT';
  if (r < 0.95) return 'REFUNDED';
  return 'OPEN';
}

interface Order {
  id: string;
  flow: 'gateway' | 'direct';
  method: string;
  outcome: Outcome;
  /** How the browser's last create attempt ended. */
  answer: 'created' | 'outcome-unknown' | 'failed';
}

interface LedgerRow {
  id: string;
  transaction_id: string | null;
  status: string;
  paid: number;
  flag: string | null;
  amount: number;
  close_reason: string | null;
}

const TERMINAL_UNPAID = ['FAILED', 'CANCELLED', 'TIMEOUT'];

async function rowsOf<T>(sql: string, ids: string[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await env.DB.prepare(sql.replace('(?)', `(${chunk.map(() => '?').join(',')})`))
      .bind(...chunk)
      .all<T>();
    out.push(...results);
  }
  return out;
}

/** What the ledger must say of an order, from Djomy's truth about its transactions. */
function expectedOrder(transactions: PaymentTruth[], row: LedgerRow): Record<string, unknown> {
  if (transactions.length === 0) return { paid: 0, transaction: null, open: true };
  const successes = transactions.filter((t) => t.status === 'SUCCESS' || t.status === 'REFUNDED');
  const good = successes.filter((t) => t.paidAmount === t.amount);
  if (successes.length === 0) {
    const current = transactions.find((t) => t.transactionId === row.transaction_id);
    return { status: current?.status ?? 'not one of its transactions', paid: 0, flag: null };
  }
  const refunded = transactions.some((t) => t.status === 'REFUNDED');
  return {
    status: refunded ? 'REFUNDED' : 'SUCCESS',
    paid: good.length > 0 && !refunded ? 1 : 0,
    flag: successes.length > 1 ? 'duplicate_charge' : good.length === 0 ? 'amount_mismatch' : null,
  };
}

for (const seed of SEEDS) {
  describe(`chaos, seed ${seed}`, () => {
    it(`nothing is lost and nobody is prompted twice: ${PAYMENTS} orders under faults`, async () => {
      const started = Date.now();
      const random = seededRandom(seed);
      await sim.reset();
      // The simulator just forgot the earlier seeds' transactions: the cron stops following them.
      await env.DB.prepare('UPDATE payment_transactions SET created_at = 0 WHERE created_at < ?')
        .bind(started)
        .run();
      await sim.config({ webhookRetry: { attempts: 3, baseDelayMs: 100 } });
      await seedCatalog();

      // 1. Orders, created by a browser that retries with its Idempotency-Key, while Djomy loses answers.
      await sim.faults({
        seed,
        hangMs: 1500,
        rules: [
          { endpoint: 'createPayment', kind: 'reset', rate: 0.08 },
          { endpoint: 'createPayment', kind: 'timeout', rate: 0.03 },
          { endpoint: 'createPayment', kind: '503', rate: 0.03 },
          { endpoint: 'createGateway', kind: 'reset', rate: 0.08 },
          { endpoint: 'createGateway', kind: 'timeout', rate: 0.03 },
          { endpoint: 'createGateway', kind: '503', rate: 0.03 },
          { endpoint: 'listPayments', kind: '503', rate: 0.15 },
          { endpoint: 'confirmOtp', kind: 'reset', rate: 0.1 },
          { endpoint: 'confirmOtp', kind: '503', rate: 0.05 },
        ],
      });
      const orders: Order[] = [];
      const answers: Record<string, number> = {};
      await forEachConcurrently(
        Array.from({ length: PAYMENTS }, (_, i) => i),
        10,
        async (i) => {
          const direct = i % 5 >= 3;
          const method = ['OM', 'MOMO', 'KULU', 'SOUTRA_MONEY'][i % 4] as string;
          const body = direct
            ? directOrder({
                paymentMethod: method,
                reference: `chaos-${seed}-${i}`,
                payer: { phone: freshPhone() },
              })
            : gatewayOrder({
                reference: `chaos-${seed}-${i}`,
                items: [{ sku: 'mug', quantity: 1 + (i % 3) }],
              });
          const key = `chaos-${seed}-${i}`;
          let id: string | undefined;
          let answer: Order['answer'] = 'failed';
          for (let attempt = 0; attempt < 4; attempt++) {
            const response = await call('/api/payments', {
              method: 'POST',
              json: body,
              headers: { 'idempotency-key': key },
            });
            const json = await response.json<{ id?: string; paymentId?: string; type?: string }>();
            const kind =
              response.status === 201
                ? 'created'
                : (json.type?.split('#problem-')[1] ?? String(response.status));
            answers[kind] = (answers[kind] ?? 0) + 1;
            id = json.id ?? json.paymentId ?? id;
            if (response.status === 201) {
              answer = 'created';
              break;
            }
            // As checkout.js does: a lost answer is waited for, never created again.
            if (kind === 'create-outcome-unknown') {
              answer = 'outcome-unknown';
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          expect(id, `order ${i} has an id`).toBeDefined();
          orders.push({
            id: id as string,
            flow: direct ? 'direct' : 'gateway',
            method,
            outcome: pick(random),
            answer,
          });
        },
      );
      const ids = orders.map((o) => o.id);

      // 2. Half the OTP payers type their code (some confirmations are lost on the way).
      let otpTyped = 0;
      for (const order of orders.filter(
        (o) => o.answer === 'created' && (o.method === 'OM' || o.method === 'MOMO'),
      )) {
        if (order.flow !== 'direct' || random() < 0.5) continue;
        const refs = (await sim.references())[order.id];
        const truth = refs ? await sim.payment(refs.transactionIds.at(-1) as string) : null;
        if (!truth?.otp) continue;
        const response = await call(`/api/payments/${order.id}/otp`, {
          method: 'POST',
          json: { otp: truth.otp },
        });
        expect([200, 409, 422, 502]).toContain(response.status);
        order.outcome = 'SUCCESS';
        otpTyped++;
      }

      // 3. Webhooks and status calls fail from now on; payers finish (V2 webhooks, then V1), forgers lie.
      await sim.faults({
        seed,
        hangMs: 1500,
        rules: [
          { endpoint: 'status', kind: '503', rate: 0.04 },
          { endpoint: 'status', kind: '500', rate: 0.03 },
          { endpoint: 'status', kind: 'timeout', rate: 0.03 },
        ],
        webhooks: { dropRate: 0.3, duplicateRate: 0.2, reorderWindowMs: 400 },
        tokenEarlyExpiryRate: 0.05,
      });
      await sim.config({ merchantResponse: { status: 200, failRate: 0.1 } });
      const references = await sim.references();
      let forgedRejected = 0;
      const forge = forEachConcurrently(
        Array.from({ length: FORGED }, (_, i) => i),
        5,
        async (i) => {
          const target = orders[i % orders.length] as Order;
          const transactionId = references[target.id]?.transactionIds[0] ?? crypto.randomUUID();
          const body = JSON.stringify({
            eventType: 'payment.success',
            eventId: crypto.randomUUID(),
            data: { payment: { transactionId, status: 'SUCCESS', paidAmount: 1 } },
          });
          const signatures = [
            null,
            `v1:${'0'.repeat(64)}`,
            await signWebhookBody('not-the-secret', body),
            await signWebhookBody(env.DJOMY_CLIENT_SECRET as string, `${body} `),
          ];
          const signature = signatures[i % signatures.length];
          const response = await call('/webhooks/djomy', {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              ...(signature ? { 'x-webhook-signature': signature } : {}),
            },
          });
          if (response.status === 401) forgedRejected++;
        },
      );
      let lostSessionsPaid = 0;
      await forEachConcurrently(orders, 8, async (order) => {
        if (orders.indexOf(order) === PAYMENTS / 2) await sim.config({ webhookVersion: 'v1' });
        const transactions = references[order.id]?.transactionIds ?? [];
        const live = transactions.at(-1);
        if (!live) return;
        const truth = await sim.payment(live);
        if (order.outcome === 'SUCCESS' && truth.status !== 'SUCCESS') await sim.complete(live, 'SUCCESS');
        else if (order.outcome === 'MISMATCH')
          await sim.complete(live, 'SUCCESS', { paidAmount: truth.amount - 1 });
        else if (order.outcome === 'REFUNDED') {
          await sim.complete(live, 'SUCCESS');
          await sim.complete(live, 'REFUNDED');
        } else if (order.outcome !== 'OPEN' && order.outcome !== 'SUCCESS')
          await sim.complete(live, order.outcome);
        // A lost portal session paid after all (its URL leaked somewhere): a switch, or a duplicate charge.
        const lost = transactions.length > 1 ? transactions[0] : undefined;
        if (lost && order.outcome !== 'MISMATCH' && order.outcome !== 'REFUNDED' && random() < 0.5) {
          await sim.complete(lost, 'SUCCESS');
          lostSessionsPaid++;
        }
      });
      await forge;

      // 4. Let the webhooks and the queues settle, then run the cron until the ledger agrees.
      const webhookLog = await sim.drainWebhooks();
      const truthOf = async () => {
        const all = await sim.payments();
        return new Map(ids.map((id) => [id, all.filter((p) => p.merchantPaymentReference === id)]));
      };
      const disagreements = async () => {
        const truth = await truthOf();
        const rows = await rowsOf<LedgerRow>(
          'SELECT id, transaction_id, status, paid, flag, amount, close_reason FROM payments WHERE id IN (?)',
          ids,
        );
        const recorded = await rowsOf<{ transaction_id: string; payment_id: string; status: string }>(
          'SELECT transaction_id, payment_id, status FROM payment_transactions WHERE payment_id IN (?)',
          ids,
        );
        const byTransaction = new Map(recorded.map((t) => [t.transaction_id, t]));
        const wrong: Record<string, unknown>[] = [];
        for (const row of rows) {
          const transactions = truth.get(row.id) ?? [];
          const want = expectedOrder(transactions, row);
          const have: Record<string, unknown> = { status: row.status, paid: row.paid, flag: row.flag };
          if (want.open) {
            // Djomy never created it: open until its expiry, then closed by the ledger; never paid.
            if (row.paid !== 0 || row.transaction_id !== null || !['CREATED', 'TIMEOUT'].includes(row.status))
              wrong.push({ id: row.id, want, have });
            continue;
          }
          const fields = Object.keys(want);
          if (fields.some((field) => have[field] !== want[field])) wrong.push({ id: row.id, want, have });
          if (transactions.some((t) => t.amount !== row.amount))
            wrong.push({ id: row.id, amount: row.amount });
          // Every Djomy transaction of the order is on record, with Djomy's status.
          for (const t of transactions) {
            const mine = byTransaction.get(t.transactionId);
            if (mine?.payment_id !== row.id || mine.status !== t.status)
              wrong.push({ id: row.id, transaction: t.transactionId, djomy: t.status, ledger: mine?.status });
          }
        }
        return wrong;
      };
      let cronRuns = 0;
      let remaining = await disagreements();
      for (let round = 0; remaining.length > 0 && round < 8; round++) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        remaining = await disagreements();
        if (remaining.length === 0) break;
        // The cron as it runs in production, every minute: each round is five runs, five minutes later.
        for (let minute = 0; minute < 5; minute++) {
          const later = ((round + 2) * 5 + minute) * 60_000;
          await reconcile({
            ...buildDeps(env, createLogger({ test: 'chaos-cron' }), undefined, 'later'),
            now: () => Date.now() + later,
          });
          cronRuns++;
        }
        remaining = await waitFor(async () => {
          const left = await disagreements();
          return left.length === 0 ? [] : null;
        }, 8_000).catch(async () => disagreements());
      }
      expect(remaining).toEqual([]);

      // 5. Nobody prompted twice; no success missing; paid only on the status endpoint's SUCCESS.
      const truth = await truthOf();
      const rows = await rowsOf<LedgerRow>(
        'SELECT id, transaction_id, status, paid, flag, amount, close_reason FROM payments WHERE id IN (?)',
        ids,
      );
      expect(rows).toHaveLength(PAYMENTS);
      const promptedTwice = orders.filter((o) => o.flow === 'direct' && (truth.get(o.id)?.length ?? 0) > 1);
      expect(promptedTwice).toEqual([]);
      const successesAtDjomy = [...truth.values()].flat().filter((t) => t.status === 'SUCCESS');
      const recordedSuccesses = new Set(
        (
          await rowsOf<{ transaction_id: string }>(
            "SELECT transaction_id FROM payment_transactions WHERE status = 'SUCCESS' AND payment_id IN (?)",
            ids,
          )
        ).map((r) => r.transaction_id),
      );
      const missingSuccesses = successesAtDjomy.filter((t) => !recordedSuccesses.has(t.transactionId));
      expect(missingSuccesses).toEqual([]);
      const successEvents = await rowsOf<{ detail: string }>(
        "SELECT detail FROM payment_events WHERE to_status = 'SUCCESS' AND from_status IS NOT 'SUCCESS' AND payment_id IN (?)",
        ids,
      );
      for (const { detail } of successEvents) expect(JSON.parse(detail).djomyStatus).toBe('SUCCESS');

      // No forged webhook was stored: every event recorded in this run is one the simulator sent.
      const sent = new Set(webhookLog.events.map((e) => e.eventId));
      const stored = (
        await env.DB.prepare('SELECT event_id FROM webhook_events WHERE received_at >= ?')
          .bind(started)
          .all<{ event_id: string }>()
      ).results;
      expect(stored.filter(({ event_id }) => !sent.has(event_id))).toEqual([]);
      expect(forgedRejected).toBe(FORGED);

      // 6. Merchant events: each type exactly when it is due, one row per event, all delivered.
      const outbox = await rowsOf<{
        id: string;
        payment_id: string;
        type: string;
        event_key: string;
        state: string;
      }>('SELECT id, payment_id, type, event_key, state FROM outbox WHERE payment_id IN (?)', ids);
      const eventsOf = (id: string) => outbox.filter((row) => row.payment_id === id);
      for (const row of rows) {
        const types = eventsOf(row.id).map((r) => r.event_key);
        const duplicates = (truth.get(row.id) ?? []).filter((t) => t.status === 'SUCCESS').length - 1;
        if (row.paid === 1)
          expect(
            types.filter((t) => t === 'payment.succeeded'),
            row.id,
          ).toHaveLength(1);
        if (row.status === 'REFUNDED') expect(types, row.id).toContain('payment.refunded');
        if (row.flag === 'amount_mismatch') expect(types, row.id).toContain('payment.flagged');
        if (row.flag === 'duplicate_charge')
          expect(
            types.filter((t) => t.startsWith('payment.flagged:duplicate_charge:')),
            row.id,
          ).toHaveLength(duplicates);
        if (TERMINAL_UNPAID.includes(row.status) && row.transaction_id)
          expect(
            types.filter((t) => t === 'payment.failed'),
            row.id,
          ).toHaveLength(1);
        if (row.paid === 0 && row.status !== 'REFUNDED')
          expect(types, row.id).not.toContain('payment.succeeded');
        expect(new Set(types).size, row.id).toBe(types.length);
      }
      const delivered = async () =>
        (await rowsOf<{ state: string }>('SELECT state FROM outbox WHERE payment_id IN (?)', ids)).every(
          (r) => r.state === 'delivered',
        );
      // Events of payments settled by a batch (a queue job, the cron) are delivered by the cron's
      // outbox lane, a few per run. Each round, the pending ones are made as old as a few runs
      // later would find them (on the real clock: the merchant checks the signature's timestamp).
      for (let run = 0; run < 200 && !(await delivered()); run++) {
        await env.DB.prepare(
          `UPDATE outbox SET created_at = created_at - 660000, last_attempt_at = last_attempt_at - 660000
           WHERE state = 'pending'`,
        ).run();
        await reconcile(buildDeps(env, createLogger({ test: 'chaos-outbox' }), undefined, 'later'));
      }
      expect(await delivered()).toBe(true);
      const inbox = await sim.merchantDeliveries();
      const deliveredIds = new Set(
        inbox.filter((d) => d.valid && d.answeredStatus < 300).map((d) => d.webhookId),
      );
      for (const row of outbox) expect(deliveredIds.has(row.id)).toBe(true);

      // 7. The counts.
      const counters = await sim.counters();
      const tally = (values: string[]) =>
        Object.fromEntries([...new Set(values)].sort().map((v) => [v, values.filter((x) => x === v).length]));
      console.info(
        JSON.stringify(
          {
            seed,
            seconds: Math.round((Date.now() - started) / 1000),
            orders: PAYMENTS,
            createAnswers: answers,
            browserGaveUpWaiting: orders.filter((o) => o.answer === 'outcome-unknown').length,
            djomyTransactionsPerOrder: tally([...truth.values()].map((t) => String(t.length))),
            otpTyped,
            lostSessionsPaid,
            ledger: tally(
              rows.map((r) => `${r.status}${r.paid ? ' (paid)' : ''}${r.flag ? ` (${r.flag})` : ''}`),
            ),
            merchantEvents: tally(outbox.map((r) => r.type)),
            promptedTwice: promptedTwice.length,
            successesMissing: missingSuccesses.length,
            webhooks: {
              events: webhookLog.events.length,
              dropped: webhookLog.deliveries.filter((d) => d.outcome === 'dropped').length,
              storedDistinct: stored.length,
            },
            forgedRejected,
            djomyCalls: counters,
            cronRuns,
            deadLetters: (
              await env.DB.prepare(
                'SELECT kind, count(*) AS n FROM dead_letters WHERE created_at >= ? GROUP BY kind',
              )
                .bind(started)
                .all()
            ).results,
          },
          null,
          1,
        ),
      );
    }, 300_000);
  });
}
