/** The part of autocannon's programmatic API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  export type Context = Record<string, unknown>;
  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before each send; may read and write the connection's `context`. */
    setupRequest?: (request: Request, context: Context) => Request;
    onResponse?: (status: number, body: string, context: Context) => void;
  }
  export interface Options {
    url: string;
    connections?: number;
    /** Seconds (also `timeout`). */
    duration?: number;
    amount?: number;
    timeout?: number;
    requests?: Request[];
    overallRate?: number;
    /** Leave the histograms encoded, for `aggregateResult` over several instances. */
    skipAggregateResult?: boolean;
  }
  export interface Result {
    requests: { total: number };
    latency: Record<'p50' | 'p75' | 'p90' | 'p97_5' | 'p99' | 'p99_9' | 'max' | 'mean', number>;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    connections: number;
    statusCodeStats: Record<string, { count: number }>;
  }
  /** A result before aggregation (`skipAggregateResult: true`). */
  export interface RawResult {
    totalCompletedRequests: number;
    duration: number;
  }
  const autocannon: {
    (options: Options, callback: (error: Error | null, result: Result & RawResult) => void): unknown;
    aggregateResult(results: RawResult[], options: Options): Result;
  };
  export default autocannon;
}
