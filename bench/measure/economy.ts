/**
 * 3. Djomy call economy.
 *
 * `economy`: how many Djomy calls one paid payment costs, auth included
 * (amortised over the run), with N payments driven to paid the way a browser
 * would and the simulator's webhooks going to the Worker:
 * - gateway: create → the payer pays on the portal (`/__sim/payments/{tx}/complete`)
 *   → the browser lands on `GET /return/{id}`, and on the pending page polls
 *   `GET /api/payments/{id}` until the verdict, then reloads the return URL;
 * - direct (Orange Money, OTP): create → the OTP from the payer's phone
 *   (`GET /__sim/payments/{tx}`) → `POST /api/payments/{id}/otp` → polls until paid.
 * Calls are the simulator's counters, read once it has no webhook left to send
 * and the counters have stopped moving (queue jobs done).
 *
 * `cold-auth`: N checkouts start at once on a cold token cache (a new stack:
 * new processes, empty KV) and Djomy's `/v1/auth` must be called exactly once.
 */
import { type BenchContext, goal } from '../context.ts';
import * as api from '../lib/api.ts';
import { failures, load } from '../lib/load.ts';
import { type BenchStack, call, expectCall, type SimCounters, simControls } from '../lib/stack.ts';
import { sleep, sum } from './common.ts';

type Outcome = { paid: boolean; polls: number; seconds: number };

async function gatewayPayment(stack: BenchStack, reference: string): Promise<Outcome> {
  const started = performance.now();
  const successUrl = `${stack.workerUrl}/demo/merci`;
  const { id } = await api.createPayment(stack, reference, 'gateway', successUrl);
  const { transactionId } = await api.adminPayment(stack, id);
  await simControls(stack).complete(transactionId as string, 'SUCCESS');
  const headers = { accept: 'text/html', 'cf-connecting-ip': api.nextClientIp() };
  let polls = 0;
  for (let visit = 0; visit < 5; visit++) {
    // Djomy's redirect back; its query string proves nothing to the Worker.
    const url = `${stack.workerUrl}/return/${id}?transactionId=${transactionId}&status=SUCCESS`;
    const landed = await call<string>('GET', url, { headers });
    const seconds = (performance.now() - started) / 1000;
    if (landed.status === 303)
      return { paid: landed.headers.get('location')?.startsWith(successUrl) ?? false, polls, seconds };
    if (landed.status !== 200) throw new Error(`return ${id}: ${landed.status}`);
    if (!landed.body.includes('Paiement en cours')) return { paid: false, polls, seconds };
    polls += (await api.pollUntilClosed(stack, id)).polls;
  }
  throw new Error(`return ${id}: still pending after 5 visits`);
}

async function directPayment(stack: BenchStack, reference: string): Promise<Outcome> {
  const started = performance.now();
  const { id } = await api.createPayment(stack, reference, 'direct');
  const { transactionId } = await api.adminPayment(stack, id);
  const { otp } = await simControls(stack).payment(transactionId as string);
  const headers = { 'cf-connecting-ip': api.nextClientIp() };
  await expectCall(200, 'POST', `${stack.workerUrl}/api/payments/${id}/otp`, { body: { otp }, headers });
  const closed = await api.pollUntilClosed(stack, id);
  return { ...closed, seconds: (performance.now() - started) / 1000 };
}

/** Waits until the simulator has sent its webhooks and no Djomy call happened for `quietMs`. */
async function settle(stack: BenchStack, quietMs = 3000, timeoutMs = 45_000): Promise<SimCounters> {
  const sim = simControls(stack);
  await sim.drainWebhooks();
  const deadline = Date.now() + timeoutMs;
  let last = await sim.counters();
  for (let quietSince = Date.now(); Date.now() < deadline && Date.now() - quietSince < quietMs; ) {
    await sleep(500);
    const now = await sim.counters();
    if (now.total !== last.total) [last, quietSince] = [now, Date.now()];
  }
  return last;
}

export async function measureEconomy(ctx: BenchContext) {
  const { payments, concurrency } = ctx.sizes.economy;
  // A stack of its own: no other payment's checks in the counters, and a cold token cache to amortise.
  const stack = await ctx.stack('economy');
  try {
    const sim = simControls(stack);
    await sim.webhooksTo(`${stack.workerUrl}/webhooks/djomy`);
    const measureFlow = async (flow: 'gateway' | 'direct') => {
      ctx.log(`economy: ${payments} ${flow} payments to paid`);
      await sim.resetCounters();
      const hooksBefore = await sim.webhookTypes();
      const drive = flow === 'gateway' ? gatewayPayment : directPayment;
      const reference = (i: number) => `bench-economy-${ctx.runId}-${flow}-${i}`;
      const outcomes = await api.mapConcurrently(payments, concurrency, (i) => drive(stack, reference(i)));
      const counters = await settle(stack);
      const paid = outcomes.filter((o) => o.paid).length;
      const hooks = Object.entries(await sim.webhookTypes()).map(([type, n]) => [
        type,
        n - (hooksBefore[type] ?? 0),
      ]);
      const seconds = outcomes.map((o) => o.seconds).sort((a, b) => a - b);
      return {
        ...{ flow, payments, paid, counters },
        /** Djomy calls (all endpoints, auth included) per paid payment. */
        perPaid: paid > 0 ? counters.total / paid : Number.POSITIVE_INFINITY,
        /** Median seconds from create to paid, as the browser sees it; public polls in all; Djomy's webhooks by type. */
        medianSeconds: seconds[Math.floor(seconds.length / 2)] ?? 0,
        polls: sum(outcomes.map((o) => o.polls)),
        webhooks: Object.fromEntries(hooks) as Record<string, number>,
      };
    };
    const flows = [await measureFlow('gateway'), await measureFlow('direct')];
    const goals = flows.map((f) =>
      goal(
        `Djomy calls per paid payment, ${f.flow} flow (auth amortised)`,
        '≤ 3',
        `${f.perPaid.toFixed(2)} (${f.paid}/${f.payments} paid)`,
        f.perPaid <= 3 && f.paid === f.payments,
      ),
    );
    return { flows, goals };
  } finally {
    await ctx.release(stack);
  }
}

export async function measureColdAuth(ctx: BenchContext) {
  const { checkouts } = ctx.sizes.coldAuth;
  const stack = await ctx.stack('cold-auth', { fresh: true });
  try {
    const sim = simControls(stack);
    await sim.webhooksTo(null);
    await sim.resetCounters();
    ctx.log(`cold auth: ${checkouts} checkouts at once on a cold token cache`);
    // One connection per checkout, each sending one request as soon as it is connected.
    const { request, tally } = api.checkoutRequest(`bench-cold-${ctx.runId}`);
    const options = {
      url: stack.workerUrl,
      connections: checkouts,
      amount: checkouts,
      timeout: 30,
      requests: [request],
    };
    const stats = await load(`${checkouts} simultaneous POST /api/payments`, options);
    const counters = await sim.counters();
    const [auth, created, errors] = [counters.auth, tally.created.length, failures(stats)];
    return {
      ...{ checkouts, created, load: stats, counters },
      goals: [
        goal(
          `/v1/auth calls for ${checkouts} simultaneous checkouts, cold cache`,
          '1',
          `${auth}`,
          auth === 1,
        ),
        goal(
          'Cold-start checkouts created without error',
          `${checkouts}`,
          `${created} (${errors} errors)`,
          created === checkouts && errors === 0,
        ),
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
