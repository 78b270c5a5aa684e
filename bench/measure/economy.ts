/**
 * 3a. Djomy call economy: how many Djomy API calls one paid payment costs,
 * auth included (amortised over the run), with N payments driven to paid the
 * way a browser would and the simulator's webhooks going to the Worker:
 *
 * - gateway: create → the payer pays on the portal (`/__sim/payments/{tx}/complete`)
 *   → the browser lands on `GET /return/{id}`, and on the pending page polls
 *   `GET /api/payments/{id}` until the verdict, then reloads the return URL;
 * - direct (Orange Money, OTP): create → the OTP from the payer's phone
 *   (`GET /__sim/payments/{tx}`) → `POST /api/payments/{id}/otp` → polls
 *   `GET /api/payments/{id}` until paid.
 *
 * Calls are the simulator's counters, read once the simulator has no webhook
 * left to send and the counters have stopped moving (queue jobs done).
 */
import type { BenchContext, Goal } from '../context.ts';
import { adminPayment, createPayment, mapConcurrently, nextClientIp, pollUntilClosed } from '../lib/api.ts';
import { type BenchStack, call, expectCall, type SimCounters, simControls } from '../lib/stack.ts';
import { sleep } from './common.ts';

export interface FlowEconomy {
  flow: 'gateway' | 'direct';
  payments: number;
  paid: number;
  counters: SimCounters;
  /** Djomy calls (all endpoints, auth included) per paid payment. */
  perPaid: number;
  /** Median seconds from create to paid, as the browser sees it. */
  medianSeconds: number;
  /** Public polls made by the "browser", in all. */
  polls: number;
  /** Webhooks the simulator sent during the flow, by event type. */
  webhooks: Record<string, number>;
}

export interface EconomyResult {
  flows: FlowEconomy[];
  goals: Goal[];
}

type Outcome = { paid: boolean; polls: number; seconds: number };

async function gatewayPayment(stack: BenchStack, reference: string): Promise<Outcome> {
  const started = performance.now();
  const successUrl = `${stack.workerUrl}/demo/merci`;
  const created = await createPayment(stack, reference, 'gateway', successUrl);
  const { transactionId } = await adminPayment(stack, created.id);
  await simControls(stack).complete(transactionId as string, 'SUCCESS');
  const ip = nextClientIp();
  let polls = 0;
  for (let visit = 0; visit < 5; visit++) {
    // Djomy's redirect back; its query string proves nothing to the Worker.
    const landed = await call<string>(
      'GET',
      `${stack.workerUrl}/return/${created.id}?transactionId=${transactionId}&status=SUCCESS`,
      { headers: { accept: 'text/html', 'cf-connecting-ip': ip } },
    );
    const seconds = (performance.now() - started) / 1000;
    if (landed.status === 303) {
      return { paid: landed.headers.get('location')?.startsWith(successUrl) ?? false, polls, seconds };
    }
    if (landed.status !== 200) throw new Error(`return ${created.id}: ${landed.status}`);
    if (!landed.body.includes('Paiement en cours')) return { paid: false, polls, seconds };
    polls += (await pollUntilClosed(stack, created.id)).polls;
  }
  throw new Error(`return ${created.id}: still pending after 5 visits`);
}

async function directPayment(stack: BenchStack, reference: string): Promise<Outcome> {
  const started = performance.now();
  const created = await createPayment(stack, reference, 'direct');
  const { transactionId } = await adminPayment(stack, created.id);
  const { otp } = await simControls(stack).payment(transactionId as string);
  await expectCall(200, 'POST', `${stack.workerUrl}/api/payments/${created.id}/otp`, {
    body: { otp },
    headers: { 'cf-connecting-ip': nextClientIp() },
  });
  const closed = await pollUntilClosed(stack, created.id);
  return { paid: closed.paid, polls: closed.polls, seconds: (performance.now() - started) / 1000 };
}

/** Waits until the simulator has sent its webhooks and no Djomy call happened for `quietMs`. */
async function settle(stack: BenchStack, quietMs = 3000, timeoutMs = 45_000): Promise<SimCounters> {
  const sim = simControls(stack);
  await sim.drainWebhooks();
  const deadline = Date.now() + timeoutMs;
  let last = await sim.counters();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = await sim.counters();
    if (now.total !== last.total) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) break;
  }
  return last;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export async function measureEconomy(ctx: BenchContext): Promise<EconomyResult> {
  const { payments, concurrency } = ctx.sizes.economy;
  // A stack of its own: no other payment's checks in the counters, and a cold token cache to amortise.
  const stack = await ctx.stack('economy');
  try {
    const sim = simControls(stack);
    await sim.webhooksTo(`${stack.workerUrl}/webhooks/djomy`);
    const flows: FlowEconomy[] = [];
    for (const flow of ['gateway', 'direct'] as const) {
      ctx.log(`economy: ${payments} ${flow} payments to paid`);
      await sim.resetCounters();
      const webhooksBefore = await sim.webhookTypes();
      const drive = flow === 'gateway' ? gatewayPayment : directPayment;
      const outcomes = await mapConcurrently(payments, concurrency, (i) =>
        drive(stack, `bench-economy-${ctx.runId}-${flow}-${i}`),
      );
      const counters = await settle(stack);
      const paid = outcomes.filter((o) => o.paid).length;
      const webhooks = Object.fromEntries(
        Object.entries(await sim.webhookTypes()).map(([type, n]) => [type, n - (webhooksBefore[type] ?? 0)]),
      );
      flows.push({
        flow,
        payments,
        paid,
        counters,
        perPaid: paid > 0 ? counters.total / paid : Number.POSITIVE_INFINITY,
        medianSeconds: median(outcomes.map((o) => o.seconds)),
        polls: outcomes.reduce((sum, o) => sum + o.polls, 0),
        webhooks,
      });
    }
    return {
      flows,
      goals: flows.map((f) => ({
        label: `Djomy calls per paid payment, ${f.flow} flow (auth amortised)`,
        target: '≤ 3',
        value: `${f.perPaid.toFixed(2)} (${f.paid}/${f.payments} paid)`,
        met: f.perPaid <= 3 && f.paid === f.payments,
      })),
    };
  } finally {
    await ctx.release(stack);
  }
}
