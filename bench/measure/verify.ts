/**
 * 4. Verify throughput: J verify jobs processed by the queue consumer while
 * every Djomy call takes `latencyMs` more (simulator fault `latencyMs`),
 * against one-at-a-time processing.
 *
 * The jobs are queued the way production queues large numbers of them: by
 * the reconciliation cron (src/jobs/reconcile.ts), which `sendBatch`es one
 * verify job (no delay) for each open payment not verified in the last
 * 2 minutes and created more than 1 minute ago, at most 200 per run, oldest
 * first.
 *
 * - J gateway payments are created and left open at Djomy (simulator webhooks
 *   off), so that every job needs its Djomy status call.
 * - One-at-a-time cost: P of them verified in turn with
 *   `POST /api/admin/payments/{id}/verify` (one D1 read, one Djomy status
 *   call, one D1 write, like a job), right before and right after the
 *   cron-queued jobs; the mean latency of both passes × J.
 * - Cron-queued (the goal's figure): the J payments are aged in local D1
 *   (created_at and verified_at moved 10 minutes back, `wrangler d1 execute`)
 *   so that the cron picks them, then the cron is triggered
 *   (`GET /cdn-cgi/handler/scheduled`) ⌈J/200⌉ times back to back. The cron
 *   marks nothing when it queues, so a run started before the previous run's
 *   jobs are applied would pick the same payments again: each run is
 *   triggered the moment the previous run's last job is in D1 (the ledger is
 *   read straight from its SQLite file, `localD1`). The clock runs from the
 *   first trigger to the J-th job applied in D1; each run must have verified
 *   200 distinct payments with 200 status calls.
 * - End to end from webhooks (secondary, for comparison with earlier runs):
 *   J signed `payment.success` webhooks for P of the payments, posted with a
 *   few connections; each enqueues one verify job, delayed 2 s by the webhook
 *   route. This also measures webhook ingest (same isolate) and that delay.
 *
 * Every checkout also queues its own young-payment verifies (15 s after it,
 * then 30 s, 60 s, … later, src/payments/lifetimes.ts), which would land in
 * the simulator's counters and in D1. The phases therefore run in the quiet
 * windows between those rounds (`QuietWindows`); after each phase the
 * simulator must have counted exactly the expected status calls.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext, Goal } from '../context.ts';
import { adminVerify, createPayment, type LedgerPayment, mapConcurrently } from '../lib/api.ts';
import { type CpuUsage, measureCpu } from '../lib/cpu.ts';
import { failures, type LoadStats, startLoad } from '../lib/load.ts';
import { type BenchStack, call, d1, type LocalD1, localD1, ROOT, simControls } from '../lib/stack.ts';
import { signedEvents, webhookRequest } from '../lib/webhooks.ts';
import { sleep } from './common.ts';

export interface VerifySettings {
  /** The verify queue's `max_batch_size` (wrangler.toml). */
  batchSize: number | null;
  /** Messages of a batch handled at once (`BATCH_CONCURRENCY`, src/index.ts). */
  concurrency: number | null;
  /** The delay the webhook route puts on its verify job (`WEBHOOK_VERIFY_DELAY_SECONDS`), if any. */
  webhookDelay: number | null;
  /** Verify jobs the cron queues per run at most (`BATCH`, src/jobs/reconcile.ts). */
  cronBatch: number;
  /** The young-payment verify delays, seconds (`YOUNG_VERIFY_DELAYS_SECONDS`, src/payments/lifetimes.ts). */
  youngDelays: number[];
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
  const young = /YOUNG_VERIFY_DELAYS_SECONDS\s*=\s*\[([^\]]*)\]/.exec(
    read('src', 'payments', 'lifetimes.ts'),
  )?.[1];
  const youngDelays = (young ?? '')
    .split(',')
    .map((n) => Number(n.trim()))
    .filter((n) => n > 0);
  return {
    batchSize: number(/max_batch_size\s*=\s*(\d+)/, block),
    concurrency: number(/BATCH_CONCURRENCY\s*=\s*(\d+)/, read('src', 'index.ts')),
    webhookDelay: number(
      /WEBHOOK_VERIFY_DELAY_SECONDS\s*=\s*(\d+)/,
      read('src', 'http', 'routes', 'webhooks.ts'),
    ),
    cronBatch: number(/^const BATCH\s*=\s*(\d+)/m, read('src', 'jobs', 'reconcile.ts')) ?? 200,
    youngDelays: youngDelays.length ? youngDelays : [15, 30, 60, 120, 240, 480],
  };
}

