/**
 * What every measurement gets from bench/run.ts: its sizes (full or smoke), a
 * stack, and a way to log. A measurement returns its figures and the goals it
 * checked.
 */
import type { BenchStack, StackOptions } from './lib/stack.ts';

export interface Goal {
  /** What is measured, e.g. "Webhook ingest throughput / bare route". */
  label: string;
  /** The goal, e.g. "≥ 0.5×". */
  target: string;
  /** What this run measured, e.g. "0.62×". */
  value: string;
  met: boolean;
  /** Shown for comparison, not a goal (`met` is then true). */
  info?: boolean;
  /** Could not be measured (what it needs is missing): neither met nor missed. */
  absent?: boolean;
}

export function goal(label: string, target: string, value: string, met: boolean, info?: true): Goal {
  return { label, target, value, met, info };
}

/** A goal this run could not measure, and why (`value`). */
export const absentGoal = (label: string, target: string, value: string): Goal => ({
  ...{ label, target, value },
  met: false,
  absent: true,
});

/** `npm run bench`: what BENCHMARKS.md reports. Each measurement's header says what its numbers mean. */
export const FULL = {
  ingest: { connections: 10, rounds: 5, seconds: 6, warmupSeconds: 2, profileSeconds: 5, paidPayments: 10 },
  checkout: { connections: 10, rounds: 5, seconds: 6, warmupSeconds: 2, profileSeconds: 5 },
  economy: { payments: 20, concurrency: 4 },
  coldAuth: { checkouts: 200 },
  verify: { payments: 100, jobs: 1000, latencyMs: 50, connections: 10 },
  sustained: { probeSeconds: 5, startRate: 20, maxRate: 1280, refineSteps: 2, seconds: 60, paidPayments: 10 },
  freeCron: { backlog: 40, runs: 6 },
  invocations: { samples: 24 },
  ledger: { payments: 10_000, exports: 7, requests: 15 },
  /**
   * The source trees right before and right after the architecture refactor
   * (its last commit, so that later features do not weigh on the comparison);
   * ingest and checkout as above, for each tree.
   */
  refactor: { before: '74b4903', after: '80f3c5b', pairs: 2 },
};
export type Sizes = typeof FULL;

/** `--smoke`: the same code paths with small numbers, for the e2e test. */
export const SMOKE: Sizes = {
  ingest: { connections: 4, rounds: 1, seconds: 2, warmupSeconds: 1, profileSeconds: 1, paidPayments: 2 },
  checkout: { connections: 4, rounds: 1, seconds: 2, warmupSeconds: 1, profileSeconds: 1 },
  economy: { payments: 2, concurrency: 2 },
  coldAuth: { checkouts: 20 },
  verify: { payments: 10, jobs: 100, latencyMs: 50, connections: 4 },
  sustained: { probeSeconds: 2, startRate: 10, maxRate: 20, refineSteps: 0, seconds: 3, paidPayments: 2 },
  freeCron: { backlog: 10, runs: 2 },
  invocations: { samples: 3 },
  ledger: { payments: 1000, exports: 1, requests: 2 },
  refactor: { before: '74b4903', after: '80f3c5b', pairs: 1 },
};

export interface BenchContext {
  smoke: boolean;
  /** Short id of this run, in every reference and eventId it creates. */
  runId: string;
  sizes: Sizes;
  /**
   * A stack for one measurement; `fresh`: new processes and state even when a smoke run shares one stack
   * (implied by the other options): `vars`, extra settings of the Worker; `root`, another source tree.
   */
  stack(name: string, options?: StackOptions): Promise<BenchStack>;
  /** Hands a stack back (stops it unless it is the shared one). */
  release(stack: BenchStack): Promise<void>;
  log(message: string): void;
}
