/**
 * 4. Verify throughput: J verify jobs processed by the queue consumer while
 * every Djomy call takes `latencyMs` more (simulator fault `latencyMs`),
 * against one-at-a-time processing.
 *
 * - P gateway payments are created and left open at Djomy, so that every job
 *   needs its Djomy status call (a paid payment would skip it and flatter the
 *   figure); J/P jobs per payment.
 * - One-at-a-time cost: each of the P payments verified in turn with
 *   `POST /api/admin/payments/{id}/verify` (one D1 read, one Djomy status call,
 *   one D1 write, like a job), mean latency × J.
 * - Queued: J signed `payment.success` webhooks are posted (each enqueues one
 *   verify job); the clock runs from the first post until the simulator has
 *   answered J status calls; then D1 must show J more verifications
 *   (`sum(verify_count)`). Posting overlaps processing, as in production.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext, Goal } from '../context.ts';
import { adminVerify, openPayments } from '../lib/api.ts';
import { failures, type LoadStats, startLoad } from '../lib/load.ts';
import { d1, ROOT, simControls } from '../lib/stack.ts';
import { signedEvents, webhookRequest } from '../lib/webhooks.ts';
import { sleep } from './common.ts';

export interface VerifySettings {
  /** The verify queue's `max_batch_size` (wrangler.toml). */
  batchSize: number | null;
  /** Messages of a batch handled at once (`BATCH_CONCURRENCY`, src/index.ts). */
  concurrency: number | null;
  /** The delay the webhook route puts on its verify job (`WEBHOOK_VERIFY_DELAY_SECONDS`), if any. */
  webhookDelay: number | null;
}

/** What bounds the consumer, read from the sources this run measured. */
function verifySettings(): VerifySettings {
  const read = (...parts: string[]) => {
    try {
      return readFileSync(path.join(ROOT, ...parts), 'utf8');
    } catch {
      return '';
    }
  };
  // The top-level consumers only, not [env.production]'s copies.
  const toml = read('wrangler.toml').split(/^\[env\./m)[0] ?? '';
  const block =
    /\[\[queues\.consumers\]\]\s*\nqueue = "djomy-verify"([\s\S]*?)(\n\[|$)/.exec(toml)?.[1] ?? '';
  const number = (pattern: RegExp, text: string) => Number(pattern.exec(text)?.[1]) || null;
  return {
    batchSize: number(/max_batch_size\s*=\s*(\d+)/, block),
    concurrency: number(/BATCH_CONCURRENCY\s*=\s*(\d+)/, read('src', 'index.ts')),
    webhookDelay: number(
      /WEBHOOK_VERIFY_DELAY_SECONDS\s*=\s*(\d+)/,
      read('src', 'http', 'routes', 'webhooks.ts'),
    ),
  };
}

export interface VerifyResult {
  settings: VerifySettings;
  payments: number;
  jobs: number;
  latencyMs: number;
  /** One verify, alone: ms. */
  single: { mean: number; p50: number; p90: number; samples: number };
  oneAtATimeSeconds: number;
  /** From the first webhook posted to the J-th Djomy status call answered. */
  queuedSeconds: number;
  /** When the last webhook was answered (enqueueing done), seconds from the start. */
  postedSeconds: number;
  ratio: number;
  post: LoadStats;
  statusCalls: number;
  /** D1 `sum(verify_count)` increase over the payments. */
  verified: number;
  /** Per second: webhooks accepted while posting, status calls while posting, status calls after (the drain). */
  rates: { posting: number; callsWhilePosting: number; drain: number | null };
  /** [seconds, webhooks accepted, status calls answered] every ~100 ms. */
  timeline: [number, number, number][];
  goals: Goal[];
}

export async function measureVerify(ctx: BenchContext): Promise<VerifyResult> {
  const { payments: count, jobs, latencyMs, connections } = ctx.sizes.verify;
  const stack = await ctx.stack('verify');
  const sim = simControls(stack);
  try {
    await sim.webhooksTo(null);
    const prefix = `bench-verify-${ctx.runId}`;
    ctx.log(`verify: ${count} open payments`);
    const payments = await openPayments(stack, `${prefix}-pay`, count);
    await sim.latency(latencyMs);

    ctx.log(`verify: ${count} verifies one at a time (${latencyMs} ms Djomy latency)`);
    const times: number[] = [];
    for (const payment of payments) {
      const started = performance.now();
      await adminVerify(stack, payment.id);
      times.push(performance.now() - started);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const single = {
      mean,
      p50: sorted[Math.floor(sorted.length * 0.5)] ?? 0,
      p90: sorted[Math.floor(sorted.length * 0.9)] ?? 0,
      samples: times.length,
    };

    const sumVerified = async () =>
      (
        await d1<{ n: number | null }>(
          stack,
          `SELECT sum(verify_count) AS n FROM payments WHERE reference LIKE '${prefix}-pay-%'`,
        )
      )[0]?.n ?? 0;
    const before = await sumVerified();
    const events = await signedEvents(stack.clientSecret, `${prefix}-job`, jobs, payments);
    await sim.resetCounters();

    ctx.log(`verify: ${jobs} jobs through webhooks and the queue`);
    const { request, tally } = webhookRequest(events);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const posting = startLoad('POST /webhooks/djomy (enqueue)', {
      url: stack.workerUrl,
      connections,
      amount: jobs,
      requests: [request],
    });
    let postedSeconds = 0;
    const posted = posting.done.then((stats) => {
      postedSeconds = elapsed();
      return stats;
    });
    const timeline: [number, number, number][] = [];
    let statusCalls = 0;
    const deadline = Date.now() + 180_000;
    while (statusCalls < jobs && Date.now() < deadline) {
      statusCalls = (await sim.counters()).status;
      timeline.push([elapsed(), tally.accepted.length, statusCalls]);
      if (statusCalls < jobs) await sleep(100);
    }
    const queuedSeconds = elapsed();
    const post = await posted;
    await sim.clearFaults();

    // The D1 writes follow the status answers by a moment.
    let verified = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      verified = (await sumVerified()) - before;
      if (verified >= jobs) break;
      await sleep(1000);
    }

    const callsAtPosted = [...timeline].reverse().find(([t]) => t <= postedSeconds)?.[2] ?? 0;
    const drainSeconds = queuedSeconds - postedSeconds;
    const rates = {
      posting: tally.accepted.length / (postedSeconds || 1),
      callsWhilePosting: callsAtPosted / (postedSeconds || 1),
      drain: drainSeconds > 0.3 ? (statusCalls - callsAtPosted) / drainSeconds : null,
    };
    const oneAtATimeSeconds = (mean * jobs) / 1000;
    const ratio = statusCalls >= jobs ? oneAtATimeSeconds / queuedSeconds : 0;
    const errors = failures(post);
    return {
      settings: verifySettings(),
      payments: count,
      jobs,
      latencyMs,
      single,
      oneAtATimeSeconds,
      queuedSeconds,
      postedSeconds,
      ratio,
      post,
      statusCalls,
      verified,
      rates,
      timeline,
      goals: [
        {
          label: `Verify throughput, ${jobs} queued jobs at ${latencyMs} ms Djomy latency / one at a time`,
          target: '≥ 10×',
          value: `${ratio.toFixed(1)}×`,
          met: ratio >= 10,
        },
        {
          label: 'Verify jobs processed (D1 verify_count)',
          target: `${jobs}`,
          value: `${verified} (${errors} webhook errors)`,
          met: verified >= jobs && errors === 0,
        },
      ],
    };
  } finally {
    await sim.clearFaults().catch(() => undefined);
    await ctx.release(stack);
  }
}