/** How far back the payments are moved so that the cron picks them (it wants > 2 min unverified, > 1 min old). */
const AGE_MS = 600_000;
/** After a phase, how long the simulator's counters must stay still before they are read. */
const SETTLE_MS = 1500;

export interface CronRun {
  /** Seconds from the first trigger. */
  triggeredAt: number;
  /** `GET /cdn-cgi/handler/scheduled`, answered once the cron handler (D1 select, sendBatch) is done. */
  handlerMs: number;
  /** When this run's last job was applied in D1, seconds from the first trigger. */
  doneAt: number;
  /** Jobs the run should have queued: min(cron batch, what is left). */
  expected: number;
  /** Distinct payments this run verified (D1 `verified_at`). */
  verified: number;
  /** Status calls the simulator counted during the run. */
  statusCalls: number;
}

export interface CronQueued {
  /** Open payments the cron could pick after the ageing (D1, same conditions as the cron). */
  eligible: number;
  /** `wrangler d1 execute` of the ageing UPDATE, seconds. */
  agingSeconds: number;
  runs: CronRun[];
  /** From the first trigger to the J-th job applied in D1: the goal's clock. */
  seconds: number;
  /** From the first trigger until the simulator had counted J status calls, plus `latencyMs` (its answer). */
  answeredSeconds: number | null;
  /** Status calls counted once everything settled. */
  statusCalls: number;
  /** D1 `sum(verify_count)` increase. */
  verified: number;
  /** Payments with a `verified_at` after the first trigger. */
  distinct: number;
  /** Worker, simulator and the rest during the runs. */
  cpu: CpuUsage;
  /** [seconds, status calls counted, jobs applied in D1] every ~50 ms. */
  timeline: [number, number, number][];
}

export interface WebhookQueued {
  /** Payments the webhooks name (J/P webhooks each). */
  payments: number;
  post: LoadStats;
  /** From the first post to the J-th job applied in D1. */
  queuedSeconds: number;
  /** When the last webhook was answered (enqueueing done), seconds from the first post. */
  postedSeconds: number;
  ratio: number;
  statusCalls: number;
  /** D1 `sum(verify_count)` increase. */
  verified: number;
  /** Per second: webhooks accepted while posting, jobs applied while posting, jobs applied after (the drain). */
  rates: { posting: number; callsWhilePosting: number; drain: number | null };
  /** [seconds, webhooks accepted, status calls counted, jobs applied] every ~50 ms. */
  timeline: [number, number, number, number][];
}

export interface SingleVerify {
  mean: number;
  p50: number;
  p90: number;
  samples: number;
  times: number[];
}

export interface VerifyPhase {
  name: string;
  /** Seconds after the first checkout of the measurement. */
  startedAt: number;
  seconds: number;
  /** Seconds spent waiting for a quiet window before it. */
  waited: number;
}

export interface VerifyResult {
  settings: VerifySettings;
  /** Payments verified one at a time, and named by the webhooks. */
  payments: number;
  jobs: number;
  latencyMs: number;
  /** Creating the J open payments, seconds. */
  createSeconds: number;
  phases: VerifyPhase[];
  /** One verify, alone, ms: both passes together (the reference), and each pass. */
  single: SingleVerify;
  reference: { before: SingleVerify; after: SingleVerify };
  oneAtATimeSeconds: number;
  /** Status calls the simulator counted in each phase, against the calls the phase makes. */
  checks: { phase: string; expected: number; counted: number }[];
  /** The goal's figure: J jobs queued by the cron. */
  cron: CronQueued;
  /** Secondary: J jobs queued by webhooks, ingest and the webhook delay included. */
  webhooks: WebhookQueued;
  /** `cron.seconds`, `oneAtATimeSeconds / cron.seconds`, `cron.statusCalls`, `cron.verified`. */
  queuedSeconds: number;
  ratio: number;
  statusCalls: number;
  verified: number;
  /** The webhook posting run (`webhooks.post`). */
  post: LoadStats;
  goals: Goal[];
}

