/** autocannon, used programmatically, and the figures the report needs from one run. */
import autocannon, { type Options, type RawResult, type Result } from 'autocannon';

export type LoadStats = ReturnType<typeof summarize>;

/** Everything that counts as an error in a goal: failed connections, timeouts, non-2xx answers. */
export const failures = (stats: LoadStats) => stats.errors + stats.non2xx;

/** `requests` completed in `seconds`, latency in ms, `errors` of connections (timeouts included), non-2xx answers. */
function summarize(label: string, result: Result) {
  const { connections, duration: seconds, errors, non2xx } = result;
  const requests = result.requests.total ?? 0;
  const { p50, p75, p90, p97_5, p99, p99_9, max, mean } = result.latency;
  const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]);
  const latency = { p50, p75, p90, p97_5, p99, p99_9, max, mean };
  const rps = seconds > 0 ? requests / seconds : 0;
  const statusCodes = Object.fromEntries(codes);
  return { label, connections, requests, seconds, rps, latency, errors, non2xx, statusCodes };
}

function run<T extends Result | RawResult>(options: Options): Promise<T> {
  return new Promise((resolve, reject) =>
    autocannon({ timeout: 10, ...options }, (error, result) =>
      error ? reject(error) : resolve(result as T),
    ),
  );
}

/** Runs autocannon to the end. */
export async function load(label: string, options: Options): Promise<LoadStats> {
  return summarize(label, await run<Result>(options));
}

const share = (total: number, parts: number, index: number) =>
  Math.floor(total / parts) + (index < total % parts ? 1 : 0);

/**
 * A rate-limited run (`overallRate`) spread over each second. autocannon lets
 * every connection send its share of a second's requests at the start of that
 * second, so a plain rate-limited run arrives in one burst per second. Here
 * `slices` instances, each with its share of the connections and of the rate,
 * start 1/slices s apart; their histograms are merged (`aggregateResult`).
 */
export async function pacedLoad(
  label: string,
  options: Options & { overallRate: number; connections: number; duration: number },
  slices = 10,
): Promise<LoadStats> {
  const count = Math.max(1, Math.min(slices, options.connections, options.overallRate));
  const raw = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / count));
      return run<RawResult>({
        ...options,
        connections: share(options.connections, count, i),
        overallRate: share(options.overallRate, count, i),
        skipAggregateResult: true,
      });
    }),
  );
  const stats = summarize(label, autocannon.aggregateResult(raw, { ...options, timeout: 10 }));
  // The instances overlap for `duration` seconds each: the merged rate is the sum of their rates.
  const rps = raw.reduce((sum, r) => sum + (r.duration > 0 ? r.totalCompletedRequests / r.duration : 0), 0);
  return { ...stats, connections: options.connections, seconds: options.duration, rps };
}
