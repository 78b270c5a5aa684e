/**
 * 8. Capacity and cost on the Free plan: what one paid payment costs against
 * the plan's daily quotas, path by path, as test/budgets/capacity.test.ts
 * counts it through metered bindings (Worker invocations, D1's own rows read
 * and written, queue operations, KV, Djomy calls) and the paid payments a day
 * it derives, with the limit that binds first. The test prints one
 * `CAPACITY <json>` line; this runs it and reads that line. No stack: the
 * test runs in the worker project's own workerd.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BenchContext, goal } from '../context.ts';
import { ROOT } from '../lib/stack.ts';

const TEST = 'test/budgets/capacity.test.ts';
/** The goal the test asserts on every path. */
const MIN_PER_DAY = 1000;

/** The Free plan's daily quotas, as docs/free-plan.md gives them. */
export const FREE_PER_DAY = {
  requests: 100_000,
  d1RowsRead: 5_000_000,
  d1RowsWritten: 100_000,
  queueOperations: 10_000,
  kvReads: 100_000,
  kvWrites: 1_000,
};

/**
 * The Workers Paid plan's prices beyond its included monthly usage, US$ per
 * million (Workers, D1, Queues and KV pricing pages, read November 2026; KV
 * writes and reads at their listed rates). CPU time is billed too, $0.02 per
 * million CPU-ms beyond 30 million: at the few ms a payment takes (section 7)
 * it is a fraction of a cent per 10,000 payments, left out.
 */
export const PAID_USD_PER_MILLION = {
  requests: 0.3,
  d1RowsRead: 0.001,
  d1RowsWritten: 1,
  queueOperations: 0.4,
  kvReads: 0.5,
  kvWrites: 5,
};

/** US$ for 10,000 paid payments of a path on the Paid plan, beyond what the plan includes. */
export const paidCostPer10k = (p: Record<keyof typeof FREE_PER_DAY, number>) =>
  (Object.keys(PAID_USD_PER_MILLION) as (keyof typeof FREE_PER_DAY)[]).reduce(
    (usd, key) => usd + (p[key] * 10_000 * PAID_USD_PER_MILLION[key]) / 1e6,
    0,
  );

export type CapacityPath = Record<keyof typeof FREE_PER_DAY | 'djomyCalls' | 'perDay', number> & {
  path: string;
  bindingLimit: keyof typeof FREE_PER_DAY;
};

export async function measureCapacity(ctx: BenchContext) {
  const args = [path.join(ROOT, 'node_modules/.bin/vitest'), 'run', '--project', 'worker', TEST];
  ctx.log(`capacity: vitest run --project worker ${TEST}`);
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: ROOT,
    env,
    maxBuffer: 64 << 20,
  });
  const line = /^CAPACITY (.*)$/m.exec(stdout)?.[1];
  if (!line) throw new Error(`${TEST} printed no CAPACITY line:\n${stdout.slice(-2000)}`);
  const paths = JSON.parse(line) as CapacityPath[];
  const least = [...paths].sort((a, b) => a.perDay - b.perDay)[0];
  return {
    command: `vitest run --project worker ${TEST}`,
    quotas: FREE_PER_DAY,
    paths,
    goals: [
      goal(
        'Paid payments a day within the Free plan’s daily quotas, every path',
        `≥ ${MIN_PER_DAY.toLocaleString('en')}`,
        `${least?.perDay.toLocaleString('en')} (${least?.path}; ${least?.bindingLimit} binds first)`,
        paths.length > 0 && paths.every((p) => p.perDay >= MIN_PER_DAY),
      ),
    ],
  };
}
