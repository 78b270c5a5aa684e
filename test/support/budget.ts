/**
 * Counting what one invocation of the Worker costs, as the Workers Free plan
 * counts it (docs/free-plan.md): subrequests (outgoing `fetch`, D1 queries,
 * KV and queue calls), D1 queries and the statements in them, KV reads and
 * writes, queue messages, and the most calls in flight at once. It wraps the
 * bindings handed to the Worker's own handlers and the global `fetch` while
 * an invocation runs; production code is untouched.
 *
 * @example
 * const meter = bindingMeter(env);
 * const cost = await meter.measure((metered) => worker.fetch(request, metered, ctx), ctx);
 * expect(cost.subrequests).toBeLessThanOrEqual(40);
 */
import { waitOnExecutionContext } from 'cloudflare:test';

export interface Cost {
  /** Every call that leaves the isolate: fetch, D1 queries, KV and queue calls. */
  subrequests: number;
  fetches: number;
  /** Of those fetches, calls to Djomy's API (`/v1/…`). */
  djomyCalls: number;
  /** D1 round trips: a statement run alone, or a whole `batch`. */
  d1Queries: number;
  /** Statements inside those round trips. */
  d1Statements: number;
  /** D1's own billing counters (`meta.rows_read`, `meta.rows_written`), indexes included. */
  d1RowsRead: number;
  d1RowsWritten: number;
  kvReads: number;
  kvWrites: number;
  queueCalls: number;
  queueMessages: number;
  /** The most calls in flight at once (the plan allows 6 connections). */
  maxInFlight: number;
}

const empty = (): Cost => ({
  subrequests: 0,
  fetches: 0,
  djomyCalls: 0,
  d1Queries: 0,
  d1Statements: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  kvReads: 0,
  kvWrites: 0,
  queueCalls: 0,
  queueMessages: 0,
  maxInFlight: 0,
});

type Counter = { cost: Cost; inFlight: number };

async function track<T>(counter: Counter, count: (cost: Cost) => void, call: () => Promise<T>): Promise<T> {
  count(counter.cost);
  counter.cost.subrequests++;
  counter.inFlight++;
  counter.cost.maxInFlight = Math.max(counter.cost.maxInFlight, counter.inFlight);
  try {
    return await call();
  } finally {
    counter.inFlight--;
  }
}

const REAL = Symbol('real statement');

type Meta = { meta?: { rows_read?: number; rows_written?: number } };

function countRows(counter: Counter, results: Meta | Meta[]): void {
  for (const result of Array.isArray(results) ? results : [results]) {
    counter.cost.d1RowsRead += result?.meta?.rows_read ?? 0;
    counter.cost.d1RowsWritten += result?.meta?.rows_written ?? 0;
  }
}

function meteredD1(db: D1Database, counter: Counter): D1Database {
  const statement = (real: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(real, {
      get(target, name) {
        if (name === REAL) return target;
        if (name === 'bind') return (...values: unknown[]) => statement(target.bind(...values));
        if (name === 'first' || name === 'all' || name === 'run' || name === 'raw') {
          return (...args: unknown[]) =>
            track(
              counter,
              (cost) => {
                cost.d1Queries++;
                cost.d1Statements++;
              },
              async () => {
                // `first` hides D1's row counters: ask `all` and answer as `first` would.
                if (name === 'first') {
                  const result = await target.all<Record<string, unknown>>();
                  countRows(counter, result);
                  const row = result.results[0] ?? null;
                  return typeof args[0] === 'string' ? (row?.[args[0]] ?? null) : row;
                }
                const result = await (target[name] as (...a: unknown[]) => Promise<unknown>).apply(
                  target,
                  args,
                );
                if (name !== 'raw') countRows(counter, result as Meta);
                return result;
              },
            );
        }
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, name) {
      if (name === 'prepare') return (sql: string) => statement(target.prepare(sql));
      if (name === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          track(
            counter,
            (cost) => {
              cost.d1Queries++;
              cost.d1Statements += statements.length;
            },
            async () => {
              const results = await target.batch(
                statements.map((s) => (s as unknown as Record<symbol, D1PreparedStatement>)[REAL] ?? s),
              );
              countRows(counter, results as Meta[]);
              return results;
            },
          );
      }
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function meteredKv(kv: KVNamespace, counter: Counter): KVNamespace {
  return new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const write = name === 'put' || name === 'delete';
      return (...args: unknown[]) =>
        track(
          counter,
          (cost) => {
            if (write) cost.kvWrites++;
            else cost.kvReads++;
          },
          () => value.apply(target, args),
        );
    },
  });
}

function meteredQueue<T>(queue: Queue<T>, counter: Counter): Queue<T> {
  return new Proxy(queue, {
    get(target, name) {
      if (name === 'send')
        return (body: T, options?: QueueSendOptions) =>
          track(
            counter,
            (cost) => {
              cost.queueCalls++;
              cost.queueMessages++;
            },
            () => target.send(body, options),
          );
      if (name === 'sendBatch')
        return (messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          return track(
            counter,
            (cost) => {
              cost.queueCalls++;
              cost.queueMessages += list.length;
            },
            () => target.sendBatch(list, options),
          );
        };
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface BindingMeter {
  /** The metered bindings: pass them to the Worker's handlers. Reuse it (the Djomy client is cached per KV binding). */
  env: Cloudflare.Env;
  /** Runs `invoke`, waits for its `waitUntil` work, and returns what it cost. */
  measure(invoke: (env: Cloudflare.Env) => Promise<unknown>, ctx?: ExecutionContext): Promise<Cost>;
}

/**
 * @param overrides bindings to use instead of `env`'s (e.g. a failing queue)
 */
export function bindingMeter(env: Cloudflare.Env, overrides: Partial<Cloudflare.Env> = {}): BindingMeter {
  const counter: Counter = { cost: empty(), inFlight: 0 };
  let measuring = false;
  const base = { ...env, ...overrides };
  const metered = {
    ...base,
    DB: meteredD1(base.DB, counter),
    TOKENS: meteredKv(base.TOKENS, counter),
    VERIFY_QUEUE: meteredQueue(base.VERIFY_QUEUE, counter),
    NOTIFY_QUEUE: meteredQueue(base.NOTIFY_QUEUE, counter),
  } as Cloudflare.Env;
  return {
    env: metered,
    async measure(invoke, ctx) {
      // One at a time: `fetch` is swapped for the duration.
      if (measuring) throw new Error('measurements of a meter cannot overlap');
      measuring = true;
      counter.cost = empty();
      counter.inFlight = 0;
      const realFetch = globalThis.fetch;
      globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
        track(
          counter,
          (cost) => {
            cost.fetches++;
            const url = new URL(input instanceof Request ? input.url : String(input));
            if (url.pathname.startsWith('/v1/')) cost.djomyCalls++;
          },
          () => realFetch(input, init),
        )) as typeof fetch;
      try {
        await invoke(metered);
        if (ctx) await waitOnExecutionContext(ctx);
      } finally {
        globalThis.fetch = realFetch;
        measuring = false;
      }
      return { ...counter.cost };
    },
  };
}
