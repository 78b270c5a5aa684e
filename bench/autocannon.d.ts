/** The part of autocannon's programmatic API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total?: number;
    sent?: number;
    p2_5: number;
    p50: number;
    p75: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
    p99_99: number;
    p99_999: number;
  }

  export interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  export type Context = Record<string, unknown>;

  export interface Request extends RequestParams {
    /** Called before each send; may read and write the connection's `context`. */
    setupRequest?: (request: RequestParams, context: Context) => RequestParams | null | undefined;
    onResponse?: (status: number, body: string, context: Context, headers: Record<string, unknown>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    /** Seconds. */
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: Request[];
    overallRate?: number;
    connectionRate?: number;
    initialContext?: Context;
    title?: string;
    /** Leave the histograms encoded, for `aggregateResult` over several instances. */
    skipAggregateResult?: boolean;
  }

  export interface Result {
    title?: string;
    url: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    start: Date;
    finish: Date;
    connections: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  /** A run's result before aggregation (`skipAggregateResult: true`). */
  export interface RawResult {
    totalCompletedRequests: number;
    /** Seconds. */
    duration: number;
  }

  interface Autocannon {
    (
      options: Options & { skipAggregateResult: true },
      callback: (error: Error | null, result: RawResult) => void,
    ): Instance;
    (options: Options, callback: (error: Error | null, result: Result) => void): Instance;
    /** Merges the raw results of several instances (histograms included). */
    aggregateResult(results: RawResult[], options: Options): Result;
  }

  const autocannon: Autocannon;
  export default autocannon;
}
