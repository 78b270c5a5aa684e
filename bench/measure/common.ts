/**
 * Pieces shared by the throughput measurements: a load run with the CPU of
 * each process measured alongside, and the bare route they are compared to.
 */
import type { Options } from 'autocannon';
import { type CpuUsage, measureCpu } from '../lib/cpu.ts';
import { type LoadStats, load, pacedLoad } from '../lib/load.ts';
import { type BenchStack, simControls } from '../lib/stack.ts';

/**
 * The reference route: `GET /webhooks/djomy` answers `{status:'ok'}` through
 * the same app-wide middleware as every route (request id, logger, deps), and
 * does nothing else.
 */
export const BARE_PATH = '/webhooks/djomy';

export interface MeteredRun {
  stats: LoadStats;
  cpu: CpuUsage;
  /** CPU time of the Worker runtime per completed request, in ms. */
  runtimeMsPerRequest: number;
  /**
   * Djomy calls the simulator counted during the run. Status calls in a run
   * that makes none itself are young-payment checks of earlier checkouts
   * (15 s, 30 s, … after them) or webhook-queued verifies, done by the same
   * isolate: they slow whichever run they fall into.
   */
  djomyCalls?: { create: number; status: number; total: number };
}

export const RUNTIME = 'Worker runtime (workerd)';

export async function metered(stack: BenchStack, label: string, options: Options): Promise<MeteredRun> {
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
  const runtime = cpu.percent[RUNTIME] ?? 0;
  return {
    stats,
    cpu,
    runtimeMsPerRequest: stats.rps > 0 ? (runtime * 10) / stats.rps : 0,
    djomyCalls: {
      create: after.createGateway - before.createGateway + (after.createPayment - before.createPayment),
      status: after.status - before.status,
      total: after.total - before.total,
    },
  };
}

export function bareRun(stack: BenchStack, label: string, connections: number, seconds: number) {
  return metered(stack, label, { url: `${stack.workerUrl}${BARE_PATH}`, connections, duration: seconds });
}

/** Target throughput over the mean of the bare runs before and after it (they bracket any drift). */
export function throughputRatio(target: MeteredRun, before: MeteredRun, after: MeteredRun): number {
  const bare = (before.stats.rps + after.stats.rps) / 2;
  return bare > 0 ? target.stats.rps / bare : 0;
}

export interface Round {
  bareBefore: MeteredRun;
  target: MeteredRun;
  bareAfter: MeteredRun;
  ratio: number;
}

export interface Comparison {
  /** Every run in the order it ran: bare, target, bare, target, …, bare. */
  runs: MeteredRun[];
  rounds: Round[];
  /** The round with the median ratio: its ratio is the figure, its runs stand for the comparison. */
  median: Round;
}

/**
 * Alternates bare and target runs (bare, target, bare, …, bare): each target
 * run is compared with the bare runs on either side of it, and the median of
 * those ratios is the figure, so a slow moment of the machine moves one round,
 * not the result.
 */
export async function compareWithBare(
  stack: BenchStack,
  { rounds, connections, seconds }: { rounds: number; connections: number; seconds: number },
  target: (round: number, bareBefore: MeteredRun) => Promise<MeteredRun>,
  log: (message: string) => void,
): Promise<Comparison> {
  const bare = (n: number) => {
    log(`GET ${BARE_PATH} #${n}, ${seconds} s`);
    return bareRun(stack, `GET ${BARE_PATH} #${n}`, connections, seconds);
  };
  let before = await bare(1);
  const runs = [before];
  const done: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const measured = await target(round, before);
    const after = await bare(round + 2);
    runs.push(measured, after);
    done.push({
      bareBefore: before,
      target: measured,
      bareAfter: after,
      ratio: throughputRatio(measured, before, after),
    });
    before = after;
  }
  const sorted = [...done].sort((a, b) => a.ratio - b.ratio);
  return { runs, rounds: done, median: sorted[Math.floor((sorted.length - 1) / 2)] as Round };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
