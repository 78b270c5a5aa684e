/**
 * 3b. Token stampede: N checkouts start at once on a cold cache (a new
 * stack: new processes, empty KV) and Djomy's `/v1/auth` must be called
 * exactly once. One autocannon connection per checkout, each sending one
 * request as soon as it is connected.
 */
import type { BenchContext, Goal } from '../context.ts';
import { checkoutRequest } from '../lib/api.ts';
import { failures, type LoadStats, load } from '../lib/load.ts';
import { type SimCounters, simControls } from '../lib/stack.ts';

export interface ColdAuthResult {
  checkouts: number;
  created: number;
  load: LoadStats;
  counters: SimCounters;
  goals: Goal[];
}

export async function measureColdAuth(ctx: BenchContext): Promise<ColdAuthResult> {
  const { checkouts } = ctx.sizes.coldAuth;
  const stack = await ctx.stack('cold-auth', { fresh: true });
  try {
    const sim = simControls(stack);
    await sim.webhooksTo(null);
    await sim.resetCounters();
    ctx.log(`cold auth: ${checkouts} checkouts at once on a cold token cache`);
    const { request, tally } = checkoutRequest(`bench-cold-${ctx.runId}`);
    const stats = await load(`${checkouts} simultaneous POST /api/payments`, {
      url: stack.workerUrl,
      connections: checkouts,
      amount: checkouts,
      timeout: 30,
      requests: [request],
    });
    const counters = await sim.counters();
    const errors = failures(stats);
    return {
      checkouts,
      created: tally.created.length,
      load: stats,
      counters,
      goals: [
        {
          label: `/v1/auth calls for ${checkouts} simultaneous checkouts, cold cache`,
          target: '1',
          value: String(counters.auth),
          met: counters.auth === 1,
        },
        {
          label: 'Cold-start checkouts created without error',
          target: `${checkouts}`,
          value: `${tally.created.length} (${errors} errors)`,
          met: tally.created.length === checkouts && errors === 0,
        },
      ],
    };
  } finally {
    await ctx.release(stack);
  }
}
