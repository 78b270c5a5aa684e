/**
 * 4. Verify throughput: J verify jobs handled by the queue consumer while every
 * Djomy call takes `latencyMs` more (simulator fault), against one at a time.
 * J gateway payments are created and left open at the simulator (its webhooks
 * off), so that every job needs its Djomy status call. Then, each phase in a
 * quiet window (`quietWindows`) and checked against the status calls the
 * simulator counted:
 *
 * - one at a time (the reference): P of them verified in turn through
 *   `POST /api/admin/payments/{id}/verify` (one D1 read, one status call, one
 *   D1 write, like a job), right before and right after the cron-queued jobs;
 *   the mean of both passes × J;
 * - queued by the reconciliation cron (the goal's figure), the way production
 *   queues many jobs at once: the payments' transactions are aged in local D1
 *   so that the cron's follow lane picks them, then the cron is triggered
 *   (`GET /cdn-cgi/handler/scheduled`) ⌈J / CRON_LIMITS.follow⌉ times, each
 *   run the moment the previous run's last job is applied in D1 (read from its
 *   SQLite file). The clock runs from the first trigger to the J-th job applied;
 * - end to end from webhooks (for reference): J signed `payment.success`
 *   webhooks for the P payments; each enqueues one verify job, which the
 *   webhook route delays. Ingest and that delay are in the figure.
 */
import { TERMINAL_STATUSES } from '../../src/djomy/schemas.ts';
import * as lifetimes from '../../src/payments/model/lifetimes.ts';
import { PLAN_LIMITS } from '../../src/payments/model/plan.ts';

/** The bench's Worker runs on the Paid plan's limits (WORKERS_PLAN=paid): the cron queues its follow-ups. */
const PLAN = PLAN_LIMITS.paid;
const CRON_LIMITS = { follow: PLAN.cronFollow.perRun };

import { type BenchContext, goal } from '../context.ts';
import * as api from '../lib/api.ts';
import { measureCpu } from '../lib/cpu.ts';
import { failures, load } from '../lib/load.ts';
import {
  type BenchStack,
  call,
  d1,
  type LocalD1,
  localD1,
  simControls,
  wranglerConfig,
} from '../lib/stack.ts';
import { sleep, sum } from './common.ts';

/** How far back the transactions are moved so that the cron picks them. */
const AGE_MS = Math.max(600_000, 2 * lifetimes.CRON_VERIFY_IDLE);
/** After a phase, how long the simulator's counters must stay still before they are read. */
const SETTLE_MS = 1500;

/** What every phase works with. */
type Phase = {
  stack: BenchStack;
  sim: ReturnType<typeof simControls>;
  db: LocalD1;
  jobs: number;
  log: (line: string) => void;
};

/**
 * Runs phases where no young-payment verify of the measured payments is due.
 * Round r of a payment created at c runs at c + the sum of the first r + 1
 * delays, later by the queue's batch timeout and the consumer's work (a margin
 * that grows with r); a phase starts only where it fits before the next
 * round's first job, once the simulator has seen no status call for a second.
 */
function quietWindows({ sim, log }: Phase, created: { from: number; to: number }) {
  let total = 0;
  const due = PLAN.youngVerifySeconds.map((delay) => (total += delay * 1000));
  const phases: { name: string; startedAt: number; seconds: number }[] = [];
  const quiet = async (end: number) => {
    let last = (await sim.counters()).status;
    for (let still = performance.now(); performance.now() - still < 1000 && performance.now() < end; ) {
      await sleep(200);
      const now = (await sim.counters()).status;
      if (now !== last) [last, still] = [now, performance.now()];
    }
  };
  const run = async <T>(name: string, seconds: number, phase: () => Promise<T>): Promise<T> => {
    for (let round = -1; ; round++) {
      const start = round < 0 ? created.to : created.to + (due[round] ?? 0) + 1500 * (round + 2);
      const next = due[round + 1];
      const end = next === undefined ? Number.POSITIVE_INFINITY : created.from + next - 500;
      if (end - Math.max(performance.now(), start) < seconds * 1000) continue;
      const wait = start - performance.now();
      if (wait > 1000) log(`verify: waiting ${(wait / 1000).toFixed(0)} s for the young-payment verifies`);
      await sleep(Math.max(0, wait));
      await quiet(end);
      if (end - performance.now() < seconds * 1000) continue;
      const began = performance.now();
      const result = await phase();
      phases.push({
        name,
        startedAt: (began - created.from) / 1000,
        seconds: (performance.now() - began) / 1000,
      });
      return result;
    }
  };
  return { run, phases };
}

