/**
 * `npm run bench` (`node bench/run.ts`): every measurement against `wrangler dev`
 * on 127.0.0.1 (ports 8777/8778, state under bench/.state/), then the
 * generated part of BENCHMARKS.md and its charts (bench/report.ts).
 *
 *   node bench/run.ts                      full run (about 25 minutes), rewrites BENCHMARKS.md
 *   node bench/run.ts --only ingest,bundle  only these, merged into bench/results/latest.json
 *   node bench/run.ts --smoke              seconds of each, small numbers (a few minutes), writes bench/results/smoke.*
 *   --verbose                              show the stacks' output
 *   BENCH_PORT=8677 node bench/run.ts      other ports: 8677/8678 (smoke: 8671–8674), inspectors +10000
 *
 * Full runs give each measurement a fresh stack (no leftover queue work from
 * the previous one). Smoke runs share one (ports 8771/8772), plus a fresh one
 * (8773/8774) where freshness is the point or the Worker differs: a cold token
 * cache, the cron's backlog, a seeded ledger, the Paid plan, another source tree.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchContext, FULL, type Goal, SMOKE } from './context.ts';
import { describeMachine, sourceFingerprint } from './lib/machine.ts';
import { type BenchStack, ROOT, startBenchStack } from './lib/stack.ts';
import { type BenchResults, MEASUREMENTS, type MeasurementName, type Results } from './measure/index.ts';
import { writeReport } from './report.ts';

export type { BenchResults };

export interface BenchOptions {
  smoke?: boolean;
  only?: MeasurementName[];
  verbose?: boolean;
  log?: (message: string) => void;
}

/**
 * Runs the benchmarks; writes their results (bench/results/latest.json or smoke.json), the report and its charts.
 *
 * @example const { results, failed } = await runBench({ smoke: true })
 */
export async function runBench({
  smoke = false,
  only,
  verbose,
  ...options
}: BenchOptions = {}): Promise<BenchResults> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const log = options.log ?? ((line) => process.stderr.write(`[bench +${elapsed().toFixed(1)}s] ${line}\n`));
  const resultsFile = path.join(ROOT, 'bench', 'results', smoke ? 'smoke.json' : 'latest.json');
  const machine = describeMachine();
  let shared: Promise<BenchStack> | undefined;
  const port = Number(process.env.BENCH_PORT || 8777);
  const ctx: BenchContext = {
    smoke,
    runId: Date.now().toString(36),
    sizes: smoke ? SMOKE : FULL,
    log,
    stack: async (name, { fresh = false, ...options } = {}) => {
      if (!smoke) return startBenchStack(name, { worker: port, sim: port + 1 }, verbose, options);
      if (fresh || options.vars || options.root)
        return startBenchStack(name, { worker: port - 4, sim: port - 3 }, verbose, options);
      shared ??= startBenchStack('smoke', { worker: port - 6, sim: port - 5 }, verbose);
      return shared;
    },
    release: async (stack) => {
      if (!shared || stack !== (await shared)) await stack.stop();
    },
  };

  let results: Results = {};
  try {
    if (only && !smoke) results = (JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults).results;
  } catch {}
  const failed: BenchResults['failed'] = {};
  try {
    for (const name of only ?? (Object.keys(MEASUREMENTS) as MeasurementName[])) {
      const [began, source] = [performance.now(), sourceFingerprint()];
      log(`── ${name}`);
      try {
        const result = await MEASUREMENTS[name](ctx);
        const sourceChanged = sourceFingerprint() !== source;
        if (sourceChanged)
          log(`WARNING: src/ or wrangler.toml changed during ${name}; its figures mix two builds`);
        const measuredAt = new Date().toISOString();
        const elapsedSeconds = (performance.now() - began) / 1000;
        Object.assign(results, { [name]: { ...result, measuredAt, elapsedSeconds, sourceChanged } });
        for (const { info, absent, met, label, value, target } of result.goals as Goal[])
          log(
            `${info ? 'info  ' : absent ? 'n/a   ' : met ? 'met   ' : 'MISSED'} ${label}: ${value} (goal ${target})`,
          );
      } catch (error) {
        failed[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${name} failed: ${failed[name]}`);
      }
    }
  } finally {
    if (shared) await (await shared.catch(() => null))?.stop();
  }

  machine.loadAfter = os.loadavg()[0] ?? 0;
  const startedAt = new Date(Date.now() - elapsed() * 1000).toISOString();
  const output = {
    smoke,
    runId: ctx.runId,
    startedAt,
    seconds: elapsed(),
    machine,
    sizes: ctx.sizes,
    results,
    failed,
  };
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(output, null, 2)}\n`);
  const written = [resultsFile, ...writeReport(output)];
  log(`written: ${written.map((file) => path.relative(ROOT, file)).join(', ')}`);
  return output;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { smoke: { type: 'boolean' }, verbose: { type: 'boolean' }, only: { type: 'string' } },
  });
  const only = values.only?.split(',').filter(Boolean);
  if (only && (only.length === 0 || only.some((name) => !(name in MEASUREMENTS))))
    throw new Error(`--only takes a comma-separated list of: ${Object.keys(MEASUREMENTS).join(', ')}`);
  const output = await runBench({ ...values, only: only as MeasurementName[] | undefined });
  const missed = Object.values(output.results).flatMap((r) =>
    r.goals.filter((g: Goal) => !g.met && !g.absent),
  );
  const failures = Object.keys(output.failed).length;
  process.stderr.write(
    `\n${failures} measurement(s) failed, ${missed.length} goal(s) missed, ${output.seconds.toFixed(0)} s\n`,
  );
  process.exitCode = failures > 0 ? 1 : 0;
}
