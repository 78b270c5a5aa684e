/**
 * 2. Checkout create: `POST /api/payments`, gateway flow (catalog pricing, D1
 * writes, the Djomy token from the cache, one Djomy create at the simulator,
 * the first young-payment verify queued), against the bare route in the same
 * stack, in alternating runs (common.ts). Each request has its own client
 * address, Idempotency-Key, reference and payer phone (lib/api.ts).
 */
import { type BenchContext, goal } from '../context.ts';
import { checkoutRequest } from '../lib/api.ts';
import { failures } from '../lib/load.ts';
import { d1, simControls } from '../lib/stack.ts';
import { againstBare, metered, sum } from './common.ts';

export async function measureCheckout(ctx: BenchContext) {
  const sizes = ctx.sizes.checkout;
  const stack = await ctx.stack('checkout');
  try {
    await simControls(stack).webhooksTo(null);
    const options = { ...sizes, what: 'checkout', route: 'POST /api/payments', profileFirst: false };
    // Profiled last: the payments it creates queue young-payment checks, which must not fall in a measured run.
    const measured = await againstBare(ctx, stack, options, async ([label, prefix], seconds) => {
      const { request, tally } = checkoutRequest(prefix);
      const options = {
        url: stack.workerUrl,
        connections: sizes.connections,
        duration: seconds,
        requests: [request],
      };
      return { run: await metered(stack, label, options), tally };
    });
    const { comparison, tallies, prefix, profile, profileError } = measured;
    const sql = `SELECT id FROM payments WHERE reference LIKE '${prefix}-m%'`;
    const inD1 = new Set((await d1<{ id: string }>(stack, sql)).map((row) => row.id));
    const created = tallies.flatMap((t) => t.created);
    const recorded = created.filter((id) => inD1.has(id)).length;
    const errors = sum(comparison.rounds.map((r) => failures(r.target.stats)));
    const { ratio } = comparison.median;
    return {
      ...{ connections: sizes.connections, seconds: sizes.seconds, comparison, profile, profileError },
      /** Payments answered 201, and found in D1. */
      ledger: { created: created.length, recorded, missing: created.length - recorded },
      goals: [
        goal(
          'Checkout create throughput / bare route',
          '≥ 0.3×',
          `${ratio.toFixed(2)}× (median of ${sizes.rounds})`,
          ratio >= 0.3,
        ),
        goal('Checkout create errors', '0', String(errors), errors === 0),
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
