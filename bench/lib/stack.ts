/**
 * The stacks the benchmarks run against: `startStack()` from scripts/stack.ts
 * on the bench's own ports with a fresh persist directory under bench/.state/,
 * plus JSON calls, the simulator's controls, D1 statements through
 * `wrangler d1 execute --local`, and fast read-only reads of the local D1
 * SQLite file (`localD1`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { promisify } from 'node:util';
import * as scripts from '../../scripts/stack.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const STATE_DIR = path.join(ROOT, 'bench', '.state');
/** How the bench runs wrangler's CLI (d1 execute, deploy --dry-run). */
export const wrangler = (args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
    maxBuffer: 512 * 1024 * 1024,
  });

export type Ports = { worker: number; sim: number };
/**
 * `vars`: extra `--var`s of the Worker (e.g. `WORKERS_PLAN: 'paid'`); `root`: another source tree
 * (with its own scripts/stack.ts, src/, sim/ and migrations) to run instead of this one; `config`:
 * another wrangler config for the Worker (`paidPlanConfig`).
 */
export type StackOptions = { fresh?: boolean; vars?: Record<string, string>; root?: string; config?: string };
export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

type CallOptions = { body?: unknown; headers?: Record<string, string> };

/** One HTTP call; a JSON body is parsed, anything else left as text. */
export async function call<T = unknown>(method: string, url: string, options: CallOptions = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const response = await fetch(url, { method, redirect: 'manual', headers, body });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text;
  return { status: response.status, headers: response.headers, body: (json ? JSON.parse(text) : text) as T };
}

/** Like `call`, but any status other than `expected` is an error. */
export async function expectCall<T = unknown>(
  expected: number,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<T> {
  const { status, body } = await call<T>(method, url, options);
  const detail = JSON.stringify(body).slice(0, 300);
  if (status !== expected) throw new Error(`${method} ${url}: ${status} (expected ${expected}) ${detail}`);
  return body;
}

/**
 * Starts a stack on `ports` with an empty state directory. The simulator and
 * the Worker open the same persist directory at once and workerd sometimes
 * loses that race (SQLITE_BUSY at start-up), so a failed start is retried.
 */
export async function startBenchStack(
  name: string,
  ports: Ports,
  verbose = false,
  { vars: workerVars, root = ROOT, config }: StackOptions = {},
) {
  const { startStack, exampleVars }: typeof scripts =
    root === ROOT ? scripts : await import(path.join(root, 'scripts', 'stack.ts'));
  for (let attempt = 1; ; attempt++) {
    const persistTo = path.join(STATE_DIR, `${name}-${process.pid}-${attempt}`);
    rmSync(persistTo, { recursive: true, force: true });
    mkdirSync(persistTo, { recursive: true });
    try {
      const [workerPort, simPort] = [ports.worker, ports.sim];
      const options = { workerPort, simPort, persistTo, verbose, workerVars, config, exampleSettings: true };
      const started = await startStack(options);
      const { workerUrl, simUrl, adminToken, stop } = started;
      return {
        ...{ name, ports, workerUrl, simUrl, adminToken, root },
        /** The local D1/KV/queue state. */
        persistTo,
        /** DJOMY_CLIENT_SECRET, which signs Djomy webhooks. */
        clientSecret: exampleVars().DJOMY_CLIENT_SECRET ?? '',
        /** The Worker's wrangler inspector port, as scripts/stack.ts sets it. */
        inspectorPort: ports.worker + 10_000,
        async stop() {
          await stop();
          if (!process.env.BENCH_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
        },
      };
    } catch (error) {
      rmSync(persistTo, { recursive: true, force: true });
      process.stderr.write(`[bench] stack ${name} failed to start (attempt ${attempt}): ${String(error)}\n`);
      if (attempt === 3) throw error;
    }
  }
}

/** Rows of one SQL statement against the stack's local D1 (`wrangler d1 execute DB --local`). */
export async function d1<T>(stack: BenchStack, sql: string): Promise<T[]> {
  const args = [
    'd1',
    'execute',
    'DB',
    '--local',
    '--persist-to',
    stack.persistTo,
    '--json',
    '--command',
    sql,
  ];
  const { stdout } = await wrangler(args);
  return (JSON.parse(stdout.slice(stdout.indexOf('['))) as { results: T[] }[])[0]?.results ?? [];
}

export type LocalD1 = ReturnType<typeof localD1>;

/**
 * The stack's local D1 read straight from its SQLite file, read-only, while
 * the Worker runs: well under a millisecond a query, against about a second
 * for `d1()`, so a measurement can poll the ledger as often as it polls the
 * simulator. Each query sees the last committed write. Writes go through `d1()`.
 */
export function localD1(stack: BenchStack) {
  const dir = path.join(stack.persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')) {
    const db = new DatabaseSync(path.join(dir, file), { readOnly: true });
    try {
      db.prepare('SELECT 1 FROM payments LIMIT 1').all();
    } catch {
      db.close();
      continue;
    }
    const all = <T>(sql: string, ...params: SQLInputValue[]) => db.prepare(sql).all(...params) as T[];
    return { all, close: () => db.close() };
  }
  throw new Error(`no local D1 with a payments table under ${dir}`);
}

/** The simulator's counters of Djomy calls, by endpoint (`GET /__sim/counters`). */
export type SimCounters = Record<
  'auth' | 'createGateway' | 'createPayment' | 'confirmOtp' | 'status' | 'listPayments' | 'total',
  number
>;

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
    resetCounters: () => expectCall(200, 'DELETE', at('/counters')),
    payment: (transactionId: string) =>
      expectCall<{ otp: string | null }>(200, 'GET', at(`/payments/${transactionId}`)),
    complete: (transactionId: string, status: string) =>
      expectCall(200, 'POST', at(`/payments/${transactionId}/complete`), { body: { status } }),
    /** How many webhooks the simulator has built, by event type. */
    webhookTypes: async () => {
      const log = await expectCall<{ events: { eventType: string }[] }>(200, 'GET', at('/webhooks'));
      const types: Record<string, number> = {};
      for (const { eventType } of log.events) types[eventType] = (types[eventType] ?? 0) + 1;
      return types;
    },
    /** Waits until the simulator has no webhook left to send (at most 30 s). */
    drainWebhooks: () => call('POST', at('/webhooks/drain')),
  };
}