type Sim = ReturnType<typeof simControls>;

/**
 * The stretches of time in which no young-payment verify of the measured
 * payments is due. Round r of a payment created at c runs at c + the sum of
 * the first r + 1 delays, later by the queue's batch timeout and the
 * consumer's work (a margin that grows with r); a phase starts only where it
 * fits before the next round's first job, and once the simulator has seen no
 * status call for a second.
 */
class QuietWindows {
  readonly phases: VerifyPhase[] = [];
  private readonly createdFrom: number;
  private readonly createdTo: number;
  private readonly sim: Sim;
  private readonly log: (message: string) => void;
  /** When each round is due after a payment's creation, ms. */
  private readonly due: number[];

  constructor(
    created: { from: number; to: number },
    delays: readonly number[],
    sim: Sim,
    log: (message: string) => void,
  ) {
    this.createdFrom = created.from;
    this.createdTo = created.to;
    this.sim = sim;
    this.log = log;
    let sum = 0;
    this.due = delays.map((delay) => {
      sum += delay * 1000;
      return sum;
    });
  }

  /** Runs `phase` in the first quiet window at least `seconds` long. */
  async run<T>(name: string, seconds: number, phase: () => Promise<T>): Promise<T> {
    const asked = performance.now();
    for (let round = -1; ; round++) {
      const start = round < 0 ? this.createdTo : this.createdTo + (this.due[round] ?? 0) + 1500 * (round + 2);
      const next = this.due[round + 1];
      const end = next === undefined ? Number.POSITIVE_INFINITY : this.createdFrom + next - 500;
      if (end - Math.max(performance.now(), start) < seconds * 1000) continue;
      const wait = start - performance.now();
      if (wait > 1000)
        this.log(`verify: waiting ${(wait / 1000).toFixed(0)} s for the young-payment verifies`);
      if (wait > 0) await sleep(wait);
      await this.quiet(end);
      if (end - performance.now() < seconds * 1000) continue;
      const began = performance.now();
      const result = await phase();
      this.phases.push({
        name,
        startedAt: (began - this.createdFrom) / 1000,
        seconds: (performance.now() - began) / 1000,
        waited: (began - asked) / 1000,
      });
      return result;
    }
  }

  /** Until the simulator has counted no status call for a second (or `end`). */
  private async quiet(end: number): Promise<void> {
    let last = (await this.sim.counters()).status;
    let still = performance.now();
    while (performance.now() - still < 1000 && performance.now() < end) {
      await sleep(200);
      const now = (await this.sim.counters()).status;
      if (now !== last) {
        last = now;
        still = performance.now();
      }
    }
  }
}

/** The simulator's status counter once it has stayed still for SETTLE_MS. */
async function settledStatusCalls(sim: Sim): Promise<number> {
  let last = (await sim.counters()).status;
  for (;;) {
    await sleep(SETTLE_MS);
    const now = (await sim.counters()).status;
    if (now === last) return now;
    last = now;
  }
}

/** Verifies `payments` in turn through the admin route; the simulator must count one status call each. */
async function oneAtATime(
  stack: BenchStack,
  sim: Sim,
  payments: LedgerPayment[],
): Promise<{ single: SingleVerify; counted: number }> {
  await sim.resetCounters();
  const times: number[] = [];
  for (const payment of payments) {
    const started = performance.now();
    await adminVerify(stack, payment.id);
    times.push(performance.now() - started);
  }
  // Each call is answered before the next starts: nothing is left to settle.
  return { single: singleStats(times), counted: (await sim.counters()).status };
}

