/**
 * 6. Sustained load: mixed traffic at a fixed rate (autocannon
 * `overallRate`), each connection cycling through
 *   checkout → poll → poll → webhook
 * (25 % `POST /api/payments`, 50 % `GET /api/payments/{id}` of the payment
 * that connection just created, 25 % signed `POST /webhooks/djomy`).
 *
 * Short probes find the highest rate served with zero errors and at least
 * 95 % of the asked rate (doubling, then bisecting); then one long run at that
 * rate (again at 80 % if it does not keep up: a long run also has to absorb
 * the young-payment verifies of its own checkouts), and the ledger check:
 * every created payment and every accepted webhook eventId in D1.
 */
import type { Request } from 'autocannon';
import type { BenchContext, Goal } from '../context.ts';
import { checkoutRequest, type LedgerPayment, nextClientIp, paidPayments } from '../lib/api.ts';
import { failures, type LoadStats } from '../lib/load.ts';
import { type BenchStack, d1, simControls } from '../lib/stack.ts';
import { signedEvents, webhookRequest } from '../lib/webhooks.ts';
import { type MeteredRun, metered } from './common.ts';

export interface Probe {
  rate: number;
  run: MeteredRun;
  passed: boolean;
}

export interface SustainedResult {
  probes: Probe[];
  rate: number;
  final: MeteredRun;
  /** Long runs made: 2 when the first had errors or served under 95 % of the asked rate, and the rate was lowered. */
  attempts: number;
  mix: { checkouts: number; polls: number; webhooks: number };
  ledger: {
    created: number;
    paymentsRecorded: number;
    accepted: number;
    eventsRecorded: number;
  };
  goals: Goal[];
}

function pollRequest(fallback: LedgerPayment): { request: Request; tally: { ok: number; failed: number } } {
  const tally = { ok: 0, failed: 0 };
  return {
    tally,
    request: {
      method: 'GET',
      setupRequest: (request, context) => ({
        ...request,
        method: 'GET',
        path: `/api/payments/${(context.paymentId as string | undefined) ?? fallback.id}`,
        headers: { 'cf-connecting-ip': nextClientIp() },
        body: undefined,
      }),
      onResponse: (status) => {
        if (status === 200) tally.ok++;
        else tally.failed++;
      },
    },
  };
}

async function mixedRun(
  stack: BenchStack,
  label: string,
  prefix: string,
  rate: number,
  seconds: number,
  paid: LedgerPayment[],
) {
  const events = await signedEvents(
    stack.clientSecret,
    `${prefix}-wh`,
    Math.ceil(((rate * seconds) / 4) * 1.5) + 50,
    paid,
  );
  const checkout = checkoutRequest(`${prefix}-co`);
  const poll = pollRequest(paid[0] as LedgerPayment);
  const webhook = webhookRequest(events);
  // Enough connections that each needs only ~2 requests per second.
  const connections = Math.max(4, Math.min(256, Math.ceil(rate / 2)));
  const run = await metered(stack, label, {
    url: stack.workerUrl,
    connections,
    duration: seconds,
    overallRate: rate,
    requests: [checkout.request, poll.request, poll.request, webhook.request],
  });
  return { run, checkout: checkout.tally, poll: poll.tally, webhook: webhook.tally };
}

function passes(stats: LoadStats, rate: number): boolean {
  return failures(stats) === 0 && stats.rps >= 0.95 * rate;
}

export async function measureSustained(ctx: BenchContext): Promise<SustainedResult> {
  const {
    probeSeconds,
    startRate,
    maxRate,
    refineSteps,
    seconds,
    paidPayments: poolSize,
  } = ctx.sizes.sustained;
  const stack = await ctx.stack('sustained');
  try {
    await simControls(stack).webhooksTo(null);
    const prefix = `bench-sustained-${ctx.runId}`;
    const paid = await paidPayments(stack, `${prefix}-pay`, poolSize);
    const probes: Probe[] = [];
    const probe = async (rate: number) => {
      ctx.log(`sustained: probe ${rate} req/s for ${probeSeconds} s`);
      const { run } = await mixedRun(
        stack,
        `probe ${rate}/s`,
        `${prefix}-p${rate}`,
        rate,
        probeSeconds,
        paid,
      );
      const passed = passes(run.stats, rate);
      probes.push({ rate, run, passed });
      return passed;
    };

    let good = 0;
    let bad = 0;
    for (let rate = startRate; rate <= maxRate; rate *= 2) {
      if (await probe(rate)) good = rate;
      else {
        bad = rate;
        break;
      }
    }
    for (let step = 0; step < refineSteps && good > 0 && bad > 0 && bad - good > 2; step++) {
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
      final = await mixedRun(stack, `sustained ${rate}/s`, `${prefix}-final${attempts}`, rate, seconds, paid);
      // A long run builds up background work (young-payment verifies): one step down when it no longer keeps up.
      if (passes(final.run.stats, rate) || attempts >= 2 || ctx.smoke) break;
      rate = Math.max(1, Math.floor(rate * 0.8));
    }

    const payments = new Set(
      (
        await d1<{ id: string }>(
          stack,
          `SELECT id FROM payments WHERE reference LIKE '${prefix}-final${attempts}-co-%'`,
        )
      ).map((row) => row.id),
    );
    const events = new Set(
      (
        await d1<{ event_id: string }>(
          stack,
          `SELECT event_id FROM webhook_events WHERE event_id LIKE '${prefix}-final${attempts}-wh-%'`,
        )
      ).map((row) => row.event_id),
    );
    const created = final.checkout.created;
    const accepted = final.webhook.accepted;
    const ledger = {
      created: created.length,
      paymentsRecorded: created.filter((id) => payments.has(id)).length,
      accepted: accepted.length,
      eventsRecorded: accepted.filter((id) => events.has(id)).length,
    };
    const errors = failures(final.run.stats);
    const lost = ledger.created - ledger.paymentsRecorded + ledger.accepted - ledger.eventsRecorded;
    return {
      probes,
      rate,
      final: final.run,
      attempts,
      mix: {
        checkouts: final.checkout.sent,
        polls: final.poll.ok + final.poll.failed,
        webhooks: final.webhook.sent,
      },
      ledger,
      goals: [
        {
          label: `Sustained mixed load, ${seconds} s`,
          target: 'highest rate with 0 errors',
          value: `${rate} req/s asked, ${final.run.stats.rps.toFixed(1)} req/s served, ${errors} errors`,
          met: errors === 0 && final.run.stats.requests > 0,
        },
        {
          label: 'Sustained load ledger: payments and webhook events not in D1',
          target: '0',
          value: `${lost} (of ${ledger.created} payments, ${ledger.accepted} events)`,
          met: lost === 0 && ledger.created > 0,
        },
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