/** The top level of wrangler.toml or another config (not its `[env.*]` copies), parsed by wrangler itself. */
export async function wranglerConfig(config = path.join(ROOT, 'wrangler.toml')): Promise<{
  minify?: boolean;
  queues?: { consumers?: { queue: string; max_batch_size?: number }[] };
  triggers?: { crons?: string[] };
}> {
  const { experimental_readRawConfig } = await import('wrangler');
  return experimental_readRawConfig({ config }).rawConfig;
}

/** The verify consumer's batch on the Paid plan, as the comment on it in wrangler.toml says. */
export const PAID_VERIFY_BATCH = 100;

/**
 * wrangler.toml with the verify consumer's `max_batch_size` at `PAID_VERIFY_BATCH`, written under
 * bench/.state/ with its paths made absolute (wrangler reads them from the config's own directory).
 */
export function paidPlanConfig(): string {
  let text = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
  const edits: [RegExp, (match: string, ...groups: string[]) => string][] = [
    [/^(main|migrations_dir|directory) = "(.+)"$/gm, (_, key, file) => `${key} = "${path.join(ROOT, file)}"`],
    [/(queue = "djomy-verify"\nmax_batch_size = )\d+/, (_, head) => `${head}${PAID_VERIFY_BATCH}`],
  ];
  for (const [pattern, edit] of edits) {
    if (!pattern.test(text)) throw new Error(`wrangler.toml: ${pattern} not found`);
    text = text.replace(pattern, edit);
  }
  mkdirSync(STATE_DIR, { recursive: true });
  const file = path.join(STATE_DIR, `wrangler.paid-${process.pid}.toml`);
  writeFileSync(file, text);
  return file;
}