function singleStats(times: number[]): SingleVerify {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    mean: times.reduce((a, b) => a + b, 0) / (times.length || 1),
    p50: sorted[Math.floor(sorted.length * 0.5)] ?? 0,
    p90: sorted[Math.floor(sorted.length * 0.9)] ?? 0,
    samples: times.length,
    times,
  };
}

async function cronQueued(
  stack: BenchStack,
  sim: Sim,
  db: LocalD1,
  like: string,
  { jobs, cronBatch, latencyMs }: { jobs: number; cronBatch: number; latencyMs: number },
  log: (message: string) => void,
): Promise<CronQueued> {
  const aging = performance.now();
  await d1(
    stack,
    `UPDATE payments SET created_at = created_at - ${AGE_MS}, verified_at = CASE WHEN verified_at IS NULL ` +
      `THEN NULL ELSE verified_at - ${AGE_MS} END WHERE reference LIKE '${like}'`,
  );
  const agingSeconds = (performance.now() - aging) / 1000;
  const now = Date.now();
  const eligible =
    db.all<{ n: number }>(
      `SELECT count(*) AS n FROM payments WHERE reference LIKE ?
         AND status IN ('CREATED', 'PENDING', 'REDIRECTED', 'CAPTURED')
         AND (verified_at IS NULL OR verified_at < ?) AND created_at < ?`,
      like,
      now - 120_000,
      now - 60_000,
    )[0]?.n ?? 0;
  const before = db.all<{ v: number }>(
    'SELECT sum(verify_count) AS v FROM payments WHERE reference LIKE ?',
    like,
  )[0]?.v;
  await sim.resetCounters();

  const runCount = Math.ceil(jobs / cronBatch);
  log(
    `verify: ${jobs} jobs through ${runCount} cron run${runCount === 1 ? '' : 's'} (${eligible} payments eligible)`,
  );
  const stopCpu = measureCpu(stack.ports);
  const started = performance.now();
  const firstTrigger = Date.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const progress = () => {
    const row = db.all<{ v: number; n: number }>(
      'SELECT sum(verify_count) AS v, sum(verified_at >= ?) AS n FROM payments WHERE reference LIKE ?',
      firstTrigger,
      like,
    )[0];
    return { applied: (row?.v ?? 0) - (before ?? 0), distinct: row?.n ?? 0 };
  };
  const timeline: [number, number, number][] = [];
  const runs: CronRun[] = [];
  let statusCalls = 0;
  let answeredAt: number | null = null;
  let lastSample = 0;
  for (let k = 0; k < runCount; k++) {
    const expected = Math.min(cronBatch, jobs - k * cronBatch);
    const target = k * cronBatch + expected;
    const triggeredAt = elapsed();
    const response = await call('GET', `${stack.workerUrl}/cdn-cgi/handler/scheduled`);
    const handlerMs = (elapsed() - triggeredAt) * 1000;
    if (response.status !== 200) throw new Error(`cron trigger answered ${response.status}`);
    const deadline = performance.now() + 60_000;
    let state = progress();
    // Completion is counted on `verify_count` (bumped when Djomy's answer is applied): the
    // cron stamps `verified_at` when it queues a job, so that column moves before the work.
    while (state.applied < target) {
      if (performance.now() > deadline)
        throw new Error(`cron run ${k + 1}: ${state.applied} of ${target} verifications applied after 60 s`);
      await sleep(10);
      state = progress();
      if (performance.now() - lastSample >= 50) {
        lastSample = performance.now();
        statusCalls = (await sim.counters()).status;
        if (answeredAt === null && statusCalls >= jobs) answeredAt = elapsed();
        timeline.push([elapsed(), statusCalls, state.applied]);
      }
    }
    const doneAt = elapsed();
    const callsBefore = runs.reduce((sum, run) => sum + run.statusCalls, 0);
    const verifiedBefore = runs.reduce((sum, run) => sum + run.verified, 0);
    statusCalls = (await sim.counters()).status;
    if (answeredAt === null && statusCalls >= jobs) answeredAt = doneAt;
    timeline.push([doneAt, statusCalls, state.applied]);
    runs.push({
      triggeredAt,
      handlerMs,
      doneAt,
      expected,
      verified: state.distinct - verifiedBefore,
      statusCalls: statusCalls - callsBefore,
    });
  }
  const seconds = runs.at(-1)?.doneAt ?? elapsed();
  const cpu = stopCpu();
  statusCalls = await settledStatusCalls(sim);
  const final = progress();
  return {
    eligible,
    agingSeconds,
    runs,
    seconds,
    answeredSeconds: answeredAt === null ? null : answeredAt + latencyMs / 1000,
    statusCalls,
    verified: final.applied,
    distinct: final.distinct,
    cpu,
    timeline,
  };
}

