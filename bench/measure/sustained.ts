/**
 * 6. Sustained load: mixed traffic at a fixed rate (autocannon `overallRate`,
 * paced over each second), each connection cycling through
 * checkout → poll → poll → webhook (25 % `POST /api/payments`, 50 %
 * `GET /api/payments/{id}` of the payment that connection just created, 25 %
 * signed `POST /webhooks/djomy`).
 *
 * Short probes find the highest rate served with zero errors and at least 95 %
 * of the asked rate (doubling, then bisecting); then one long run at that rate
 * (again at 80 % if it does not keep up: a long run also has to absorb the
 * young-payment verifies of its own checkouts), and the ledger check: every
 * created payment and every accepted webhook eventId in D1.
 */
import type { Request } from 'autocannon';
import { type BenchContext, goal } from '../context.ts';
import { checkoutRequest, nextClientIp, paidPayments, signedEvents, webhookRequest } from '../lib/api.ts';
import { failures, type LoadStats } from '../lib/load.ts';
import { d1, simControls } from '../lib/stack.ts';
import { type MeteredRun, metered } from './common.ts';

const passes = (stats: LoadStats, rate: number) => failures(stats) === 0 && stats.rps >= 0.95 * rate;

export async function measureSustained(ctx: BenchContext) {
  const { probeSeconds, startRate, maxRate, refineSteps, seconds, paidPayments: pool } = ctx.sizes.sustained;
  const stack = await ctx.stack('sustained');
  try {
    await simControls(stack).webhooksTo(null);
    const prefix = `bench-sustained-${ctx.runId}`;
    const paid = await paidPayments(stack, `${prefix}-pay`, pool);
    const mixedRun = async (label: string, runPrefix: string, rate: number, seconds: number) => {
      const count = Math.ceil((rate * seconds * 1.5) / 4) + 50;
      const webhook = webhookRequest(await signedEvents(stack.clientSecret, `${runPrefix}-wh`, count, paid));
      const checkout = checkoutRequest(`${runPrefix}-co`);
      const polls = { ok: 0, failed: 0 };
      const poll: Request = {
        setupRequest: (request, context) => {
          const path = `/api/payments/${(context.paymentId as string | undefined) ?? paid[0]?.id}`;
          return {
            ...request,
            method: 'GET',
            path,
            headers: { 'cf-connecting-ip': nextClientIp() },
            body: undefined,
          };
        },
        onResponse: (status) => {
          if (status === 200) polls.ok++;
          else polls.failed++;
        },
      };
      // Enough connections that each needs only ~2 requests per second.
      const connections = Math.max(4, Math.min(256, Math.ceil(rate / 2)));
      const requests = [checkout.request, poll, poll, webhook.request];
      const options = { url: stack.workerUrl, connections, duration: seconds, overallRate: rate, requests };
      return {
        run: await metered(stack, label, options),
        checkout: checkout.tally,
        polls,
        webhook: webhook.tally,
      };
    };
    const probes: { rate: number; run: MeteredRun; passed: boolean }[] = [];
    const probe = async (rate: number) => {
      ctx.log(`sustained: probe ${rate} req/s for ${probeSeconds} s`);
      const { run } = await mixedRun(`probe ${rate}/s`, `${prefix}-p${rate}`, rate, probeSeconds);
      probes.push({ rate, run, passed: passes(run.stats, rate) });
      return passes(run.stats, rate);
    };

    let [good, bad] = [0, 0];
    for (let rate = startRate; rate <= maxRate && !bad; rate *= 2) {
      if (await probe(rate)) good = rate;
      else bad = rate;
    }
    for (let step = 0; step < refineSteps && good > 0 && bad - good > 2; step++) {
      const middle = Math.round((good + bad) / 2);
      if (await probe(middle)) good = middle;
      else bad = middle;
    }
    let rate = good || Math.max(1, Math.floor(startRate / 2));
    let attempts = 0;
    let final: Awaited<ReturnType<typeof mixedRun>>;
    for (;;) {
      attempts++;
      ctx.log(`sustained: ${seconds} s at ${rate} req/s`);
      final = await mixedRun(`sustained ${rate}/s`, `${prefix}-final${attempts}`, rate, seconds);
      // A long run builds up background work (young-payment verifies): one step down when it no longer keeps up.
      if (passes(final.run.stats, rate) || attempts >= 2 || ctx.smoke) break;
      rate = Math.max(1, Math.floor(rate * 0.8));
    }

    const run = `${prefix}-final${attempts}`;
    const ids = async (sql: string) => new Set((await d1<{ id: string }>(stack, sql)).map((row) => row.id));
    const payments = await ids(`SELECT id FROM payments WHERE reference LIKE '${run}-co-%'`);
    const events = await ids(`SELECT event_id AS id FROM webhook_events WHERE event_id LIKE '${run}-wh-%'`);
    const { created } = final.checkout;
    const { accepted } = final.webhook;
    const ledger = {
      created: created.length,
      paymentsRecorded: created.filter((id) => payments.has(id)).length,
      accepted: accepted.length,
      eventsRecorded: accepted.filter((id) => events.has(id)).length,
    };
    const errors = failures(final.run.stats);
    const lost = ledger.created - ledger.paymentsRecorded + ledger.accepted - ledger.eventsRecorded;
    const { polls, checkout, webhook } = final;
    const mix = { checkouts: checkout.sent, polls: polls.ok + polls.failed, webhooks: webhook.sent };
    return {
      ...{ probes, rate, final: final.run, attempts, mix, ledger },
      goals: [
        goal(
          `Sustained mixed load, ${seconds} s`,
          'highest rate with 0 errors',
          `${rate} req/s asked, ${final.run.stats.rps.toFixed(1)} req/s served, ${errors} errors`,
          errors === 0 && final.run.stats.requests > 0,
        ),
        goal(
          'Sustained load ledger: payments and webhook events not in D1',
          '0',
          `${lost} (of ${ledger.created} payments, ${ledger.accepted} events)`,
          lost === 0 && ledger.created > 0,
        ),
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
