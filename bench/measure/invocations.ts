/**
 * 7. CPU per invocation, against the Free plan's 10 ms: each entry point of a
 * payment invoked N times, one at a time, on a fresh stack on the Free plan
 * (the default), the simulator's webhooks off and no added latency. Each
 * invocation is measured from a quiet moment before it to the next one after
 * it (lib/cpu.ts `invocationMeter`) twice: the time the Worker's isolate was
 * busy in its V8 CPU profile (what the platform bills; the goal's figure), and
 * the CPU time of the workerd thread that runs it, which also runs miniflare's
 * D1, queues, KV and rate limiter (an upper bound). In order:
 *
 * - gateway checkouts, evenly spread over the young-payment delay (at most
 *   one a second), so that their checks (one queue message each,
 *   `youngVerifySeconds` later) arrive one by one after the last; each
 *   message is measured from a quiet moment until its check is in D1 (`verify_count`), and kept only if it was alone in its window;
 * - polls of those payments (aged in D1 so that each poll asks Djomy);
 * - cron runs, their transactions made a day old before each run so that the
 *   follow lane finds a backlog (it checks `cronFollow.perRun` inline);
 * - `payment.success` webhooks for them (paid at the simulator first), each
 *   until its check, deferred in the same invocation, has made it paid;
 * - direct checkouts (Orange Money), then their OTP confirmations.
 * The first two invocations of each request kind warm the isolate up and are
 * not counted. The CSV export and the summary are measured in ledger.ts.
 */
import { PLAN_LIMITS } from '../../src/payments/model/plan.ts';
import { type BenchContext, goal } from '../context.ts';
import * as api from '../lib/api.ts';
import { type CpuSample, invocationMeter } from '../lib/cpu.ts';
import { call, d1, expectCall, localD1, simControls } from '../lib/stack.ts';
import { sleep } from './common.ts';

/** The Free plan's CPU time per invocation, ms (docs/free-plan.md). */
export const FREE_CPU_MS = 10;
const WARM_UPS = 2;

/** p50 and p99 (nearest rank) of samples, with their count. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1) ?? Number.NaN };
}

type Percentiles = ReturnType<typeof percentiles>;

/** The isolate's CPU (what the platform bills) and the thread's (an upper bound) of samples, p50/p99. */
export function cpuPercentiles(all: CpuSample[]) {
  const ok = all.filter((s) => Number.isFinite(s.isolate) && Number.isFinite(s.thread));
  const isolate: Percentiles = percentiles(ok.map((s) => s.isolate));
  return { n: ok.length, isolate, thread: percentiles(ok.map((s) => s.thread)) };
}

export type CpuRow = ReturnType<typeof cpuPercentiles> & { entry: string; detail: string };

