/**
 * `npm run bench` (`node bench/run.ts`): every measurement of BENCHMARKS.md
 * against `wrangler dev` on 127.0.0.1 (ports 8777/8778, state under
 * bench/.state/), then BENCHMARKS.md and bench/latency.svg.
 *
 *   node bench/run.ts                      full run (about 6–8 minutes), rewrites BENCHMARKS.md
 *   node bench/run.ts --only ingest,bundle  only these; merged into bench/results/latest.json, report rewritten
 *   node bench/run.ts --smoke              seconds of each, small numbers, writes bench/results/smoke.*
 *   --verbose                              show the stacks' output
 *
 * Full runs give each measurement a fresh stack (no leftover queue work from
 * the previous one); smoke runs share one stack, plus a fresh one where
 * freshness is the point (cold token cache).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchContext, FULL, type Goal, type Sizes, SMOKE } from './context.ts';
import { describeMachine, type Machine, sourceFingerprint } from './lib/machine.ts';
import { type BenchStack, type Ports, ROOT, startBenchStack } from './lib/stack.ts';
import { measureBundle } from './measure/bundle.ts';
import { measureCheckout } from './measure/checkout.ts';
import { measureColdAuth } from './measure/cold-auth.ts';
import { measureEconomy } from './measure/economy.ts';
import { measureIngest } from './measure/ingest.ts';
import { measureSustained } from './measure/sustained.ts';
import { measureVerify } from './measure/verify.ts';
import { writeReport } from './report.ts';

/** In run order: the economy first, while nothing else has touched its stack (smoke runs share one). */
export const MEASUREMENTS = {
  economy: measureEconomy,
  'cold-auth': measureColdAuth,
  ingest: measureIngest,
  checkout: measureCheckout,
  verify: measureVerify,
  bundle: measureBundle,
  sustained: measureSustained,
} as const;

export type MeasurementName = keyof typeof MEASUREMENTS;
export type MeasurementResult<N extends MeasurementName> = Awaited<ReturnType<(typeof MEASUREMENTS)[N]>>;
export type Results = {
  [N in MeasurementName]?: MeasurementResult<N> & {
    measuredAt: string;
    elapsedSeconds: number;
    /** src/ or wrangler.toml changed while it ran (wrangler dev reloaded the Worker mid-measurement). */
    sourceChanged: boolean;
  };
};

export interface BenchResults {
  smoke: boolean;
  runId: string;
  startedAt: string;
  seconds: number;
  machine: Machine;
  sizes: Sizes;
  results: Results;
  /** Measurements that threw, with the error. */
  failed: Partial<Record<MeasurementName, string>>;
}

export interface BenchOptions {
  smoke?: boolean;
  only?: MeasurementName[];
  /** Where the stacks listen (default 8777/8778; smoke 8771/8772). */
  ports?: Ports;
  /** Where a fresh stack listens while the shared one runs (smoke only; default 8773/8774). */
  freshPorts?: Ports;
  /** Results JSON (default bench/results/latest.json, smoke: bench/results/smoke.json). */
  resultsFile?: string;
  verbose?: boolean;
  log?: (message: string) => void;
}

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

function readPrevious(file: string): Results {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as BenchResults).results ?? {};
  } catch {
    return {};
  }
}

/**
 * Runs the benchmarks and writes their results (and, for full runs, BENCHMARKS.md).
 *
 * @example const { results, failed } = await runBench({ smoke: true })
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const smoke = options.smoke ?? false;
  const started = performance.now();
  const log =
    options.log ??
    ((message: string) =>
      process.stderr.write(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`));
  const ports = options.ports ?? (smoke ? { worker: 8771, sim: 8772 } : { worker: 8777, sim: 8778 });
  const freshPorts = options.freshPorts ?? { worker: 8773, sim: 8774 };
  const resultsFile = options.resultsFile ?? path.join(RESULTS_DIR, smoke ? 'smoke.json' : 'latest.json');
  const names = options.only ?? (Object.keys(MEASUREMENTS) as MeasurementName[]);
  const runId = Date.now().toString(36);
  const machine = describeMachine();

  let shared: Promise<BenchStack> | undefined;
  const ctx: BenchContext = {
    smoke,
    runId,
    sizes: smoke ? SMOKE : FULL,
    log,
    stack: async (name, { fresh = false } = {}) => {
      if (!smoke) return startBenchStack(name, ports, options.verbose);
      if (fresh) return startBenchStack(name, freshPorts, options.verbose);
      shared ??= startBenchStack('smoke', ports, options.verbose);
      return shared;
    },
    release: async (stack) => {
      if (!shared || stack !== (await shared)) await stack.stop();
    },
  };

  const results: Results = smoke || !options.only ? {} : readPrevious(resultsFile);
  const failed: BenchResults['failed'] = {};
  try {
    for (const name of names) {
      const began = performance.now();
      const source = sourceFingerprint();
      log(`── ${name}`);
      try {
        const result = await MEASUREMENTS[name](ctx);
        const sourceChanged = sourceFingerprint() !== source;
        if (sourceChanged)
          log(`WARNING: src/ or wrangler.toml changed during ${name}; its figures mix two builds`);
        (results as Record<string, unknown>)[name] = {
          ...result,
          measuredAt: new Date().toISOString(),
          elapsedSeconds: (performance.now() - began) / 1000,
          sourceChanged,
        };
        const goals = (result as { goals: Goal[] }).goals;
        for (const goal of goals)
          log(
            `${goal.info ? 'info  ' : goal.met ? 'met   ' : 'MISSED'} ${goal.label}: ${goal.value} (goal ${goal.target})`,
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
  const output: BenchResults = {
    smoke,
    runId,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    machine,
    sizes: ctx.sizes,
    results,
    failed,
  };
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(output, null, 2)}\n`);
  log(`results: ${path.relative(ROOT, resultsFile)}`);
  const written = writeReport(
    output,
    smoke
      ? { markdown: path.join(RESULTS_DIR, 'smoke.md'), chart: path.join(RESULTS_DIR, 'smoke-latency.svg') }
      : { markdown: path.join(ROOT, 'BENCHMARKS.md'), chart: path.join(ROOT, 'bench', 'latency.svg') },
  );
  log(`report: ${written.map((file) => path.relative(ROOT, file)).join(', ')}`);
  return output;
}

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') options.smoke = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((name) => !(name in MEASUREMENTS));
      if (unknown.length || names.length === 0) {
        throw new Error(`--only takes a comma-separated list of: ${Object.keys(MEASUREMENTS).join(', ')}`);
      }
      options.only = names as MeasurementName[];
    } else throw new Error(`unknown argument ${arg}; see the comment at the top of bench/run.ts`);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const output = await runBench(parseArgs(process.argv.slice(2)));
  const missed = Object.values(output.results).flatMap((r) =>
    (r as { goals: Goal[] }).goals.filter((g) => !g.met),
  );
  process.stderr.write(
    `\n${Object.keys(output.failed).length} measurement(s) failed, ${missed.length} goal(s) missed, ${output.seconds.toFixed(0)} s\n`,
  );
  process.exitCode = Object.keys(output.failed).length > 0 ? 1 : 0;
}
