/**
 * The stacks the benchmarks run against: `startStack()` from scripts/stack.ts
 * on the bench's own ports, with a fresh persist directory under
 * `bench/.state/`, plus what every measurement needs around it: the
 * simulator's controls, JSON calls, D1 queries through
 * `wrangler d1 execute --local`, and fast read-only D1 reads from the
 * SQLite file itself (`localD1`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { promisify } from 'node:util';
import { exampleVars, type Stack, startStack } from '../../scripts/stack.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const STATE_DIR = path.join(ROOT, 'bench', '.state');
const WRANGLER = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const run = promisify(execFile);

export interface Ports {
  worker: number;
  sim: number;
}

export interface BenchStack {
  name: string;
  workerUrl: string;
  simUrl: string;
  adminToken: string;
  ports: Ports;
  /** Absolute path of the local D1/KV/queue state. */
  persistTo: string;
  /** DJOMY_CLIENT_SECRET, which signs Djomy webhooks. */
  clientSecret: string;
  /** The wrangler inspector port of the Worker (`workerPort + 10000`, as scripts/stack.ts sets it). */
  inspectorPort: number;
  stop(): Promise<void>;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP call; the body is parsed as JSON when it is JSON, else left as text. */
export async function call<T = unknown>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  if (response.headers.get('content-type')?.includes('json') && text) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Like `call`, but anything other than `expected` is an error. */
export async function expectCall<T = unknown>(
  expected: number,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const response = await call<T>(method, url, options);
  if (response.status !== expected) {
    throw new Error(
      `${method} ${url}: ${response.status} (expected ${expected}) ${JSON.stringify(response.body).slice(0, 300)}`,
    );
  }
  return response.body;
}

/**
 * Starts a stack on `ports` with an empty state directory. The simulator and
 * the Worker open the same persist directory at once and workerd sometimes
 * loses that race (SQLITE_BUSY at start-up), so a failed start is retried
 * with a new directory.
 */
export async function startBenchStack(name: string, ports: Ports, verbose = false): Promise<BenchStack> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const persistTo = path.join(STATE_DIR, `${name}-${process.pid}-${attempt}`);
    rmSync(persistTo, { recursive: true, force: true });
    mkdirSync(persistTo, { recursive: true });
    try {
      const stack: Stack = await startStack({
        workerPort: ports.worker,
        simPort: ports.sim,
        persistTo,
        verbose,
        exampleSettings: true,
      });
      return {
        name,
        workerUrl: stack.workerUrl,
        simUrl: stack.simUrl,
        adminToken: stack.adminToken,
        ports,
        persistTo,
        clientSecret: exampleVars().DJOMY_CLIENT_SECRET ?? '',
        inspectorPort: ports.worker + 10_000,
        async stop() {
          await stack.stop();
          if (!process.env.BENCH_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      rmSync(persistTo, { recursive: true, force: true });
      process.stderr.write(`[bench] stack ${name} failed to start (attempt ${attempt}): ${String(error)}\n`);
    }
  }
  throw lastError;
}

/** Rows of one SQL statement against the stack's local D1 (`wrangler d1 execute DB --local`). */
export async function d1<T>(stack: BenchStack, sql: string): Promise<T[]> {
  const { stdout } = await run(
    process.execPath,
    [WRANGLER, 'd1', 'execute', 'DB', '--local', '--persist-to', stack.persistTo, '--command', sql, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const parsed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { results: T[] }[];
  return parsed[0]?.results ?? [];
}

export interface LocalD1 {
  /** Rows of one read-only statement. */
  all<T>(sql: string, ...params: SQLInputValue[]): T[];
  close(): void;
}

/**
 * Reads the stack's local D1 straight from its SQLite file, read-only
 * (node:sqlite), while the Worker runs: well under a millisecond a query,
 * against about 1.3 s for a `wrangler d1 execute`, so a measurement can poll
 * the ledger as often as it polls the simulator. SQLite's locking lets a
 * reader in beside workerd, and each query sees the last committed write.
 * Writes still go through `d1()`.
 */
export function localD1(stack: BenchStack): LocalD1 {
  const dir = path.join(stack.persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((file) => file.endsWith('.sqlite') && file !== 'metadata.sqlite');
  for (const file of files) {
    const db = new DatabaseSync(path.join(dir, file), { readOnly: true });
    try {
      db.prepare('SELECT 1 FROM payments LIMIT 1').all();
    } catch {
      db.close();
      continue;
    }
    return {
      all: <T>(sql: string, ...params: SQLInputValue[]) => db.prepare(sql).all(...params) as T[],
      close: () => db.close(),
    };
  }
  throw new Error(`no local D1 with a payments table under ${dir}`);
}

export interface SimCounters {
  auth: number;
  createPayment: number;
  createGateway: number;
  confirmOtp: number;
  status: number;
  listPayments: number;
  createLink: number;
  getLink: number;
  listLinks: number;
  total: number;
}

/** The simulator's `/__sim` controls (sim/README.md). */
export function simControls(stack: BenchStack) {
  const at = (route: string) => `${stack.simUrl}/__sim${route}`;
  return {
    /** Where the simulator sends its webhooks; `null` = nowhere (the benches' default). */
    webhooksTo: (url: string | null) =>
      expectCall(200, 'PATCH', at('/config'), { body: { webhookUrl: url } }),
    latency: (latencyMs: number) => expectCall(200, 'PUT', at('/faults'), { body: { latencyMs, rules: [] } }),
    clearFaults: () => expectCall(200, 'DELETE', at('/faults')),
    counters: () => expectCall<SimCounters>(200, 'GET', at('/counters')),
    resetCounters: () => expectCall<SimCounters>(200, 'DELETE', at('/counters')),
    payment: (transactionId: string) =>
      expectCall<{ otp: string | null; status: string }>(200, 'GET', at(`/payments/${transactionId}`)),
    complete: (transactionId: string, status: string) =>
      expectCall(200, 'POST', at(`/payments/${transactionId}/complete`), { body: { status } }),
    /** How many webhooks the simulator has built, by event type. */
    webhookTypes: async () => {
      const log = await expectCall<{ events: { eventType: string }[] }>(200, 'GET', at('/webhooks'));
      const types: Record<string, number> = {};
      for (const event of log.events) types[event.eventType] = (types[event.eventType] ?? 0) + 1;
      return types;
    },
    /** Waits until the simulator has no webhook left to send (at most 30 s). */
    drainWebhooks: async () => {
      await call('POST', at('/webhooks/drain'));
    },
  };
}