/** The simulator's status counter once it has stayed still for SETTLE_MS. */
async function settledStatusCalls({ sim }: Phase): Promise<number> {
  for (let last = (await sim.counters()).status; ; ) {
    await sleep(SETTLE_MS);
    const now = (await sim.counters()).status;
    if (now === last) return now;
    last = now;
  }
}

/** Mean, p50, p90 of one-at-a-time verifies, ms. */
function singleStats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(sorted.length * q)] ?? 0;
  return { mean: sum(times) / (times.length || 1), p50: at(0.5), p90: at(0.9), samples: times.length, times };
}

/** Verifies `payments` in turn through the admin route; each call is answered before the next starts. */
async function oneAtATime({ stack, sim }: Phase, payments: api.LedgerPayment[]) {
  await sim.resetCounters();
  const times: number[] = [];
  for (const payment of payments) {
    const started = performance.now();
    await api.adminVerify(stack, payment.id);
    times.push(performance.now() - started);
  }
  return { single: singleStats(times), counted: (await sim.counters()).status };
}

async function cronQueued(phase: Phase, like: string, latencyMs: number) {
  const { stack, sim, db, jobs, log } = phase;
  const ours = `payment_id IN (SELECT id FROM payments WHERE reference LIKE '${like}')`;
  const age = `created_at = created_at - ${AGE_MS}, verified_at = verified_at - ${AGE_MS}`;
  await d1(stack, `UPDATE payment_transactions SET ${age} WHERE ${ours}`);
  // The cron's follow lane: open transactions not checked for CRON_VERIFY_IDLE, younger than FOLLOW_TRANSACTIONS_FOR.
  const now = Date.now();
  const open = `status NOT IN (${[...TERMINAL_STATUSES].map((status) => `'${status}'`).join(', ')})`;
  const lane = `${open} AND coalesce(verified_at, created_at) < ? AND created_at > ?`;
  const eligible = db.all<{ n: number }>(
    `SELECT count(*) AS n FROM payment_transactions WHERE ${ours} AND ${lane}`,
    ...[now - lifetimes.CRON_VERIFY_IDLE, now - lifetimes.FOLLOW_TRANSACTIONS_FOR],
  )[0]?.n;
  // Completion is counted on `verify_count`, bumped when Djomy's answer is applied.
  const progressSql =
    'SELECT sum(verify_count) AS v, sum(verified_at >= ?) AS n FROM payments WHERE reference LIKE ?';
  const before = db.all<{ v: number }>(progressSql, 0, like)[0]?.v ?? 0;
  await sim.resetCounters();

  const runCount = Math.ceil(jobs / CRON_LIMITS.follow);
  log(`verify: ${jobs} jobs through ${runCount} cron run(s) (${eligible} transactions eligible)`);
  const stopCpu = measureCpu(stack.ports);
  const [started, firstTrigger] = [performance.now(), Date.now()];
  const elapsed = () => (performance.now() - started) / 1000;
  const progress = () => {
    const row = db.all<{ v: number; n: number }>(progressSql, firstTrigger, like)[0];
    return { applied: (row?.v ?? 0) - before, distinct: row?.n ?? 0 };
  };
  /** [seconds, status calls counted, jobs applied in D1] every ~50 ms. */
  const timeline: [number, number, number][] = [];
  const runs: Record<
    'triggeredAt' | 'handlerMs' | 'doneAt' | 'expected' | 'verified' | 'statusCalls',
    number
  >[] = [];
  let [statusCalls, answeredAt, lastSample] = [0, Number.NaN, 0];
  const sample = async (at: number, applied: number) => {
    statusCalls = (await sim.counters()).status;
    if (Number.isNaN(answeredAt) && statusCalls >= jobs) answeredAt = at;
    timeline.push([at, statusCalls, applied]);
  };
  for (let k = 0; k < runCount; k++) {
    const expected = Math.min(CRON_LIMITS.follow, jobs - k * CRON_LIMITS.follow);
    const target = k * CRON_LIMITS.follow + expected;
    const triggeredAt = elapsed();
    const response = await call('GET', `${stack.workerUrl}/cdn-cgi/handler/scheduled`);
    const handlerMs = (elapsed() - triggeredAt) * 1000;
    if (response.status !== 200) throw new Error(`cron trigger answered ${response.status}`);
    const deadline = performance.now() + 60_000;
    let state = progress();
    while (state.applied < target) {
      if (performance.now() > deadline)
        throw new Error(`cron run ${k + 1}: ${state.applied} of ${target} applied in 60 s`);
      await sleep(10);
      state = progress();
      if (performance.now() - lastSample < 50) continue;
      lastSample = performance.now();
      await sample(elapsed(), state.applied);
    }
    const doneAt = elapsed();
    await sample(doneAt, state.applied);
    const earlier = (key: 'verified' | 'statusCalls') => sum(runs.map((run) => run[key]));
    const [verified, calls] = [state.distinct - earlier('verified'), statusCalls - earlier('statusCalls')];
    runs.push({ triggeredAt, handlerMs, doneAt, expected, verified, statusCalls: calls });
  }
  const seconds = runs.at(-1)?.doneAt ?? elapsed();
  const cpu = stopCpu();
  statusCalls = await settledStatusCalls(phase);
  const { applied: verified, distinct } = progress();
  /** `answeredSeconds`: the simulator had counted J status calls, plus `latencyMs` for its answer. */
  return {
    eligible,
    runs,
    seconds,
    answeredSeconds: answeredAt + latencyMs / 1000,
    statusCalls,
    verified,
    distinct,
    cpu,
    timeline,
  };
}

