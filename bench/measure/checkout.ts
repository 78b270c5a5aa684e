/**
 * 2. Checkout create: `POST /api/payments`, gateway flow (catalog pricing,
 * D1 writes, Djomy token from the cache, one Djomy create call to the
 * simulator, first verify scheduled), against the bare route in the same
 * stack, alternating runs (common.ts). Each request has its own
 * `CF-Connecting-IP` (the public routes are rate-limited per address), its
 * own Idempotency-Key and reference.
 */
import type { BenchContext, Goal } from '../context.ts';
import { type CheckoutTally, checkoutRequest } from '../lib/api.ts';
import { failures } from '../lib/load.ts';
import { type ProfileSummary, profileWorker } from '../lib/profile.ts';
import { type BenchStack, d1, simControls } from '../lib/stack.ts';
import { bareRun, type Comparison, compareWithBare, type MeteredRun, metered } from './common.ts';

export interface CheckoutResult {
  connections: number;
  seconds: number;
  comparison: Comparison;
  ledger: { created: number; recorded: number; missing: number };
  profile: ProfileSummary | null;
  profileError?: string;
  goals: Goal[];
}

async function postCheckouts(
  stack: BenchStack,
  label: string,
  referencePrefix: string,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<{ run: MeteredRun; tally: CheckoutTally }> {
  const { request, tally } = checkoutRequest(referencePrefix);
  const run = await metered(stack, label, {
    url: stack.workerUrl,
    connections,
    duration: seconds,
    requests: [request],
  });
  return { run, tally };
}

export async function measureCheckout(ctx: BenchContext): Promise<CheckoutResult> {
  const { connections, seconds, rounds, warmupSeconds, profileSeconds } = ctx.sizes.checkout;
  const stack = await ctx.stack('checkout');
  try {
    await simControls(stack).webhooksTo(null);
    const prefix = `bench-checkout-${ctx.runId}`;

    ctx.log('checkout: warm-up');
    await bareRun(stack, 'warm-up', connections, warmupSeconds);
    await postCheckouts(stack, 'warm-up', `${prefix}-warm`, { connections, seconds: warmupSeconds });

    const tallies: CheckoutTally[] = [];
    const comparison = await compareWithBare(
      stack,
      { rounds, connections, seconds },
      async (round) => {
        ctx.log(`checkout: POST /api/payments #${round + 1}, ${seconds} s`);
        const { run, tally } = await postCheckouts(
          stack,
          `POST /api/payments #${round + 1}`,
          `${prefix}-m${round}`,
          {
            connections,
            seconds,
          },
        );
        tallies.push(tally);
        return run;
      },
      (message) => ctx.log(`checkout: ${message}`),
    );

    const rows = await d1<{ id: string }>(
      stack,
      `SELECT id FROM payments WHERE reference LIKE '${prefix}-m%'`,
    );
    const inD1 = new Set(rows.map((row) => row.id));
    const created = tallies.flatMap((t) => t.created);
    const recorded = created.filter((id) => inD1.has(id)).length;

    // Profiled last: the payments it creates queue young-payment checks 15 s later, which must not fall in a measured run.
    ctx.log('checkout: profiling the Worker');
    const profiled = await profileWorker(stack, () =>
      postCheckouts(stack, 'profile', `${prefix}-profile`, { connections, seconds: profileSeconds }),
    );

    const { ratio } = comparison.median;
    const errors = comparison.rounds.reduce((sum, r) => sum + failures(r.target.stats), 0);
    return {
      connections,
      seconds,
      comparison,
      ledger: { created: created.length, recorded, missing: created.length - recorded },
      profile: profiled.profile,
      ...(profiled.error ? { profileError: profiled.error } : {}),
      goals: [
        {
          label: 'Checkout create throughput / bare route',
          target: '≥ 0.3×',
          value: `${ratio.toFixed(2)}× (median of ${rounds})`,
          met: ratio >= 0.3,
        },
        { label: 'Checkout create errors', target: '0', value: String(errors), met: errors === 0 },
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
