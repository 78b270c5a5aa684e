/**
 * 1. Webhook ingest: `POST /webhooks/djomy` (signature check, dedupe insert
 * in D1, verify job enqueued) against the bare route in the same stack,
 * alternating runs (common.ts). Every webhook is a distinct, signed event;
 * afterwards every accepted eventId must be in D1.
 *
 * The events name payments that are already paid in the ledger, so the verify
 * jobs they enqueue settle with one D1 read and no Djomy call: the consumer's
 * own cost is measured in verify.ts, not here.
 */
import type { BenchContext, Goal } from '../context.ts';
import { type LedgerPayment, paidPayments } from '../lib/api.ts';
import { failures } from '../lib/load.ts';
import { type ProfileSummary, profileWorker } from '../lib/profile.ts';
import { type BenchStack, d1, simControls } from '../lib/stack.ts';
import { type EventTally, signedEvents, webhookRequest } from '../lib/webhooks.ts';
import { bareRun, type Comparison, compareWithBare, type MeteredRun, metered } from './common.ts';

export interface IngestResult {
  connections: number;
  seconds: number;
  comparison: Comparison;
  ledger: {
    sent: number;
    accepted: number;
    /** Accepted (200) eventIds found in D1 `webhook_events`. */
    recorded: number;
    missing: number;
    /** Requests that found the event pool empty (re-sent an event); 0 unless the pool was sized too small. */
    overflow: number;
  };
  profile: ProfileSummary | null;
  profileError?: string;
  goals: Goal[];
}

/** Posts freshly signed events for `seconds`; the pool is sized from a bare rate (webhooks are slower). */
async function postEvents(
  stack: BenchStack,
  label: string,
  eventPrefix: string,
  paid: LedgerPayment[],
  { connections, seconds, bareRps }: { connections: number; seconds: number; bareRps: number },
): Promise<{ run: MeteredRun; tally: EventTally }> {
  const count = Math.ceil(bareRps * seconds * 1.5) + 500;
  const { request, tally } = webhookRequest(await signedEvents(stack.clientSecret, eventPrefix, count, paid));
  const run = await metered(stack, label, {
    url: stack.workerUrl,
    connections,
    duration: seconds,
    requests: [request],
  });
  return { run, tally };
}

export async function measureIngest(ctx: BenchContext): Promise<IngestResult> {
  const {
    connections,
    seconds,
    rounds,
    warmupSeconds,
    profileSeconds,
    paidPayments: poolSize,
  } = ctx.sizes.ingest;
  const stack = await ctx.stack('ingest');
  try {
    await simControls(stack).webhooksTo(null);
    const prefix = `bench-ingest-${ctx.runId}`;
    const paid = await paidPayments(stack, `${prefix}-pay`, poolSize);

    ctx.log('ingest: warm-up');
    const warm = await bareRun(stack, 'warm-up', connections, warmupSeconds);
    const bareRps = warm.stats.rps;
    await postEvents(stack, 'warm-up', `${prefix}-warm`, paid, {
      connections,
      seconds: warmupSeconds,
      bareRps,
    });

    // Profiled before the measured runs: on connecting, the inspector replays every log line buffered since
    // the stack started (two per webhook), which takes long after the measured runs.
    ctx.log('ingest: profiling the Worker');
    const profiled = await profileWorker(stack, () =>
      postEvents(stack, 'profile', `${prefix}-profile`, paid, {
        connections,
        seconds: profileSeconds,
        bareRps,
      }),
    );

    const tallies: EventTally[] = [];
    const comparison = await compareWithBare(
      stack,
      { rounds, connections, seconds },
      async (round, bareBefore) => {
        ctx.log(`ingest: POST /webhooks/djomy #${round + 1}, ${seconds} s`);
        const { run, tally } = await postEvents(
          stack,
          `POST /webhooks/djomy #${round + 1}`,
          `${prefix}-m${round}`,
          paid,
          { connections, seconds, bareRps: bareBefore.stats.rps },
        );
        tallies.push(tally);
        return run;
      },
      (message) => ctx.log(`ingest: ${message}`),
    );

    const rows = await d1<{ event_id: string }>(
      stack,
      `SELECT event_id FROM webhook_events WHERE event_id LIKE '${prefix}-m%'`,
    );
    const inD1 = new Set(rows.map((row) => row.event_id));
    const accepted = tallies.flatMap((t) => t.accepted);
    const recorded = accepted.filter((id) => inD1.has(id)).length;
    const missing = accepted.length - recorded;
    const errors = comparison.rounds.reduce((sum, r) => sum + failures(r.target.stats), 0);
    const { ratio } = comparison.median;
    return {
      connections,
      seconds,
      comparison,
      ledger: {
        sent: tallies.reduce((sum, t) => sum + t.sent, 0),
        accepted: accepted.length,
        recorded,
        missing,
        overflow: tallies.reduce((sum, t) => sum + t.overflow, 0),
      },
      profile: profiled.profile,
      ...(profiled.error ? { profileError: profiled.error } : {}),
      goals: [
        {
          label: 'Webhook ingest throughput / bare route',
          target: '≥ 0.5×',
          value: `${ratio.toFixed(2)}× (median of ${rounds})`,
          met: ratio >= 0.5,
        },
        { label: 'Webhook ingest errors', target: '0', value: String(errors), met: errors === 0 },
        {
          label: 'Webhook events lost (accepted, not in D1)',
          target: '0',
          value: `${missing} of ${accepted.length}`,
          met: missing === 0 && accepted.length > 0,
        },
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