async function webhookQueued(
  phase: Phase,
  events: api.SignedEvent[],
  payments: api.LedgerPayment[],
  connections: number,
) {
  const { stack, sim, db, jobs, log } = phase;
  const ids = payments.map((p) => `'${p.id}'`).join(',');
  const sql = `SELECT sum(verify_count) AS v FROM payments WHERE id IN (${ids})`;
  const verifications = () => db.all<{ v: number }>(sql)[0]?.v ?? 0;
  const before = verifications();
  await sim.resetCounters();

  log(`verify: ${jobs} jobs through webhooks and the queue`);
  const { request, tally } = api.webhookRequest(events);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let postedSeconds = 0;
  const options = { url: stack.workerUrl, connections, amount: jobs, requests: [request] };
  const posting = load('POST /webhooks/djomy (enqueue)', options).then((stats) => {
    postedSeconds = elapsed();
    return stats;
  });
  /** [seconds, webhooks accepted, status calls counted, jobs applied] every ~50 ms. */
  const timeline: [number, number, number, number][] = [];
  let applied = 0;
  for (const deadline = Date.now() + 180_000; applied < jobs && Date.now() < deadline; ) {
    await sleep(50);
    applied = verifications() - before;
    timeline.push([elapsed(), tally.accepted.length, (await sim.counters()).status, applied]);
  }
  const queuedSeconds = applied >= jobs ? elapsed() : Number.POSITIVE_INFINITY;
  const post = await posting;
  const statusCalls = await settledStatusCalls(phase);
  const whilePosting = timeline.findLast(([t]) => t <= postedSeconds)?.[3] ?? 0;
  const drainSeconds = queuedSeconds - postedSeconds;
  return {
    ...{ post, queuedSeconds, postedSeconds, statusCalls, verified: verifications() - before, timeline },
    /** Per second: webhooks accepted while posting, jobs applied while posting, jobs applied after (the drain). */
    rates: {
      posting: tally.accepted.length / (postedSeconds || 1),
      whilePosting: whilePosting / (postedSeconds || 1),
      drain: drainSeconds > 0.3 ? (applied - whilePosting) / drainSeconds : null,
    },
  };
}

