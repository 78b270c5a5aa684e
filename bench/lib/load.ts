/**
 * autocannon, used programmatically, and the figures the report needs from
 * one run.
 */
import autocannon, { type Instance, type Options, type RawResult, type Result } from 'autocannon';

export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9: number;
  max: number;
  mean: number;
}

export interface LoadStats {
  label: string;
  connections: number;
  /** Requests per second asked for (`overallRate`), when the run was rate-limited. */
  targetRate: number | null;
  /** Completed requests. */
  requests: number;
  seconds: number;
  /** Completed requests per second. */
  rps: number;
  /** Milliseconds. */
  latency: Percentiles;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Answers outside 2xx. */
  non2xx: number;
  statusCodes: Record<string, number>;
}

/** Everything that counts as an error in a goal: failed connections, timeouts, non-2xx answers. */
export function failures(stats: LoadStats): number {
  return stats.errors + stats.non2xx;
}

export function summarize(label: string, result: Result, targetRate: number | null = null): LoadStats {
  const requests = result.requests.total ?? 0;
  const latency = result.latency;
  return {
    label,
    connections: result.connections,
    targetRate,
    requests,
    seconds: result.duration,
    rps: result.duration > 0 ? requests / result.duration : 0,
    latency: {
      p50: latency.p50,
      p75: latency.p75,
      p90: latency.p90,
      p97_5: latency.p97_5,
      p99: latency.p99,
      p99_9: latency.p99_9,
      max: latency.max,
      mean: latency.mean,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
    ),
  };
}

export interface LoadRun {
  instance: Instance;
  done: Promise<LoadStats>;
}

/** Starts a run; `done` resolves with its figures. */
export function startLoad(label: string, options: Options): LoadRun {
  let instance: Instance | undefined;
  const done = new Promise<LoadStats>((resolve, reject) => {
    instance = autocannon({ timeout: 10, ...options }, (error, result) => {
      if (error) reject(error);
      else resolve(summarize(label, result, options.overallRate ?? null));
    });
  });
  return { instance: instance as Instance, done };
}

/** Runs autocannon to the end. */
export function load(label: string, options: Options): Promise<LoadStats> {
  return startLoad(label, options).done;
}

/** Splits `total` into `parts` integers that differ by at most one. */
function split(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/**
 * A rate-limited run (`overallRate`) spread evenly over each second.
 * autocannon lets every connection send its share of a second's requests at
 * the start of that second, and all connections start together, so a plain
 * rate-limited run arrives in one burst per second. Here `slices` instances,
 * each with its share of the connections and of the rate, start 1/slices s
 * apart; their results are merged with `autocannon.aggregateResult`.
 */
export async function pacedLoad(
  label: string,
  options: Options & { overallRate: number; connections: number; duration: number },
  slices = 10,
): Promise<LoadStats> {
  const count = Math.max(1, Math.min(slices, options.connections, options.overallRate));
  const raw = await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<RawResult>((resolve, reject) => {
          setTimeout(
            () => {
              autocannon(
                {
                  timeout: 10,
                  ...options,
                  connections: split(options.connections, count, i),
                  overallRate: split(options.overallRate, count, i),
                  skipAggregateResult: true,
                },
                (error, result) => (error ? reject(error) : resolve(result)),
              );
            },
            (i * 1000) / count,
          );
        }),
    ),
  );
  const merged = autocannon.aggregateResult(raw, { ...options, timeout: 10 });
  // The instances overlap for `duration` seconds each: the merged rate is the sum of their rates.
  const stats = summarize(label, merged, options.overallRate);
  const rps = raw.reduce((sum, r) => sum + (r.duration > 0 ? r.totalCompletedRequests / r.duration : 0), 0);
  return { ...stats, connections: options.connections, seconds: options.duration, rps };
}