export async function measureInvocations(ctx: BenchContext) {
  const n = ctx.sizes.invocations.samples;
  const plan = PLAN_LIMITS.free;
  const stack = await ctx.stack('invocations', { fresh: true, vars: { WORKERS_PLAN: 'free' } });
  const sim = simControls(stack);
  const db = localD1(stack);
  try {
    await sim.webhooksTo(null);
    const meter = await invocationMeter(stack);
    const samples: Record<string, CpuSample[]> = {};
    const rows: CpuRow[] = [];
    const row = (entry: string, detail: string, all: CpuSample[], warmUps = WARM_UPS) => {
      rows.push({ entry, detail, ...cpuPercentiles(all.slice(warmUps)) });
      samples[entry] = all;
    };
    const prefix = `bench-cpu-${ctx.runId}`;
    const sum = (sql: string, ...params: (string | number)[]) =>
      db.all<{ v: number | null }>(sql, ...params)[0]?.v ?? 0;
    const waitFor = async (what: string, done: () => boolean, timeoutMs = 15_000) => {
      for (const deadline = performance.now() + timeoutMs; !done(); await sleep(10))
        if (performance.now() > deadline) throw new Error(`${what}: not done in ${timeoutMs / 1000} s`);
    };

    ctx.log('invocations: bare route');
    const bare: CpuSample[] = [];
    for (let i = 0; i < n + WARM_UPS; i++)
      bare.push(await meter.measure(() => call('GET', `${stack.workerUrl}/webhooks/djomy`)));
    row('GET /webhooks/djomy (the bare route, for reference)', 'app middleware only', bare);

    const young = plan.youngVerifySeconds[0] ?? 0;
    const spacing = Math.max(1000, Math.min(1500, ((young - 2) * 1000) / (n + WARM_UPS)));
    ctx.log(`invocations: ${n + WARM_UPS} gateway checkouts, one every ${spacing.toFixed(0)} ms`);
    const gateway: api.LedgerPayment[] = [];
    const checkouts: CpuSample[] = [];
    const started = performance.now();
    for (let i = 0; i < n + WARM_UPS; i++) {
      await sleep(Math.max(0, started + i * spacing - performance.now()));
      let created = { id: '', amount: 0 };
      checkouts.push(
        await meter.measure(async () => {
          created = await api.createPayment(stack, `${prefix}-g-${i}`);
        }),
      );
      gateway.push({ ...created, transactionId: '' });
    }
    row('Gateway checkout', '`POST /api/payments`: D1, Djomy create, young-payment check queued', checkouts);
    const transactionIds = new Map(
      db
        .all<{ id: string; tx: string }>(
          'SELECT id, transaction_id AS tx FROM payments WHERE reference LIKE ?',
          `${prefix}-g-%`,
        )
        .map((r) => [r.id, r.tx]),
    );
    for (const payment of gateway) payment.transactionId = transactionIds.get(payment.id) ?? '';

    ctx.log(`invocations: their young-payment checks, ${young} s after each`);
    const verifiedSql = 'SELECT sum(verify_count) AS v FROM payments WHERE reference LIKE ?';
    const messages: CpuSample[] = [];
    let [applied, crowded] = [sum(verifiedSql, `${prefix}-g-%`), 0];
    const deadline = started + (n + WARM_UPS) * spacing + (young + 15) * 1000;
    while (messages.length + crowded < n + WARM_UPS && performance.now() < deadline) {
      const before = applied;
      const ms = await meter.measure(() =>
        waitFor('a young-payment check', () => sum(verifiedSql, `${prefix}-g-%`) > before, 60_000),
      );
      applied = sum(verifiedSql, `${prefix}-g-%`);
      if (applied - before === 1) messages.push(ms);
      else crowded += applied - before;
    }
    // Queue consumers start warm (the checkouts ran in the same isolate): every message counts.
    row(
      'Verify queue message',
      `a young-payment check: one Djomy status call${crowded ? `; ${crowded} shared a window, left out` : ''}`,
      messages,
      0,
    );

    ctx.log('invocations: polls that ask Djomy');
    const ours = `reference LIKE '${prefix}-g-%'`;
    await d1(
      stack,
      `UPDATE payments SET created_at = created_at - 600000, verified_at = verified_at - 600000 WHERE ${ours}`,
    );
    await sim.resetCounters();
    const polls: CpuSample[] = [];
    for (const { id } of gateway) {
      const headers = { 'cf-connecting-ip': api.nextClientIp() };
      polls.push(
        await meter.measure(() =>
          expectCall(200, 'GET', `${stack.workerUrl}/api/payments/${id}`, { headers }),
        ),
      );
    }
    const pollCalls = (await sim.counters()).status;
    row(
      'Poll',
      `\`GET /api/payments/{id}\` that asks Djomy (${pollCalls} status calls for ${polls.length} polls)`,
      polls,
    );

    ctx.log('invocations: cron runs against a backlog');
    const cron: CpuSample[] = [];
    const perRun: number[] = [];
    for (let i = 0; i < n + WARM_UPS; i++) {
      const dayAgo = Date.now() - 86_400_000;
      const tx = `payment_id IN (SELECT id FROM payments WHERE ${ours})`;
      await d1(
        stack,
        `UPDATE payment_transactions SET created_at = ${dayAgo}, verified_at = ${dayAgo} WHERE ${tx}`,
      );
      const calls = (await sim.counters()).status;
      cron.push(
        await meter.measure(() => expectCall(200, 'GET', `${stack.workerUrl}/cdn-cgi/handler/scheduled`)),
      );
      perRun.push((await sim.counters()).status - calls);
    }
    const checked = [...new Set(perRun.slice(WARM_UPS))].join(' or ');
    row(
      'Cron run',
      `a backlog of ${gateway.length} open transactions; ${checked} checked inline per run`,
      cron,
    );

    ctx.log('invocations: Djomy webhooks');
    for (const { transactionId } of gateway) await sim.complete(transactionId, 'SUCCESS');
    const events = await api.signedEvents(stack.clientSecret, `${prefix}-wh`, gateway.length, gateway);
    const paidSql = 'SELECT paid AS v FROM payments WHERE id = ?';
    const webhooks: CpuSample[] = [];
    for (const [i, event] of events.entries()) {
      const id = gateway[i]?.id ?? '';
      webhooks.push(
        await meter.measure(async () => {
          const headers = { 'content-type': 'application/json', 'x-webhook-signature': event.signature };
          const response = await fetch(`${stack.workerUrl}/webhooks/djomy`, {
            method: 'POST',
            headers,
            body: event.body,
          });
          if (response.status !== 200) throw new Error(`webhook ${event.eventId}: ${response.status}`);
          await response.body?.cancel();
          await waitFor(`payment ${id} paid after its webhook`, () => sum(paidSql, id) === 1);
        }),
      );
    }
    row(
      'Djomy webhook',
      '`payment.success`: recorded, checked 2 s later in the same invocation, paid, merchant event',
      webhooks,
    );

    ctx.log('invocations: direct checkouts and OTP confirmations');
    const direct: { id: string; otp: string }[] = [];
    const directCpu: CpuSample[] = [];
    for (let i = 0; i < n + WARM_UPS; i++) {
      let id = '';
      directCpu.push(
        await meter.measure(async () => {
          id = (await api.createPayment(stack, `${prefix}-d-${i}`, 'direct')).id;
        }),
      );
      const { transactionId } = await api.adminPayment(stack, id);
      direct.push({ id, otp: (await sim.payment(transactionId ?? '')).otp ?? '' });
    }
    row(
      'Direct checkout',
      '`POST /api/payments`, Orange Money: D1, Djomy create, young-payment check queued',
      directCpu,
    );
    const otps: CpuSample[] = [];
    for (const { id, otp } of direct) {
      const options = { body: { otp }, headers: { 'cf-connecting-ip': api.nextClientIp() } };
      otps.push(
        await meter.measure(() =>
          expectCall(200, 'POST', `${stack.workerUrl}/api/payments/${id}/otp`, options),
        ),
      );
    }
    row('OTP confirmation', '`POST /api/payments/{id}/otp`: Djomy confirm, paid, merchant event', otps);

    meter.close();
    const over = rows.filter((r) => r.isolate.p99 > FREE_CPU_MS || r.isolate.p50 > FREE_CPU_MS / 2);
    const worst = [...rows].sort((a, b) => b.isolate.p99 - a.isolate.p99)[0];
    return {
      rows,
      samples,
      idleMsPerSecond: meter.idleMsPerSecond,
      profiledIdleMsPerSecond: meter.profiledIdleMsPerSecond,
      /** Times wrangler replaced the runtime process mid-invocation (those invocations are left out). */
      restarts: meter.restarts,
      goals: [
        goal(
          'CPU per invocation of each entry point (the Worker isolate, from its V8 profile)',
          `p99 ≤ ${FREE_CPU_MS} ms, p50 ≤ ${FREE_CPU_MS / 2} ms`,
          `${rows.length - over.length} of ${rows.length} within; highest p99 ${worst?.entry} ${worst?.isolate.p99.toFixed(1)} ms (p50 ${worst?.isolate.p50.toFixed(1)})`,
          over.length === 0,
        ),
      ],
    };
  } finally {
    db.close();
    await ctx.release(stack);
  }
}