export async function measureVerify(ctx: BenchContext) {
  const { payments: count, jobs, latencyMs, connections } = ctx.sizes.verify;
  const queues = (await wranglerConfig()).queues?.consumers ?? [];
  const settings = {
    batchSize: queues.find((q) => q.queue === 'djomy-verify')?.max_batch_size ?? null,
    cronBatch: CRON_LIMITS.follow,
    youngDelays: PLAN.youngVerifySeconds,
  };
  // Fresh even in smoke mode: the cron would pick open payments left by other measurements.
  const stack = await ctx.stack('verify', { fresh: true });
  const sim = simControls(stack);
  let db: LocalD1 | undefined;
  try {
    await sim.webhooksTo(null);
    const prefix = `bench-verify-${ctx.runId}`;
    ctx.log(`verify: ${jobs} open payments`);
    const from = performance.now();
    const created = await api.mapConcurrently(jobs, 10, (i) =>
      api.createPayment(stack, `${prefix}-pay-${i}`),
    );
    const to = performance.now();
    db = localD1(stack);
    const phase: Phase = { stack, sim, db, jobs, log: ctx.log };
    const sql = 'SELECT id, transaction_id AS transactionId, amount FROM payments WHERE reference LIKE ?';
    const ledger = new Map(db.all<api.LedgerPayment>(sql, `${prefix}-pay-%`).map((p) => [p.id, p]));
    const sample = created.slice(0, count).map((p) => {
      const payment = ledger.get(p.id);
      if (!payment?.transactionId) throw new Error(`payment ${p.id} has no Djomy transaction`);
      return payment;
    });
    const events = await api.signedEvents(stack.clientSecret, `${prefix}-job`, jobs, sample);
    const windows = quietWindows(phase, { from, to });

    const reference = (when: 'before' | 'after') =>
      windows.run(`reference ${when}`, (count * (latencyMs + 30)) / 1000 + 0.5, async () => {
        ctx.log(`verify: ${count} verifies one at a time (${latencyMs} ms Djomy latency), ${when}`);
        await sim.latency(latencyMs);
        return oneAtATime(phase, sample);
      });
    // The reference is taken right before and right after the cron-queued jobs, and both passes count.
    const before = await reference('before');
    const cron = await windows.run('cron', 4 + jobs / 150, () =>
      cronQueued(phase, `${prefix}-pay-%`, latencyMs),
    );
    const after = await reference('after');
    // Room for posting, the webhook route's delay, and the drain.
    const webhooks = await windows.run('webhooks', jobs / 100 + 4, () =>
      webhookQueued(phase, events, sample, connections),
    );
    await sim.clearFaults();

    const single = singleStats([...before.single.times, ...after.single.times]);
    const oneAtATimeSeconds = (single.mean * jobs) / 1000;
    const checks = [
      { phase: 'reference before', expected: count, counted: before.counted },
      { phase: 'cron', expected: jobs, counted: cron.statusCalls },
      { phase: 'reference after', expected: count, counted: after.counted },
      { phase: 'webhooks', expected: jobs, counted: webhooks.statusCalls },
    ];
    const wrong = checks
      .filter((c) => c.counted !== c.expected)
      .map((c) => `${c.phase} (${c.counted} of ${c.expected})`);
    const ratio = cron.verified >= jobs ? oneAtATimeSeconds / cron.seconds : 0;
    const webhookRatio = oneAtATimeSeconds / webhooks.queuedSeconds;
    const runsOk = cron.runs.every(
      (run) => run.verified === run.expected && run.statusCalls === run.expected,
    );
    const errors = failures(webhooks.post);
    return {
      ...{
        settings,
        payments: count,
        jobs,
        latencyMs,
        createSeconds: (to - from) / 1000,
        phases: windows.phases,
      },
      ...{
        single,
        reference: { before: before.single, after: after.single },
        oneAtATimeSeconds,
        checks,
        cron,
        ratio,
      },
      webhooks: { ...webhooks, ratio: webhookRatio },
      goals: [
        goal(
          `Verify throughput, ${jobs} jobs queued by the reconciliation cron at ${latencyMs} ms Djomy latency / one at a time`,
          '≥ 10×',
          `${ratio.toFixed(1)}×`,
          ratio >= 10,
        ),
        goal(
          `Cron-queued verify jobs processed (D1 verify_count), ${cron.runs.length} cron runs`,
          `${jobs}, each run ${CRON_LIMITS.follow} distinct payments`,
          `${cron.verified} (${cron.distinct} payments; runs ${cron.runs.map((run) => run.verified).join('/')}; ` +
            `${cron.statusCalls} status calls)${wrong.length ? `; status calls not as expected in ${wrong.join(', ')}` : ''}`,
          runsOk && cron.distinct === jobs && cron.verified === jobs && wrong.length === 0,
        ),
        goal(
          `Verify, ${jobs} jobs end to end from webhooks (ingest and the webhook route's delay included) / one at a time`,
          'for reference',
          `${webhookRatio.toFixed(1)}×`,
          true,
          true,
        ),
        goal(
          'Webhook-queued verify jobs processed (D1 verify_count)',
          `${jobs}`,
          `${webhooks.verified} (${errors} webhook errors, ${webhooks.statusCalls} status calls)`,
          webhooks.verified === jobs && webhooks.statusCalls === jobs && errors === 0,
        ),
      ],
    };
  } finally {
    db?.close();
    await sim.clearFaults().catch(() => undefined);
    await ctx.release(stack);
  }
}