async function webhookQueued(
  stack: BenchStack,
  sim: Sim,
  db: LocalD1,
  prefix: string,
  payments: LedgerPayment[],
  { jobs, connections }: { jobs: number; connections: number },
  log: (message: string) => void,
): Promise<Omit<WebhookQueued, 'ratio'>> {
  const ids = payments.map((p) => `'${p.id}'`).join(',');
  const sum = () =>
    db.all<{ v: number }>(`SELECT sum(verify_count) AS v FROM payments WHERE id IN (${ids})`)[0]?.v ?? 0;
  const events = await signedEvents(stack.clientSecret, `${prefix}-job`, jobs, payments);
  const before = sum();
  await sim.resetCounters();

  log(`verify: ${jobs} jobs through webhooks and the queue`);
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
  const timeline: [number, number, number, number][] = [];
  let applied = 0;
  const deadline = Date.now() + 180_000;
  while (applied < jobs && Date.now() < deadline) {
    await sleep(50);
    applied = sum() - before;
    timeline.push([elapsed(), tally.accepted.length, (await sim.counters()).status, applied]);
  }
  const queuedSeconds = elapsed();
  const post = await posted;
  const statusCalls = await settledStatusCalls(sim);
  const verified = sum() - before;

  const appliedAtPosted = [...timeline].reverse().find(([t]) => t <= postedSeconds)?.[3] ?? 0;
  const drainSeconds = queuedSeconds - postedSeconds;
  return {
    payments: payments.length,
    post,
    queuedSeconds: applied >= jobs ? queuedSeconds : Number.POSITIVE_INFINITY,
    postedSeconds,
    statusCalls,
    verified,
    rates: {
      posting: tally.accepted.length / (postedSeconds || 1),
      callsWhilePosting: appliedAtPosted / (postedSeconds || 1),
      drain: drainSeconds > 0.3 ? (applied - appliedAtPosted) / drainSeconds : null,
    },
    timeline,
  };
}

