/**
 * Pieces shared by the throughput measurements: a load run with each
 * process's CPU and the simulator's Djomy calls measured alongside, and the
 * bare route they are compared with.
 */
import type { Options } from 'autocannon';
import type { BenchContext, Sizes } from '../context.ts';
import { measureCpu, RUNTIME } from '../lib/cpu.ts';
import { load, pacedLoad } from '../lib/load.ts';
import { profileWorker } from '../lib/profile.ts';
import { type BenchStack, simControls } from '../lib/stack.ts';

/**
 * The reference route: `GET /webhooks/djomy` answers `{status:'ok'}` through
 * the same app-wide middleware as every route, and does nothing else.
 */
export const BARE_PATH = '/webhooks/djomy';

export type MeteredRun = Awaited<ReturnType<typeof metered>>;

export async function metered(stack: BenchStack, label: string, options: Options) {
  const sim = simControls(stack);
  const before = await sim.counters();
  const stop = measureCpu(stack.ports);
  const { overallRate, connections, duration } = options;
  const stats =
    overallRate && connections && duration
      ? await pacedLoad(label, { ...options, overallRate, connections, duration })
      : await load(label, options);
  const cpu = stop();
  const after = await sim.counters();
  return {
    ...{ stats, cpu },
    /** CPU time of the Worker runtime per completed request, ms. */
    runtimeMsPerRequest: stats.rps > 0 ? ((cpu.percent[RUNTIME] ?? 0) * 10) / stats.rps : 0,
    /**
     * Djomy calls the simulator counted during the run. Status calls in a run that makes none itself are
     * young-payment checks of earlier checkouts or webhook-queued verifies, done by the same isolate.
     */
    djomyCalls: {
      create: after.createGateway - before.createGateway + after.createPayment - before.createPayment,
      status: after.status - before.status,
    },
  };
}

const bareRun = (stack: BenchStack, label: string, connections: number, seconds: number) =>
  metered(stack, label, { url: `${stack.workerUrl}${BARE_PATH}`, connections, duration: seconds });

type Round = { bareBefore: MeteredRun; target: MeteredRun; bareAfter: MeteredRun; ratio: number };

/** One target run: its label and the prefix of its references, its length, the bare rate it follows. */
type Post<T> = (
  names: [string, string],
  seconds: number,
  bareRps: number,
) => Promise<{ run: MeteredRun; tally: T }>;

/**
 * A warm-up, then bare and target runs alternately (bare, target, bare, …,
 * bare): each target run is compared with the bare runs on either side of it,
 * and the median of those ratios is the figure, so a slow moment of the
 * machine moves one round, not the result. The Worker is profiled during an
 * extra target run, before the rounds or after them.
 */
export async function againstBare<T>(
  ctx: BenchContext,
  stack: BenchStack,
  options: Sizes['checkout'] & { what: string; route: string; profileFirst: boolean },
  post: Post<T>,
) {
  const { what, route, connections, seconds, rounds, warmupSeconds, profileSeconds } = options;
  const prefix = `bench-${what}-${ctx.runId}`;
  ctx.log(`${what}: warm-up`);
  const warmRps = (await bareRun(stack, 'warm-up', connections, warmupSeconds)).stats.rps;
  await post(['warm-up', `${prefix}-warm`], warmupSeconds, warmRps);
  const profileRun = () => {
    ctx.log(`${what}: profiling the Worker`);
    return profileWorker(stack, () => post(['profile', `${prefix}-profile`], profileSeconds, warmRps));
  };
  const profiled = options.profileFirst ? await profileRun() : null;

  const bare = (n: number) => {
    ctx.log(`${what}: GET ${BARE_PATH} #${n}, ${seconds} s`);
    return bareRun(stack, `GET ${BARE_PATH} #${n}`, connections, seconds);
  };
  let before = await bare(1);
  const runs = [before];
  const done: Round[] = [];
  const tallies: T[] = [];
  for (let round = 0; round < rounds; round++) {
    ctx.log(`${what}: ${route} #${round + 1}, ${seconds} s`);
    const names: [string, string] = [`${route} #${round + 1}`, `${prefix}-m${round}`];
    const { run, tally } = await post(names, seconds, before.stats.rps);
    const after = await bare(round + 2);
    runs.push(run, after);
    tallies.push(tally);
    // Target throughput over the mean of the bare runs before and after it (they bracket any drift).
    const bareRps = (before.stats.rps + after.stats.rps) / 2;
    done.push({ bareBefore: before, target: run, bareAfter: after, ratio: run.stats.rps / (bareRps || 1) });
    before = after;
  }
  const sorted = [...done].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as Round;
  /** Every run in the order it ran, every round, and the round with the median ratio: its ratio is the figure. */
  const comparison = { runs, rounds: done, median };
  const { profile, profileError } = profiled ?? (await profileRun());
  return { comparison, tallies, prefix, profile, profileError };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
