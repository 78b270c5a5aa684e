/**
 * 1. Webhook ingest: `POST /webhooks/djomy` (signature check, dedupe insert in
 * D1, verify job enqueued) against the bare route in the same stack, in
 * alternating runs (common.ts). Every webhook is a distinct event signed before
 * the run; afterwards every accepted eventId must be in D1.
 *
 * The events name payments already paid in the ledger, so the verify jobs
 * they enqueue settle with one D1 read and no Djomy call: the consumer's own
 * cost is measured in verify.ts.
 */
import { type BenchContext, goal } from '../context.ts';
import { paidPayments, signedEvents, webhookRequest } from '../lib/api.ts';
import { failures } from '../lib/load.ts';
import { d1, simControls } from '../lib/stack.ts';
import { againstBare, metered, sum } from './common.ts';

export async function measureIngest(ctx: BenchContext) {
  const { paidPayments: pool, ...sizes } = ctx.sizes.ingest;
  const stack = await ctx.stack('ingest');
  try {
    await simControls(stack).webhooksTo(null);
    const paid = await paidPayments(stack, `bench-ingest-${ctx.runId}-pay`, pool);
    const options = { ...sizes, what: 'ingest', route: 'POST /webhooks/djomy', profileFirst: true };
    // Profiled first: on connecting, the inspector replays every log line buffered since the stack started.
    const measured = await againstBare(ctx, stack, options, async ([label, prefix], seconds, bareRps) => {
      // The pool of events is sized from the bare rate (webhooks are slower).
      const count = Math.ceil(bareRps * seconds * 1.5) + 500;
      const { request, tally } = webhookRequest(await signedEvents(stack.clientSecret, prefix, count, paid));
      const options = {
        url: stack.workerUrl,
        connections: sizes.connections,
        duration: seconds,
        requests: [request],
      };
      return { run: await metered(stack, label, options), tally };
    });
    const { comparison, tallies, prefix, profile, profileError } = measured;
    const sql = `SELECT event_id FROM webhook_events WHERE event_id LIKE '${prefix}-m%'`;
    const inD1 = new Set((await d1<{ event_id: string }>(stack, sql)).map((row) => row.event_id));
    const accepted = tallies.flatMap((t) => t.accepted);
    const missing = accepted.filter((id) => !inD1.has(id)).length;
    const errors = sum(comparison.rounds.map((r) => failures(r.target.stats)));
    const { ratio } = comparison.median;
    return {
      ...{ connections: sizes.connections, seconds: sizes.seconds, comparison, profile, profileError },
      /** Events sent and answered 200, accepted eventIds in D1 `webhook_events`, requests that re-sent an event. */
      ledger: {
        sent: sum(tallies.map((t) => t.sent)),
        accepted: accepted.length,
        recorded: accepted.length - missing,
        missing,
        overflow: sum(tallies.map((t) => t.overflow)),
      },
      goals: [
        goal(
          'Webhook ingest throughput / bare route',
          '≥ 0.5×',
          `${ratio.toFixed(2)}× (median of ${sizes.rounds})`,
          ratio >= 0.5,
        ),
        goal('Webhook ingest errors', '0', String(errors), errors === 0),
        goal(
          'Webhook events lost (accepted, not in D1)',
          '0',
          `${missing} of ${accepted.length}`,
          missing === 0 && accepted.length > 0,
        ),
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