export async function measureVerify(ctx: BenchContext): Promise<VerifyResult> {
  const { payments: count, jobs, latencyMs, connections } = ctx.sizes.verify;
  const settings = verifySettings();
  // Fresh even in smoke mode: the cron would pick open payments left by other measurements.
  const stack = await ctx.stack('verify', { fresh: true });
  const sim = simControls(stack);
  let db: LocalD1 | undefined;
  try {
    await sim.webhooksTo(null);
    const prefix = `bench-verify-${ctx.runId}`;
    const like = `${prefix}-pay-%`;
    ctx.log(`verify: ${jobs} open payments`);
    const createdFrom = performance.now();
    const created = await mapConcurrently(jobs, 10, (i) => createPayment(stack, `${prefix}-pay-${i}`));
    const createdTo = performance.now();
    db = localD1(stack);
    const ledger = new Map(
      db
        .all<LedgerPayment>(
          'SELECT id, transaction_id AS transactionId, amount FROM payments WHERE reference LIKE ?',
          like,
        )
        .map((p) => [p.id, p]),
    );
    const sample = created.slice(0, count).map((p) => {
      const payment = ledger.get(p.id);
      if (!payment?.transactionId) throw new Error(`payment ${p.id} has no Djomy transaction`);
      return payment;
    });
    const windows = new QuietWindows(
      { from: createdFrom, to: createdTo },
      settings.youngDelays,
      sim,
      ctx.log,
    );

    const referenceSeconds = (count * (latencyMs + 30)) / 1000 + 0.5;
    const reference = (when: 'before' | 'after') =>
      windows.run(`reference ${when}`, referenceSeconds, async () => {
        ctx.log(`verify: ${count} verifies one at a time (${latencyMs} ms Djomy latency), ${when}`);
        await sim.latency(latencyMs);
        return oneAtATime(stack, sim, sample);
      });
    // The reference is taken right before and right after the cron-queued jobs, and both passes count.
    const before = await reference('before');
    const cron = await windows.run('cron', 4 + jobs / 150, () =>
      cronQueued(
        stack,
        sim,
        db as LocalD1,
        like,
        { jobs, cronBatch: settings.cronBatch, latencyMs },
        ctx.log,
      ),
    );
    const after = await reference('after');
    const webhooks = await windows.run('webhooks', jobs / 100 + (settings.webhookDelay ?? 0) + 2, () =>
      webhookQueued(stack, sim, db as LocalD1, prefix, sample, { jobs, connections }, ctx.log),
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
    const exact = checks.every((check) => check.counted === check.expected);
    const ratio = cron.verified >= jobs ? oneAtATimeSeconds / cron.seconds : 0;
    const webhookRatio = oneAtATimeSeconds / webhooks.queuedSeconds;
    const runsOk = cron.runs.every(
      (run) => run.verified === run.expected && run.statusCalls === run.expected,
    );
    const cronOk = runsOk && cron.distinct === jobs && cron.verified === jobs && exact;
    const errors = failures(webhooks.post);
    return {
      settings,
      payments: count,
      jobs,
      latencyMs,
      createSeconds: (createdTo - createdFrom) / 1000,
      phases: windows.phases,
      single,
      reference: { before: before.single, after: after.single },
      oneAtATimeSeconds,
      checks,
      cron,
      webhooks: { ...webhooks, ratio: webhookRatio },
      queuedSeconds: cron.seconds,
      ratio,
      statusCalls: cron.statusCalls,
      verified: cron.verified,
      post: webhooks.post,
      goals: [
        {
          label: `Verify throughput, ${jobs} jobs queued by the reconciliation cron at ${latencyMs} ms Djomy latency / one at a time`,
          target: '≥ 10×',
          value: `${ratio.toFixed(1)}×`,
          met: ratio >= 10,
        },
        {
          label: `Cron-queued verify jobs processed (D1 verify_count), ${cron.runs.length} cron runs`,
          target: `${jobs}, each run ${settings.cronBatch} distinct payments`,
          value:
            `${cron.verified} (${cron.distinct} payments; runs ${cron.runs.map((run) => run.verified).join('/')}; ` +
            `${cron.statusCalls} status calls)` +
            (exact
              ? ''
              : `; status calls not as expected in ${checks
                  .filter((check) => check.counted !== check.expected)
                  .map((check) => `${check.phase} (${check.counted} of ${check.expected})`)
                  .join(', ')}`),
          met: cronOk,
        },
        {
          label: `Verify, ${jobs} jobs end to end from webhooks (ingest and the ${settings.webhookDelay ?? 0} s delay included) / one at a time`,
          target: 'for reference',
          value: `${webhookRatio.toFixed(1)}×`,
          met: true,
          info: true,
        },
        {
          label: 'Webhook-queued verify jobs processed (D1 verify_count)',
          target: `${jobs}`,
          value: `${webhooks.verified} (${errors} webhook errors, ${webhooks.statusCalls} status calls)`,
          met: webhooks.verified === jobs && webhooks.statusCalls === jobs && errors === 0,
        },
      ],
    };
  } finally {
    db?.close();
    await sim.clearFaults().catch(() => undefined);
    await ctx.release(stack);
  }
}
